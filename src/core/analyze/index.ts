// Judges one decoded token and where it was seen, without keys or network. The verifier adds
// weak-hmac-secret and signature-invalid; the panel's flow tracker adds the refresh-* findings.
import { sortFindings } from '../findings';
import { isJsonObject } from '../is-json-object';
import type { AnalysisContext, DecodedToken, Finding, Sighting } from '../types';
import { Evidence } from './evidence';
import { checkAlgorithm, checkKeyHeaders, checkKid } from './header';
import { guessTokenRole } from './role';
import { checkSensitiveData } from './sensitive-data';
import { checkSighting } from './sightings';
import { isString } from './text';
import { checkTimes, DEFAULT_SKEW_SECONDS } from './time';

export { MAX_KID_LENGTH } from './header';
export { guessTokenRole, type TokenRole } from './role';
export { looksLikeCardNumber, luhnValid } from './sensitive-data';
export {
  DEFAULT_SKEW_SECONDS,
  EXPIRES_SOON_SECONDS,
  LONG_LIFETIME_SECONDS,
  numericDate,
  REFRESH_LONG_LIFETIME_SECONDS,
  TIME_FINDING_IDS,
  timeFindings,
} from './time';
/** The name analyze has always exported; the rule is the core's one loopback test. */
export { isLoopbackHost as isLocalHost } from '../is-loopback';

/** Bounds for untrusted input: a finding names a few pieces of evidence, not thousands. */
const MAX_SIGHTINGS = 1000;

/**
 * Findings for `token`, most severe first, one per id. Never throws: a check that fails on odd input is
 * skipped and the others still report.
 *
 * JWE: the claims are encrypted, so only header findings (alg, key headers, kid) and the sighting ones
 * apply; claim findings (expiry, lifetime, sensitive data) cannot be judged without the decryption key.
 * Nested tokens (cty JWT): the outer token is judged here; callers decode and analyse the inner one.
 */
export function analyze(token: DecodedToken, context?: AnalysisContext): Finding[] {
  const found = new Evidence();
  try {
    if (!token || typeof token !== 'object' || token.ok !== true) return [];
    const ctx = readContext(context);
    const header = isJsonObject(token.header) ? token.header : {};

    attempt(() => checkAlgorithm(token, header, found));
    attempt(() => checkKeyHeaders(header, found));
    attempt(() => checkKid(header, found));

    if (token.kind !== 'jwe' && isJsonObject(token.payload)) {
      const payload = token.payload;
      const role = guessTokenRole(token, ctx.sightings.map((s) => s.name).filter(isString));
      attempt(() => checkTimes(header, payload, ctx.now, ctx.skew, role, found));
      attempt(() => checkSensitiveData(payload, found));
    }

    for (const sighting of ctx.sightings) attempt(() => checkSighting(sighting, found));
  } catch {
    // Fall through with whatever was collected.
  }
  try {
    return sortFindings(found.build());
  } catch {
    return [];
  }
}

interface Context {
  now: number;
  skew: number;
  sightings: Sighting[];
}

function readContext(context: AnalysisContext | undefined): Context {
  const c: Partial<AnalysisContext> = isJsonObject(context) ? (context as AnalysisContext) : {};
  const now = typeof c.now === 'number' && Number.isFinite(c.now) ? c.now : Date.now() / 1000;
  const skew =
    typeof c.skewSeconds === 'number' && Number.isFinite(c.skewSeconds) && c.skewSeconds >= 0 ? c.skewSeconds : DEFAULT_SKEW_SECONDS;
  const sightings = Array.isArray(c.sightings) ? c.sightings.slice(0, MAX_SIGHTINGS).filter((s): s is Sighting => isJsonObject(s)) : [];
  return { now, skew, sightings };
}

function attempt(check: () => void): void {
  try {
    check();
  } catch {
    // One check failing on odd input must not cost the others.
  }
}
