import { describe, expect, it } from 'vitest';
import { base64urlDecode, utf8Decode } from '../../src/core/base64url';
import { CORE_ERROR_CODES, coreErrorCode, KEY_ERROR_CODES, KeyImportError } from '../../src/core/errors';
import { decodeSecret, importKeyInput, importKeyInputDetailed } from '../../src/core/keys';
import type { KeyInput } from '../../src/core/types';

const armour = (label: string, body: string) => `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----`;

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return coreErrorCode(e);
  }
  return 'did not throw';
};

describe('one error vocabulary: every core error carries a stable code', () => {
  it('the decoders throw coded TypeErrors', () => {
    expect(codeOf(() => base64urlDecode('a=b'))).toBe('invalid-base64url');
    expect(codeOf(() => utf8Decode(Uint8Array.of(0xff)))).toBe('invalid-utf8');
    expect(() => utf8Decode(Uint8Array.of(0xc0, 0x80))).toThrow(TypeError);
  });

  it.each([
    [() => decodeSecret('zz', 'hex'), 'key-encoding-invalid'],
    [() => decodeSecret('', 'utf8'), 'key-empty'],
    [() => decodeSecret(armour('PUBLIC KEY', 'AA==')), 'key-wrong-kind'],
    [() => decodeSecret('x', 'rot13' as 'hex'), 'key-input-invalid'],
  ])('decodeSecret %#: %s', (f, code) => {
    expect(codeOf(f)).toBe(code);
  });

  it.each<[string, KeyInput, string]>([
    ['bad hex secret', { kind: 'secret', value: '0xzz', encoding: 'hex' }, 'key-encoding-invalid'],
    ['not JSON', { kind: 'jwk', value: '{"kty":' }, 'key-malformed'],
    ['a JWKS as a JWK', { kind: 'jwk', value: '{"keys":[]}' }, 'key-wrong-kind'],
    ['an encryption key', { kind: 'jwk', value: '{"kty":"oct","k":"AAAA","use":"enc"}' }, 'key-not-for-signing'],
    ['an unsupported curve', { kind: 'jwk', value: '{"kty":"EC","crv":"P-192","x":"AA","y":"AA"}' }, 'key-unsupported'],
    ['alg of another family', { kind: 'jwk', value: '{"kty":"oct","k":"AAAA","alg":"RS256"}' }, 'key-alg-mismatch'],
    ['encrypted PEM', { kind: 'pem', value: armour('ENCRYPTED PRIVATE KEY', 'MIIB') }, 'key-unsupported'],
    ['truncated DER', { kind: 'pem', value: armour('PUBLIC KEY', 'MIIBIjAN') }, 'key-malformed'],
    ['an empty JWK Set', { kind: 'jwks', value: '{"keys":[]}' }, 'key-empty'],
  ])('%s: the problem and the thrown error carry %s', async (_name, input, code) => {
    const r = await importKeyInputDetailed(input, 0);
    expect(r.keys).toHaveLength(0);
    expect(r.problems[0]!.code).toBe(code);
    await expect(importKeyInput(input, 0)).rejects.toSatisfy((e) => e instanceof KeyImportError && e.code === code);
  });

  it('the JWK importer keeps the cryptography library refusing a key apart from our own reasons', async () => {
    // A P-256 point that is not on the curve: well-formed JSON, refused by WebCrypto.
    const zero = 'A'.repeat(43);
    const r = await importKeyInputDetailed({ kind: 'jwk', value: JSON.stringify({ kty: 'EC', crv: 'P-256', x: zero, y: zero }) }, 0);
    expect(r.problems[0]!.code).toBe('key-rejected');
  });

  it('lists every code once, and nothing else is called a core error', () => {
    expect(new Set(CORE_ERROR_CODES).size).toBe(CORE_ERROR_CODES.length);
    for (const code of KEY_ERROR_CODES) expect(CORE_ERROR_CODES).toContain(code);
    expect(coreErrorCode(new TypeError('x'))).toBeUndefined();
    expect(coreErrorCode('key-malformed')).toBeUndefined();
  });
});
