// Signing keys in every form the workbench takes sign tokens that the core's verifyToken accepts with the
// matching public key; the editor's JSON errors name their line.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { verifyToken } from '../../../src/core/verify';
import {
  GENERATED_KEY_TYPES,
  generateSigningKey,
  importSigningKey,
  parseHeaderText,
  parseJsonText,
  signCompact,
} from '../../../src/core/workbench';

const key = (name: string) => readFileSync(resolve(import.meta.dirname, '../../fixtures/keys', name), 'utf8');

describe('importSigningKey + signCompact', () => {
  it.each([
    ['rsa-private-pkcs8.pem', 'rsa-public-spki.pem', 'RS256'],
    ['rsa-private-pkcs1.pem', 'rsa-public-spki.pem', 'RS256'],
    ['ec-p256-private-sec1.pem', 'ec-p256-public-spki.pem', 'ES256'],
    ['ec-p256-private-pkcs8.pem', 'ec-p256-public-spki.pem', 'ES256'],
    ['ed25519-private-pkcs8.pem', 'ed25519-public-spki.pem', 'EdDSA'],
  ])('%s signs what %s verifies', async (priv, pub, alg) => {
    const signer = await importSigningKey({ kind: 'pem', value: key(priv) });
    const token = await signCompact({ alg: 'HS256', typ: 'JWT' }, { sub: 'a' }, signer);
    expect(JSON.parse(atob(token.split('.')[0]!)).alg).toBe(alg);
    expect(await verifyToken(token, { kind: 'pem', value: key(pub) })).toMatchObject({ status: 'valid', alg });
  });
  it("keeps the header alg when the key signs it, else writes the key's own", async () => {
    const signer = await importSigningKey({ kind: 'pem', value: key('rsa-private-pkcs8.pem') });
    const token = await signCompact({ alg: 'PS256' }, { sub: 'a' }, signer);
    expect(await verifyToken(token, { kind: 'pem', value: key('rsa-public-spki.pem') })).toMatchObject({ status: 'valid', alg: 'RS256' });
    const hmac = await importSigningKey({ kind: 'secret', value: 'secret' });
    expect(await verifyToken(await signCompact({ alg: 'HS512' }, {}, hmac), { kind: 'secret', value: 'secret' })).toMatchObject({
      alg: 'HS512',
    });
  });
  it('signs with an HMAC secret in any encoding, and with an oct JWK', async () => {
    const hex = await importSigningKey({ kind: 'secret', value: '736563726574', encoding: 'hex' });
    const t = await signCompact({ alg: 'HS384' }, { sub: 'a' }, hex);
    expect(await verifyToken(t, { kind: 'secret', value: 'secret' })).toMatchObject({ status: 'valid', alg: 'HS384' });
    const oct = await importSigningKey({ kind: 'jwk', value: JSON.stringify({ kty: 'oct', k: 'c2VjcmV0' }) });
    expect((await verifyToken(await signCompact({ alg: 'HS256' }, {}, oct), { kind: 'secret', value: 'secret' })).status).toBe('valid');
  });
  it('refuses a public key as a signing key, saying why', async () => {
    await expect(importSigningKey({ kind: 'pem', value: key('rsa-public-spki.pem') })).rejects.toMatchObject({ code: 'key-wrong-kind' });
    await expect(importSigningKey({ kind: 'jwk', value: '{"kty":"EC","crv":"P-256","x":"a","y":"b"}' })).rejects.toMatchObject({
      code: 'key-wrong-kind',
    });
  });
  it.each(GENERATED_KEY_TYPES)('a generated %s pair signs what its public JWK verifies', async (type) => {
    const { key: signer, privateJwk } = await generateSigningKey(type);
    expect(privateJwk.d).toBeTypeOf('string');
    expect(signer.publicJwk?.d).toBeUndefined();
    const token = await signCompact({ alg: 'none' }, { sub: 'a' }, signer);
    expect((await verifyToken(token, { kind: 'jwk', value: JSON.stringify(signer.publicJwk) })).status).toBe('valid');
    // A kept key comes back from its private JWK.
    const again = await importSigningKey({ kind: 'jwk', value: JSON.stringify(privateJwk) });
    expect(
      (await verifyToken(await signCompact({ alg: signer.alg }, {}, again), { kind: 'jwk', value: JSON.stringify(signer.publicJwk) }))
        .status,
    ).toBe('valid');
  });
});

describe("the editor's JSON", () => {
  it('points at the line of a mistake', () => {
    const r = parseJsonText('{\n  "sub": "a",\n  "exp": ,\n}');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.line).toBe(3);
      expect(r.message).toMatch(/^line 3/);
    }
  });
  it('wants a header object with an alg', () => {
    expect(parseHeaderText('[]')).toMatchObject({ ok: false });
    expect(parseHeaderText('{"typ":"JWT"}')).toMatchObject({ ok: false, message: expect.stringContaining('alg') });
    expect(parseHeaderText('{"alg":"HS256"}')).toMatchObject({ ok: true });
  });
  it.each([
    ['{"a":1 "b":2}', 1, 8],
    ['{\n"a": [1,\n2,,3]}', 3, 3],
    ['{"a": tru}', 1, 7],
    ['{"a": "x', 1, 9],
    ['[1] x', 1, 5],
    ['{"a": 1}}', 1, 9],
  ])('%j fails at line %i, column %i', (text, line, column) => {
    expect(parseJsonText(text)).toMatchObject({ ok: false, line, column });
  });
});
