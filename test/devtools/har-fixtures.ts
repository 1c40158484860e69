// Shared by the devtools tests: the recorded-shape HAR fixtures (test/fixtures/har, written by
// make-fixtures.mjs), their tokens, and a builder for small synthetic entries.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SignJWT } from 'jose';
import type { HarEntry, HarHeader, HarPostData } from '../../src/capture/har-types';

const DIR = resolve(import.meta.dirname, '../fixtures/har');

/** 2023-11-14T22:13:20Z, the fixtures' T0, in seconds. */
export const T0 = 1700000000;
export const T0_MS = T0 * 1000;

export type TokenName =
  | 'access1'
  | 'refresh1'
  | 'id1'
  | 'session'
  | 'dpop'
  | 'renewedSession'
  | 'upstream'
  | 'implicit'
  | 'access2'
  | 'refresh2'
  | 'ffRefresh'
  | 'ffAccess'
  | 'ffRefresh2'
  | 'ffEmbedded'
  | 'ffAssertion'
  | 'ffLegacy';

export const TOKENS = JSON.parse(readFileSync(`${DIR}/tokens.json`, 'utf8')) as Record<TokenName, string>;

export function harEntries(browser: 'chrome' | 'firefox'): HarEntry[] {
  const har = JSON.parse(readFileSync(`${DIR}/${browser}-session.har.json`, 'utf8')) as { log: { entries: HarEntry[] } };
  return har.log.entries;
}

const SECRET = new TextEncoder().encode('unit-test-secret-unit-test-secret!!');

/** An HS256 token with these claims, signed now (tests use it for tokens the fixtures lack). */
export function sign(claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...header }).sign(SECRET);
}

export interface EntrySpec {
  method?: string;
  url: string;
  /** Seconds. */
  time: number;
  requestHeaders?: [string, string][];
  postData?: HarPostData;
  status?: number;
  responseHeaders?: [string, string][];
  mimeType?: string;
  body?: string;
  redirectURL?: string;
}

/** A Chrome-shaped entry with just what a test names. */
export function entry(spec: EntrySpec): HarEntry {
  const headers = (list: [string, string][] = []): HarHeader[] => list.map(([name, value]) => ({ name, value }));
  const request: HarEntry['request'] = {
    method: spec.method ?? 'GET',
    url: spec.url,
    httpVersion: 'http/2.0',
    headers: headers(spec.requestHeaders),
    queryString: [],
    cookies: [],
    headersSize: -1,
    bodySize: 0,
  };
  if (spec.postData) request.postData = spec.postData;
  const content: HarEntry['response']['content'] = { size: spec.body?.length ?? 0, mimeType: spec.mimeType ?? 'application/json' };
  if (spec.body !== undefined) content.text = spec.body;
  return {
    startedDateTime: new Date(spec.time * 1000).toISOString(),
    time: 20,
    request,
    response: {
      status: spec.status ?? 200,
      statusText: '',
      httpVersion: 'http/2.0',
      headers: headers(spec.responseHeaders),
      cookies: [],
      content,
      redirectURL: spec.redirectURL ?? '',
      headersSize: -1,
      bodySize: -1,
    },
    _resourceType: 'fetch',
  };
}
