import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { JwksCache } from '../../src/background/jwks-cache';
import { discoveryUrls, resolveJwksUri } from '../../src/background/discovery';
import { VerificationService } from '../../src/background/verification-service';
import type { StoredKey } from '../../src/messages';
import { startServer, type TestServer } from '../support/http-server';

async function signingKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

describe('JWKS cache, rotation and discovery against a real local issuer', () => {
  let server: TestServer;
  let keys: Awaited<ReturnType<typeof signingKey>>[];
  let maxAge = 300;
  let clock = Date.now();
  // The documented numbers (README "Background worker", SECURITY.md fetch limits), written out so a changed
  // constant fails here instead of moving the test along with it.
  const REFETCH_COOLDOWN_MS = 30_000;
  const ecKeys = (n: number) => Array.from({ length: n }, (_, i) => ({ kty: 'EC', crv: 'P-256', kid: `k${i}` }));
  const now = () => clock;

  beforeAll(async () => {
    keys = [await signingKey('k1')];
    server = await startServer({
      '/.well-known/openid-configuration': (_q, r) =>
        void r
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ issuer: server.origin, jwks_uri: `${server.origin}/jwks` })),
      '/jwks': (_q, r) =>
        void r
          .writeHead(200, { 'content-type': 'application/json', 'cache-control': `max-age=${maxAge}` })
          .end(JSON.stringify({ keys: keys.map((k) => k.jwk) })),
      '/many': (_q, r) =>
        void r
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ keys: Array.from({ length: 10_000 }, (_, i) => ({ kty: 'EC', kid: `k${i}` })) })),
      '/hundred': (_q, r) => void r.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: ecKeys(100) })),
      '/hundred-and-one': (_q, r) =>
        void r.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: ecKeys(101) })),
      '/dupes': (_q, r) =>
        void r.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [keys[0]!.jwk, keys[0]!.jwk] })),
      '/tenant/.well-known/openid-configuration': (_q, r) => void r.writeHead(404).end(),
      '/.well-known/oauth-authorization-server/tenant': (_q, r) =>
        void r
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ issuer: `${server.origin}/tenant`, jwks_uri: `${server.origin}/jwks` })),
    });
  });
  afterAll(async () => server.close());

  const fetchesTo = (path: string) => server.requests.filter((r) => r.url === path).length;
  const sign = (k: Awaited<ReturnType<typeof signingKey>>, iss = server.origin) =>
    new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'RS256', kid: k.kid })
      .setIssuer(iss)
      .setExpirationTime('5m')
      .sign(k.privateKey);

  it('verifies N tokens with one fetch, then refetches once on an unknown kid (rotation)', async () => {
    const cache = new JwksCache({ now });
    const stored: StoredKey[] = [{ id: '1', label: 'local JWKS', input: { kind: 'jwks-url', value: `${server.origin}/jwks` }, addedAt: 0 }];
    const service = new VerificationService(async () => stored, cache);
    const before = fetchesTo('/jwks');
    const token = await sign(keys[0]!);
    const results = await Promise.all(Array.from({ length: 20 }, () => service.verify(token)));
    expect(results.every((r) => r.status === 'valid')).toBe(true);
    expect(results[0]!.key?.kid).toBe('k1');
    expect(fetchesTo('/jwks') - before).toBe(1);

    keys.push(await signingKey('k2'));
    clock += REFETCH_COOLDOWN_MS + 1000;
    const rotated = await sign(keys[1]!);
    expect((await service.verify(rotated)).status).toBe('valid');
    expect((await service.verify(rotated)).status).toBe('valid');
    expect(fetchesTo('/jwks') - before).toBe(2);

    // A kid nobody has: one refetch at most per cooldown, then a clear answer.
    const stranger = await signingKey('k-unknown');
    clock += REFETCH_COOLDOWN_MS + 1000;
    const r1 = await service.verify(await sign(stranger));
    const r2 = await service.verify(await sign(stranger));
    expect(r1.status).toBe('no-matching-key');
    expect(r2.status).toBe('no-matching-key');
    expect(r1.reason).toMatch(/k-unknown/);
    expect(fetchesTo('/jwks') - before).toBe(3);
  });

  it('honours max-age within bounds', async () => {
    maxAge = 120;
    const cache = new JwksCache({ now });
    const entry = await cache.get(`${server.origin}/jwks`);
    expect(entry.expiresAt - entry.fetchedAt).toBe(120_000);
    const before = fetchesTo('/jwks');
    clock += 119_000;
    await cache.get(`${server.origin}/jwks`);
    expect(fetchesTo('/jwks')).toBe(before);
    clock += 2_000;
    await cache.get(`${server.origin}/jwks`);
    expect(fetchesTo('/jwks')).toBe(before + 1);
    maxAge = 300;
  });

  // README: "max-age within 1 min–24 h". Each end through the real server header, safe-fetch's parsing and
  // the cache's expiry; the refetch cooldown (30 s) is shorter than both waits, so it cannot hide a refetch.
  it('clamps a max-age of 1 s up to 1 minute', async () => {
    maxAge = 1;
    try {
      const cache = new JwksCache({ now });
      const entry = await cache.get(`${server.origin}/jwks`);
      expect(entry.expiresAt - entry.fetchedAt).toBe(60_000);
      const before = fetchesTo('/jwks');
      clock += 59_000;
      await cache.get(`${server.origin}/jwks`);
      expect(fetchesTo('/jwks')).toBe(before);
      clock += 2_000;
      await cache.get(`${server.origin}/jwks`);
      expect(fetchesTo('/jwks')).toBe(before + 1);
    } finally {
      maxAge = 300;
    }
  });

  it('clamps a max-age of 999999999 s down to 24 hours', async () => {
    maxAge = 999_999_999;
    try {
      const cache = new JwksCache({ now });
      const entry = await cache.get(`${server.origin}/jwks`);
      expect(entry.expiresAt - entry.fetchedAt).toBe(24 * 3600 * 1000);
      const before = fetchesTo('/jwks');
      clock += 24 * 3600 * 1000 - 1000;
      await cache.get(`${server.origin}/jwks`);
      expect(fetchesTo('/jwks')).toBe(before);
      clock += 2_000;
      await cache.get(`${server.origin}/jwks`);
      expect(fetchesTo('/jwks')).toBe(before + 1);
    } finally {
      maxAge = 300;
    }
  });

  it('discovers the JWKS of an issuer, through OIDC discovery and through RFC 8414', async () => {
    expect(await resolveJwksUri(server.origin)).toBe(`${server.origin}/jwks`);
    expect(await resolveJwksUri(`${server.origin}/tenant`)).toBe(`${server.origin}/jwks`);
    expect(discoveryUrls('https://login.example/tenant/')).toEqual([
      'https://login.example/tenant/.well-known/openid-configuration',
      'https://login.example/.well-known/oauth-authorization-server/tenant',
    ]);
    const stored: StoredKey[] = [{ id: 'i', label: 'issuer', input: { kind: 'issuer', value: server.origin }, addedAt: 0 }];
    const service = new VerificationService(async () => stored, new JwksCache({ now }));
    expect((await service.verify(await sign(keys[0]!))).status).toBe('valid');
    // An issuer entry is used only for its own tokens.
    expect((await service.verify(await sign(keys[0]!, 'https://someone-else.example'))).status).toBe('no-matching-key');
  });

  it('refuses a JWKS of 10,000 keys and one with duplicate kids, with a clear reason', async () => {
    const cache = new JwksCache({ now });
    await expect(cache.get(`${server.origin}/many`)).rejects.toThrow(/10000 keys; the limit is 100\./);
    await expect(cache.get(`${server.origin}/dupes`)).rejects.toThrow(/kid "k1" twice/);
    const stored: StoredKey[] = [{ id: 'm', label: 'huge', input: { kind: 'jwks-url', value: `${server.origin}/many` }, addedAt: 0 }];
    const result = await new VerificationService(async () => stored, cache).verify(await sign(keys[0]!));
    expect(result.status).toBe('no-matching-key');
    expect(result.reason).toMatch(/huge: .*10000 keys/);
  });

  it('accepts a JWKS of 100 keys and refuses one of 101 (SECURITY.md: at most 100 keys per JWKS)', async () => {
    const cache = new JwksCache({ now });
    expect((await cache.get(`${server.origin}/hundred`)).kids).toHaveLength(100);
    await expect(cache.get(`${server.origin}/hundred-and-one`)).rejects.toThrow(/lists 101 keys; the limit is 100\./);
  });

  it('fetches once for concurrent callers', async () => {
    const cache = new JwksCache({ now });
    await Promise.all(Array.from({ length: 10 }, () => cache.get(`${server.origin}/jwks`)));
    expect(cache.fetchCount).toBe(1);
  });
});
