// How times read to a person: "in 5 min", "3 h ago", local and ISO. NumericDates come from untrusted
// tokens: any number, or not a number at all. Small on purpose: every surface loads it before first paint,
// unlike the claim catalogue (./claims.ts), which only the detail views need.
export interface FormattedTime {
  /** False when the value is not a time a Date can hold; the strings then say so. */
  valid: boolean;
  /** UTC, ISO 8601. */
  iso: string;
  /** The user's local time, with its zone. */
  local: string;
  /** "in 5 min", "3 h ago", "just now", "in 2 days". */
  relative: string;
}

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;
// Durations beyond a year are shown in years of 365 days: close enough at that scale.
const YEAR = 365 * DAY;
/** Within this many seconds of now, a time reads "just now". */
const JUST_NOW_SECONDS = 5;

export function formatTime(seconds: number, nowSeconds?: number): FormattedTime {
  const ms = typeof seconds === 'number' ? seconds * 1000 : Number.NaN;
  const date = new Date(ms);
  if (!Number.isFinite(date.getTime())) {
    return { valid: false, iso: 'not a valid time', local: 'not a valid time', relative: 'not a valid time' };
  }
  const now = typeof nowSeconds === 'number' && Number.isFinite(nowSeconds) ? nowSeconds : Date.now() / 1000;
  return { valid: true, iso: date.toISOString(), local: localString(date), relative: formatRelative(seconds - now) };
}

/** A local date and time with its zone, to the second: how every surface writes one (also src/ui/local-time-text.ts). */
export const LOCAL_DATE_TIME: Readonly<Intl.DateTimeFormatOptions> = {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
};

// toLocaleString builds a formatter on every call (~110 µs); one cached formatter formats in ~3 µs.
let localFormat: Intl.DateTimeFormat | undefined;

function localString(date: Date): string {
  try {
    localFormat ??= new Intl.DateTimeFormat(undefined, LOCAL_DATE_TIME);
    return localFormat.format(date);
  } catch {
    // A runtime without full locale data still has the plain form.
    try {
      return date.toString();
    } catch {
      return date.toISOString();
    }
  }
}

/** `delta` seconds from now, in words: positive is the future. */
export function formatRelative(delta: number): string {
  if (!Number.isFinite(delta)) return 'not a valid time';
  const abs = Math.abs(delta);
  if (abs < JUST_NOW_SECONDS) return 'just now';
  const span = roughSpan(abs);
  return delta > 0 ? `in ${span}` : `${span} ago`;
}

export type SpanUnit = 's' | 'min' | 'h' | 'day' | 'year';

/**
 * `delta` seconds from now as one rounded unit, for a UI that words it in its own language; undefined within
 * "just now" of now or for a non-number.
 */
export function relativeSpan(delta: number): { n: number; unit: SpanUnit; future: boolean } | undefined {
  if (!Number.isFinite(delta) || Math.abs(delta) < JUST_NOW_SECONDS) return undefined;
  return { ...roughSpanParts(Math.abs(delta)), future: delta > 0 };
}

// One unit, rounded: relative times are read at a glance ("in 5 min", not "in 4 min 58 s").
function roughSpanParts(abs: number): { n: number; unit: SpanUnit } {
  const s = Math.round(abs);
  if (s < MINUTE) return { n: s, unit: 's' };
  const min = Math.round(abs / MINUTE);
  if (min < 60) return { n: min, unit: 'min' };
  const h = Math.round(abs / HOUR);
  if (h < 48) return { n: h, unit: 'h' };
  const days = Math.round(abs / DAY);
  if (days < 365) return { n: days, unit: 'day' };
  return { n: Math.round(abs / YEAR), unit: 'year' };
}

function roughSpan(abs: number): string {
  const { n, unit } = roughSpanParts(abs);
  return unit === 'day' || unit === 'year' ? plural(n, unit) : `${n} ${unit}`;
}

/** A length of time in its two largest non-zero units: "1 h 30 min", "2 days 3 h", "1 day 1 s", "45 s". */
export function formatDuration(seconds: number): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return 'an unknown time';
  const sign = seconds < 0 ? '-' : '';
  let rest = Math.round(Math.abs(seconds));
  if (rest === 0) return '0 s';
  const units: [size: number, label: (n: number) => string][] = [
    [YEAR, (n) => plural(n, 'year')],
    [DAY, (n) => plural(n, 'day')],
    [HOUR, (n) => `${n} h`],
    [MINUTE, (n) => `${n} min`],
    [1, (n) => `${n} s`],
  ];
  const shown: string[] = [];
  for (const [size, label] of units) {
    if (shown.length === 2) break;
    const n = Math.floor(rest / size);
    // Zero units are skipped rather than cut at, so that a lifetime one second over a limit reads
    // "1 day 1 s" and not "1 day", the same as the limit.
    if (n > 0) {
      shown.push(label(n));
      rest -= n * size;
    }
  }
  return sign + shown.join(' ');
}

function plural(n: number, unit: string): string {
  return `${n >= 1000 ? n.toLocaleString('en-US') : n} ${unit}${n === 1 ? '' : 's'}`;
}
