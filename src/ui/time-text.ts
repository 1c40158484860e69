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

/** A NumericDate (seconds since the epoch) relative to `nowSeconds` (default: now). */
export function relativeText(seconds: number, nowSeconds?: number): string {
  // Beyond what a Date holds (±8.64e15 ms) a claim is no time at all, however finite the number.
  if (!Number.isFinite(new Date(seconds * 1000).getTime())) return t('time_invalid');
  const now = typeof nowSeconds === 'number' && Number.isFinite(nowSeconds) ? nowSeconds : Date.now() / 1000;
  return relativeDeltaText(seconds - now);
}

// One cached formatter per kind: building one costs ~110 µs, formatting with it ~3 µs (src/core/time-format.ts).
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatIn(kind: 'date-time' | 'time', ms: number): string {
  const date = new Date(ms);
  if (!Number.isFinite(date.getTime())) return t('time_invalid');
  // The catalogue's language, not the browser's: the two differ (a Korean catalogue under an en-US getUILanguage).
  const lang = t('lang');
  const key = `${lang} ${kind}`;
  let format = formatters.get(key);
  try {
    if (!format) {
      format = new Intl.DateTimeFormat(
        lang,
        kind === 'time'
          ? { hour: 'numeric', minute: '2-digit', second: '2-digit' }
          : {
              year: 'numeric',
              month: 'numeric',
              day: 'numeric',
              hour: 'numeric',
              minute: '2-digit',
              second: '2-digit',
              timeZoneName: 'short',
            },
      );
      formatters.set(key, format);
    }
    return format.format(date);
  } catch {
    return date.toISOString();
  }
}

/** Local date and time with its zone, in the catalogue's language (a claim's exp, a key's fetch). */
export function localDateTimeText(ms: number): string {
  return formatIn('date-time', ms);
}

/** Local time of day, in the catalogue's language (when a token was seen). */
export function localTimeText(ms: number): string {
  return formatIn('time', ms);
}
