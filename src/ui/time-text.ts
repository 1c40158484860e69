// Relative times in the catalogue's language ("in 5 min", "5분 후"): the core rounds to one unit
// (src/core/time-format.ts), the catalogue words it. Phrased without plurals ("3 d"), so that no language
// needs plural rules.
import { relativeSpan } from '../core/time-format';
import { t } from './i18n';

/** `delta` seconds from now, in words: positive is the future. */
export function relativeDeltaText(delta: number): string {
  if (!Number.isFinite(delta)) return t('time_invalid');
  const span = relativeSpan(delta);
  if (!span) return t('time_just_now');
  const amount = t(`time_unit_${span.unit}`, span.n >= 1000 ? span.n.toLocaleString('en-US') : span.n);
  return t(span.future ? 'time_in' : 'time_ago', amount);
}
