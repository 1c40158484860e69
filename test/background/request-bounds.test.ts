import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { JwksCache } from '../../src/background/jwks-cache';
import { VerificationService } from '../../src/background/verification-service';
import type { StoredKey } from '../../src/messages';
import { startServer, type TestServer } from '../support/http-server';

// A page can emit thousands of distinct tokens; each one that names a stored issuer, or a kid the cache
// lacks, asks the worker for keys. The real cache, discovery and fetch code against a real local server
// that counts requests: the count must not follow the number of tokens.
// Before the fix a failing URL was fetched once per token (1,000 tokens took over a minute): a generous timeout
// lets such a run end on the count rather than on the clock.
describe('fetches per URL are bounded, whatever the number of tokens', { timeout: 120_000 }, () => {
  let server: TestServer;
  let privateKey: CryptoKey;
  let jwk: Record<string, unknown>;
  let clock = Date.now();
  const now = () => clock;
  let flakyFails = false;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' };
    server = await startServer({
      '/jwks': (_q, r) => void r.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
      '/flaky-jwks': (_q, r) =>
        void (flakyFails
          ? r.writeHead(500, { 'content-type': 'application/json' }).end('{}')
          : r.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }))),
      '/broken-jwks': (_q, r) => void r.writeHead(500, { 'content-type': 'application/json' }).end('{}'),
      // An issuer whose discovery fails: both well-known paths answer 404.
    });
  });
  afterAll(async () => server.close());

  const requestsTo = (prefix: string) => server.requests.filter((r) => r.url.startsWith(prefix)).length;
  const tokens = (n: number, header: (i: number) => Record<string, unknown>, iss = server.origin) =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        new SignJWT({ sub: `user-${i}` })
          .setProtectedHeader({ alg: 'RS256', ...header(i) })
          .setIssuer(iss)
          .sign(privateKey),
      ),
    );
  const serviceFor = (input: StoredKey['input']) =>
    new VerificationService(async () => [{ id: '1', label: 'k', input, addedAt: 0 }], new JwksCache({ now }), undefined, now);

  it('1,000 tokens naming 1,000 unknown kids: one fetch, then one per cooldown', async () => {
    const service = serviceFor({ kind: 'jwks-url', value: `${server.origin}/jwks` });
    const batch = await tokens(1000, (i) => ({ kid: `unknown-${i}` }));
    const before = requestsTo('/jwks');
    await Promise.all(batch.map((t) => service.verify(t))); // all at once: one fetch in flight, shared
    for (const t of batch) await service.verify(t); // one after another
    expect(requestsTo('/jwks') - before).toBe(1);
  });

  it('1,000 tokens against a failing JWKS URL: one fetch, then backoff doubling to 10 min', async () => {
    const service = serviceFor({ kind: 'jwks-url', value: `${server.origin}/broken-jwks` });
    const batch = await tokens(1000, (i) => ({ kid: `k-${i}` }));
    const before = requestsTo('/broken-jwks');
    const concurrent = await Promise.all(batch.slice(0, 500).map((t) => service.verify(t)));
    for (const t of batch.slice(500)) await service.verify(t);
    expect(requestsTo('/broken-jwks') - before).toBe(1);
    expect(concurrent[0]!.status).toBe('no-matching-key');
    expect(concurrent[0]!.reason).toMatch(/HTTP 500/);

    // Backoff: 30 s, 60 s, 120 s ... capped at 10 min; one fetch each time it runs out, never more.
    // The documented schedule (README, SECURITY.md: 30 s doubling to 10 min), written out rather than derived
    // from the constants, so a changed constant fails here.
    const restsS = [30, 60, 120, 240, 480, 600, 600];
    for (const [i, wait] of restsS.entries()) {
      const round = i + 2;
      clock += (wait - 1) * 1000;
      for (const t of batch.slice(0, 50)) await service.verify(t);
      expect(requestsTo('/broken-jwks') - before).toBe(round - 1);
      clock += 1000;
      for (const t of batch.slice(0, 50)) await service.verify(t);
      expect(requestsTo('/broken-jwks') - before).toBe(round);
    }
  });

  it('1,000 tokens from an issuer whose discovery fails: each well-known URL fetched once, then backoff', async () => {
    const issuer = `${server.origin}/no-discovery`;
    const service = serviceFor({ kind: 'issuer', value: issuer });
    const batch = await tokens(1000, () => ({}), issuer);
    const before = requestsTo('/');
    await Promise.all(batch.slice(0, 500).map((t) => service.verify(t)));
    for (const t of batch.slice(500)) await service.verify(t);
    expect(requestsTo('/') - before).toBe(2); // /no-discovery/.well-known/openid-configuration and RFC 8414's
    clock += 30_000;
    for (const t of batch.slice(0, 100)) await service.verify(t);
    expect(requestsTo('/') - before).toBe(4);
  });

  // SECURITY.md: while a URL rests after a failure, "verdicts give the last error (or use the set cached before)".
  it('while a JWKS URL that worked before rests after a failure, tokens verify with the set cached before', async () => {
    const service = serviceFor({ kind: 'jwks-url', value: `${server.origin}/flaky-jwks` });
    const [token] = await tokens(1, () => ({ kid: 'k1' }));
    const before = requestsTo('/flaky-jwks');
    expect((await service.verify(token!)).status).toBe('valid');
    expect(requestsTo('/flaky-jwks') - before).toBe(1);

    flakyFails = true;
    try {
      clock += 25 * 3600 * 1000; // past any max-age the cache allows (24 h at most)
      await service.verify(token!); // the refetch that fails
      expect(requestsTo('/flaky-jwks') - before).toBe(2);
      const resting = await Promise.all(Array.from({ length: 50 }, () => service.verify(token!)));
      expect(resting.map((r) => r.status)).toEqual(Array.from({ length: 50 }, () => 'valid'));
      expect(requestsTo('/flaky-jwks') - before).toBe(2);
      clock += 30_000;
      await service.verify(token!);
      expect(requestsTo('/flaky-jwks') - before).toBe(3);
    } finally {
      flakyFails = false;
    }
  });

  it('a user-pressed refresh is not held back by the backoff', async () => {
    const cache = new JwksCache({ now });
    const url = `${server.origin}/broken-jwks`;
    const before = requestsTo('/broken-jwks');
    await expect(cache.get(url)).rejects.toThrow(/HTTP 500/);
    await expect(cache.get(url)).rejects.toThrow(/HTTP 500/);
    expect(requestsTo('/broken-jwks') - before).toBe(1);
    await expect(cache.refresh(url)).rejects.toThrow(/HTTP 500/);
    expect(requestsTo('/broken-jwks') - before).toBe(2);
  });
});
