// When a token's clock findings (expired, expires-soon, not-yet-valid, issued-in-future) change: the store
// redoes them only for records whose state flips or whose wording ("expired 3 min ago") went stale, from
// the time claims alone, never by analysing the whole token again.
import { EXPIRES_SOON_SECONDS, numericDate, TIME_FINDING_IDS } from '../../core/analyze';
import { isJsonObject } from '../../core/is-json-object';
import type { DecodedToken, Finding, FindingId } from '../../core/types';

/** Wording of a live time finding is refreshed at most this often. */
export const TIME_TEXT_REFRESH_SECONDS = 60;

export const TIME_IDS: ReadonlySet<FindingId> = new Set(TIME_FINDING_IDS);

export interface TimeClaims {
  exp?: number;
  nbf?: number;
  iat?: number;
  /** The claims as the token has them (a string NumericDate gets its own note in the finding). */
  raw: Record<string, unknown>;
}

/** Where a record's clock stands: its time claims, when they were judged, when they next change state. */
export interface TimeState {
  time?: TimeClaims;
  /** Seconds. */
  timeCheckedAt: number;
  nextTimeChange: number;
}

/** Whether the clock findings of a record must be redone at `now`. */
export function timeDue(state: TimeState, active: readonly Finding[], now: number): boolean {
  if (now >= state.nextTimeChange) return true;
  const current = active.find((f) => TIME_IDS.has(f.id));
  if (!current || now - state.timeCheckedAt < TIME_TEXT_REFRESH_SECONDS) return false;
  // "Expired 3 days ago" needs no update every minute; "expires in 4 min" does.
  if (current.id === 'expired' && state.time?.exp !== undefined) {
    return now - state.timeCheckedAt >= Math.max(TIME_TEXT_REFRESH_SECONDS, (now - state.time.exp) / 10);
  }
  return true;
}

/** The next instant (seconds) after `now` at which a time finding appears or disappears. */
export function nextTimeChange(time: TimeClaims | undefined, now: number, skew: number): number {
  if (!time) return Number.POSITIVE_INFINITY;
  let next = Number.POSITIVE_INFINITY;
  const consider = (at: number): void => {
    if (at > now && at < next) next = at;
  };
  if (time.exp !== undefined) {
    consider(time.exp - EXPIRES_SOON_SECONDS);
    consider(time.exp);
  }
  if (time.nbf !== undefined) consider(time.nbf - skew);
  if (time.iat !== undefined) consider(time.iat - skew);
  return next;
}

export function readTimeClaims(decoded: DecodedToken): TimeClaims | undefined {
  if (!decoded.ok || !decoded.payloadIsJson || !isJsonObject(decoded.payload)) return undefined;
  const payload = decoded.payload;
  const out: TimeClaims = { raw: {} };
  for (const claim of ['exp', 'nbf', 'iat'] as const) {
    const value = numericDate(payload[claim]);
    if (value === undefined) continue;
    out[claim] = value;
    out.raw[claim] = payload[claim];
  }
  return out.exp === undefined && out.nbf === undefined && out.iat === undefined ? undefined : out;
}

/** Whether two lists hold the same findings with the same wording, in any order. */
export function sameFindings(a: Finding[], b: Finding[]): boolean {
  if (a.length !== b.length) return false;
  const key = (f: Finding): string => `${f.id}\u0000${f.detail}`;
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.every((k, i) => k === right[i]);
}
