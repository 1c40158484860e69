import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPrivateHost, resolveJwksUri } from '../../src/background/discovery';
import type { JsonFetchResult } from '../../src/background/safe-fetch';
import { startServer, type TestServer } from '../support/http-server';
import { workerHarness } from './worker-harness';

// A discovery document chooses where the worker fetches next. An issuer on the internet must not point it
// at the user's machine or network (a request the user never configured, to a router or a local admin API).
describe("discovery's jwks_uri on a loopback or private address", () => {
  // No public https issuer can run on this machine: this stands in for its discovery document only.
  const publicIssuer =
    (jwksUri: string) =>
    async (url: string): Promise<JsonFetchResult> => ({
      url,
      json: { issuer: 'https://issuer.example', jwks_uri: jwksUri },
    });

  it.each([
    'http://127.0.0.1:8080/jwks',
    'http://localhost/jwks',
    'http://app.localhost/jwks',
    'http://[::1]/jwks',
    'https://10.1.2.3/jwks',
    'https://172.16.0.1/jwks',
    'https://172.31.255.254/jwks',
    'https://192.168.1.1/jwks',
    'https://169.254.169.254/latest/meta-data',
    'https://[fe80::1]/jwks',
    'https://[fd12:3456::1]/jwks',
    'https://[fc00::1]/jwks',
    'https://[::ffff:192.168.0.1]/jwks',
    'https://0.0.0.0/jwks',
    'https://0x7f.1/jwks',
  ])('refuses %s from a public issuer', async (jwksUri) => {
    await expect(resolveJwksUri('https://issuer.example', publicIssuer(jwksUri))).rejects.toThrow(/private|loopback/i);
  });

  it.each([
    'https://issuer.example/jwks',
    'https://172.32.0.1/jwks',
    'https://11.0.0.1/jwks',
    'https://[2001:db8::1]/jwks',
    'https://keys.example.com/jwks',
  ])('accepts %s from a public issuer', async (jwksUri) => {
    expect(await resolveJwksUri('https://issuer.example', publicIssuer(jwksUri))).toBe(new URL(jwksUri).href);
  });

  it('classifies hosts', () => {
    expect(isPrivateHost('192.168.0.10')).toBe(true);
    expect(isPrivateHost('[fe80::abcd]')).toBe(true);
    expect(isPrivateHost('issuer.example')).toBe(false);
    expect(isPrivateHost('[2001:db8::1]')).toBe(false);
  });

  describe('an issuer on the machine itself', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer({
        '/.well-known/openid-configuration': (_q, r) =>
          void r
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ issuer: server.origin, jwks_uri: `${server.origin}/jwks` })),
        '/jwks': (_q, r) => void r.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}'),
      });
    });
    afterAll(async () => server.close());

    it('may name a loopback jwks_uri, and the options page status shows it next to the issuer', async () => {
      expect(await resolveJwksUri(server.origin)).toBe(`${server.origin}/jwks`);
      const w = workerHarness();
      const key = await w.ask({ type: 'keys/add', key: { label: 'local issuer', input: { kind: 'issuer', value: server.origin } } });
      const refreshed = await w.ask({ type: 'jwks/refresh', id: key.id });
      expect(refreshed.url).toBe(`${server.origin}/jwks`);
      const [status] = await w.ask({ type: 'jwks/status' });
      expect(status!.url).toBe(`${server.origin}/jwks`);
    });
  });
});
