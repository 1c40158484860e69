import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { MAX_HEADER_SCAN_CHARS, sightingsFromEntry, tokensInText, type CapturedSighting } from '../../src/capture/sightings-from-entry';
import { ingestKey } from '../../src/capture/ingest-key';
import type { CookieAttributes, Where } from '../../src/core/types';
import type { HarEntry } from '../../src/capture/har-types';
import { T0_MS, TOKENS, entry, harEntries, sign, type TokenName } from './har-fixtures';

const chrome = harEntries('chrome');
const firefox = harEntries('firefox');

interface Expect {
  token: TokenName;
  where: Where;
  side: 'request' | 'response';
  name?: string;
  field?: string;
  cookie?: CookieAttributes;
  url?: string;
}

/** The exact sightings expected from `e`, in the order capture reports them. */
function expected(e: HarEntry, list: Expect[]): CapturedSighting[] {
  const time = Date.parse(e.startedDateTime);
  return list.map((x) => {
    const sighting: CapturedSighting['sighting'] = { where: x.where, url: x.url ?? e.request.url };
    if (x.name !== undefined) sighting.name = x.name;
    if (x.cookie !== undefined) sighting.cookie = x.cookie;
    const c: CapturedSighting = {
      token: TOKENS[x.token],
      sighting,
      method: e.request.method,
      status: e.response.status,
      time,
      requestUrl: e.request.url,
      exchange: ingestKey(e)!,
      side: x.side,
    };
    if (x.field !== undefined) c.field = x.field;
    return c;
  });
}

const STRICT_COOKIE: CookieAttributes = { httpOnly: true, secure: true, sameSite: 'strict' };

describe('sightingsFromEntry on Chrome-shaped entries (HTTP/2, exported with content)', () => {
  it('token response: Set-Cookie with its attributes and every JSON field of the body', () => {
    const e = chrome[0]!;
    expect(sightingsFromEntry(e)).toEqual(
      expected(e, [
        { token: 'refresh1', where: 'set-cookie', side: 'response', name: 'refresh_token', cookie: STRICT_COOKIE },
        { token: 'access1', where: 'response-body', side: 'response', name: 'access_token', field: 'access_token' },
        { token: 'refresh1', where: 'response-body', side: 'response', name: 'refresh_token', field: 'refresh_token' },
        { token: 'id1', where: 'response-body', side: 'response', name: 'id_token', field: 'id_token' },
      ]),
    );
  });

  it('API call: Authorization, other headers, every cookie of the Cookie header, response header, escaped JSON in JSON', () => {
    const e = chrome[1]!;
    expect(sightingsFromEntry(e)).toEqual(
      expected(e, [
        { token: 'access1', where: 'authorization-header', side: 'request', name: 'authorization' },
        { token: 'dpop', where: 'request-header', side: 'request', name: 'dpop' },
        // Chrome states the flags of request cookies (from its cookie store) in request.cookies.
        { token: 'session', where: 'cookie', side: 'request', name: 'session', cookie: { httpOnly: true, secure: true } },
        // A URL-encoded JSON cookie value: the field inside names the role.
        { token: 'id1', where: 'cookie', side: 'request', name: 'prefs', field: 'idToken' },
        { token: 'renewedSession', where: 'response-header', side: 'response', name: 'x-renewed-session' },
        // {"meta": "{\"debug\":{\"upstream_token\":\"eyJ…\"}}"}
        { token: 'upstream', where: 'response-body', side: 'response', name: 'upstream_token', field: 'upstream_token' },
      ]),
    );
  });

  it('302: the query parameter of the request and the fragment of the Location, not the :path pseudo-header', () => {
    const e = chrome[2]!;
    const location = `https://app.example.com/callback#access_token=${TOKENS.implicit}&token_type=Bearer&expires_in=3600`;
    expect(sightingsFromEntry(e)).toEqual(
      expected(e, [
        { token: 'id1', where: 'url', side: 'request', name: 'id_token_hint', field: 'id_token_hint' },
        { token: 'implicit', where: 'url', side: 'response', name: 'Location', field: 'access_token', url: location },
      ]),
    );
  });

  it('refresh: the form field (from params), the cookie, the rotated Set-Cookie and body', () => {
    const e = chrome[3]!;
    expect(sightingsFromEntry(e)).toEqual(
      expected(e, [
        { token: 'refresh1', where: 'cookie', side: 'request', name: 'refresh_token', cookie: STRICT_COOKIE },
        { token: 'refresh1', where: 'request-body', side: 'request', name: 'refresh_token', field: 'refresh_token' },
        { token: 'refresh2', where: 'set-cookie', side: 'response', name: 'refresh_token', cookie: STRICT_COOKIE },
        { token: 'access2', where: 'response-body', side: 'response', name: 'access_token', field: 'access_token' },
        { token: 'refresh2', where: 'response-body', side: 'response', name: 'refresh_token', field: 'refresh_token' },
      ]),
    );
  });

  it('JSON request body: nested fields', () => {
    const e = chrome[4]!;
    expect(sightingsFromEntry(e)).toEqual(
      expected(e, [
        { token: 'access2', where: 'request-body', side: 'request', name: 'token', field: 'token' },
        { token: 'id1', where: 'request-body', side: 'request', name: 'idToken', field: 'idToken' },
      ]),
    );
  });
});

describe('sightingsFromEntry on Firefox-shaped entries (HTTP/1.1, local-time start, joined Set-Cookie)', () => {
  it('splits the "\\n"-joined Set-Cookie and reads each cookie\'s attributes; header names are lower-cased', () => {
    const e = firefox[0]!;
    expect(sightingsFromEntry(e)).toEqual(
      expected(e, [
        // Firefox's request.cookies carries no flags: the cookie's attributes are unknown, not false.
        { token: 'ffRefresh', where: 'cookie', side: 'request', name: 'rt' },
        { token: 'ffRefresh', where: 'request-body', side: 'request', name: 'refreshToken', field: 'refreshToken' },
        {
          token: 'ffAccess',
          where: 'set-cookie',
          side: 'response',
          name: 'at',
          cookie: { httpOnly: false, secure: true, sameSite: 'none' },
        },
        { token: 'ffRefresh2', where: 'set-cookie', side: 'response', name: 'rt', cookie: STRICT_COOKIE },
      ]),
    );
    // "2023-11-14T23:20:00.000+01:00"
    expect(sightingsFromEntry(e)[0]!.time).toBe(T0_MS + 400_000);
  });

  it('any Authorization scheme, a query parameter over plain HTTP, a token in an HTML body stored as base64', () => {
    const e = firefox[1]!;
    expect(sightingsFromEntry(e)).toEqual(
      expected(e, [
        { token: 'ffAccess', where: 'authorization-header', side: 'request', name: 'authorization' },
        { token: 'ffAccess', where: 'url', side: 'request', name: 'token', field: 'token' },
        { token: 'ffEmbedded', where: 'response-body', side: 'response' },
      ]),
    );
  });

  it('form body with params: the field is the parameter name', () => {
    const e = firefox[2]!;
    expect(sightingsFromEntry(e)).toEqual(
      expected(e, [{ token: 'ffAssertion', where: 'request-body', side: 'request', name: 'assertion', field: 'assertion' }]),
    );
  });

  it('a cookie only in response.cookies (no Set-Cookie header) is still a set-cookie sighting, flags unknown', () => {
    const e = firefox[3]!;
    expect(sightingsFromEntry(e)).toEqual(expected(e, [{ token: 'ffLegacy', where: 'set-cookie', side: 'response', name: 'legacy_jwt' }]));
  });

  it('together the fixtures cover every network place', () => {
    const wheres = new Set([...chrome, ...firefox].flatMap((e) => sightingsFromEntry(e).map((s) => s.sighting.where)));
    expect([...wheres].sort()).toEqual(
      ['authorization-header', 'cookie', 'request-body', 'request-header', 'response-body', 'response-header', 'set-cookie', 'url'].sort(),
    );
  });
});

describe('sightingsFromEntry details', () => {
  it('a responseBody argument wins over content.text', async () => {
    const other = await sign({ sub: 'x' });
    const e = chrome[0]!;
    const bodySightings = sightingsFromEntry(e, JSON.stringify({ data: { jwt: other } })).filter(
      (s) => s.sighting.where === 'response-body',
    );
    expect(bodySightings.map((s) => [s.token, s.field])).toEqual([[other, 'jwt']]);
  });

  it('reports identical (token, where, name) once per entry, and the same header in either case as one', async () => {
    const t = await sign({ sub: 'dup' });
    const e = entry({
      url: `https://api.example.com/x?t=${t}&t=${t}`,
      time: 1,
      requestHeaders: [
        ['Authorization', `Bearer ${t}`],
        ['authorization', `Bearer ${t}`],
        ['X-Token', t],
      ],
    });
    expect(sightingsFromEntry(e).map((s) => [s.sighting.where, s.sighting.name])).toEqual([
      ['authorization-header', 'authorization'],
      ['request-header', 'x-token'],
      ['url', 't'],
    ]);
  });

  it('the same token under two fields is two sightings', async () => {
    const t = await sign({ sub: 'two' });
    const e = entry({ url: 'https://a.example/', time: 1, body: JSON.stringify({ access_token: t, copy: { token: t } }) });
    expect(sightingsFromEntry(e).map((s) => s.field)).toEqual(['access_token', 'token']);
  });

  it("tokens in a JSON array take the array's field; doubly escaped JSON is unwrapped", async () => {
    const [a, b, c] = await Promise.all([sign({ n: 1 }), sign({ n: 2 }), sign({ n: 3 })]);
    const inner = JSON.stringify({ deep: JSON.stringify({ secret_jwt: c }) });
    const e = entry({ url: 'https://a.example/', time: 1, body: JSON.stringify({ tokens: [a, b], wrapped: inner }) });
    expect(sightingsFromEntry(e).map((s) => [s.token, s.field])).toEqual([
      [a, 'tokens'],
      [b, 'tokens'],
      [c, 'secret_jwt'],
    ]);
  });

  it('text that is not JSON: "name=" before a token names it, prose does not', async () => {
    const [a, b] = await Promise.all([sign({ n: 1 }), sign({ n: 2 })]);
    expect(tokensInText(`access_token=${a}&scope=read`)).toEqual([{ token: a, field: 'access_token' }]);
    expect(tokensInText(`Authorization: Bearer ${b}`)).toEqual([{ token: b }]);
    expect(tokensInText(`{"broken": "${a}"`)).toEqual([{ token: a }]);
  });

  it('a form body without params: fields from the text', async () => {
    const t = await sign({ n: 1 });
    const e = entry({
      method: 'POST',
      url: 'https://auth.example.com/token',
      time: 1,
      postData: { mimeType: 'application/x-www-form-urlencoded', text: `grant_type=refresh_token&refresh_token=${t}` },
    });
    expect(sightingsFromEntry(e).map((s) => [s.sighting.where, s.sighting.name, s.field])).toEqual([
      ['request-body', 'refresh_token', 'refresh_token'],
    ]);
  });

  it('a relative Location resolves against the request URL; redirectURL stands in for a missing header', async () => {
    const t = await sign({ n: 1 });
    const withHeader = entry({
      url: 'https://idp.example/authorize',
      time: 1,
      status: 302,
      responseHeaders: [['Location', `/cb?code=x&id_token=${t}`]],
    });
    expect(sightingsFromEntry(withHeader)[0]!.sighting).toEqual({
      where: 'url',
      name: 'Location',
      url: `https://idp.example/cb?code=x&id_token=${t}`,
    });
    const fromRedirectUrl = entry({
      url: 'https://idp.example/authorize',
      time: 1,
      status: 302,
      redirectURL: `https://app.example/#t=${t}`,
    });
    expect(sightingsFromEntry(fromRedirectUrl).map((s) => [s.sighting.where, s.sighting.name, s.field])).toEqual([
      ['url', 'Location', 't'],
    ]);
  });

  it('a token inside an encoded redirect_uri is attributed to redirect_uri; one in the path has no name', async () => {
    const [a, b] = await Promise.all([sign({ n: 1 }), sign({ n: 2 })]);
    const url = `https://x.example/verify/${b}?redirect_uri=${encodeURIComponent(`https://app.example/cb#access_token=${a}`)}`;
    expect(sightingsFromEntry(entry({ url, time: 1 })).map((s) => [s.token, s.sighting.name ?? null])).toEqual([
      [b, null],
      [a, 'redirect_uri'],
    ]);
  });

  it('scans a header only up to the cap, and drops a token the cap cuts', async () => {
    const t = await sign({ n: 1 });
    const pad = 'x'.repeat(MAX_HEADER_SCAN_CHARS - 10);
    const cut = entry({ url: 'https://a.example/', time: 1, requestHeaders: [['X-Big', `${pad} ${t}`]] });
    expect(sightingsFromEntry(cut)).toEqual([]);
    const before = entry({ url: 'https://a.example/', time: 1, requestHeaders: [['X-Big', `${t} ${pad}${pad}`]] });
    expect(sightingsFromEntry(before).map((s) => s.token)).toEqual([t]);
  });

  it('no tokens, no sightings; entries without a request URL give none', () => {
    expect(sightingsFromEntry(entry({ url: 'https://a.example/?q=eyJ', time: 1, body: '{"a":1}' }))).toEqual([]);
    expect(sightingsFromEntry({ request: {} })).toEqual([]);
    expect(sightingsFromEntry(null)).toEqual([]);
  });

  it('does not throw on an entry whose getters throw', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
      },
    );
    expect(sightingsFromEntry(hostile)).toEqual([]);
    expect(sightingsFromEntry({ request: hostile, response: hostile })).toEqual([]);
  });

  it('never throws on arbitrary entry-shaped objects (property)', () => {
    const text = fc.oneof(
      fc.string(),
      fc.constantFrom(TOKENS.access1, `Bearer ${TOKENS.id1}`, `{"access_token":"${TOKENS.access1}"}`),
      fc.anything(),
    );
    const header = fc.oneof(fc.record({ name: text, value: text }), fc.anything());
    const arbitraryEntry = fc.record(
      {
        startedDateTime: fc.oneof(
          fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())),
          fc.anything(),
        ),
        request: fc.oneof(
          fc.record(
            {
              method: text,
              url: fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), text),
              headers: fc.oneof(fc.array(header, { maxLength: 6 }), fc.anything()),
              cookies: fc.oneof(fc.array(fc.record({ name: text, value: text, httpOnly: fc.anything() }), { maxLength: 3 }), fc.anything()),
              postData: fc.oneof(
                fc.record({ mimeType: text, text, params: fc.oneof(fc.array(fc.record({ name: text, value: text })), fc.anything()) }),
                fc.anything(),
              ),
            },
            { requiredKeys: [] },
          ),
          fc.anything(),
        ),
        response: fc.oneof(
          fc.record(
            {
              status: fc.oneof(fc.integer(), fc.anything()),
              headers: fc.oneof(fc.array(header, { maxLength: 6 }), fc.anything()),
              cookies: fc.oneof(fc.array(fc.record({ name: text, value: text, sameSite: text })), fc.anything()),
              content: fc.oneof(
                fc.record({ size: fc.anything(), mimeType: text, text, encoding: fc.constantFrom('base64', undefined) }),
                fc.anything(),
              ),
              redirectURL: text,
            },
            { requiredKeys: [] },
          ),
          fc.anything(),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(arbitraryEntry, fc.option(text), (e, body) => {
        const out = sightingsFromEntry(e, typeof body === 'string' ? body : undefined);
        expect(Array.isArray(out)).toBe(true);
        for (const s of out) expect(typeof s.token).toBe('string');
      }),
      { numRuns: 500 },
    );
  });
});
