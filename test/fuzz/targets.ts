// What the fuzz pass runs: each target takes one generated input, calls the code under test, and returns
// undefined when all is well or a sentence saying which promise broke. Throwing is the first broken
// promise (every one of these functions says "never throws"); the checks after it are cheap invariants
// that a silently swallowed failure would break (an empty result where a token plainly is, offsets that
// do not match the text).
import fc from 'fast-check';
import { decodeToken, MAX_TOKEN_BYTES } from '../../src/core/decode';
import { findTokens, MAX_FOUND_TOKENS, MAX_HEADER_SEGMENT_CHARS } from '../../src/core/find';
import { analyze } from '../../src/core/analyze';
import { FINDING_IDS } from '../../src/core/findings';
import { MAX_COOKIES, parseCookieHeader, parseSetCookieHeader } from '../../src/core/cookies';
import { MAX_SIGHTINGS_PER_ENTRY, sightingsFromEntry, type CapturedSighting } from '../../src/capture/sightings-from-entry';
import { TokenStore } from '../../src/devtools/model/token-store';
import { SEVERITIES as SEVERITY_LIST, WHERES, type DecodedToken } from '../../src/core/types';
import * as A from './arbitraries';
import { exportCapture, importCapture } from '../../src/devtools/model/capture-file';

export interface FuzzTarget<T = unknown> {
  name: string;
  /** Share of the total cases. */
  weight: number;
  arbitrary: fc.Arbitrary<T>;
  /** undefined when every promise held; else what broke. Throwing counts as a broken promise too. */
  check(input: T): string | undefined;
}

const KINDS = new Set(['jws', 'jwe', 'unsecured']);
const WHERE_SET = new Set<string>(WHERES);
const FINDING_SET = new Set<string>(FINDING_IDS);
const SEVERITIES = new Set<string>(SEVERITY_LIST);
const T0_MS = 1_700_000_000_000;

function checkDecoded(d: DecodedToken): string | undefined {
  if (d === null || typeof d !== 'object') return 'decodeToken returned no object';
  if (d.ok === true) {
    if (!KINDS.has(d.kind)) return `unknown kind ${String(d.kind)}`;
    if (d.header === null || typeof d.header !== 'object' || Array.isArray(d.header)) return 'success without a header object';
    if (typeof d.header.alg !== 'string') return 'success without a string alg';
    if (d.parts.length !== (d.kind === 'jwe' ? 5 : 3)) return `success with ${d.parts.length} parts for ${d.kind}`;
    if (d.parts.join('.') !== d.raw) return 'parts do not join back to the raw token';
    return undefined;
  }
  if (d.ok !== false) return 'ok is neither true nor false';
  if (typeof d.error?.code !== 'string' || typeof d.error.message !== 'string' || d.error.message === '')
    return 'failure without a code and a message';
  return undefined;
}

const decodeTarget: FuzzTarget<unknown> = {
  name: 'decodeToken',
  weight: 2,
  arbitrary: fc.oneof(
    { arbitrary: A.token, weight: 10 },
    { arbitrary: A.text, weight: 3 },
    { arbitrary: A.anyString, weight: 2 },
    { arbitrary: fc.anything({ maxDepth: 1 }), weight: 1 },
  ),
  check(input) {
    const d = decodeToken(input as string);
    const problem = checkDecoded(d);
    if (problem) return problem;
    // A string that decodes is one token: findTokens finds exactly it. Documented exceptions: a JWE whose
    // header has no "enc" (found as 3 parts), an RFC 7797 payload (b64: false), and "header.." (nothing to show).
    if (
      d.ok &&
      d.kind !== 'jwe' &&
      d.header.b64 !== false &&
      (d.parts[1] !== '' || d.parts[2] !== '') &&
      d.parts[0]!.length <= MAX_HEADER_SEGMENT_CHARS &&
      typeof input === 'string' &&
      input.length <= MAX_TOKEN_BYTES
    ) {
      const found = findTokens(input);
      if (found.length !== 1 || found[0]!.token !== input) return 'decodeToken accepts a token that findTokens does not find whole';
    }
    return undefined;
  },
};

const findTarget: FuzzTarget<unknown> = {
  name: 'findTokens',
  weight: 2,
  arbitrary: fc.oneof(
    { arbitrary: A.text, weight: 8 },
    { arbitrary: A.body, weight: 3 },
    { arbitrary: A.anyString, weight: 2 },
    { arbitrary: fc.anything({ maxDepth: 1 }), weight: 1 },
  ),
  check(input) {
    const found = findTokens(input as string);
    if (!Array.isArray(found)) return 'findTokens returned no list';
    if (found.length > MAX_FOUND_TOKENS) return 'more than MAX_FOUND_TOKENS';
    if (typeof input !== 'string') return found.length === 0 ? undefined : 'tokens found in a non-string';
    let last = 0;
    for (const f of found) {
      if (f.start < last || f.end <= f.start) return `offsets out of order at ${f.start}`;
      if (input.slice(f.start, f.end) !== f.token) return `token does not match text at ${f.start}`;
      const d = decodeToken(f.token);
      // Documented: a found token passes the base64url checks; its payload may still not be UTF-8.
      if (!d.ok && d.error.code !== 'invalid-utf8' && d.error.code !== 'too-large')
        return `found a token that decodeToken refuses: ${d.error.code}`;
      last = f.end;
    }
    return undefined;
  },
};

const cookieTarget: FuzzTarget<unknown> = {
  name: 'parseCookieHeader',
  weight: 1,
  arbitrary: fc.oneof(
    { arbitrary: A.cookieHeader, weight: 8 },
    { arbitrary: A.text, weight: 2 },
    { arbitrary: A.anyString, weight: 2 },
    { arbitrary: fc.anything({ maxDepth: 1 }), weight: 1 },
  ),
  check(input) {
    const pairs = parseCookieHeader(input as string);
    if (!Array.isArray(pairs) || pairs.length > MAX_COOKIES) return 'not a bounded list';
    for (const p of pairs) {
      if (typeof p.name !== 'string' || typeof p.value !== 'string' || typeof p.rawValue !== 'string')
        return 'a pair with a non-string field';
      if (p.name === '' && p.rawValue === '') return 'an empty pair';
    }
    return undefined;
  },
};

const setCookieTarget: FuzzTarget<unknown> = {
  name: 'parseSetCookieHeader',
  weight: 1,
  arbitrary: fc.oneof(
    { arbitrary: A.setCookieLine, weight: 8 },
    { arbitrary: A.text, weight: 2 },
    { arbitrary: A.anyString, weight: 2 },
    { arbitrary: fc.anything({ maxDepth: 1 }), weight: 1 },
  ),
  check(input) {
    const info = parseSetCookieHeader(input as string);
    if (typeof info.name !== 'string' || typeof info.value !== 'string' || typeof info.rawValue !== 'string')
      return 'a non-string name or value';
    for (const flag of ['httpOnly', 'secure', 'partitioned', 'prefixValid'] as const)
      if (typeof info[flag] !== 'boolean') return `${flag} is not a boolean`;
    if (info.sameSite !== undefined && !['strict', 'lax', 'none'].includes(info.sameSite)) return `sameSite ${String(info.sameSite)}`;
    if (info.expires !== undefined && !Number.isFinite(info.expires)) return 'expires is not finite';
    if (info.maxAge !== undefined && !Number.isFinite(info.maxAge)) return 'maxAge is not finite';
    if (info.prefixValid !== (info.prefixProblems.length === 0)) return 'prefixValid disagrees with prefixProblems';
    return undefined;
  },
};

const entryTarget: FuzzTarget<{ entry: unknown; body: unknown; hostile?: number }> = {
  name: 'sightingsFromEntry',
  weight: 3,
  arbitrary: A.harInput,
  check({ entry, body, hostile }) {
    const list = sightingsFromEntry(hostile === undefined ? entry : A.HOSTILE_OBJECTS[hostile]!(), body as string | undefined);
    if (!Array.isArray(list) || list.length > MAX_SIGHTINGS_PER_ENTRY) return 'not a bounded list';
    for (const c of list) {
      if (typeof c.token !== 'string' || !WHERE_SET.has(c.sighting?.where)) return 'a sighting without a token or a known place';
      if (typeof c.time !== 'number' || !Number.isFinite(c.time) || typeof c.requestUrl !== 'string')
        return 'a sighting without a time or URL';
      const found = findTokens(c.token);
      if (found.length !== 1 || found[0]!.token !== c.token) return `a sighting whose token is not one token: ${c.token.slice(0, 80)}`;
    }
    return undefined;
  },
};

const analyzeTarget: FuzzTarget<{ decoded: unknown; context: unknown }> = {
  name: 'analyze',
  weight: 2,
  arbitrary: fc.record({
    decoded: fc.oneof(
      { arbitrary: A.builtToken.map((t) => decodeToken(t)), weight: 6 },
      { arbitrary: A.token.map((t) => decodeToken(t)), weight: 2 },
      { arbitrary: A.fakeDecoded, weight: 2 },
      { arbitrary: fc.anything({ maxDepth: 2 }), weight: 1 },
    ),
    context: A.analysisContext,
  }),
  check({ decoded, context }) {
    const findings = analyze(decoded as DecodedToken, context as never);
    if (!Array.isArray(findings)) return 'analyze returned no list';
    const seen = new Set<string>();
    for (const f of findings) {
      if (!FINDING_SET.has(f.id)) return `unknown finding id ${String(f.id)}`;
      if (seen.has(f.id)) return `finding ${f.id} twice`;
      seen.add(f.id);
      if (!SEVERITIES.has(f.severity) || typeof f.title !== 'string' || typeof f.detail !== 'string' || f.detail === '')
        return `finding ${f.id} is malformed`;
    }
    return undefined;
  },
};

/** What a store exports for these sightings (the generator's source of well-formed files). */
function exportOf(sightings: CapturedSighting[], strip: boolean): string {
  const store = new TokenStore({ now: () => T0_MS });
  store.ingest(sightings);
  return exportCapture(store, { stripSignatures: strip });
}

/**
 * KNOWN ISSUE (regressions.test.ts, "a stripped export of a detached-payload token"): stripping the signature
 * of "header..signature" leaves "header..", which importCapture refuses as not a JWT. Not a throw; left to
 * the owner of token-store.ts. Only that exact case is excused here.
 */
function knownStrippedDetached(json: string): boolean {
  try {
    const doc = JSON.parse(json) as { signatures?: unknown; tokens?: { token?: unknown }[] };
    return (
      doc.signatures === 'stripped' &&
      Array.isArray(doc.tokens) &&
      doc.tokens.some((t) => typeof t.token === 'string' && /^[^.]+\.\.$/.test(t.token))
    );
  } catch {
    return false;
  }
}

const importTarget: FuzzTarget<{ json: string; pristine: boolean }> = {
  name: 'TokenStore.importCapture',
  weight: 2,
  arbitrary: A.captureFile(exportOf, (t) => findTokens(t)[0]?.token),
  check({ json, pristine }) {
    const store = new TokenStore({ now: () => T0_MS });
    const result = importCapture(store, json);
    if (!Number.isInteger(result.imported) || result.imported < 0) return 'imported is not a count';
    if (!Array.isArray(result.errors) || result.errors.some((e) => typeof e !== 'string')) return 'errors is not a list of sentences';
    if (result.errors.length > 51) return 'more errors than the bound';
    const records = store.records();
    if (records.length !== result.imported) return `imported says ${result.imported}, the store holds ${records.length}`;
    if (pristine && result.errors.length > 0 && !knownStrippedDetached(json))
      return `an untouched export does not import cleanly: ${result.errors[0]}`;
    for (const r of records) {
      if (!r.decoded.ok) return 'a record whose token does not decode';
      if (!Array.isArray(r.findings)) return 'a record without findings';
    }
    store.refreshTimeFindings(T0_MS + 86_400_000 * 400);
    store.timeline();
    // What was imported exports again and imports to the same tokens.
    const again = new TokenStore({ now: () => T0_MS });
    const second = importCapture(again, exportCapture(store));
    if (second.errors.length > 0) return `a re-export does not import cleanly: ${second.errors[0]}`;
    const tokens = (s: TokenStore) =>
      s
        .records()
        .map((r) => r.token)
        .sort()
        .join('\n');
    if (tokens(again) !== tokens(store)) return 'a re-export imports to other tokens';
    importCapture(again, exportCapture(store, { stripSignatures: true }));
    return undefined;
  },
};

export const TARGETS: readonly FuzzTarget<never>[] = [
  decodeTarget,
  findTarget,
  cookieTarget,
  setCookieTarget,
  entryTarget,
  analyzeTarget,
  importTarget,
] as FuzzTarget<never>[];
