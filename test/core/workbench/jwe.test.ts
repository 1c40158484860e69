// Compact JWE decryption with the published RFC 7520 keys (test/fixtures/rfc7520, LICENSE-NOTE.txt there):
// each example decrypts to its published plaintext; RSA1_5, which jose no longer implements, says so.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decryptCompactJwe } from '../../../src/core/workbench';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures');
const json = (path: string) => JSON.parse(readFileSync(resolve(FIXTURES, path), 'utf8'));
const jwe = (name: string) => json(`rfc7520/jwe/${name}`);
const asJwk = (key: unknown) => ({ kind: 'jwk' as const, value: JSON.stringify(key) });

describe('decryptCompactJwe with RFC 7520 examples', () => {
  it('5.3 PBES2-HS512+A256KW / A128CBC-HS256 with the published password', async () => {
    const v = jwe('5_3.key_wrap_using_pbes2-aes-keywrap_with-aes-cbc-hmac-sha2.json');
    const r = await decryptCompactJwe(v.output.compact, { kind: 'secret', value: v.input.pwd });
    expect(r).toMatchObject({ ok: true, plaintext: v.input.plaintext, header: { alg: 'PBES2-HS512+A256KW', enc: 'A128CBC-HS256' } });
  });
  it('5.4 ECDH-ES+A128KW / A128GCM with the published EC private JWK', async () => {
    const v = jwe('5_4.key_agreement_with_key_wrapping_using_ecdh-es_and_aes-keywrap_with_aes-gcm.json');
    expect(await decryptCompactJwe(v.output.compact, asJwk(v.input.key))).toMatchObject({ ok: true, plaintext: v.input.plaintext });
  });
  it('5.6 dir / A128GCM with the published oct JWK', async () => {
    const v = jwe('5_6.direct_encryption_using_aes-gcm.json');
    expect(await decryptCompactJwe(v.output.compact, asJwk(v.input.key))).toMatchObject({ ok: true, plaintext: v.input.plaintext });
  });
  it('6 (RSA-OAEP / A128GCM) yields the nested JWS, handed back as a token', async () => {
    const v = json('rfc7520/6.nesting_signatures_and_encryption.json');
    const r = await decryptCompactJwe(v.encrypt.output.compact, asJwk(v.encrypt.input.key));
    expect(r).toMatchObject({ ok: true, header: { alg: 'RSA-OAEP', cty: 'JWT' } });
    if (r.ok) {
      expect(r.nested).toBe(v.sign.output.compact);
      expect(r.nested).toBe(v.encrypt.input.plaintext);
    }
  });
  it('5.1 RSA1_5 is reported as unsupported, not as a wrong key', async () => {
    const v = jwe('5_1.key_encryption_using_rsa_v15_and_aes-hmac-sha2.json');
    expect(await decryptCompactJwe(v.output.compact, asJwk(v.input.key))).toMatchObject({ ok: false, code: 'unsupported' });
  });
  it('a wrong key, a public key and a JWS are refused with their reasons', async () => {
    const v = jwe('5_6.direct_encryption_using_aes-gcm.json');
    const wrong = { ...v.input.key, k: 'AAAAAAAAAAAAAAAAAAAAAA' };
    expect(await decryptCompactJwe(v.output.compact, asJwk(wrong))).toMatchObject({ ok: false, code: 'wrong-key' });
    const ec = jwe('5_4.key_agreement_with_key_wrapping_using_ecdh-es_and_aes-keywrap_with_aes-gcm.json');
    const { d: _d, ...publicOnly } = ec.input.key;
    expect(await decryptCompactJwe(ec.output.compact, asJwk(publicOnly))).toMatchObject({ ok: false, code: 'wrong-key' });
    expect(await decryptCompactJwe('eyJhbGciOiJIUzI1NiJ9.e30.c2ln', { kind: 'secret', value: 'x' })).toMatchObject({
      ok: false,
      code: 'not-jwe',
    });
  });
});
