import { describe, expect, it } from 'vitest';
import { INLINE_KEY_POLICY, keyInputFromText, PANEL_KEY_POLICY, type KeyTextPolicy } from '../../src/core/key-input';

const PEM = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----';
const JWK = '{"kty":"EC","crv":"P-256","x":"a","y":"b"}';
const JWKS = '{"keys":[]}';
const HEX = '00112233445566778899aabbccddeeff';
const OPTIONS_AUTO: KeyTextPolicy = { acceptUrls: true, secretEncoding: 'detected' };

describe('keyInputFromText', () => {
  it('is undefined for blank text, under every policy', () => {
    for (const policy of [INLINE_KEY_POLICY, PANEL_KEY_POLICY, OPTIONS_AUTO, { ...OPTIONS_AUTO, kind: 'pem' as const }]) {
      expect(keyInputFromText('', policy)).toBeUndefined();
      expect(keyInputFromText('  \n\t', policy)).toBeUndefined();
      expect(keyInputFromText(undefined as unknown as string, policy)).toBeUndefined();
    }
  });

  it('recognises PEM, JWK and JWKS under every policy, trimmed', () => {
    for (const policy of [INLINE_KEY_POLICY, PANEL_KEY_POLICY, OPTIONS_AUTO]) {
      expect(keyInputFromText(`\n${PEM}\n`, policy)).toEqual({ kind: 'pem', value: PEM });
      expect(keyInputFromText(` ${JWK} `, policy)).toEqual({ kind: 'jwk', value: JWK });
      expect(keyInputFromText(JWKS, policy)).toEqual({ kind: 'jwks', value: JWKS });
    }
  });

  it("inline: a URL is a secret's text, never something to fetch", () => {
    expect(keyInputFromText('https://issuer.example/jwks.json', INLINE_KEY_POLICY)).toEqual({
      kind: 'secret',
      value: 'https://issuer.example/jwks.json',
      encoding: 'utf8',
    });
  });

  it('stored keys: a URL names a JWKS or an issuer', () => {
    for (const policy of [PANEL_KEY_POLICY, OPTIONS_AUTO]) {
      expect(keyInputFromText('https://issuer.example/.well-known/jwks.json', policy)).toEqual({
        kind: 'jwks-url',
        value: 'https://issuer.example/.well-known/jwks.json',
      });
      expect(keyInputFromText('https://issuer.example/.well-known/openid-configuration', policy)).toEqual({
        kind: 'issuer',
        value: 'https://issuer.example',
      });
      expect(keyInputFromText('https://issuer.example/realms/x', policy)).toEqual({
        kind: 'issuer',
        value: 'https://issuer.example/realms/x',
      });
    }
  });

  it('a secret that looks like hex: text inline and in the panel, hex where the guess is followed', () => {
    expect(keyInputFromText(HEX, INLINE_KEY_POLICY)).toEqual({ kind: 'secret', value: HEX, encoding: 'utf8' });
    expect(keyInputFromText(HEX, PANEL_KEY_POLICY)).toEqual({ kind: 'secret', value: HEX, encoding: 'utf8' });
    expect(keyInputFromText(HEX, OPTIONS_AUTO)).toEqual({ kind: 'secret', value: HEX, encoding: 'hex' });
    expect(keyInputFromText('your-256-bit-secret', OPTIONS_AUTO)).toEqual({
      kind: 'secret',
      value: 'your-256-bit-secret',
      encoding: 'utf8',
    });
  });

  it('a chosen kind wins over detection, with the chosen encoding for a secret', () => {
    expect(keyInputFromText(PEM, { acceptUrls: true, kind: 'secret', secretEncoding: 'base64' })).toEqual({
      kind: 'secret',
      value: PEM,
      encoding: 'base64',
    });
    expect(keyInputFromText('https://issuer.example', { acceptUrls: true, kind: 'jwks-url', secretEncoding: 'utf8' })).toEqual({
      kind: 'jwks-url',
      value: 'https://issuer.example',
    });
    expect(keyInputFromText('not json', { acceptUrls: true, kind: 'jwk', secretEncoding: 'utf8' })).toEqual({
      kind: 'jwk',
      value: 'not json',
    });
  });

  it('JSON that is no JWK, and a JWT pasted as a key, are secrets as text', () => {
    expect(keyInputFromText('{"a":1}', OPTIONS_AUTO)).toEqual({ kind: 'secret', value: '{"a":1}', encoding: 'utf8' });
    expect(keyInputFromText('eyJhbGciOiJIUzI1NiJ9.eyJ9.x', OPTIONS_AUTO)).toMatchObject({ kind: 'secret', encoding: 'utf8' });
  });
});
