// Every failure the fuzz pass found, kept as a plain test so it stays found. Each says which target, seed
// and counterexample found it, and what was decided.
import { describe, expect, it } from 'vitest';
import { Buffer } from 'node:buffer';
import { decodeToken } from '../../src/core/decode';
import { findTokens } from '../../src/core/find';
import { sightingsFromEntry } from '../../src/capture/sightings-from-entry';
import { TokenStore } from '../../src/devtools/model/token-store';
import { HOSTILE_OBJECTS } from './arbitraries';
import { exportCapture, importCapture } from '../../src/devtools/model/capture-file';

const b64u = (v: string) => Buffer.from(v).toString('base64url');
const T0_MS = 1_700_000_000_000;

describe('fuzz regressions', () => {
  // decodeToken, seed 1786213481, counterexample "eyJhbGciOiJIUzI1NiJ9..". Not a bug: decodeToken reads a
  // header with an empty payload and signature (shown, judged empty-signature), while findTokens skips it in
  // free text on purpose ("header.." carries nothing to show). The fuzz invariant excuses exactly this.
  it('"header.." decodes when pasted, and is not picked out of free text', () => {
    const text = `${b64u('{"alg":"HS256"}')}..`;
    const d = decodeToken(text);
    expect(d.ok && d.kind).toBe('jws');
    expect(d.ok && d.signatureLength).toBe(0);
    expect(findTokens(text)).toEqual([]);
    expect(findTokens(`see ${text} here`)).toEqual([]);
  });

  // TokenStore.importCapture, seed 1786213487, counterexample: an export with signatures stripped whose token
  // is "eyJhbGciOiJIUzI1NiJ9.." — the stripped form of a detached-payload JWS ("header..signature", which
  // capture does find). Stripping empties the signature, which leaves "header..", and importCapture then says
  // `tokens[0]: "token" is not a JWT.`: a stripped export of such a token cannot be imported again. Not a
  // throw; reported to the owner of token-store.ts (isWholeToken refuses what stripSignature makes).
  // `it.fails` keeps it visible: when it is fixed this test fails, and becomes a plain `it`.
  it.fails('KNOWN ISSUE: a stripped export of a detached-payload token imports again', () => {
    const token = `${b64u('{"alg":"HS256"}')}..${b64u('a-signature-over-detached-content')}`;
    expect(findTokens(`Authorization: Bearer ${token}`).map((f) => f.token)).toEqual([token]);
    const store = new TokenStore({ now: () => T0_MS });
    store.ingest([
      { token, sighting: { where: 'authorization-header', url: 'https://app.example/' }, time: T0_MS, requestUrl: 'https://app.example/' },
    ]);
    const again = new TokenStore({ now: () => T0_MS });
    const result = importCapture(again, exportCapture(store, { stripSignatures: true }));
    expect(result.errors).toEqual([]);
    expect(result.imported).toBe(1);
  });

  // sightingsFromEntry with entries that throw when read (revoked proxy, throwing traps and getters): the
  // generator could not hand these to fast-check, so they run here one by one as well.
  it.each(HOSTILE_OBJECTS.map((make, i) => [i, make] as const))('sightingsFromEntry survives hostile object #%i', (_i, make) => {
    expect(() => sightingsFromEntry(make())).not.toThrow();
    expect(Array.isArray(sightingsFromEntry(make(), `{"access_token":"${b64u('{"alg":"none"}')}.e30."}`))).toBe(true);
  });
});
