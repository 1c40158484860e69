import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { importCacheSize } from '../../src/core/keys';
import { startServer, type TestServer } from '../support/http-server';
import { workerHarness } from './worker-harness';

const JWKS_CACHE_KEY = 'jwti:jwks-cache';

// "Keep keys after the browser closes" off means nothing key-related on disk; Delete and Forget all mean the
// worker holds nothing of those keys any more: not the fetched JWKS, not the imported key material.
describe('forgetting keys forgets everything derived from them', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' };
    server = await startServer({
      '/jwks': (_q, r) => void r.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
    });
    token = await new SignJWT({ sub: 'a' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(pair.privateKey);
  });
  afterAll(async () => server.close());

  it('with keep-keys off, the JWKS cache stays out of storage.local', async () => {
    const w = workerHarness();
    await w.ask({ type: 'settings/set', settings: { keepSecrets: false } });
    await w.ask({ type: 'keys/add', key: { label: 'jwks', input: { kind: 'jwks-url', value: `${server.origin}/jwks` } } });
    expect((await w.ask({ type: 'verify', token })).status).toBe('valid');
    await w.persistJwks();
    expect(w.local.data[JWKS_CACHE_KEY]).toBeUndefined();
    expect(JSON.stringify(w.local.data)).not.toContain('/jwks');
  });

  it('turning keep-keys off removes a JWKS cache already on disk', async () => {
    const w = workerHarness();
    await w.ask({ type: 'keys/add', key: { label: 'jwks', input: { kind: 'jwks-url', value: `${server.origin}/jwks` } } });
    expect((await w.ask({ type: 'verify', token })).status).toBe('valid');
    await w.persistJwks();
    expect(w.local.data[JWKS_CACHE_KEY]).toBeDefined();
    await w.ask({ type: 'settings/set', settings: { keepSecrets: false } });
    expect(w.local.data[JWKS_CACHE_KEY]).toBeUndefined();
  });

  it('Delete drops that key’s cached JWKS, on disk and in memory', async () => {
    const w = workerHarness();
    const key = await w.ask({ type: 'keys/add', key: { label: 'jwks', input: { kind: 'jwks-url', value: `${server.origin}/jwks` } } });
    expect((await w.ask({ type: 'verify', token })).status).toBe('valid');
    await w.persistJwks();
    await w.ask({ type: 'keys/delete', id: key.id });
    expect(w.jwks.peek(`${server.origin}/jwks`)).toBeUndefined();
    expect(JSON.stringify(w.local.data[JWKS_CACHE_KEY] ?? [])).not.toContain('/jwks');
  });

  it('Forget all empties the JWKS cache and the import cache (secret bytes, inline keys)', async () => {
    const w = workerHarness();
    await w.ask({ type: 'keys/add', key: { label: 'jwks', input: { kind: 'jwks-url', value: `${server.origin}/jwks` } } });
    await w.ask({ type: 'keys/add', key: { label: 's', input: { kind: 'secret', value: 'a-stored-secret' } } });
    const hs = await new SignJWT({ sub: 'a' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('typed-inline'));
    expect((await w.ask({ type: 'verify', token: hs, keys: [{ kind: 'secret', value: 'typed-inline' }] })).status).toBe('valid');
    expect((await w.ask({ type: 'verify', token })).status).toBe('valid');
    await w.persistJwks();
    expect(importCacheSize()).toBeGreaterThan(0);
    await w.ask({ type: 'keys/clear' });
    expect(importCacheSize()).toBe(0);
    expect(w.jwks.snapshot()).toEqual([]);
    expect(w.local.data[JWKS_CACHE_KEY]).toBeUndefined();
  });
});

describe('a restarted worker finds the JWKS cache where the setting put it', () => {
  it.each([true, false])('keep keys %s', async (keep) => {
    const server = await startServer({
      '/jwks': (_q, r) =>
        void r
          .writeHead(200, { 'content-type': 'application/json' })
          .end(
            '{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","kid":"ec"}]}',
          ),
    });
    try {
      const first = workerHarness();
      await first.ask({ type: 'settings/set', settings: { keepSecrets: keep } });
      await first.jwks.get(`${server.origin}/jwks`);
      await first.persistJwks();
      const { JwksCache } = await import('../../src/background/jwks-cache');
      const { JwksPersistence } = await import('../../src/background/jwks-persistence');
      const restarted = new JwksCache();
      await new JwksPersistence(first.local, first.session, restarted, async () => keep).restore();
      expect(restarted.peek(`${server.origin}/jwks`)?.kids).toEqual(['ec']);
      expect(JSON.stringify(first.local.data).includes('/jwks')).toBe(keep);
    } finally {
      await server.close();
    }
  });
});
