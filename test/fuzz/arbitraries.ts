// Generators of hostile input for the fuzz pass: what an inspected page (or an imported file) can hand the
// extension. Tokens are built from parts (so that many decode and reach the deeper code), then mutated;
// text mixes tokens with the fragments that scanners trip over; HAR entries keep the HAR shape most of the
// time, so that the capture code gets past its type checks, and are junk the rest of the time.
import fc from 'fast-check';
import { Buffer } from 'node:buffer';
import type { CapturedSighting } from '../../src/capture/sightings-from-entry';
import { WHERES } from '../../src/core/types';

export const b64u = (v: string | Uint8Array): string => Buffer.from(v).toString('base64url');

/** encodeURIComponent, which throws on a lone surrogate; those are kept as they are. */
export function percentEncode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return s;
  }
}

/** With probability 1/(weight+1), something of any type instead. */
export function orJunk<T>(arb: fc.Arbitrary<T>, weight = 9): fc.Arbitrary<T | unknown> {
  return fc.oneof({ arbitrary: arb, weight }, { arbitrary: fc.anything({ maxDepth: 2 }), weight: 1 });
}

// ---------------------------------------------------------------------------------------------------------
// Strings

const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const b64Run = fc.string({ unit: fc.constantFrom(...B64URL.split('')), maxLength: 48 });

/** Strings of every kind: ASCII, binary, any UTF-16 unit (lone surrogates included), full Unicode. */
export const anyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: anyUnit, maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

const hostileNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -0, 1700000000, 1700000000.5, 2 ** 53, -(2 ** 53), 1e308, -1e308, 8.64e15, 8.64e15 + 1, 1e21, 5e-324),
);

/** Claim values, including the ones lenient libraries read as NumericDates and the ones that break them. */
const claimValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  hostileNumber,
  fc.constantFrom(
    '1700000000',
    ' 1700000000 ',
    '1700000000.25',
    '9'.repeat(400),
    'NaN',
    'Infinity',
    '-1',
    '',
    'toString',
    'https://evil.example/jwks',
    '4111 1111 1111 1111',
    '4111111111111111',
    'password=hunter2',
    'user@example.com',
    '-----BEGIN PRIVATE KEY-----',
    '\u0000',
    '\uD800',
  ),
  fc.array(fc.oneof(fc.string({ maxLength: 12 }), hostileNumber), { maxLength: 4 }),
);

const claimName = fc.oneof(
  fc.constantFrom(
    'exp',
    'nbf',
    'iat',
    'sub',
    'iss',
    'aud',
    'jti',
    'scope',
    'typ',
    'cnf',
    'email',
    'password',
    'ssn',
    'card',
    'credit_card',
    'secret',
    'refresh_token',
    'token_use',
    'azp',
    'nonce',
    'at_hash',
    'roles',
    '__proto__',
    'constructor',
    'toString',
    'valueOf',
    'hasOwnProperty',
    'prototype',
    '',
  ),
  fc.string({ maxLength: 10 }),
);

/** A JSON object's text, built by hand so that "__proto__", duplicates and raw nesting survive. */
function objectText(names: fc.Arbitrary<string>, values: fc.Arbitrary<unknown>, maxKeys: number): fc.Arbitrary<string> {
  const member = fc.tuple(
    names,
    fc.oneof({ arbitrary: values.map((v) => JSON.stringify(v) ?? 'null'), weight: 12 }, { arbitrary: rawNesting, weight: 1 }),
  );
  return fc.array(member, { maxLength: maxKeys }).map((members) => `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`);
}

/** Deep nesting written as text (the JSON walkers must bound their depth). */
const rawNesting = fc.oneof(
  fc.integer({ min: 1, max: 3000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.integer({ min: 1, max: 1000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
);

const algValue = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      'HS256',
      'HS384',
      'HS512',
      'RS256',
      'PS256',
      'ES256',
      'ES512',
      'EdDSA',
      'none',
      'None',
      'NONE',
      'nOnE',
      'RSA-OAEP',
      'dir',
      'A128KW',
      '',
    ),
    weight: 6,
  },
  { arbitrary: fc.string({ maxLength: 12 }), weight: 2 },
  { arbitrary: fc.anything({ maxDepth: 1 }), weight: 1 },
);

const headerExtra = fc.oneof(
  fc.tuple(
    fc.constant('kid'),
    fc.oneof(
      fc.constantFrom('../../../../dev/null', "' OR '1'='1", 'key|ls', 'a'.repeat(300), 'http://x/%00', ''),
      fc.string({ maxLength: 12 }),
      fc.anything({ maxDepth: 1 }),
    ),
  ),
  fc.tuple(
    fc.constantFrom('jku', 'x5u'),
    fc.oneof(
      fc.constantFrom('https://evil.example/jwks.json', 'http://127.0.0.1/', 'javascript:alert(1)', 'file:///etc/passwd', ''),
      fc.anything({ maxDepth: 1 }),
    ),
  ),
  fc.tuple(
    fc.constantFrom('jwk', 'x5c'),
    fc.oneof(fc.constant({ kty: 'RSA', n: 'AQAB', e: 'AQAB' }), fc.constant(['MIIB']), fc.anything({ maxDepth: 2 })),
  ),
  fc.tuple(fc.constant('enc'), fc.oneof(fc.constantFrom('A256GCM', 'A128CBC-HS256'), fc.anything({ maxDepth: 1 }))),
  fc.tuple(
    fc.constant('cty'),
    fc.oneof(fc.constantFrom('JWT', 'jwt', 'application/jwt', 'application/JWT', 'x'.repeat(20)), fc.anything({ maxDepth: 1 })),
  ),
  fc.tuple(fc.constant('b64'), fc.oneof(fc.constant(false), fc.constant(true), fc.constant('false'))),
  fc.tuple(fc.constant('typ'), fc.oneof(fc.constantFrom('JWT', 'at+jwt', 'dpop+jwt', 'refresh+jwt'), fc.anything({ maxDepth: 1 }))),
  fc.tuple(fc.constant('crit'), fc.anything({ maxDepth: 1 })),
  fc.tuple(claimName, claimValue),
);

/** Header JSON text: almost always an object with an alg, sometimes anything JSON-ish or not. */
export const headerText: fc.Arbitrary<string> = fc.oneof(
  {
    arbitrary: fc
      .tuple(algValue, fc.array(headerExtra, { maxLength: 4 }), fc.constantFrom('', ' ', '\n', '\t'))
      .map(([alg, extras, ws]) => {
        const members = [
          `"alg":${JSON.stringify(alg) ?? 'null'}`,
          ...extras.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`),
        ];
        return `{${ws}${members.join(',')}}`;
      }),
    weight: 30,
  },
  { arbitrary: objectText(claimName, claimValue, 4), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)), weight: 1 },
  { arbitrary: anyString, weight: 1 },
  {
    arbitrary: fc.constantFrom('\uFEFF{"alg":"HS256"}', '{"alg":"HS256"', '{"alg":"HS256"}}', '{"alg":"HS256",}', '{"alg":"HS256"}\u0000'),
    weight: 1,
  },
);

/** exp / iat / nbf around the fuzz clock (1700000000, which the analysis context uses most), for the time findings. */
const nearNow = fc.oneof(
  fc.integer({ min: 1_700_000_000 - 400 * 86400, max: 1_700_000_000 + 400 * 86400 }),
  fc.integer({ min: -600, max: 600 }).map((d) => 1_700_000_000 + d),
  fc.integer({ min: -600, max: 600 }).map((d) => String(1_700_000_000 + d)),
);
const timedClaims = fc
  .tuple(fc.record({ exp: nearNow, iat: nearNow, nbf: nearNow }, { requiredKeys: [] }), objectText(claimName, claimValue, 4))
  .map(([times, rest]) => {
    const members = Object.entries(times).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
    return rest === '{}' ? `{${members.join(',')}}` : `{${[...members, rest.slice(1, -1)].filter(Boolean).join(',')}}`;
  });

const claimsText = fc.oneof(
  { arbitrary: timedClaims, weight: 6 },
  { arbitrary: objectText(claimName, claimValue, 8), weight: 8 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), weight: 1 },
  { arbitrary: anyString, weight: 1 },
);

const signature = fc.oneof(
  { arbitrary: fc.uint8Array({ maxLength: 96 }).map(b64u), weight: 6 },
  { arbitrary: fc.constant(''), weight: 2 },
  { arbitrary: b64Run, weight: 1 },
);

/** A compact JWS/JWE built from parts: most decode, some only almost. */
export const builtToken: fc.Arbitrary<string> = fc.oneof(
  {
    arbitrary: fc
      .tuple(
        headerText,
        fc.oneof(
          { arbitrary: claimsText.map(b64u), weight: 6 },
          { arbitrary: fc.uint8Array({ maxLength: 40 }).map(b64u), weight: 1 },
          { arbitrary: fc.constant(''), weight: 1 },
        ),
        signature,
      )
      .map(([h, p, s]) => `${b64u(h)}.${p}.${s}`),
    weight: 8,
  },
  {
    // A nested token: the payload is itself a token (cty JWT, or just its text).
    arbitrary: fc
      .tuple(headerText, claimsText, signature, signature)
      .map(([h, c, s1, s2]) => `${b64u(h)}.${b64u(`${b64u('{"alg":"HS256"}')}.${b64u(c)}.${s1}`)}.${s2}`),
    weight: 1,
  },
  {
    arbitrary: fc
      .tuple(headerText, fc.array(fc.uint8Array({ maxLength: 40 }).map(b64u), { minLength: 4, maxLength: 4 }))
      .map(([h, rest]) => [b64u(h), ...rest].join('.')),
    weight: 2,
  },
);

const mutation = fc.oneof(
  fc.tuple(
    fc.constant('insert' as const),
    fc.nat(),
    fc.constantFrom('.', '=', '+', '/', ' ', '\n', '%2E', '\\u002e', '"', '\uD800', 'e', 'y', 'J', '\u0000', '😀'),
  ),
  fc.tuple(fc.constant('delete' as const), fc.nat(), fc.integer({ min: 1, max: 8 })),
  fc.tuple(fc.constant('truncate' as const), fc.nat(), fc.constant(0)),
  fc.tuple(fc.constant('pad' as const), fc.constantFrom('=', '==', '.', '..', ' ', ','), fc.constant(0)),
);

function mutate(token: string, ops: (readonly [string, unknown, unknown])[]): string {
  let t = token;
  for (const [op, a, b] of ops) {
    const at = t.length === 0 ? 0 : (a as number) % (t.length + 1);
    if (op === 'insert') t = t.slice(0, at) + String(b) + t.slice(at);
    else if (op === 'delete') t = t.slice(0, at) + t.slice(at + (b as number));
    else if (op === 'truncate') t = t.slice(0, at);
    else if (op === 'pad') t += String(a);
  }
  return t;
}

/** Built tokens, a third of them mutated. */
export const token: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: builtToken, weight: 2 },
  { arbitrary: fc.tuple(builtToken, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([t, ops]) => mutate(t, ops)), weight: 1 },
);

const fragment = fc.oneof(
  { arbitrary: token, weight: 4 },
  { arbitrary: anyString, weight: 3 },
  { arbitrary: b64Run, weight: 2 },
  {
    arbitrary: fc.constantFrom(
      'eyJ',
      'ey',
      'ew',
      'ewo',
      'eyA',
      'e',
      '.',
      '..',
      '...',
      '%20',
      '%2e',
      '%2E',
      '%',
      '\\n',
      '\\u0020',
      '\\u002e',
      '\\',
      '"',
      "'",
      ' ',
      '&',
      '=',
      '?',
      '#',
      ';',
      ',',
      ':',
      '{',
      '}',
      '[',
      ']',
      'Bearer ',
      'access_token=',
      '&id_token=',
      '"refresh_token":"',
      'eyJhbGciOiJIUzI1NiJ9',
      'eyJhbGciOiJub25lIn0',
      'eyJhbGciOiJIUzI1NiJ9.',
      'eyJhbGciOiJIUzI1NiJ9..',
      'e30',
      'AAAA',
      '\u0000',
      '\uD800',
      '\uDC00',
      '😀',
      '\u00a0',
      '\r\n',
      '\n',
    ),
    weight: 4,
  },
);

/** Free text with tokens in it: a header value, a body, a storage value, a URL. */
export const text: fc.Arbitrary<string> = fc.array(fragment, { maxLength: 24 }).map((parts) => parts.join(''));

/** JSON that carries tokens under the field names capture recognises, sometimes as JSON inside strings. */
export const jsonBody: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom('access_token', 'refresh_token', 'id_token', 'token', 'jwt', 'data', '__proto__', ''),
          fc.string({ maxLength: 8 }),
        ),
        fc.oneof(token, text, fc.jsonValue({ maxDepth: 2 })),
      ),
      { maxLength: 6 },
    ),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([members, nestAsString, asArray]) => {
    const inner = `{${members.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`;
    const body = nestAsString ? `{"payload":${JSON.stringify(inner)},"list":[${inner}]}` : inner;
    return asArray ? `[${body},${body}]` : body;
  });

/** Form bodies and query strings with tokens in them. */
export const formBody: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom('access_token', 'refresh_token', 'id_token', 'code', 'redirect_uri', '%zz', 'a+b'),
        fc.string({ maxLength: 6 }),
      ),
      fc.oneof(token, text),
    ),
    { maxLength: 5 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));

export const body = fc.oneof(jsonBody, formBody, text);

// ---------------------------------------------------------------------------------------------------------
// Cookies

const cookieAttribute = fc.oneof(
  fc.constantFrom(
    'Path=/',
    'Path=',
    'Path=/api',
    'Domain=example.com',
    'Domain=',
    'Domain=.',
    'Secure',
    'secure',
    'HttpOnly',
    'httponly',
    'Partitioned',
    'SameSite=None',
    'SameSite=Lax',
    'SameSite=strict',
    'SameSite=',
    'SameSite=bogus',
    'Priority=High',
    'Priority=bogus',
    'Expires=Wed, 21 Oct 2015 07:28:00 GMT',
    'Expires=garbage',
    'Expires=',
    'Expires=Fri, 31 Dec 275760 00:00:00 GMT',
    'Max-Age=-1',
    'Max-Age=0',
    'Max-Age=1e400',
    'Max-Age=99999999999999999999',
    'Max-Age=abc',
    'Max-Age=',
  ),
  fc.tuple(fc.string({ maxLength: 8 }), anyString).map(([k, v]) => `${k}=${v}`),
  anyString,
);

const cookieName = fc.oneof(
  fc.constantFrom('session', 'jwt', 'access_token', '__Host-jwt', '__Secure-jwt', '__HOST-x', '__secure-', '', ' '),
  fc.string({ maxLength: 8 }),
);
const cookieValue = fc.oneof(
  token,
  token.map((t) => `"${t}"`),
  token.map((t) => percentEncode(`{"access_token":"${t}"}`)),
  text,
  fc.constantFrom('%', '%zz', '%E0%A4%A', '%F0%9F%98%80', '"', '""', '=', '=='),
);

export const cookieHeader: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { arbitrary: fc.tuple(cookieName, cookieValue).map(([n, v]) => `${n}=${v}`), weight: 4 },
      { arbitrary: cookieValue, weight: 1 },
      { arbitrary: fc.constantFrom(';', ' ', '=', ';;', '\t'), weight: 1 },
    ),
    { maxLength: 8 },
  )
  .chain((pairs) => fc.constantFrom('; ', ';', ' ;', ',').map((sep) => pairs.join(sep)));

export const setCookieLine: fc.Arbitrary<string> = fc
  .tuple(cookieName, cookieValue, fc.array(cookieAttribute, { maxLength: 6 }), fc.constantFrom('; ', ';', ' ; ', '\n', '\r\n'))
  .map(([n, v, attrs, sep]) => [`${n}=${v}`, ...attrs].join(sep));

// ---------------------------------------------------------------------------------------------------------
// HAR entries

const headerName = fc.oneof(
  fc.constantFrom(
    'Authorization',
    'authorization',
    'Cookie',
    'cookie',
    'Set-Cookie',
    'set-cookie',
    'Location',
    'location',
    ':path',
    ':authority',
    'DPoP',
    'X-Auth-Token',
    'Content-Type',
    '',
  ),
  fc.string({ maxLength: 10 }),
);

function headerValueFor(name: string): fc.Arbitrary<string> {
  const lower = name.toLowerCase();
  if (lower === 'cookie') return cookieHeader;
  if (lower === 'set-cookie') return fc.array(setCookieLine, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n'));
  if (lower === 'authorization')
    return fc.oneof(
      token.map((t) => `Bearer ${t}`),
      text,
    );
  if (lower === 'location')
    return fc.oneof(
      token.map((t) => `/cb#access_token=${t}&state=1`),
      urlString,
    );
  return fc.oneof(token, text);
}

const harHeaders = fc.array(
  orJunk(
    headerName.chain((name) => orJunk(headerValueFor(name), 12).map((value) => ({ name, value }))),
    15,
  ),
  { maxLength: 8 },
);

export const urlString: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(
        'https://app.example',
        'http://app.example',
        'http://localhost:8080',
        'http://127.0.0.1',
        'http://[::1]:3000',
        'https://a.localhost',
        'chrome-extension://abc',
        'data:',
        '',
      ),
      fc.constantFrom('/', '/api/', '/cb', ''),
      fc.array(
        fc.tuple(
          fc.constantFrom('access_token', 'id_token', 'token', 'q', '%zz', 'redirect_uri'),
          fc.oneof(token, text, token.map(percentEncode)),
        ),
        { maxLength: 3 },
      ),
      fc.constantFrom('?', '#', '?a=1#'),
    )
    .map(([origin, path, params, sep]) => `${origin}${path}${params.length ? sep : ''}${params.map(([k, v]) => `${k}=${v}`).join('&')}`),
  text,
);

const harCookie = fc.record(
  {
    name: orJunk(cookieName),
    value: orJunk(cookieValue),
    httpOnly: orJunk(fc.boolean()),
    secure: orJunk(fc.boolean()),
    sameSite: orJunk(fc.constantFrom('Strict', 'Lax', 'None', 'no_restriction', 'unspecified', ' none ', '')),
    path: orJunk(fc.string({ maxLength: 6 })),
    expires: orJunk(fc.constantFrom(null, '1969-12-31T23:59:59.000Z', 'garbage')),
  },
  { requiredKeys: ['name', 'value'] },
);

const postData = fc.record(
  {
    mimeType: orJunk(
      fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain; charset=utf-8', 'multipart/form-data', ''),
    ),
    text: orJunk(body),
    params: orJunk(
      fc.array(
        orJunk(
          fc.record(
            { name: orJunk(fc.string({ maxLength: 8 })), value: orJunk(fc.oneof(token, text)), fileName: fc.string({ maxLength: 4 }) },
            { requiredKeys: ['name'] },
          ),
        ),
        { maxLength: 4 },
      ),
    ),
  },
  { requiredKeys: [] },
);

const content = fc.oneof(
  fc.record(
    {
      size: orJunk(hostileNumber),
      mimeType: orJunk(fc.constantFrom('application/json', 'text/html', 'application/jwt', 'image/png', '')),
      text: orJunk(body),
    },
    { requiredKeys: [] },
  ),
  fc.record({
    size: fc.nat(),
    mimeType: fc.constantFrom('application/json', 'text/plain', 'image/png'),
    text: fc.oneof(
      body.map((b) => Buffer.from(b).toString('base64')),
      anyString,
    ),
    encoding: fc.constantFrom('base64', 'BASE64', 'gzip'),
  }),
);

const harEntry = fc.record(
  {
    startedDateTime: orJunk(
      fc.oneof(
        fc.constantFrom('2023-11-14T22:13:20.000Z', '2023-11-14T23:13:20.123+01:00', 'not a date', ''),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      ),
    ),
    time: orJunk(hostileNumber),
    _resourceType: orJunk(fc.constantFrom('fetch', 'xhr', 'document')),
    request: orJunk(
      fc.record(
        {
          method: orJunk(fc.constantFrom('GET', 'post', 'OPTIONS', '')),
          url: orJunk(urlString, 20),
          headers: orJunk(harHeaders),
          queryString: orJunk(fc.array(fc.record({ name: fc.string({ maxLength: 6 }), value: fc.oneof(token, text) }), { maxLength: 3 })),
          cookies: orJunk(fc.array(orJunk(harCookie), { maxLength: 4 })),
          postData: orJunk(postData),
        },
        { requiredKeys: ['url'] },
      ),
      30,
    ),
    response: orJunk(
      fc.record(
        {
          status: orJunk(fc.oneof(fc.constantFrom(0, 200, 302, 401), hostileNumber)),
          headers: orJunk(harHeaders),
          cookies: orJunk(fc.array(orJunk(harCookie), { maxLength: 4 })),
          content: orJunk(content),
          redirectURL: orJunk(fc.oneof(urlString, fc.constant(''))),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: ['request'] },
);

/**
 * Objects that throw when read: a revoked proxy, a proxy that throws on every trap, throwing getters. Made
 * fresh per case by the target (fast-check itself would trip over them), so the generator yields an index.
 */
export const HOSTILE_OBJECTS: readonly (() => unknown)[] = [
  () => {
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    return revocable.proxy;
  },
  () => {
    const boom = (): never => {
      throw new Error('trap');
    };
    return new Proxy({}, { get: boom, has: boom, ownKeys: boom, getPrototypeOf: boom, getOwnPropertyDescriptor: boom });
  },
  () =>
    Object.defineProperty({ request: { url: 'https://x' } }, 'response', {
      get: () => {
        throw new Error('getter');
      },
      enumerable: true,
    }),
  () => ({
    request: Object.defineProperty({ url: 'https://x', headers: [] }, 'postData', {
      get: () => {
        throw new Error('getter');
      },
      enumerable: true,
    }),
  }),
  () => ({
    request: {
      url: 'https://x',
      headers: new Proxy([], {
        get: (t, k) => {
          if (k === 'length') throw new Error('length');
          return Reflect.get(t, k) as unknown;
        },
      }),
    },
  }),
  () => ({
    request: {
      url: 'https://x/?access_token=eyJhbGciOiJub25lIn0.e30.',
      headers: [
        {
          get name(): string {
            throw new Error('name');
          },
          value: 'x',
        },
      ],
    },
  }),
];

/** A HAR entry as `devtools.network` or an imported file hands it over, with a body (or not). */
export const harInput: fc.Arbitrary<{ entry: unknown; body: unknown; hostile?: number }> = fc.record({
  entry: fc.oneof({ arbitrary: harEntry, weight: 20 }, { arbitrary: fc.anything({ maxDepth: 3 }), weight: 1 }),
  hostile: fc.oneof({ arbitrary: fc.constant(undefined), weight: 20 }, { arbitrary: fc.nat(HOSTILE_OBJECTS.length - 1), weight: 1 }),
  body: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 2 },
    { arbitrary: body, weight: 3 },
    { arbitrary: fc.anything({ maxDepth: 1 }), weight: 1 },
  ),
});

// ---------------------------------------------------------------------------------------------------------
// Sightings and analysis context

export const sightingLike = fc.record(
  {
    where: orJunk(fc.constantFrom(...WHERES), 12),
    url: orJunk(urlString),
    name: orJunk(
      fc.oneof(
        fc.constantFrom('access_token', 'refresh_token', 'id_token', 'Authorization', '__Host-jwt', '__proto__'),
        fc.string({ maxLength: 8 }),
      ),
    ),
    cookie: orJunk(
      fc.record(
        {
          httpOnly: orJunk(fc.boolean()),
          secure: orJunk(fc.boolean()),
          sameSite: orJunk(fc.constantFrom('strict', 'lax', 'none', 'None')),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: ['where'] },
);

export const analysisContext = fc.oneof(
  {
    arbitrary: fc.record(
      {
        now: orJunk(fc.oneof(fc.constantFrom(1700000000, 1700000000 + 299, 1700000000 + 86400 * 400), hostileNumber)),
        skewSeconds: orJunk(hostileNumber),
        sightings: orJunk(fc.array(orJunk(sightingLike, 15), { maxLength: 6 })),
      },
      { requiredKeys: [] },
    ),
    weight: 12,
  },
  { arbitrary: fc.anything({ maxDepth: 2 }), weight: 1 },
  { arbitrary: fc.constant(undefined), weight: 1 },
);

/** Objects that claim to be a decoded token without being one. */
export const fakeDecoded = fc.record(
  {
    ok: fc.oneof(fc.constant(true), fc.anything({ maxDepth: 0 })),
    kind: orJunk(fc.constantFrom('jws', 'jwe', 'unsecured')),
    raw: orJunk(token),
    parts: orJunk(fc.array(fc.string({ maxLength: 8 }), { maxLength: 5 })),
    header: fc.oneof(
      fc.anything({ maxDepth: 2 }),
      fc.record(
        { alg: fc.anything({ maxDepth: 1 }), kid: fc.anything({ maxDepth: 1 }), jku: fc.anything({ maxDepth: 1 }) },
        { requiredKeys: [] },
      ),
    ),
    payload: fc.oneof(fc.anything({ maxDepth: 3 }), fc.dictionary(claimName, claimValue, { maxKeys: 6 })),
    payloadIsJson: fc.anything({ maxDepth: 0 }),
    signatureLength: fc.anything({ maxDepth: 0 }),
  },
  { requiredKeys: ['ok'] },
);

// ---------------------------------------------------------------------------------------------------------
// Captures (TokenStore export files)

/** A sighting as capture produces it, for a token from the generators. */
export const capturedSighting = (tokens: fc.Arbitrary<string>): fc.Arbitrary<CapturedSighting> =>
  fc
    .record({
      token: tokens,
      where: fc.constantFrom(...WHERES),
      url: urlString,
      name: fc.option(fc.oneof(fc.constantFrom('access_token', 'refresh_token', 'Authorization', 'jwt'), fc.string({ maxLength: 8 })), {
        nil: undefined,
      }),
      cookie: fc.option(
        fc.record(
          {
            httpOnly: fc.boolean(),
            secure: fc.boolean(),
            sameSite: fc.constantFrom('strict', 'lax', 'none') as fc.Arbitrary<'strict' | 'lax' | 'none'>,
          },
          { requiredKeys: [] },
        ),
        { nil: undefined },
      ),
      time: fc.oneof(fc.integer({ min: 1_699_000_000_000, max: 1_701_000_000_000 }), fc.constant(1_700_000_000_000)),
      method: fc.option(fc.constantFrom('GET', 'POST'), { nil: undefined }),
      status: fc.option(fc.constantFrom(200, 302, 401), { nil: undefined }),
      field: fc.option(fc.constantFrom('access_token', 'refresh_token', 'id_token'), { nil: undefined }),
      exchange: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
      side: fc.option(fc.constantFrom('request', 'response') as fc.Arbitrary<'request' | 'response'>, { nil: undefined }),
    })
    .map((r) => {
      const sighting: CapturedSighting['sighting'] = { where: r.where, url: r.url };
      if (r.name !== undefined) sighting.name = r.name;
      if (r.cookie !== undefined) sighting.cookie = r.cookie;
      const c: CapturedSighting = { token: r.token, sighting, time: r.time, requestUrl: r.url };
      if (r.method !== undefined) c.method = r.method;
      if (r.status !== undefined) c.status = r.status;
      if (r.field !== undefined) c.field = r.field;
      if (r.exchange !== undefined) c.exchange = r.exchange;
      if (r.side !== undefined) c.side = r.side;
      return c;
    });

const jsonEdit = fc.tuple(
  fc.nat(),
  fc.oneof(fc.anything({ maxDepth: 2 }), fc.constantFrom(null, -1, 1e308, '', 'x'.repeat(70_000), [], {})),
);

/** Replaces the n-th value of a parsed JSON document (depth-first) with `value`. */
function editJson(doc: unknown, n: number, value: unknown): unknown {
  let i = 0;
  let done = false;
  const visit = (v: unknown): unknown => {
    if (done) return v;
    if (i++ === n) {
      done = true;
      return value;
    }
    if (Array.isArray(v)) return v.map(visit);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v))
        Object.defineProperty(out, k, { value: visit(x), enumerable: true, writable: true, configurable: true });
      return out;
    }
    return v;
  };
  const count = (v: unknown): number =>
    Array.isArray(v)
      ? 1 + v.reduce((s: number, x) => s + count(x), 0)
      : v !== null && typeof v === 'object'
        ? 1 + Object.values(v).reduce((s: number, x) => s + count(x), 0)
        : 1;
  const total = count(doc);
  n = n % total;
  return visit(doc);
}

/**
 * The text of a capture file: an export (by a real store, from generated sightings) that is then edited
 * or cut, a capture-shaped document of junk, or any text at all. `exportOf` runs the real exporter.
 */
export function captureFile(
  exportOf: (sightings: CapturedSighting[], strip: boolean) => string,
  findToken: (text: string) => string | undefined,
): fc.Arbitrary<{ json: string; pristine: boolean }> {
  // Capture only ever holds tokens findTokens found (headers, bodies, storage all go through it), so the
  // exports are made of those: the first token found in a generated one, or a fixed one when none is.
  const captured = fc.oneof(builtToken, token).map((t) => findToken(t) ?? 'eyJhbGciOiJub25lIn0.e30.');
  const exported = fc.tuple(fc.array(capturedSighting(captured), { maxLength: 8 }), fc.boolean()).map(([s, strip]) => exportOf(s, strip));
  return fc.oneof(
    { arbitrary: exported.map((json) => ({ json, pristine: true })), weight: 4 },
    {
      arbitrary: fc.tuple(exported, fc.array(jsonEdit, { minLength: 1, maxLength: 3 })).map(([json, edits]) => {
        let doc: unknown = JSON.parse(json);
        for (const [n, v] of edits) doc = editJson(doc, n, v);
        return { json: JSON.stringify(doc) ?? 'null', pristine: false };
      }),
      weight: 4,
    },
    {
      arbitrary: fc.tuple(exported, fc.nat()).map(([json, cut]) => ({ json: json.slice(0, cut % (json.length + 1)), pristine: false })),
      weight: 1,
    },
    {
      arbitrary: fc
        .record(
          {
            format: fc.oneof(fc.constant('jwt-inspector-capture'), fc.anything({ maxDepth: 0 })),
            version: fc.oneof(fc.constant(1), fc.anything({ maxDepth: 0 })),
            tokens: fc.oneof(
              fc.array(
                fc.record(
                  {
                    token: orJunk(token, 3),
                    sightings: fc.anything({ maxDepth: 3 }),
                    signatureStripped: fc.anything({ maxDepth: 0 }),
                    verification: fc.anything({ maxDepth: 2 }),
                  },
                  { requiredKeys: [] },
                ),
                { maxLength: 4 },
              ),
              fc.anything({ maxDepth: 2 }),
            ),
          },
          { requiredKeys: [] },
        )
        .map((doc) => ({ json: JSON.stringify(doc) ?? 'null', pristine: false })),
      weight: 2,
    },
    {
      arbitrary: fc
        .oneof(
          anyString,
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
        )
        .map((json) => ({ json, pristine: false })),
      weight: 1,
    },
  );
}
