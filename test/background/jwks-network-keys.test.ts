import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, generateSecret, SignJWT } from 'jose';
import { JwksCache } from '../../src/background/jwks-cache';
import { VerificationService } from '../../src/background/verification-service';
import type { StoredKey } from '../../src/messages';
import { startServer, type TestServer } from '../support/http-server';
import { workerHarness } from './worker-harness';

// Keys from the network are public keys only (SECURITY.md): a JWKS that publishes a symmetric key, or the
// private half of a key pair, must not make a token verify — and the user is told (jwks-symmetric-key).
describe('a fetched JWKS supplies public keys only', () => {
  let server: TestServer;
  let hsToken: string;
  let rsToken: string;
  let leakedToken: string;

  beforeAll(async () => {
    const secret = (await generateSecret('HS256', { extractable: true })) as CryptoKey;
    const oct = { ...(await exportJWK(secret)), kid: 'shared', alg: 'HS256' };
    const rsa = await generateKeyPair('RS256');
    const leaked = await generateKeyPair('RS256', { extractable: true });
    const rsaJwk = { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' };
    const leakedJwk = { ...(await exportJWK(leaked.privateKey)), kid: 'leaked', alg: 'RS256', use: 'sig' };
    server = await startServer({
      '/jwks': (_q, r) =>
        void r.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [oct, rsaJwk, leakedJwk] })),
      '/.well-known/openid-configuration': (_q, r) =>
        void r
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ issuer: server.origin, jwks_uri: `${server.origin}/jwks` })),
    });
    const iss = server.origin;
    hsToken = await new SignJWT({ sub: 'mallory', admin: true })
      .setProtectedHeader({ alg: 'HS256', kid: 'shared' })
      .setIssuer(iss)
      .sign(secret);
    rsToken = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).setIssuer(iss).sign(rsa.privateKey);
    leakedToken = await new SignJWT({ sub: 'mallory' })
      .setProtectedHeader({ alg: 'RS256', kid: 'leaked' })
      .setIssuer(iss)
      .sign(leaked.privateKey);
  });
  afterAll(async () => server.close());

  it('keeps no oct key and no private member in the cached set', async () => {
    const entry = await new JwksCache().get(`${server.origin}/jwks`);
    const keys = (JSON.parse(entry.jwks) as { keys: Record<string, unknown>[] }).keys;
    expect(keys.map((k) => k.kid)).toEqual(['rsa-1']);
    for (const k of keys) for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth']) expect(k).not.toHaveProperty(member);
    expect(entry.withheld?.map((w) => w.kid)).toEqual(['shared', 'leaked']);
  });

  it.each([
    ['a JWKS URL', (origin: string): StoredKey['input'] => ({ kind: 'jwks-url', value: `${origin}/jwks` })],
    ['an issuer', (origin: string): StoredKey['input'] => ({ kind: 'issuer', value: origin })],
  ])('an HS256 token MACed with the published oct key is not valid through %s, and the verdict says why', async (_what, input) => {
    const stored: StoredKey[] = [{ id: '1', label: 'issuer keys', input: input(server.origin), addedAt: 0 }];
    const service = new VerificationService(async () => stored, new JwksCache());
    const hs = await service.verify(hsToken);
    expect(hs.status).not.toBe('valid');
    expect(hs.reason).toContain('jwks-symmetric-key');
    expect((await service.verify(leakedToken)).status).not.toBe('valid');
    expect((await service.verify(rsToken)).status).toBe('valid');
  });

  it('a cache restored from storage is cleaned the same way (it may predate this check)', async () => {
    const dirty = await new JwksCache().get(`${server.origin}/jwks`);
    const raw = {
      ...dirty,
      jwks: JSON.stringify({
        keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'shared' }, ...(JSON.parse(dirty.jwks) as { keys: unknown[] }).keys],
      }),
      expiresAt: Date.now() + 60_000,
    };
    delete (raw as { withheld?: unknown }).withheld;
    const cache = new JwksCache();
    cache.restore([raw]);
    const restored = cache.peek(`${server.origin}/jwks`)!;
    expect(restored.jwks).not.toContain('"oct"');
    expect(restored.withheld?.map((w) => w.kid)).toEqual(['shared']);
  });

  it('the options page status of that key raises jwks-symmetric-key', async () => {
    const w = workerHarness();
    const key = await w.ask({ type: 'keys/add', key: { label: 'issuer', input: { kind: 'jwks-url', value: `${server.origin}/jwks` } } });
    const status = await w.ask({ type: 'jwks/refresh', id: key.id });
    expect(status.keys.map((k) => k.kid)).toEqual(['rsa-1']);
    expect(status.findings?.map((f) => f.id)).toEqual(['jwks-symmetric-key']);
    expect(status.findings?.[0]?.detail).toMatch(/shared/);
    const listed = await w.ask({ type: 'jwks/status' });
    expect(listed[0]?.findings?.map((f) => f.id)).toEqual(['jwks-symmetric-key']);
  });
});
