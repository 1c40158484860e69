// The demo app: the sign-in flow of the project's source notes, served on 127.0.0.1 for people to inspect
// with the extension (`npm run demo`) and for the end-to-end test of the panel (test/e2e/chromium/demo.test.ts).
//
// What it does, on purpose, so the panel has something true to show:
// - Sign in with a user name and password → a short-lived access token and a refresh token, both JWTs
//   (RS256, a key generated at start, its kid in the header; `/.well-known/openid-configuration` names
//   the origin as issuer and `/jwks.json` publishes the public keys, readable cross-origin).
// - Three ways to keep the tokens, chosen per sign-in:
//   cookie   — HttpOnly + Secure + SameSite=Strict cookies (the refresh cookie only on /auth): no script
//              can read them, but the browser attaches them by itself, which a form POST demonstrates (CSRF);
//   storage  — the tokens in the JSON answer, kept in localStorage and sent as `Authorization: Bearer`:
//              not sent on their own (no CSRF), but every script of the page can read them (XSS);
//   careless — what not to do: cookies without HttpOnly and with SameSite=None, the access token in the
//              URL query, HS256 with the secret "secret", and a 30-day access token.
// - The server keeps a store of (access, refresh) pairs per sign-in ("family"). A refresh rotates the
//   refresh token. A refresh while the paired access token is still valid is treated as theft: the
//   refresh token and its whole family are revoked. A refresh token used a second time is refused and its
//   family revoked too. `/api/me` says why it refuses a token: missing, malformed, expired, bad signature,
//   unknown key, wrong type, revoked.
// - Key rotation on demand: a new key signs from then on; the old key stays in the JWKS (and is accepted)
//   until the last token it signed has expired, then it is dropped — what issuers do so that tokens
//   issued before a rotation keep verifying.
//
// Secure cookies on http://127.0.0.1: Chromium and Firefox (measured: 156 and ESR 153) treat 127.0.0.1 and localhost as
// secure contexts and keep Secure cookies there; on any other plain-http host they would be dropped.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import {
  decodeProtectedHeader,
  errors,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import { attackerPage, blankPage, demoPage } from './page';
import { startOidcMode, type OidcMode } from './oidc-mode';

export type StorageMode = 'cookie' | 'storage' | 'careless';
export const STORAGE_MODES: readonly StorageMode[] = ['cookie', 'storage', 'careless'];

export interface DemoOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Access-token lifetime in cookie and storage mode. Careless mode always uses 30 days. */
  accessTtlSeconds?: number;
  /** Refresh-token lifetime in cookie and storage mode (default one day). */
  refreshTtlSeconds?: number;
  /** Called with one line per request that changes something (sign-in, refresh, refusal, rotation). */
  log?: (line: string) => void;
}

export interface Demo {
  /** http://127.0.0.1:<port> — also the issuer (iss) of every token. */
  origin: string;
  issuer: string;
  /** The demo page. */
  url: string;
  /** An empty page of the same origin, where a browser can wait while DevTools attaches. */
  blankUrl: string;
  jwksUrl: string;
  /** The "attacker" page on another site (http://localhost:<port>) that posts to /api/transfer. */
  attackerUrl: string;
  accessTtlSeconds: number;
  /** The OpenID sign-in mode's page (test/demo/oidc-mode.ts) and its provider's issuer. */
  oidcUrl: string;
  oidcIssuer: string;
  /** A new signing key; returns its kid. */
  rotateKey(): Promise<string>;
  /** The kids the JWKS publishes now, newest last. */
  publishedKids(): string[];
  close(): Promise<void>;
}

export const DEMO_USERS: Readonly<Record<string, string>> = { alice: 'alice', bob: 'bob' };
/** Careless mode's HMAC secret: the first entry of every weak-secret list. */
export const CARELESS_SECRET = 'secret';
const CARELESS_ACCESS_TTL = 30 * 86400;
const CARELESS_REFRESH_TTL = 60 * 86400;
const AUDIENCE = 'demo-api';
const MAX_BODY = 64 * 1024;
const MAX_FAMILIES = 500;
const START_BALANCE = 1000;

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
  createdAt: number;
  retiredAt?: number;
  /** The latest exp (seconds) of a token this key signed. */
  lastExp: number;
}

type PairStatus = 'active' | 'rotated' | 'revoked';

interface Pair {
  accessJti: string;
  accessExp: number;
  refreshJti: string;
  refreshExp: number;
  issuedAt: number;
  status: PairStatus;
  rotatedAt?: number;
}

interface Family {
  id: string;
  user: string;
  mode: StorageMode;
  createdAt: number;
  pairs: Pair[];
  revoked?: { at: number; reason: string };
}

type Refusal = { ok: false; status: number; reason: string; message: string };
type Verified = { ok: true; claims: JWTPayload; alg: string; kid?: string; family: Family; pair: Pair };

const now = () => Date.now();
const seconds = () => Math.floor(Date.now() / 1000);
const id = (bytes = 9) => randomBytes(bytes).toString('base64url');

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const accessTtl = positive(options.accessTtlSeconds, 60);
  const refreshTtl = positive(options.refreshTtlSeconds, 86400);
  const log = options.log ?? (() => {});
  const keys: SigningKey[] = [];
  const families = new Map<string, Family>();
  const byAccess = new Map<string, { family: Family; pair: Pair }>();
  const byRefresh = new Map<string, { family: Family; pair: Pair }>();
  const balances = new Map<string, number>();
  let origin = '';
  let port = 0;
  let oidc: OidcMode;

  async function addKey(): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    // A random part keeps kids distinct across runs: the extension caches JWKS per URL, and the same port
    // may come back with other keys.
    const kid = `demo-${keys.length + 1}-${id(3)}`;
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    const previous = keys.at(-1);
    if (previous) previous.retiredAt = now();
    const key: SigningKey = { kid, privateKey, publicKey, jwk, createdAt: now(), lastExp: 0 };
    keys.push(key);
    return key;
  }

  /** The current key, and retired keys until every token they signed has expired. */
  function publishedKeys(): SigningKey[] {
    const t = seconds();
    for (let i = keys.length - 2; i >= 0; i--) if (keys[i]!.lastExp <= t) keys.splice(i, 1);
    return keys;
  }

  await addKey();

  // ---------------------------------------------------------------------------------------------------
  // Issuing and the store of pairs

  async function issuePair(family: Family): Promise<{ access: string; refresh: string; pair: Pair }> {
    const iat = seconds();
    const careless = family.mode === 'careless';
    const accessExp = iat + (careless ? CARELESS_ACCESS_TTL : accessTtl);
    const refreshExp = iat + (careless ? CARELESS_REFRESH_TTL : refreshTtl);
    const accessJti = id();
    const refreshJti = id();
    const key = keys.at(-1)!;
    const sign = (claims: JWTPayload, typ: string) => {
      const jwt = new SignJWT(claims);
      if (careless) return jwt.setProtectedHeader({ alg: 'HS256', typ }).sign(new TextEncoder().encode(CARELESS_SECRET));
      return jwt.setProtectedHeader({ alg: 'RS256', kid: key.kid, typ }).sign(key.privateKey);
    };
    const access = await sign(
      {
        iss: origin,
        sub: family.user,
        aud: AUDIENCE,
        client_id: 'demo-spa',
        scope: 'profile coins:transfer',
        sid: family.id,
        iat,
        exp: accessExp,
        jti: accessJti,
      },
      careless ? 'JWT' : 'at+jwt',
    );
    const refresh = await sign(
      { iss: origin, sub: family.user, client_id: 'demo-spa', sid: family.id, iat, exp: refreshExp, jti: refreshJti },
      'refresh+jwt',
    );
    if (!careless) key.lastExp = Math.max(key.lastExp, refreshExp);
    const pair: Pair = { accessJti, accessExp, refreshJti, refreshExp, issuedAt: now(), status: 'active' };
    family.pairs.push(pair);
    byAccess.set(accessJti, { family, pair });
    byRefresh.set(refreshJti, { family, pair });
    return { access, refresh, pair };
  }

  function newFamily(user: string, mode: StorageMode): Family {
    const family: Family = { id: id(6), user, mode, createdAt: now(), pairs: [] };
    families.set(family.id, family);
    // Bounded: a long-running demo forgets its oldest sign-ins.
    while (families.size > MAX_FAMILIES) {
      const oldest = families.values().next().value!;
      families.delete(oldest.id);
      for (const p of oldest.pairs) {
        byAccess.delete(p.accessJti);
        byRefresh.delete(p.refreshJti);
      }
    }
    return family;
  }

  function revokeFamily(family: Family, reason: string): number {
    if (!family.revoked) family.revoked = { at: now(), reason };
    let n = 0;
    for (const p of family.pairs) {
      if (p.status !== 'revoked') n++;
      p.status = 'revoked';
    }
    return n;
  }

  /** Checks a token the way a resource server with this store does, and says why it refuses. */
  async function verify(raw: string | undefined, use: 'access' | 'refresh'): Promise<Verified | Refusal> {
    const name = use === 'access' ? 'access token' : 'refresh token';
    if (!raw) return refuse(401, 'missing', `No ${name} came with this request.`);
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(raw);
    } catch {
      return refuse(401, 'malformed', `The ${name} is not a JWT (its header does not decode).`);
    }
    let key: CryptoKey | Uint8Array;
    if (header.alg === 'RS256') {
      const found = publishedKeys().find((k) => k.kid === header.kid);
      if (!found)
        return refuse(
          401,
          'unknown-key',
          `The ${name} names kid ${JSON.stringify(header.kid ?? null)}, which is not (or no longer) in ${origin}/jwks.json.`,
        );
      key = found.publicKey;
    } else if (header.alg === 'HS256') {
      key = new TextEncoder().encode(CARELESS_SECRET);
    } else {
      return refuse(
        401,
        'unsupported-alg',
        `The ${name} uses alg ${JSON.stringify(header.alg ?? null)}; this server accepts RS256 (and, careless, HS256).`,
      );
    }
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(raw, key, { algorithms: [header.alg], issuer: origin }));
    } catch (e) {
      if (e instanceof errors.JWTExpired) {
        const exp = typeof e.payload.exp === 'number' ? e.payload.exp : undefined;
        return refuse(
          401,
          'expired',
          `The ${name} expired${exp !== undefined ? ` ${seconds() - exp} s ago (exp ${new Date(exp * 1000).toISOString()})` : ''}.${use === 'access' ? ' Refresh it.' : ' Sign in again.'}`,
        );
      }
      if (e instanceof errors.JWSSignatureVerificationFailed) {
        return refuse(
          401,
          'bad-signature',
          `The ${name}'s signature does not verify: it was changed after signing, or signed with another key.`,
        );
      }
      if (e instanceof errors.JWTClaimValidationFailed)
        return refuse(401, 'bad-claims', `The ${name} fails the ${e.claim} check: ${e.reason}.`);
      return refuse(401, 'malformed', `The ${name} could not be read: ${e instanceof Error ? e.message : String(e)}.`);
    }
    const typ = header.typ?.toLowerCase();
    const isRefresh = typ === 'refresh+jwt';
    if ((use === 'refresh') !== isRefresh) {
      return refuse(
        401,
        'wrong-token-type',
        use === 'access' ? 'That is a refresh token: it only buys new tokens at /auth/refresh.' : 'That is not a refresh token.',
      );
    }
    const entry = typeof claims.jti === 'string' ? (use === 'access' ? byAccess : byRefresh).get(claims.jti) : undefined;
    if (!entry) return refuse(401, 'unknown-token', `This server has no record of the ${name} (was the demo restarted?).`);
    if (entry.family.revoked) {
      return refuse(
        401,
        'revoked',
        `The ${name} was revoked at ${new Date(entry.family.revoked.at).toISOString()}: ${entry.family.revoked.reason}. Sign in again.`,
      );
    }
    return { ok: true, claims, alg: header.alg, ...(header.kid ? { kid: header.kid } : {}), family: entry.family, pair: entry.pair };
  }

  // ---------------------------------------------------------------------------------------------------
  // Responses

  function cookiesFor(mode: StorageMode, access: string, refresh: string): string[] {
    if (mode === 'cookie') {
      return [
        // No Max-Age: a session cookie that outlives the token, so the API can say "expired" rather than "missing".
        `access_token=${access}; Path=/; HttpOnly; Secure; SameSite=Strict`,
        // Only the refresh endpoints ever see the refresh token.
        `refresh_token=${refresh}; Path=/auth; HttpOnly; Secure; SameSite=Strict; Max-Age=${refreshTtl}`,
      ];
    }
    if (mode === 'careless') {
      return [
        `access_token=${access}; Path=/; Secure; SameSite=None; Max-Age=${CARELESS_ACCESS_TTL}`,
        `refresh_token=${refresh}; Path=/; Secure; SameSite=None; Max-Age=${CARELESS_REFRESH_TTL}`,
      ];
    }
    // Storage mode: no token cookie, and none left over from a sign-in in another mode.
    return CLEAR_COOKIES;
  }

  const CLEAR_COOKIES = [
    'access_token=; Path=/; Max-Age=0; Secure; SameSite=Strict',
    'refresh_token=; Path=/auth; Max-Age=0; Secure; SameSite=Strict',
    'refresh_token=; Path=/; Max-Age=0; Secure; SameSite=Strict',
  ];

  function tokenAnswer(family: Family, access: string, refresh: string, pair: Pair, extra: Record<string, unknown> = {}) {
    const body: Record<string, unknown> = {
      user: family.user,
      mode: family.mode,
      expires_in: pair.accessExp - seconds(),
      access_expires_at: pair.accessExp,
      refresh_expires_at: pair.refreshExp,
      ...extra,
    };
    if (family.mode === 'storage') Object.assign(body, { token_type: 'Bearer', access_token: access, refresh_token: refresh });
    else if (family.mode === 'cookie')
      body.note = 'The tokens are in HttpOnly cookies: this page cannot read them, the browser sends them.';
    else body.note = 'The tokens are in cookies without HttpOnly: any script of this page can read them from document.cookie.';
    return body;
  }

  function storeView() {
    const t = seconds();
    return {
      note: 'The server keeps (access, refresh) pairs per sign-in. A refresh while the paired access token is still valid, or a second use of a rotated refresh token, revokes the whole family.',
      signing_keys: publishedKeys().map((k) => ({
        kid: k.kid,
        state: k.retiredAt ? `retired, published until ${new Date(k.lastExp * 1000).toISOString()}` : 'signing',
      })),
      sign_ins: [...families.values()]
        .slice(-6)
        .reverse()
        .map((f) => ({
          user: f.user,
          mode: f.mode,
          family: f.id,
          revoked: f.revoked ? f.revoked.reason : false,
          pairs: f.pairs.slice(-5).map((p) => ({
            access: `jti ${p.accessJti}, ${p.accessExp > t ? `valid ${p.accessExp - t} s more` : `expired ${t - p.accessExp} s ago`}`,
            refresh: `jti ${p.refreshJti}, ${p.status}`,
          })),
        })),
    };
  }

  // ---------------------------------------------------------------------------------------------------
  // Routes

  type Ctx = { req: IncomingMessage; res: ServerResponse; url: URL; body: string; cookies: Map<string, string> };
  const routes: Record<string, (c: Ctx) => Promise<void> | void> = {
    'GET /': ({ res }) => html(res, demoPage({ accessTtlSeconds: accessTtl, users: Object.keys(DEMO_USERS) })),
    'GET /blank': ({ res }) => html(res, blankPage()),
    'GET /attacker': ({ res }) => html(res, attackerPage()),
    'GET /favicon.ico': ({ res }) => void res.writeHead(204).end(),
    // The OpenID sign-in mode (oidc-mode.ts): a real provider on its own port, this app as its client.
    'GET /oidc': ({ res }) => html(res, oidc.page),
    'GET /oidc/callback': ({ res }) => html(res, oidc.page),
    'GET /oidc-client-ts.js': ({ res }) =>
      void res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(oidc.clientLibrary),

    'GET /.well-known/openid-configuration': ({ res }) =>
      json(
        res,
        200,
        {
          issuer: origin,
          jwks_uri: `${origin}/jwks.json`,
          token_endpoint: `${origin}/auth/refresh`,
          grant_types_supported: ['password', 'refresh_token'],
          token_endpoint_auth_methods_supported: ['none'],
          id_token_signing_alg_values_supported: ['RS256'],
          subject_types_supported: ['public'],
          response_types_supported: ['token'],
        },
        PUBLIC_JSON,
      ),
    'GET /jwks.json': ({ res }) => json(res, 200, { keys: publishedKeys().map((k) => k.jwk) }, PUBLIC_JSON),

    'POST /auth/login': async ({ res, body }) => {
      const form = parseBody(body);
      const user = form.username ?? '';
      const mode = STORAGE_MODES.includes(form.mode as StorageMode) ? (form.mode as StorageMode) : 'storage';
      if (!Object.hasOwn(DEMO_USERS, user) || DEMO_USERS[user] !== form.password) {
        log(`sign-in refused for ${JSON.stringify(user.slice(0, 40))}`);
        return json(res, 401, {
          error: 'invalid_grant',
          reason: 'bad-credentials',
          message: 'Wrong user name or password (try alice / alice).',
        });
      }
      const family = newFamily(user, mode);
      const { access, refresh, pair } = await issuePair(family);
      log(`${user} signed in (${mode} mode): access token for ${pair.accessExp - seconds()} s, family ${family.id}`);
      json(res, 200, tokenAnswer(family, access, refresh, pair), { 'set-cookie': cookiesFor(mode, access, refresh) });
    },

    'POST /auth/refresh': async ({ res, body, cookies }) => {
      const form = parseBody(body);
      const raw = form.refresh_token || cookies.get('refresh_token');
      const verdict = await verify(raw, 'refresh');
      if (!verdict.ok) {
        // A spent refresh token of a family revoked since is still reported as what it is: a replay.
        if (verdict.reason === 'revoked' && raw) {
          const entry = byRefresh.get(jtiOf(raw) ?? '');
          if (entry && entry.pair.rotatedAt !== undefined) return refuseReuse(res, entry.family, entry.pair, true);
        }
        log(`refresh refused: ${verdict.reason}`);
        return json(
          res,
          verdict.status,
          { error: 'invalid_grant', reason: verdict.reason, message: verdict.message },
          verdict.reason === 'revoked' ? { 'set-cookie': CLEAR_COOKIES } : {},
        );
      }
      const { family, pair } = verdict;
      if (pair.status === 'rotated') return refuseReuse(res, family, pair, false);
      const left = pair.accessExp - now() / 1000;
      if (left > 0) {
        const n = revokeFamily(family, 'a refresh arrived while the paired access token was still valid (treated as theft)');
        log(
          `THEFT: ${family.user}'s refresh token used while its access token had ${Math.ceil(left)} s left: family ${family.id} revoked (${n} pairs)`,
        );
        return json(
          res,
          401,
          {
            error: 'invalid_grant',
            reason: 'refresh-while-access-valid',
            revoked: true,
            message:
              `The access token issued with this refresh token is still valid for ${Math.ceil(left)} s. A legitimate client refreshes only once it has expired, ` +
              `so this server treats the refresh token as stolen: it is revoked, with its whole family (${n} pair(s), the access tokens too). Sign in again.`,
          },
          { 'set-cookie': CLEAR_COOKIES },
        );
      }
      pair.status = 'rotated';
      pair.rotatedAt = now();
      const next = await issuePair(family);
      log(`${family.user} refreshed: refresh token rotated, new access token for ${next.pair.accessExp - seconds()} s`);
      json(
        res,
        200,
        tokenAnswer(family, next.access, next.refresh, next.pair, {
          rotated: 'The refresh token you sent is now spent; a second use of it will revoke this sign-in.',
        }),
        {
          'set-cookie': cookiesFor(family.mode, next.access, next.refresh),
        },
      );
    },

    // Revocation as RFC 7009 shapes it (token, token_type_hint), or the refresh cookie.
    'POST /auth/logout': async ({ res, body, cookies }) => {
      const form = parseBody(body);
      const raw = form.token || cookies.get('refresh_token');
      const entry = raw ? byRefresh.get(jtiOf(raw) ?? '') : undefined;
      if (entry) revokeFamily(entry.family, 'signed out');
      json(
        res,
        200,
        { ok: true, message: entry ? 'Signed out: the refresh token and its family are revoked.' : 'Signed out.' },
        { 'set-cookie': CLEAR_COOKIES },
      );
    },

    'GET /api/me': async ({ req, res, url, cookies }) => {
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const inQuery = url.searchParams.get('access_token') ?? undefined;
      const raw = bearer ?? inQuery ?? cookies.get('access_token');
      const via = bearer
        ? 'the Authorization: Bearer header'
        : inQuery
          ? 'the access_token URL parameter'
          : raw
            ? 'the access_token cookie'
            : 'nothing';
      const v = await verify(raw, 'access');
      if (!v.ok) {
        return json(
          res,
          v.status,
          { ok: false, reason: v.reason, message: v.message, token_came_in: via },
          {
            'www-authenticate': `Bearer error="invalid_token", error_description="${v.reason}"`,
          },
        );
      }
      json(res, 200, {
        ok: true,
        user: v.family.user,
        // Who the token says it is: the server acts for the sign-in (user); a forged sub shows here.
        sub: v.claims.sub ?? null,
        coins: balances.get(v.family.user) ?? START_BALANCE,
        token_came_in: via,
        token: { alg: v.alg, kid: v.kid ?? null, jti: v.claims.jti, expires_in: (v.claims.exp ?? 0) - seconds() },
      });
    },

    // State-changing and authenticated by the access_token cookie alone, with no CSRF token and no Origin
    // check: the request a cross-site form can forge when the cookie rides along.
    'POST /api/transfer': async ({ req, res, body, cookies }) => {
      const form = parseBody(body);
      const from = req.headers.origin ?? '(no Origin header)';
      const v = await verify(cookies.get('access_token'), 'access');
      if (!v.ok) {
        const why =
          v.reason === 'missing'
            ? `The browser attached no access_token cookie to this request (it came from ${from}). SameSite=Strict (or Lax) keeps a cookie off requests that other sites start, and a token in localStorage is never attached by the browser: CSRF fails.`
            : v.message;
        log(`transfer refused (${v.reason}) from ${from}`);
        return text(res, 401, `REFUSED (${v.reason}). ${why}\n`);
      }
      const amount = Math.max(1, Math.min(1000, Math.floor(Number(form.amount) || 100)));
      const to = (form.to ?? 'mallory').replace(/[^\w.@-]/g, '').slice(0, 40) || 'mallory';
      const user = v.family.user;
      balances.set(user, (balances.get(user) ?? START_BALANCE) - amount);
      log(`transfer of ${amount} coins from ${user} to ${to}, started by ${from}, authenticated by the cookie alone`);
      text(
        res,
        200,
        `DONE: ${amount} coins moved from ${user} to ${to}. Request started by ${from}. ` +
          `It carried no token of its own: the browser attached the access_token cookie by itself, and the server checked nothing else (no CSRF token, no Origin check).\n`,
      );
    },

    'POST /demo/rotate-key': async ({ res }) => {
      const key = await addKey();
      log(`signing key rotated: new kid ${key.kid}`);
      json(res, 200, {
        ok: true,
        kid: key.kid,
        message: `New signing key ${key.kid}. The previous key stays in /jwks.json until the last token it signed expires, so tokens issued before the rotation keep verifying.`,
        published_kids: publishedKeys().map((k) => k.kid),
      });
    },
    'GET /demo/store': ({ res }) => json(res, 200, storeView()),
  };

  function refuseReuse(res: ServerResponse, family: Family, pair: Pair, alreadyRevoked: boolean) {
    const n = revokeFamily(family, 'a rotated refresh token was used again (replay)');
    log(`REUSE: a spent refresh token of ${family.user} came back: family ${family.id} revoked`);
    json(
      res,
      401,
      {
        error: 'invalid_grant',
        reason: 'reused',
        revoked: true,
        message:
          `This refresh token was already exchanged at ${new Date(pair.rotatedAt ?? 0).toISOString()}. A second use means two parties hold it (one of them a thief): ` +
          (alreadyRevoked
            ? 'its family was already revoked.'
            : `the whole family is revoked (${n} pair(s), the access tokens too). Sign in again.`),
      },
      { 'set-cookie': CLEAR_COOKIES },
    );
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_BODY) return void text(res, 413, 'Request body too large.\n');
      const url = new URL(req.url ?? '/', origin);
      const route = routes[`${req.method} ${url.pathname}`];
      if (!route) return void text(res, 404, 'Not found.\n');
      const ctx: Ctx = { req, res, url, body: Buffer.concat(chunks).toString('utf8'), cookies: parseCookies(req.headers.cookie) };
      Promise.resolve(route(ctx)).catch((e: unknown) => {
        if (!res.headersSent) text(res, 500, `Server error: ${e instanceof Error ? e.message : String(e)}\n`);
        else res.end();
      });
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', fail);
      ok();
    });
  });
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  oidc = await startOidcMode(origin, log);

  return {
    origin,
    issuer: origin,
    url: `${origin}/`,
    blankUrl: `${origin}/blank`,
    jwksUrl: `${origin}/jwks.json`,
    // localhost and 127.0.0.1 are two sites to a browser: the cross-site request CSRF needs.
    attackerUrl: `http://localhost:${port}/attacker`,
    accessTtlSeconds: accessTtl,
    oidcUrl: `${origin}/oidc`,
    oidcIssuer: oidc.issuer,
    rotateKey: async () => (await addKey()).kid,
    publishedKids: () => publishedKeys().map((k) => k.kid),
    close: async () => {
      await oidc.close();
      await new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

/** Discovery and JWKS: public, cacheable, readable cross-origin (the extension's worker fetches them). */
const PUBLIC_JSON = { 'access-control-allow-origin': '*', 'cache-control': 'public, max-age=300' };

function refuse(status: number, reason: string, message: string): Refusal {
  return { ok: false, status, reason, message };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  // Token answers must not be cached (RFC 6749 §5.1); headers given win.
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers })
    .end(JSON.stringify(body, null, 2));
}

function text(res: ServerResponse, status: number, body: string): void {
  res
    .writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
    .end(body);
}

function html(res: ServerResponse, body: string): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
}

/** A JSON object or a form-urlencoded body, as string fields. */
function parseBody(body: string): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = Object.create(null);
  const text = body.trim();
  if (text.startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed && typeof parsed === 'object') for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') out[k] = v;
    } catch {
      // Not JSON after all: no fields.
    }
    return out;
  }
  for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  return out;
}

function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    // The most specific path comes first in the header: keep the first.
    if (value && !out.has(name)) out.set(name, value);
  }
  return out;
}

function jtiOf(raw: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(raw.split('.')[1] ?? '', 'base64url').toString('utf8')) as { jti?: unknown };
    return typeof payload.jti === 'string' ? payload.jti : undefined;
  } catch {
    return undefined;
  }
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}
