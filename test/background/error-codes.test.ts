// Every error the worker hands a page carries a code from src/messages.ts: what pages switch on. Discovery
// runs against a real issuer on 127.0.0.1; the public issuers are stand-ins for their documents only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveJwksUri } from '../../src/background/discovery';
import { FetchRefused, type JsonFetchResult } from '../../src/background/safe-fetch';
import { errorReply } from '../../src/background/worker-error';
import { KeyImportError } from '../../src/core/errors';
import { startServer, type TestServer } from '../support/http-server';
import { workerHarness } from './worker-harness';

const codeOf = async (work: Promise<unknown>) => {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return errorReply(error).code;
};

describe('discovery failures keep what went wrong', () => {
  let server: TestServer;
  const json = (body: unknown) => (_q: unknown, r: { writeHead(s: number, h: Record<string, string>): { end(b: string): void } }) =>
    void r.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  beforeAll(async () => {
    server = await startServer({
      '/no-jwks-uri/.well-known/openid-configuration': json({ issuer: 'whoever' }),
      '/other/.well-known/openid-configuration': json({ issuer: 'https://someone.else', jwks_uri: 'https://someone.else/jwks' }),
      '/html/.well-known/openid-configuration': (_q, r) => void r.writeHead(200, { 'content-type': 'text/html' }).end('<p>hi</p>'),
    });
  });
  afterAll(async () => server.close());

  it('HTTP 404 at both well-known paths: http-status', async () => {
    expect(await codeOf(resolveJwksUri(`${server.origin}/nothing`))).toBe('http-status');
  });

  it('a document without jwks_uri (the other path 404): discovery-no-jwks-uri', async () => {
    expect(await codeOf(resolveJwksUri(`${server.origin}/no-jwks-uri`))).toBe('discovery-no-jwks-uri');
  });

  it('a document naming another issuer: discovery-issuer-mismatch', async () => {
    expect(await codeOf(resolveJwksUri(`${server.origin}/other`))).toBe('discovery-issuer-mismatch');
  });

  it('a document that is not JSON: not-json', async () => {
    expect(await codeOf(resolveJwksUri(`${server.origin}/html`))).toBe('not-json');
  });

  it('a public issuer pointing at a private address: discovery-private-jwks-uri', async () => {
    const doc = async (url: string): Promise<JsonFetchResult> => ({
      url,
      json: { issuer: 'https://issuer.example', jwks_uri: 'https://192.168.1.1/jwks' },
    });
    expect(await codeOf(resolveJwksUri('https://issuer.example', doc))).toBe('discovery-private-jwks-uri');
  });

  it('an issuer that is not a URL, or plain http off the machine: bad-url, insecure-scheme', async () => {
    expect(await codeOf(resolveJwksUri('not a url'))).toBe('bad-url');
    expect(await codeOf(resolveJwksUri('http://issuer.example'))).toBe('insecure-scheme');
  });

  it('a server that is not there: network', async () => {
    const closed = await startServer({});
    const origin = closed.origin;
    await closed.close();
    expect(await codeOf(resolveJwksUri(origin))).toBe('network');
  });

  it('shows the code next to the message in the options page status', async () => {
    const w = workerHarness();
    const key = await w.ask({
      type: 'keys/add',
      key: { label: 'no jwks', input: { kind: 'issuer', value: `${server.origin}/no-jwks-uri` } },
    });
    const status = await w.ask({ type: 'jwks/refresh', id: key.id });
    expect(status.errorCode).toBe('discovery-no-jwks-uri');
    expect(status.error).toMatch(/has no jwks_uri/);
  });
});

describe("the worker's own errors", () => {
  it('a key no longer in the store: key-not-found', async () => {
    const w = workerHarness();
    expect(await codeOf(w.ask({ type: 'keys/reveal', id: 'gone' }))).toBe('key-not-found');
    expect(await codeOf(w.ask({ type: 'jwks/refresh', id: 'gone' }))).toBe('key-not-found');
  });

  it('an unknown request: bad-request', async () => {
    const w = workerHarness();
    expect(await codeOf(w.handle({ type: 'nope' } as never))).toBe('bad-request');
  });

  it('a private key that cannot be reduced to its public half keeps the core code', async () => {
    const w = workerHarness();
    const pem = '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----';
    const code = await codeOf(w.ask({ type: 'keys/add', key: { label: 'broken', input: { kind: 'pem', value: pem } } }));
    expect(code).toMatch(/^key-/);
  });

  it('core and fetch errors keep their codes; anything else is internal', () => {
    expect(errorReply(new KeyImportError('key-too-long', 'long')).code).toBe('key-too-long');
    expect(errorReply(new FetchRefused('timeout', 'slow'))).toEqual({ code: 'timeout', message: 'slow' });
    expect(errorReply(new TypeError('x is undefined')).code).toBe('internal');
    // A page's own code is never claimed by the worker.
    expect(errorReply(Object.assign(new Error('odd'), { code: 'transport' })).code).toBe('internal');
  });
});
