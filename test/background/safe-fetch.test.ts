import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkFetchableUrl, fetchJsonLimited, FetchRefused } from '../../src/background/safe-fetch';
import { startServer, type TestServer } from '../support/http-server';

// The documented limit (README "Security", SECURITY.md: "1 MiB body"), written out: a changed constant fails here.
const ONE_MIB = 1_048_576;
// A JSON body of exactly `bytes` bytes, sent without a Content-Length so only the reading loop can judge it.
const jsonOfBytes = (bytes: number) => `{"pad":"${'x'.repeat(bytes - '{"pad":""}'.length)}"}`;

// Real servers on 127.0.0.1 with real sockets; Node's fetch stands in for the worker's (both are WHATWG fetch).
describe('fetchJsonLimited against hostile and friendly servers', () => {
  let server: TestServer;
  let other: TestServer;

  beforeAll(async () => {
    other = await startServer({ '/jwks': (_q, r) => void r.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}') });
    server = await startServer({
      '/ok': (_q, r) =>
        void r.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=120' }).end('{"keys":[]}'),
      '/jwk-set': (_q, r) => void r.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end('{"keys":[]}'),
      '/html': (_q, r) => void r.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>'),
      '/big': (_q, r) => {
        r.writeHead(200, { 'content-type': 'application/json' });
        r.end(`{"pad":"${'x'.repeat(10 * 1024 * 1024)}"}`);
      },
      '/big-declared': (_q, r) =>
        void r.writeHead(200, { 'content-type': 'application/json', 'content-length': String(5 * ONE_MIB) }).end('{}'),
      '/one-mib': (_q, r) => {
        r.writeHead(200, { 'content-type': 'application/json' });
        r.end(jsonOfBytes(ONE_MIB));
      },
      '/one-mib-and-a-byte': (_q, r) => {
        r.writeHead(200, { 'content-type': 'application/json' });
        r.end(jsonOfBytes(ONE_MIB + 1));
      },
      '/never': () => {
        /* never answers */
      },
      '/drip': (_q, r) => {
        r.writeHead(200, { 'content-type': 'application/json' });
        const t = setInterval(() => r.write(' '), 200);
        r.on('close', () => clearInterval(t));
      },
      '/same-origin-redirect': (_q, r) => void r.writeHead(302, { location: '/ok' }).end(),
      '/cross-origin-redirect': (_q, r) => void r.writeHead(302, { location: `${other.origin}/jwks` }).end(),
      '/loop': (_q, r) => void r.writeHead(302, { location: '/loop' }).end(),
      '/500': (_q, r) => void r.writeHead(500, { 'content-type': 'application/json' }).end('{}'),
      '/broken-json': (_q, r) => void r.writeHead(200, { 'content-type': 'application/json' }).end('{"keys": ['),
    });
  });
  afterAll(async () => {
    await server.close();
    await other.close();
  });

  const refusal = async (path: string, timeoutMs?: number) => {
    try {
      await fetchJsonLimited(`${server.origin}${path}`, fetch, timeoutMs);
    } catch (e) {
      expect(e).toBeInstanceOf(FetchRefused);
      return e as FetchRefused;
    }
    throw new Error(`${path} was not refused`);
  };

  it('reads JSON and the max-age', async () => {
    const r = await fetchJsonLimited(`${server.origin}/ok`);
    expect(r.json).toEqual({ keys: [] });
    expect(r.maxAge).toBe(120);
  });

  it('accepts application/jwk-set+json', async () => {
    expect((await fetchJsonLimited(`${server.origin}/jwk-set`)).json).toEqual({ keys: [] });
  });

  it('follows a same-origin redirect', async () => {
    const r = await fetchJsonLimited(`${server.origin}/same-origin-redirect`);
    expect(r.url).toBe(`${server.origin}/ok`);
  });

  it.each([
    ['/html', 'not-json'],
    ['/big', 'too-large'],
    ['/big-declared', 'too-large'],
    ['/cross-origin-redirect', 'cross-origin-redirect'],
    ['/loop', 'too-many-redirects'],
    ['/500', 'http-status'],
    ['/broken-json', 'not-json'],
  ])('refuses %s with %s', async (path, code) => {
    const e = await refusal(path);
    expect(e.code).toBe(code);
    expect(e.message.length).toBeGreaterThan(20);
  });

  it('reads a body of exactly 1 MiB and refuses one byte more', async () => {
    const ok = await fetchJsonLimited(`${server.origin}/one-mib`);
    expect((ok.json as { pad: string }).pad).toHaveLength(ONE_MIB - 10);
    const e = await refusal('/one-mib-and-a-byte');
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/the limit is 1048576\./);
  });

  it('by default gives up on a server that has not answered after 5 s, not before', async () => {
    // Only the page's timers are faked (the socket stays real): the 5 s pass without waiting 5 s.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let settled: FetchRefused | 'answered' | undefined;
      const pending = fetchJsonLimited(`${server.origin}/never`).then(
        () => (settled = 'answered'),
        (e: FetchRefused) => (settled = e),
      );
      await vi.advanceTimersByTimeAsync(4_999);
      expect(settled).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      await pending;
      expect(settled).toBeInstanceOf(FetchRefused);
      expect((settled as FetchRefused).code).toBe('timeout');
      expect((settled as FetchRefused).message).toMatch(/within 5 s/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('gives up on a server that never answers, and on a slow drip', async () => {
    expect((await refusal('/never', 300)).code).toBe('timeout');
    expect((await refusal('/drip', 500)).code).toBe('timeout');
  });

  it('refuses plain http except for the machine itself, and non-URLs', () => {
    expect(() => checkFetchableUrl('http://issuer.example/jwks')).toThrow(/https only/);
    expect(() => checkFetchableUrl('ftp://issuer.example/jwks')).toThrow(FetchRefused);
    expect(() => checkFetchableUrl('not a url')).toThrow(/not a URL/);
    expect(checkFetchableUrl('http://localhost:8080/jwks').hostname).toBe('localhost');
    expect(checkFetchableUrl('http://[::1]:8080/jwks').hostname).toBe('[::1]');
    expect(checkFetchableUrl('https://issuer.example/jwks').protocol).toBe('https:');
  });
});
