// Local dates and times, and a claim's time relative to now, in the catalogue's language. Apart from ./time-text.ts (relative times), which the
// panel's list needs before first paint: only the detail views, the options page and the decoder format these.
import { LOCAL_DATE_TIME } from '../core/time-format';
import { t } from './i18n';
import { relativeDeltaText } from './time-text';
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
      format = new Intl.DateTimeFormat(lang, kind === 'time' ? { hour: 'numeric', minute: '2-digit', second: '2-digit' } : LOCAL_DATE_TIME);
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

/** A NumericDate (seconds since the epoch) relative to `nowSeconds` (default: now). */
export function relativeText(seconds: number, nowSeconds?: number): string {
  // Beyond what a Date holds (±8.64e15 ms) a claim is no time at all, however finite the number.
  if (!Number.isFinite(new Date(seconds * 1000).getTime())) return t('time_invalid');
  const now = typeof nowSeconds === 'number' && Number.isFinite(nowSeconds) ? nowSeconds : Date.now() / 1000;
  return relativeDeltaText(seconds - now);
}
