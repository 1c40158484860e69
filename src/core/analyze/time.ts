// The claims that age: exp, nbf and iat against this computer's clock. The clock findings (expired, expires
// soon, not yet valid, issued in the future) change while a token sits in a list; timeFindings recomputes
// just those, so a caller that keeps tokens refreshes them without analysing the whole token again.
import { formatDuration, formatTime } from '../time-format';
import { sortFindings } from '../findings';
import { isJsonObject } from '../is-json-object';
import type { Finding, FindingId, JsonObject } from '../types';
import { Evidence } from './evidence';
import type { TokenRole } from './role';
import { describeValue, lower } from './text';

/** An unexpired token closer than this to its exp is reported as expiring soon (boundary included). */
export const EXPIRES_SOON_SECONDS = 300;
/** Longest lifetime (exp − iat) not reported for access, ID and unrecognised tokens (boundary allowed). */
export const LONG_LIFETIME_SECONDS = 86400;
/** Refresh tokens exist to outlive access tokens; common products default to 30–90 days. */
export const REFRESH_LONG_LIFETIME_SECONDS = 90 * 86400;
/** Clock difference tolerated between issuer and this computer before nbf / iat are reported. */
export const DEFAULT_SKEW_SECONDS = 60;

/** The findings that appear or disappear as time passes, whatever else the token holds. */
export const TIME_FINDING_IDS: readonly FindingId[] = ['expired', 'expires-soon', 'not-yet-valid', 'issued-in-future'];

// Tokens whose freshness RFCs base on iat and jti instead of exp: a DPoP proof (RFC 9449 §4.3) and a
// Security Event Token (RFC 8417 §2.2) have no exp by design.
const NO_EXP_BY_DESIGN = new Set(['dpop+jwt', 'application/dpop+jwt', 'secevent+jwt', 'application/secevent+jwt']);

type NumericDate = { state: 'absent' } | { state: 'invalid' } | { state: 'valid'; value: number; note: string };

/**
 * A claim's NumericDate in seconds, or undefined: numbers, and digit strings that lenient libraries read
 * (strict ones reject the token; the finding says so).
 */
export function numericDate(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\s*\d{1,15}(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

function readNumericDate(payload: JsonObject, name: string): NumericDate {
  if (!Object.hasOwn(payload, name)) return { state: 'absent' };
  const value = payload[name];
  const seconds = numericDate(value);
  if (seconds === undefined) return { state: 'invalid' };
  const note = typeof value === 'string' ? ` Note: ${name} is a string, not the number RFC 7519 requires; strict libraries reject it.` : '';
  return { state: 'valid', value: seconds, note };
}

/**
 * The clock findings of `claims` (a token's payload, or just its exp / nbf / iat) at `now` (seconds since the
 * epoch), tolerating `skew` seconds for nbf and iat. The same findings analyze() reports. Never throws.
 */
export function timeFindings(claims: JsonObject, now: number, skew: number = DEFAULT_SKEW_SECONDS): Finding[] {
  const found = new Evidence();
  try {
    const at = typeof now === 'number' && Number.isFinite(now) ? now : Date.now() / 1000;
    const tolerance = typeof skew === 'number' && Number.isFinite(skew) && skew >= 0 ? skew : DEFAULT_SKEW_SECONDS;
    if (isJsonObject(claims)) addClockFindings(claims, at, tolerance, found);
    return sortFindings(found.build());
  } catch {
    return [];
  }
}

function addClockFindings(payload: JsonObject, now: number, skew: number, found: Evidence): void {
  const exp = readNumericDate(payload, 'exp');
  const iat = readNumericDate(payload, 'iat');
  const nbf = readNumericDate(payload, 'nbf');
  // Formatted only for a finding that shows it: most tokens a panel sees are neither expired nor close.
  if (exp.state === 'valid') {
    if (exp.value <= now) {
      let text = `Expired ${formatDuration(now - exp.value)} ago, at ${describeTime(exp.value, now)}.`;
      if (now - exp.value < skew) text += ` Servers allowing ${formatDuration(skew)} of clock skew may still accept it.`;
      found.add('expired', text + exp.note);
    } else if (exp.value - now <= EXPIRES_SOON_SECONDS) {
      found.add('expires-soon', `Expires in ${formatDuration(exp.value - now)}, at ${describeTime(exp.value, now)}.${exp.note}`);
    }
  }
  if (nbf.state === 'valid' && nbf.value > now + skew) {
    found.add('not-yet-valid', `Valid only from ${describeTime(nbf.value, now)}, ${formatDuration(nbf.value - now)} from now.${nbf.note}`);
  }
  if (iat.state === 'valid' && iat.value > now + skew) {
    found.add(
      'issued-in-future',
      `Issued at ${describeTime(iat.value, now)}, ${formatDuration(iat.value - now)} ahead of this computer's clock.${iat.note}`,
    );
  }
}

/** Every time finding: the clock ones, a missing or unreadable exp, and a lifetime too long for the role. */
export function checkTimes(header: JsonObject, payload: JsonObject, now: number, skew: number, role: TokenRole, found: Evidence): void {
  const exp = readNumericDate(payload, 'exp');
  const iat = readNumericDate(payload, 'iat');
  addClockFindings(payload, now, skew, found);

  if (exp.state === 'absent') {
    if (!NO_EXP_BY_DESIGN.has(lower(header.typ) ?? '')) found.add('no-expiry', 'The token has no exp claim.');
    return;
  }
  if (exp.state === 'invalid') {
    found.add('no-expiry', `The exp claim is ${describeValue(payload.exp)}, not a NumericDate, so verifiers ignore or reject it.`);
    return;
  }
  let lifetime: number | undefined;
  let basis = '';
  if (iat.state === 'valid' && iat.value <= exp.value) {
    lifetime = exp.value - iat.value;
    basis = 'from iat to exp';
  } else if (iat.state !== 'valid' && exp.value > now) {
    lifetime = exp.value - now;
    basis = 'left until exp; there is no iat to measure from';
  }
  const allowed = role === 'refresh' ? REFRESH_LONG_LIFETIME_SECONDS : LONG_LIFETIME_SECONDS;
  if (lifetime !== undefined && lifetime > allowed) {
    const kind = role === 'unknown' ? 'a token of unrecognised kind' : `${role === 'refresh' ? 'a' : 'an'} ${role} token`;
    found.add(
      'long-lifetime',
      `It lives ${formatDuration(lifetime)} (${basis}); for ${kind} more than ${formatDuration(allowed)} is long.`,
    );
  }
}

// The sentence around it already says how far off the time is; this adds when, locally and in UTC.
function describeTime(seconds: number, now: number): string {
  const t = formatTime(seconds, now);
  return t.valid ? `${t.local} (${t.iso})` : t.iso;
}
