// The refresh flow judged: from the uses of one refresh token (the refresh requests that sent it) and the
// access tokens it was paired with, the three findings single-token analysis cannot give, worded for the
// refresh token's own row and for the rows of the access tokens paired with it.
//
// Decisions (the flow tracker, flow-tracker.ts, gathers the facts):
// - "Still valid": the paired access token's expiry was later than the refresh request's start, with no
//   tolerance by default — the source notes describe servers that revoke on any early refresh. The expiry
//   is the access token's exp when it is a JWT with one, else `expires_in` counted from the token response
//   that issued it.
// - Not rotated: a refresh whose response was seen (it carried tokens) and returned the same refresh token
//   or none. A response without a refresh token leaves the client on the old one (RFC 6749 §6), so the
//   server does not rotate, which RFC 9700 §4.14.2 asks of it for public clients (and a browser app is
//   one) unless the token is sender-constrained. A response never seen (body unread) decides nothing.
// - Reused: one refresh token sent in two or more refresh requests, unless every earlier response was seen
//   and returned no replacement — then reuse is the server's design, reported as not rotated instead.
// - On an access token's row, refresh-while-access-valid is reported only for refreshes made while that
//   very token was the one paired (it was the one still valid); the other two for every token paired with
//   the refresh token.

import { finding, type BuiltFinding } from '../../core/findings';
import { formatDuration } from '../../core/time-format';
import type { FindingId, Where } from '../../core/types';
import { display, iso, list } from './flow-text';

export interface Seen {
  where: Where;
  name?: string;
  field?: string;
}

export interface Exchange {
  key: string;
  /** Epoch ms: the request's start. */
  time: number;
  url: string;
  sent: ReadonlyMap<string, Seen>;
  received: ReadonlyMap<string, Seen>;
  /** The refresh token this request exchanged, once recognised. */
  refreshWith?: string;
  /** The refresh token a `grant_type=refresh_token` body sent. */
  grantRefresh?: string;
  /** Epoch ms: when the token response came back (token-grant.ts). */
  answeredAt?: number;
  /** The token response's `expires_in`, in seconds. */
  expiresIn?: number;
}

/** An access token issued together with (or, when none came back, for) a refresh token. */
export interface Pairing {
  access: string;
  /** The rows that stand for the access token: itself when it is a JWT, else the ID token(s) issued with it. */
  rows: string[];
  time: number;
  exchange: string;
}

/** What the judgement needs from the tracker. */
export interface RefreshFacts {
  /** Refresh requests that sent the token, oldest first. */
  uses: readonly Exchange[];
  /** The pairing current when `ex` started, issued by another exchange. */
  pairingBefore(ex: Exchange): Pairing | undefined;
  /** Seconds since the epoch. */
  expiryOf(token: string): number | undefined;
  /** Whether `ex` got back a refresh token other than the one judged. */
  replaced(ex: Exchange): boolean;
  /** The access token's name in a sentence on another row (never an opaque value whole). */
  nameOf(token: string): string;
  tolerance: number;
}

export interface EarlyRefresh {
  ex: Exchange;
  pairing: Pairing;
  /** Seconds the paired access token had left. */
  left: number;
}

export interface RefreshJudgement {
  refresh: string;
  uses: readonly Exchange[];
  early: EarlyRefresh[];
  notRotated: { ex: Exchange; same: boolean }[];
  /** Present when reuse is reported. */
  reused?: { rotatedAt?: number };
  nameOf(token: string): string;
}

export function judgeRefresh(refresh: string, facts: RefreshFacts): RefreshJudgement {
  const { uses } = facts;
  const judgement: RefreshJudgement = { refresh, uses, early: [], notRotated: [], nameOf: facts.nameOf };
  for (const ex of uses) {
    const pairing = facts.pairingBefore(ex);
    const exp = pairing && facts.expiryOf(pairing.access);
    if (pairing && exp !== undefined) {
      const left = exp - ex.time / 1000;
      if (left > facts.tolerance) judgement.early.push({ ex, pairing, left });
    }
    if (ex.received.size === 0) continue;
    const same = ex.received.has(refresh);
    if (same || !facts.replaced(ex)) judgement.notRotated.push({ ex, same });
  }
  if (uses.length >= 2) {
    let rotatedAt: number | undefined;
    let byDesign = true;
    for (let i = 0; i < uses.length - 1; i++) {
      const ex = uses[i]!;
      if (ex.received.size === 0) byDesign = false;
      else if (!ex.received.has(refresh) && facts.replaced(ex)) {
        byDesign = false;
        rotatedAt ??= ex.time;
      }
    }
    if (!byDesign) judgement.reused = rotatedAt === undefined ? {} : { rotatedAt };
  }
  return judgement;
}

/** The findings on the refresh token's own row (a JWT refresh token). */
export function refreshRowFindings(j: RefreshJudgement): BuiltFinding[] {
  const out: BuiltFinding[] = [];
  if (j.early.length > 0) {
    const items = j.early.map(
      (e) =>
        `at ${iso(e.ex.time)} (${display(e.ex.url)}) the access token issued with it at ${iso(e.pairing.time)} still had ${formatDuration(e.left)} left`,
    );
    out.push(finding('refresh-while-access-valid', `Refreshed early: ${list(items)}.`));
  }
  if (j.notRotated.length > 0)
    out.push(finding('refresh-token-not-rotated', `Refresh at ${display(j.uses[0]!.url)}: ${list(notRotatedItems(j))}.`));
  if (j.reused) out.push(finding('refresh-token-reused', `Sent in ${reuseText(j)}.`));
  return out;
}

/** The findings on the row of `row`, an access token (or its ID token stand-in) paired with the refresh token. */
export function pairedRowFindings(j: RefreshJudgement, row: string): BuiltFinding[] {
  const out: BuiltFinding[] = [];
  const its = `Its refresh token (${j.nameOf(j.refresh)})`;
  const early = j.early.filter((e) => e.pairing.rows.includes(row));
  if (early.length > 0) {
    const items = early.map((e) => {
      const which =
        e.pairing.access === row ? 'this access token' : `the access token issued with this token (${j.nameOf(e.pairing.access)})`;
      return `at ${iso(e.ex.time)} (${display(e.ex.url)}), while ${which} still had ${formatDuration(e.left)} left`;
    });
    out.push(finding('refresh-while-access-valid', `${its} was exchanged ${list(items)}.`));
  }
  if (j.notRotated.length > 0) out.push(finding('refresh-token-not-rotated', `${its} was not rotated: ${list(notRotatedItems(j))}.`));
  if (j.reused) out.push(finding('refresh-token-reused', `${its} was sent in ${reuseText(j)}.`));
  return out;
}

/** The findings one refresh request raised, for its timeline event. */
export function findingsOfUse(j: RefreshJudgement, ex: Exchange): FindingId[] {
  const ids: FindingId[] = [];
  if (j.early.some((e) => e.ex === ex)) ids.push('refresh-while-access-valid');
  if (j.notRotated.some((n) => n.ex === ex)) ids.push('refresh-token-not-rotated');
  if (j.reused && j.uses.indexOf(ex) > 0) ids.push('refresh-token-reused');
  return ids;
}

function notRotatedItems(j: RefreshJudgement): string[] {
  return j.notRotated.map(
    (n) => `at ${iso(n.ex.time)} ${n.same ? 'the same refresh token came back' : 'new tokens came back but no new refresh token'}`,
  );
}

function reuseText(j: RefreshJudgement): string {
  const uses = j.uses;
  const when = uses
    .slice(0, 5)
    .map((ex) => iso(ex.time))
    .join(', ');
  const more = uses.length > 5 ? ` and ${uses.length - 5} more` : '';
  const rotatedAt = j.reused?.rotatedAt;
  const why =
    rotatedAt !== undefined
      ? `, although the server had already replaced it with a new refresh token at ${iso(rotatedAt)}`
      : '; whether the server replaced it in between could not be seen (its responses were not read)';
  return `${uses.length} refresh requests (${when}${more})${why}`;
}
