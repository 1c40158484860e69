// Deterministic inputs for the benchmark: varied tokens (fake signatures of the right sizes: nothing here
// verifies them) and Chrome-shaped HAR entries, some carrying tokens in the places real traffic does.
// Seeded, so every run measures the same bytes.

import type { HarEntry, HarHeader } from '../../src/capture/har-types';

/** 2023-11-14T22:13:20Z: the HAR's clock. Token times are around the real now, so analysis sees live tokens. */
const T0_MS = 1_700_000_000_000;

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  /** xorshift32, in [0, 1). */
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
  word(n: number): string {
    const a = 'abcdefghijklmnopqrstuvwxyz0123456789';
    let s = '';
    for (let i = 0; i < n; i++) s += a[this.int(a.length)];
    return s;
  }
}

export function b64url(input: Uint8Array | string): string {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input);
  return buf.toString('base64url');
}

export type Kind = 'HS256' | 'HS384' | 'HS512' | 'RS256' | 'RS512' | 'PS256' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA' | 'none' | 'JWE';

const SIGNATURE_BYTES: Record<Exclude<Kind, 'JWE' | 'none'>, number> = {
  HS256: 32,
  HS384: 48,
  HS512: 64,
  RS256: 256,
  RS512: 512,
  PS256: 256,
  ES256: 64,
  ES384: 96,
  ES512: 132,
  EdDSA: 64,
};

/** Roughly what issuers send: mostly RS256 and HS256, then ES256, a few of the rest. */
const KIND_WEIGHTS: [Kind, number][] = [
  ['RS256', 30],
  ['HS256', 20],
  ['ES256', 12],
  ['PS256', 4],
  ['RS512', 3],
  ['HS384', 2],
  ['HS512', 3],
  ['ES384', 3],
  ['ES512', 2],
  ['EdDSA', 6],
  ['none', 3],
  ['JWE', 12],
];

function pickKind(rng: Rng, allowed?: readonly Kind[]): Kind {
  const weights = allowed ? KIND_WEIGHTS.filter(([k]) => allowed.includes(k)) : KIND_WEIGHTS;
  const total = weights.reduce((a, [, w]) => a + w, 0);
  let r = rng.next() * total;
  for (const [k, w] of weights) if ((r -= w) < 0) return k;
  return weights[0]![0];
}

const ISSUERS = Array.from({ length: 24 }, (_, i) => `https://login-${i}.example.com/`);
/** Key ids name signing keys, so they repeat: a few dozen across all issuers. */
const KIDS = (() => {
  const rng = new Rng(99);
  return Array.from({ length: 40 }, () => rng.word(8 + rng.int(32)));
})();
const PERMISSIONS = ['read', 'write', 'admin', 'billing', 'reports', 'users', 'audit', 'export', 'import', 'settings'];

function claims(rng: Rng, nowSeconds: number): Record<string, unknown> {
  const iat = nowSeconds - rng.int(7200);
  const c: Record<string, unknown> = {
    iss: rng.pick(ISSUERS),
    sub: `user-${rng.word(10)}`,
    aud: rng.next() < 0.3 ? ['api', 'spa'] : 'api',
    iat,
    exp: iat + rng.pick([300, 900, 3600, 86400, 30 * 86400]),
    jti: rng.word(16),
  };
  const size = rng.next();
  if (size > 0.4) {
    c.scope = 'openid profile email offline_access';
    c.email = `${rng.word(8)}@example.com`;
    c.name = `Test User ${rng.int(10000)}`;
    c.email_verified = true;
    c.sid = rng.word(24);
  }
  if (size > 0.8) {
    c.roles = Array.from({ length: 5 + rng.int(40) }, () => `${rng.pick(PERMISSIONS)}:${rng.word(6)}`);
    c.org = { id: rng.word(12), name: `Org ${rng.int(1000)}`, tier: rng.pick(['free', 'pro', 'enterprise']) };
  }
  if (size > 0.97) {
    // A few fat tokens: hundreds of entitlements.
    c.entitlements = Array.from({ length: 200 + rng.int(400) }, () => `${rng.pick(PERMISSIONS)}:${rng.word(12)}`);
  }
  if (rng.next() < 0.1) c.nbf = iat;
  return c;
}

/** One compact token of a random kind (or one of `allowed`). */
export function makeToken(rng: Rng, nowSeconds: number, allowed?: readonly Kind[]): string {
  const kind = pickKind(rng, allowed);
  if (kind === 'JWE') {
    const header: Record<string, unknown> =
      rng.next() < 0.5 ? { alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: rng.pick(KIDS) } : { alg: 'dir', enc: 'A128CBC-HS256' };
    if (rng.next() < 0.3) header.cty = 'JWT';
    const ek = header.alg === 'dir' ? '' : b64url(rng.bytes(256));
    return [b64url(JSON.stringify(header)), ek, b64url(rng.bytes(12)), b64url(rng.bytes(200 + rng.int(1500))), b64url(rng.bytes(16))].join(
      '.',
    );
  }
  const header: Record<string, unknown> = { alg: kind, typ: 'JWT' };
  if (kind !== 'none' && rng.next() < 0.7) header.kid = rng.pick(KIDS);
  const payload = b64url(JSON.stringify(claims(rng, nowSeconds)));
  const signature = kind === 'none' ? '' : b64url(rng.bytes(SIGNATURE_BYTES[kind]));
  return `${b64url(JSON.stringify(header))}.${payload}.${signature}`;
}

/** `count` distinct tokens of every kind and size. */
export function tokenCorpus(count: number, seed = 1): string[] {
  const rng = new Rng(seed);
  const now = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, () => makeToken(rng, now));
}

// ---------------------------------------------------------------------------------------------------------
// HAR entries

const APP = 'https://app.example.com';
const API = 'https://api.example.com';
const AUTH = 'https://auth.example.com';

function h(name: string, value: string): HarHeader {
  return { name, value };
}

const COMMON_REQUEST: HarHeader[] = [
  h(':authority', 'api.example.com'),
  h(':method', 'GET'),
  h(':scheme', 'https'),
  h('accept', 'application/json, text/plain, */*'),
  h('accept-encoding', 'gzip, deflate, br, zstd'),
  h('accept-language', 'en-US,en;q=0.9'),
  h('origin', APP),
  h('referer', `${APP}/`),
  h('sec-ch-ua', '"Chromium";v="140", "Not=A?Brand";v="24"'),
  h('sec-fetch-mode', 'cors'),
  h('user-agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36'),
];

const COMMON_RESPONSE: HarHeader[] = [
  h('cache-control', 'private, max-age=0'),
  h('date', 'Tue, 14 Nov 2023 22:13:20 GMT'),
  h('server', 'envoy'),
  h('strict-transport-security', 'max-age=63072000; includeSubDomains'),
  h('vary', 'Origin, Accept-Encoding'),
  h('x-request-id', '00000000-0000-0000-0000-000000000000'),
];

/** JSON an API returns: a page of records, with decimals, dates and dotted names (dots are what the scanner stops at). */
function apiBody(rng: Rng, records: number): string {
  const items = Array.from({ length: records }, (_, i) => ({
    id: rng.word(12),
    index: i,
    name: `Item ${rng.word(6)}.${rng.word(3)}`,
    price: Math.round(rng.next() * 100000) / 100,
    updatedAt: new Date(T0_MS - rng.int(1e9)).toISOString(),
    url: `${API}/v1/items/${rng.word(8)}?expand=owner.profile&v=1.2.${rng.int(9)}`,
    tags: [rng.word(5), rng.word(7)],
    note: 'Lorem ipsum dolor sit amet. Consectetur adipiscing elit. Sed do eiusmod tempor.',
  }));
  return JSON.stringify({ data: items, page: { size: records, next: `${API}/v1/items?cursor=${rng.word(20)}` } });
}

/** Minified-looking script: full of dots and identifiers. */
function scriptBody(rng: Rng, chars: number): string {
  const parts: string[] = [];
  let n = 0;
  while (n < chars) {
    const s = `function ${rng.word(3)}(e,t){return e.${rng.word(4)}.${rng.word(5)}(t.${rng.word(3)},this.${rng.word(6)}||window.${rng.word(4)}),0.${rng.int(1000)}}`;
    parts.push(s);
    n += s.length;
  }
  return parts.join(';');
}

interface Builder {
  rng: Rng;
  now: number;
  i: number;
}

function started(b: Builder): string {
  return new Date(T0_MS + b.i * 37).toISOString();
}

function entry(
  b: Builder,
  o: {
    method?: string;
    url: string;
    requestHeaders?: HarHeader[];
    postData?: HarEntry['request']['postData'];
    status?: number;
    responseHeaders?: HarHeader[];
    mimeType: string;
    body?: string;
    encoding?: string;
    resourceType?: string;
  },
): HarEntry {
  const body = o.body ?? '';
  const content: HarEntry['response']['content'] = { size: body.length, mimeType: o.mimeType };
  if (body) content.text = body;
  if (o.encoding) content.encoding = o.encoding;
  return {
    startedDateTime: started(b),
    time: 20 + b.rng.int(300),
    request: {
      method: o.method ?? 'GET',
      url: o.url,
      httpVersion: 'http/2.0',
      headers: [...COMMON_REQUEST, h(':path', new URL(o.url).pathname), ...(o.requestHeaders ?? [])],
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: o.postData?.text?.length ?? 0,
      ...(o.postData ? { postData: o.postData } : {}),
    },
    response: {
      status: o.status ?? 200,
      statusText: '',
      httpVersion: 'http/2.0',
      headers: [...COMMON_RESPONSE, h('content-type', o.mimeType), ...(o.responseHeaders ?? [])],
      cookies: [],
      content,
      redirectURL: '',
      headersSize: -1,
      bodySize: body.length,
      _transferSize: body.length + 300,
    },
    cache: {},
    timings: { blocked: 1, dns: -1, ssl: -1, connect: -1, send: 0, wait: 20, receive: 1 },
    _resourceType: o.resourceType ?? 'fetch',
  } as HarEntry;
}

/** An entry without a token: API JSON, a script, a stylesheet or an image. */
function plainEntry(b: Builder): HarEntry {
  const r = b.rng.next();
  if (r < 0.45)
    return entry(b, { url: `${API}/v1/items?page=${b.i}`, mimeType: 'application/json', body: apiBody(b.rng, 1 + b.rng.int(5)) });
  if (r < 0.7) {
    return entry(b, {
      url: `${APP}/assets/chunk-${b.rng.word(8)}.js`,
      mimeType: 'text/javascript',
      body: scriptBody(b.rng, 500 + b.rng.int(4000)),
      resourceType: 'script',
    });
  }
  if (r < 0.85)
    return entry(b, {
      url: `${APP}/img/${b.rng.word(8)}.png`,
      mimeType: 'image/png',
      body: b64url(b.rng.bytes(300 + b.rng.int(3000))),
      encoding: 'base64',
      resourceType: 'image',
    });
  return entry(b, {
    method: 'POST',
    url: `${API}/v1/events`,
    mimeType: 'application/json',
    body: '{"ok":true}',
    postData: { mimeType: 'application/json', text: apiBody(b.rng, 1) },
  });
}

/**
 * An entry carrying tokens where real traffic does: token endpoint responses (JSON body, Set-Cookie), API
 * calls (Authorization, cookies), redirects with tokens in the URL, refresh requests (form body). As in a
 * real session, most requests reuse the current access token: 1% are logins (three new tokens), 2%
 * refreshes (two), 1% sign-in redirects (an ID token), and 2% lists whose items carry their own tokens
 * (signed links and grants, 4 to 14): about one distinct token per four token-carrying entries.
 * `fresh()` makes a new token.
 */
function tokenEntry(b: Builder, fresh: () => string, session: { access: string; refresh: string }): HarEntry {
  const r = b.rng.next();
  if (r < 0.01) {
    session.access = fresh();
    session.refresh = fresh();
    const id = fresh();
    return entry(b, {
      method: 'POST',
      url: `${AUTH}/oauth/token`,
      postData: {
        mimeType: 'application/x-www-form-urlencoded',
        text: `grant_type=authorization_code&code=${b.rng.word(24)}&client_id=spa`,
        params: [
          { name: 'grant_type', value: 'authorization_code' },
          { name: 'client_id', value: 'spa' },
        ],
      },
      mimeType: 'application/json',
      responseHeaders: [h('set-cookie', `refresh_token=${session.refresh}; Path=/; HttpOnly; Secure; SameSite=Strict`)],
      body: JSON.stringify({
        access_token: session.access,
        refresh_token: session.refresh,
        id_token: id,
        token_type: 'Bearer',
        expires_in: 3600,
      }),
    });
  }
  if (r < 0.03) {
    const old = session.refresh;
    session.access = fresh();
    session.refresh = fresh();
    return entry(b, {
      method: 'POST',
      url: `${AUTH}/oauth/token`,
      postData: {
        mimeType: 'application/x-www-form-urlencoded',
        text: `grant_type=refresh_token&refresh_token=${old}&client_id=spa`,
        params: [
          { name: 'grant_type', value: 'refresh_token' },
          { name: 'refresh_token', value: old },
          { name: 'client_id', value: 'spa' },
        ],
      },
      mimeType: 'application/json',
      body: JSON.stringify({ access_token: session.access, refresh_token: session.refresh, token_type: 'Bearer', expires_in: 3600 }),
    });
  }
  if (r < 0.04) {
    const id = fresh();
    return entry(b, {
      url: `${APP}/callback?state=${b.rng.word(16)}&id_token=${id}`,
      status: 302,
      mimeType: 'text/html',
      responseHeaders: [h('location', `${APP}/#access_token=${session.access}&token_type=bearer`)],
      resourceType: 'document',
    });
  }
  if (r < 0.12) {
    return entry(b, {
      url: `${API}/v1/me`,
      requestHeaders: [h('cookie', `theme=dark; session=${session.access}; _ga=GA1.2.${b.rng.int(1e9)}.${b.rng.int(1e9)}`)],
      mimeType: 'application/json',
      body: apiBody(b.rng, 1),
    });
  }
  if (r < 0.14) {
    // A list whose records carry their own tokens (signed links, per-item grants): several distinct tokens.
    const items = Array.from({ length: 2 + b.rng.int(6) }, () => ({
      id: b.rng.word(10),
      download: `${API}/files/${b.rng.word(6)}?sig=${fresh()}`,
      grant: fresh(),
    }));
    return entry(b, {
      url: `${API}/v1/files`,
      requestHeaders: [h('authorization', `Bearer ${session.access}`)],
      mimeType: 'application/json',
      body: JSON.stringify({ data: items }),
    });
  }
  return entry(b, {
    url: `${API}/v1/items/${b.rng.word(8)}`,
    requestHeaders: [h('authorization', `Bearer ${session.access}`)],
    mimeType: 'application/json',
    body: apiBody(b.rng, 1 + b.rng.int(6)),
  });
}

/** `count` entries, `tokenShare` of them carrying tokens, in time order. Tokens of every kind, or of `kinds`. */
export function harEntries(count: number, tokenShare = 0.5, seed = 7, kinds?: readonly Kind[]): HarEntry[] {
  const rng = new Rng(seed);
  const now = Math.floor(Date.now() / 1000);
  const b: Builder = { rng, now, i: 0 };
  const fresh = () => makeToken(rng, now, kinds);
  const session = { access: fresh(), refresh: fresh() };
  const out: HarEntry[] = [];
  for (let i = 0; i < count; i++) {
    b.i = i;
    out.push(rng.next() < tokenShare ? tokenEntry(b, fresh, session) : plainEntry(b));
  }
  return out;
}

/**
 * `count` entries, each an API call with its own distinct token in the Authorization header and a small
 * JSON body: a panel list of exactly `count` tokens. No HMAC tokens: in the browser each HS* token starts
 * a weak-secret check in the worker (104k HMACs, about a second each), which would load the machine
 * for the whole run. Times start `offsetMs` after the HAR's clock.
 */
export function tokenPerEntry(count: number, seed: number, offsetMs = 0): HarEntry[] {
  const rng = new Rng(seed);
  const now = Math.floor(Date.now() / 1000);
  const b: Builder = { rng, now, i: 0 };
  const kinds: Kind[] = ['RS256', 'ES256', 'PS256', 'RS512', 'ES384', 'ES512', 'EdDSA', 'none', 'JWE'];
  const out: HarEntry[] = [];
  for (let i = 0; i < count; i++) {
    b.i = i + offsetMs / 37;
    out.push(
      entry(b, {
        url: `${API}/v1/items/${rng.word(8)}`,
        requestHeaders: [h('authorization', `Bearer ${makeToken(rng, now, kinds)}`)],
        mimeType: 'application/json',
        body: apiBody(rng, 1 + rng.int(3)),
      }),
    );
  }
  return out;
}

export function harText(entries: readonly HarEntry[]): string {
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries } });
}

/** A HAR text of at least `bytes` characters. */
export function harTextOfSize(bytes: number, seed = 11): string {
  let n = 1000;
  for (;;) {
    const text = harText(harEntries(n, 0.5, seed));
    if (text.length >= bytes) return text;
    n = Math.ceil((n * bytes) / text.length) + 50;
  }
}
