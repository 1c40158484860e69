// The worker's signing keys and workbench messages, over in-memory storage areas (browser.storage cannot
// run in Node; the store, the handler and the core are the real code).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as jose from 'jose';
import { SIGNING_KEYS_KEY, SigningKeyStore } from '../../src/background/signing-key-store';
import { isWorkbenchRequest, makeWorkbenchHandler } from '../../src/background/workbench-handler';
import { verifyToken } from '../../src/core/verify';
import type { StoredKey, WorkbenchRequest, WorkbenchResponseFor } from '../../src/messages';
import { memoryArea } from './worker-harness';

const key = (name: string) => readFileSync(resolve(import.meta.dirname, '../fixtures/keys', name), 'utf8');

function harness(verificationKeys: StoredKey[] = []) {
  const local = memoryArea();
  const session = memoryArea();
  let n = 0;
  const signingKeys = new SigningKeyStore(local, session, () => `sk-${++n}`);
  const handle = makeWorkbenchHandler({ signingKeys, verificationKeys: async () => verificationKeys });
  const ask = <R extends WorkbenchRequest>(r: R) => handle(r) as Promise<WorkbenchResponseFor<R>>;
  return { local, session, ask, signingKeys };
}

describe('signing keys', () => {
  it('are listed masked, kept in storage.session unless the user asks to keep them', async () => {
    const { ask, local, session } = harness();
    const secret = await ask({ type: 'signing-keys/add', input: { kind: 'secret', value: 'hunter2-very-secret' } });
    const kept = await ask({ type: 'signing-keys/add', input: { kind: 'pem', value: key('rsa-private-pkcs1.pem') }, keep: true });
    expect(secret).toMatchObject({ family: 'hmac', alg: 'HS256', kept: false });
    expect(kept).toMatchObject({ family: 'rsa', alg: 'RS256', kept: true });
    const listed = JSON.stringify(await ask({ type: 'signing-keys/list' }));
    expect(listed).not.toContain('hunter2');
    expect(listed).not.toContain('PRIVATE');
    expect(listed).not.toMatch(/"d":/);
    expect(JSON.stringify(session.data[SIGNING_KEYS_KEY])).toContain('hunter2');
    expect(JSON.stringify(local.data[SIGNING_KEYS_KEY])).not.toContain('hunter2');
    expect(JSON.stringify(local.data[SIGNING_KEYS_KEY])).toContain('PRIVATE KEY');
  });

  it('refuse a public key, by code', async () => {
    const { ask } = harness();
    await expect(ask({ type: 'signing-keys/add', input: { kind: 'pem', value: key('rsa-public-spki.pem') } })).rejects.toMatchObject({
      code: 'key-wrong-kind',
    });
  });

  it('sign what the matching public key verifies, after a worker restart too', async () => {
    const { ask, local, session } = harness();
    const added = await ask({ type: 'signing-keys/add', input: { kind: 'pem', value: key('ec-p256-private-sec1.pem') } });
    const { token } = await ask({ type: 'workbench/sign', header: { alg: 'ES256', typ: 'JWT' }, payload: { sub: 'bob' }, keyId: added.id });
    expect(await verifyToken(token, { kind: 'pem', value: key('ec-p256-public-spki.pem') })).toMatchObject({ status: 'valid' });
    // A new worker reads the session's keys again.
    const restarted = makeWorkbenchHandler({ signingKeys: new SigningKeyStore(local, session), verificationKeys: async () => [] });
    const again = (await restarted({ type: 'workbench/sign', header: { alg: 'ES256' }, payload: {}, keyId: added.id })) as {
      token: string;
    };
    expect((await verifyToken(again.token, { kind: 'pem', value: key('ec-p256-public-spki.pem') })).status).toBe('valid');
  });

  it('generate a pair whose public half is listed and whose private half is not', async () => {
    const { ask } = harness();
    const made = await ask({ type: 'signing-keys/generate', keyType: 'Ed25519' });
    expect(made.publicJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(made.publicJwk?.d).toBeUndefined();
    const { token } = await ask({ type: 'workbench/sign', header: { alg: 'EdDSA' }, payload: { a: 1 }, keyId: made.id });
    await expect(jose.compactVerify(token, await jose.importJWK(made.publicJwk as jose.JWK, 'EdDSA'))).resolves.toBeTruthy();
    await ask({ type: 'signing-keys/delete', id: made.id });
    await expect(ask({ type: 'workbench/sign', header: { alg: 'EdDSA' }, payload: {}, keyId: made.id })).rejects.toMatchObject({
      code: 'key-not-found',
    });
  });
});

describe('workbench/preset', () => {
  const original = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln';
  const base = { type: 'workbench/preset' as const, header: { alg: 'RS256' }, payload: { sub: 'alice' }, original };

  it("signs embedded-jwk with the session's generated key, which the list then shows (public half only)", async () => {
    const { ask } = harness();
    const { token } = await ask({ ...base, attack: 'embedded-jwk' });
    await expect(jose.compactVerify(token, jose.EmbeddedJWK)).resolves.toBeTruthy();
    const list = await ask({ type: 'signing-keys/list' });
    expect(list).toEqual([expect.objectContaining({ generated: true, family: 'ec' })]);
    // The same key serves the next preset: a jku URL the user hosts keeps matching.
    await ask({ ...base, attack: 'jku-injection', url: 'https://mine.example/keys' });
    expect(await ask({ type: 'signing-keys/list' })).toHaveLength(1);
  });

  it("takes hs-rs-confusion's public key from a stored verification key", async () => {
    const stored: StoredKey = { id: 'v1', label: 'server', input: { kind: 'pem', value: key('rsa-public-spki.pem') }, addedAt: 0 };
    const { ask } = harness([stored]);
    const { token } = await ask({ ...base, attack: 'hs-rs-confusion', publicKeyId: 'v1' });
    const [h, p, sig] = token.split('.');
    const { createHmac } = await import('node:crypto');
    expect(createHmac('sha256', key('rsa-public-spki.pem')).update(`${h}.${p}`).digest('base64url')).toBe(sig);
  });

  it('answers what a preset needs as an error, and refuses unknown presets', async () => {
    const { ask } = harness();
    await expect(ask({ ...base, attack: 'jku-injection' })).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringContaining('URL'),
    });
    await expect(ask({ ...base, attack: 'nope' })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(ask({ ...base, header: { typ: 'JWT' }, attack: 'alg-none' })).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('routes only workbench messages', () => {
    expect(isWorkbenchRequest({ type: 'workbench/preset' })).toBe(true);
    expect(isWorkbenchRequest({ type: 'keys/list' })).toBe(false);
    expect(isWorkbenchRequest(null)).toBe(false);
  });
});

describe('hs-rs-confusion without a chosen key', () => {
  it('takes the first stored RSA public key, passing over others', async () => {
    const ec: StoredKey = { id: 'e', label: 'ec', input: { kind: 'pem', value: key('ec-p256-public-spki.pem') }, addedAt: 0 };
    const secret: StoredKey = { id: 's', label: 's', input: { kind: 'secret', value: 'x' }, addedAt: 0 };
    const rsa: StoredKey = { id: 'r', label: 'rsa', input: { kind: 'pem', value: key('rsa-public-pkcs1.pem') }, addedAt: 0 };
    const { ask } = harness([ec, secret, rsa]);
    const { token } = await ask({
      type: 'workbench/preset',
      attack: 'hs-rs-confusion',
      header: { alg: 'RS256' },
      payload: {},
      original: 'a.b.c',
    });
    const [h, p, sig] = token.split('.');
    const { createHmac } = await import('node:crypto');
    // The default armour is SPKI with a final newline, whatever form the key was stored in.
    expect(createHmac('sha256', key('rsa-public-spki.pem')).update(`${h}.${p}`).digest('base64url')).toBe(sig);
  });
});

describe('workbench/decrypt', () => {
  it('decrypts an RFC 7520 JWE with a key of the signing list, and never returns the key', async () => {
    const v = JSON.parse(
      readFileSync(resolve(import.meta.dirname, '../fixtures/rfc7520/jwe/5_6.direct_encryption_using_aes-gcm.json'), 'utf8'),
    );
    const { ask } = harness();
    const added = await ask({ type: 'signing-keys/add', input: { kind: 'jwk', value: JSON.stringify(v.input.key) } });
    const out = await ask({ type: 'workbench/decrypt', token: v.output.compact, keyId: added.id });
    expect(out).toMatchObject({ plaintext: v.input.plaintext, header: { alg: 'dir' } });
    expect(JSON.stringify(out)).not.toContain(v.input.key.k);
    await expect(ask({ type: 'workbench/decrypt', token: 'a.b.c', keyId: added.id })).rejects.toMatchObject({ code: 'bad-request' });
  });
});

describe('hs-rs-confusion with a fetched key set', () => {
  it('takes the RSA key of a JWKS URL key from the cached set, and says so when none was fetched yet', async () => {
    const jwk = JSON.parse(
      JSON.stringify(await jose.exportJWK(await jose.importSPKI(key('rsa-public-spki.pem'), 'RS256', { extractable: true }))),
    );
    const stored: StoredKey = {
      id: 'u',
      label: 'issuer keys',
      input: { kind: 'jwks-url', value: 'https://issuer.example/jwks.json' },
      addedAt: 0,
    };
    const cached = JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }, jwk] });
    const local = memoryArea();
    const signingKeys = new SigningKeyStore(local, memoryArea());
    const withSet = makeWorkbenchHandler({ signingKeys, verificationKeys: async () => [stored], fetchedKeySet: () => cached });
    const request = {
      type: 'workbench/preset' as const,
      attack: 'hs-rs-confusion',
      header: { alg: 'RS256' },
      payload: {},
      original: 'a.b.c',
      publicKeyId: 'u',
    };
    const { token } = (await withSet(request)) as { token: string };
    const [h, p, sig] = token.split('.');
    const { createHmac } = await import('node:crypto');
    expect(createHmac('sha256', key('rsa-public-spki.pem')).update(`${h}.${p}`).digest('base64url')).toBe(sig);
    const notYet = makeWorkbenchHandler({ signingKeys, verificationKeys: async () => [stored], fetchedKeySet: () => undefined });
    await expect(notYet(request)).rejects.toMatchObject({ code: 'key-wrong-kind', message: expect.stringContaining('no fetched key set') });
  });
});
