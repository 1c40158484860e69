// A hostile app on 127.0.0.1 for the rendering tests: its tokens carry markup, script URLs, bidi overrides,
// zero-width characters, a 100 KB claim, a 10,000-deep claim, and one token of more than 1 MiB that travels in
// a request header. Every payload that would run sets `__pwned` on the global object of wherever it runs, so
// a test can ask each extension page whether anything ran.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Markup that runs code where it is parsed as HTML; text where it is rendered as text. */
export const XSS = {
  img: '<img src=x onerror="globalThis.__pwned=1">',
  script: '<script>globalThis.__pwned=2</script>',
  jsUrl: 'javascript:globalThis.__pwned=3',
  svg: '<svg onload="globalThis.__pwned=4"></svg>',
  iframe: '<iframe srcdoc="<script>parent.__pwned=5</script>"></iframe>',
} as const;

/** The JSON key, storage key and query parameter names the app uses: page-controlled text as well. */
export const HOSTILE_NAMES = {
  storageKey: '<img src=x onerror="globalThis.__pwned=6">',
  jsonField: '<script>globalThis.__pwned=7</script>',
} as const;

export const LONG_CLAIM_CHARS = 100_000;
export const DEEP_NESTING = 10_000;
/** Longer than decodeToken's 1 MiB limit, and far longer than the 64 KiB scanned of a header. */
export const HUGE_TOKEN_CHARS = 1024 * 1024 + 64 * 1024;
export const LONG_END_MARKER = 'END-OF-THE-LONG-CLAIM';

export interface HostileTokens {
  /** HS256, markup in header and claims; signed with its own `sub`, so the weak-secret check finds that markup. */
  xss: string;
  /** HS256 with "secret": bidi override and zero-width characters in its claims. */
  bidi: string;
  /** HS256 with a strong random secret: a 100 KB claim (the weak-secret list would take minutes on it). */
  long: string;
  /** Unsigned: a claim nested 10,000 deep. */
  deep: string;
  /** HS256 with "secret", harmless: travels in the same request as the huge token. */
  small: string;
  /** More than 1 MiB, in a request header. */
  huge: string;
}

export interface HostileApp {
  origin: string;
  url: string;
  blankUrl: string;
  tokens: HostileTokens;
  /** Every request the server saw. */
  requests: { method: string; url: string; headerBytes: number }[];
  close(): Promise<void>;
}

const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** Compact JWS from raw JSON text (so nesting JSON.stringify refuses can be built), HS256 or unsigned. */
function jws(headerJson: string, payloadJson: string, secret?: string): string {
  const input = `${b64url(headerJson)}.${b64url(payloadJson)}`;
  if (secret === undefined) return `${input}.`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

export function makeHostileTokens(): HostileTokens {
  const now = Math.floor(Date.now() / 1000);
  const exp = now + 3600;
  const hs = (kid?: string) => JSON.stringify({ alg: 'HS256', typ: 'JWT', ...(kid ? { kid } : {}) });

  const xssSub = `${XSS.img}${XSS.script}`;
  const xss = jws(
    hs(XSS.script),
    JSON.stringify({
      iss: `https://evil.example/${XSS.svg}`,
      sub: xssSub,
      name: XSS.iframe,
      website: XSS.jsUrl,
      [XSS.img]: 'markup as a claim name',
      iat: now,
      exp,
    }),
    // The weak-secret check tries the token's own claims first: the secret it finds (and shows) is markup too.
    xssSub,
  );

  const bidi = jws(
    hs(),
    JSON.stringify({
      iss: 'https://bidi.example',
      sub: 'bidi-subject',
      // Reads "admin.exe" … once the override flips what follows it.
      file: 'report\u202Eexe.pdf',
      role: 'us\u200Ber',
      note: 'zero\u200Bwidth and \u202Eoverride',
      iat: now,
      exp,
    }),
    'secret',
  );

  const long = jws(
    hs(),
    JSON.stringify({
      iss: 'https://long.example',
      sub: 'long-subject',
      blob: `${'A'.repeat(LONG_CLAIM_CHARS - LONG_END_MARKER.length - XSS.img.length)}${XSS.img}${LONG_END_MARKER}`,
      iat: now,
      exp,
    }),
    randomBytes(32).toString('hex'),
  );

  const deepClaim = `${'{"a":'.repeat(DEEP_NESTING)}"bottom"${'}'.repeat(DEEP_NESTING)}`;
  const deep = jws(
    JSON.stringify({ alg: 'none', typ: 'JWT' }),
    `{"iss":"https://deep.example","sub":"deep-subject","iat":${now},"exp":${exp},"nested":${deepClaim}}`,
  );

  const small = jws(hs(), JSON.stringify({ iss: 'https://small.example', sub: 'small-subject', iat: now, exp }), 'secret');

  const hugeHeader = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const hugePayloadChars = HUGE_TOKEN_CHARS - hugeHeader.length - 2 - 43;
  // base64url of {"sub":"huge-subject","pad":"xxxx…"}: 4 output characters per 3 input bytes.
  const prefix = '{"sub":"huge-subject","pad":"';
  const padBytes = Math.ceil((hugePayloadChars * 3) / 4) - prefix.length - 2;
  const huge = jws(JSON.stringify({ alg: 'HS256', typ: 'JWT' }), `${prefix}${'x'.repeat(padBytes)}"}`, 'secret');

  return { xss, bidi, long, deep, small, huge };
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>hostile app</title>
<body><h1>hostile app</h1><pre id="log"></pre>
<script>
const log = (m) => (document.getElementById('log').textContent += m + '\\n');
let tokens;
async function phase1() {
  const r = await fetch('/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"user":"mallory"}' });
  tokens = await r.json();
  localStorage.setItem(${JSON.stringify(HOSTILE_NAMES.storageKey)}, tokens.access_token);
  sessionStorage.setItem('profile', JSON.stringify({ note: 'bidi', token: tokens.profile_token }));
  log('phase1 done');
  window.phase1Done = true;
}
window.phase2 = async function () {
  await fetch('/api/me', { headers: { Authorization: 'Bearer ' + tokens.access_token } });
  await fetch('/api/profile?id_token=' + tokens.profile_token + '&next=javascript:globalThis.__pwned=8');
  const huge = await (await fetch('/huge.txt')).text();
  await fetch('/api/upload', { headers: { 'X-Huge-Token': huge, 'X-Small-Token': tokens.small_token } });
  log('phase2 done');
  return true;
};
phase1();
</script>`;

export async function startHostileApp(): Promise<HostileApp> {
  const tokens = makeHostileTokens();
  const requests: HostileApp['requests'] = [];
  const send = (res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}) =>
    void res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...extra }).end(body);
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
    '/blank': (_q, r) => send(r, 200, 'text/html', '<!doctype html><title>blank</title>'),
    '/app': (_q, r) => send(r, 200, 'text/html; charset=utf-8', PAGE),
    '/login': (_q, r) =>
      send(
        r,
        200,
        'application/json',
        JSON.stringify({
          access_token: tokens.xss,
          profile_token: tokens.bidi,
          // Page-controlled JSON field names end up in the sighting list.
          [HOSTILE_NAMES.jsonField]: tokens.long,
          report: { deep_token: tokens.deep },
          small_token: tokens.small,
        }),
      ),
    // The huge token reaches the page as text/plain the panel does not read (over 1 MiB) and leaves in a header.
    '/huge.txt': (_q, r) => send(r, 200, 'application/octet-stream', tokens.huge),
    '/api/me': (_q, r) => send(r, 200, 'application/json', '{"name":"Mallory"}'),
    '/api/profile': (_q, r) => send(r, 200, 'application/json', '{}'),
    '/api/upload': (_q, r) => send(r, 200, 'application/json', '{"stored":true}'),
  };
  // Node refuses request headers over 16 KiB by default (431); this server takes the huge header like a
  // permissive backend would, so the browser logs a complete exchange.
  const server = createServer({ maxHeaderSize: 4 * 1024 * 1024 }, (req, res) => {
    req.resume();
    req.on('end', () => {
      const headerBytes = req.rawHeaders.reduce((n, h) => n + h.length, 0);
      requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headerBytes });
      const route = routes[new URL(req.url ?? '/', 'http://127.0.0.1').pathname];
      if (route) route(req, res);
      else send(res, 404, 'text/plain', 'not found');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: `${origin}/app`,
    blankUrl: `${origin}/blank`,
    tokens,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
