import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { checkTokenHash, tokenHash, tokenHashFunction } from '../../src/core/oauth';

// OpenID Connect Core 1.0 §3.1.3.6 and Appendix A: the worked values every implementation checks against.
const SPEC_ACCESS_TOKEN = 'jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y';
const SPEC_AT_HASH = '77QmUPtjPfzWtF2AnpK9RQ';
const SPEC_CODE = 'Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk';
const SPEC_C_HASH = 'LDktKdoQak3Pk0cnXxCltA';

const leftHalf = (algorithm: string, value: string, bytes?: number) => {
  const digest = createHash(algorithm, bytes ? { outputLength: bytes } : undefined)
    .update(value, 'ascii')
    .digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
};

describe('at_hash and c_hash (OpenID Connect Core §3.1.3.6, §3.3.2.11)', () => {
  it('gives the specification’s at_hash for its RS256 access token (Appendix A.3)', () => {
    expect(tokenHash(SPEC_ACCESS_TOKEN, 'RS256')).toBe(SPEC_AT_HASH);
    expect(checkTokenHash(SPEC_AT_HASH, SPEC_ACCESS_TOKEN, 'RS256')).toBe('match');
  });

  it('gives the specification’s c_hash for its code (Appendix A.4)', () => {
    expect(tokenHash(SPEC_CODE, 'RS256')).toBe(SPEC_C_HASH);
    expect(checkTokenHash(SPEC_C_HASH, SPEC_CODE, 'RS256')).toBe('match');
  });

  it.each([
    ['HS384', 'sha384'],
    ['PS512', 'sha512'],
    ['ES256', 'sha256'],
    ['ES384', 'sha384'],
    ['RS512', 'sha512'],
  ])('hashes with the number of %s (%s, left half)', (alg, hash) => {
    expect(tokenHash(SPEC_ACCESS_TOKEN, alg)).toBe(leftHalf(hash, SPEC_ACCESS_TOKEN));
  });

  it('hashes EdDSA per the errata: SHA-512 for Ed25519, SHAKE256 (114 octets) for Ed448, told apart by the claim’s length', () => {
    const ed25519 = leftHalf('sha512', SPEC_ACCESS_TOKEN);
    const ed448 = leftHalf('shake256', SPEC_ACCESS_TOKEN, 114);
    expect(ed25519).toHaveLength(43);
    expect(ed448).toHaveLength(76);
    expect(checkTokenHash(ed25519, SPEC_ACCESS_TOKEN, 'EdDSA')).toBe('match');
    expect(checkTokenHash(ed448, SPEC_ACCESS_TOKEN, 'EdDSA')).toBe('match');
    expect(tokenHash(SPEC_ACCESS_TOKEN, 'Ed25519')).toBe(ed25519);
    expect(tokenHash(SPEC_ACCESS_TOKEN, 'Ed448')).toBe(ed448);
    // A SHA-256-sized claim under EdDSA is what a provider that ignored the errata writes: wrong.
    expect(checkTokenHash(SPEC_AT_HASH, SPEC_ACCESS_TOKEN, 'EdDSA')).toBe('mismatch');
  });

  it('tells a wrong, a missing and a non-string claim apart, and an algorithm without a defined hash', () => {
    expect(checkTokenHash('AAAAAAAAAAAAAAAAAAAAAA', SPEC_ACCESS_TOKEN, 'RS256')).toBe('mismatch');
    expect(checkTokenHash(SPEC_AT_HASH, `${SPEC_ACCESS_TOKEN}x`, 'RS256')).toBe('mismatch');
    expect(checkTokenHash(undefined, SPEC_ACCESS_TOKEN, 'RS256')).toBe('absent');
    expect(checkTokenHash(42, SPEC_ACCESS_TOKEN, 'RS256')).toBe('mismatch');
    expect(checkTokenHash(SPEC_AT_HASH, SPEC_ACCESS_TOKEN, 'none')).toBe('unknown-alg');
    expect(tokenHashFunction({ alg: 'RS256' })).toBeUndefined();
  });
});
