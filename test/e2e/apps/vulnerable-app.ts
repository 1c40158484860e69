// A DELIBERATELY VULNERABLE API, for the workbench's end-to-end tests only (127.0.0.1, a fresh RSA key per
// run). What /api/me gets wrong on purpose — each a real-world JWT verification bug the attack presets test:
//   1. it accepts `alg: none` in any letter case, with no signature (CVE-2015-2951);
//   2. it accepts HS256 signed with its RSA public key's PEM text as the HMAC secret (CVE-2016-10555);
//   3. it trusts a key the token embeds in its `jwk` header (CVE-2018-0114).
// Everything else it checks correctly (RS256 with its own key), so Replay all presets must mark exactly
// those three `accepted`. /api/strict does it right: RS256 with its own key, nothing else.
// Never copy this code into anything real.
import { createHmac, createPublicKey, generateKeyPairSync, timingSafeEqual } from 'node:crypto';
import { compactVerify, EmbeddedJWK, importSPKI, jwtVerify, SignJWT, importPKCS8 } from 'jose';
import { startServer, type TestServer } from '../harness/server';

export interface VulnerableApp {
  server: TestServer;
  origin: string;
  /** The page that calls /api/me and /api/strict with `token` (window.callApi()). */
  url: string;
  token: string;
  /** The server's public key exactly as it reads it from "disk" (SPKI PEM, final newline). */
  publicKeyPem: string;
  close(): Promise<void>;
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>vulnerable api</title>
<body><h1>vulnerable api</h1><pre id="log"></pre>
<script>
window.callApi = async function (token) {
  const me = await fetch('/api/me', { headers: { Authorization: 'Bearer ' + token } });
  await me.text();
  const strict = await fetch('/api/strict', { headers: { Authorization: 'Bearer ' + token } });
  await strict.text();
  document.getElementById('log').textContent = me.status + ' ' + strict.status;
  return [me.status, strict.status];
};
</script>`;

function b64json(segment: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

export async function startVulnerableApp(): Promise<VulnerableApp> {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const rsPublic = await importSPKI(publicKeyPem, 'RS256');
  const token = await new SignJWT({ sub: 'alice', name: 'Alice', role: 'user' })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'vulnerable-1' })
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(await importPKCS8(privatePem, 'RS256'));

  /** The careless verifier: the bugs listed at the top of this file, then a correct RS256 check. */
  async function carelessClaims(jwt: string): Promise<Record<string, unknown> | undefined> {
    const [h = '', p = '', s = ''] = jwt.split('.');
    const header = b64json(h);
    const payload = b64json(p);
    if (!header || !payload) return undefined;
    const alg = String(header.alg ?? '');
    if (alg.toLowerCase() === 'none') return payload; // bug 1
    if (alg === 'HS256') {
      // bug 2: "the key" is whatever the key file holds
      const expected = createHmac('sha256', publicKeyPem).update(`${h}.${p}`).digest();
      const got = Buffer.from(s, 'base64url');
      return got.length === expected.length && timingSafeEqual(got, expected) ? payload : undefined;
    }
    if (header.jwk) {
      // bug 3: the token brings its own key
      try {
        createPublicKey({ key: header.jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
        await compactVerify(jwt, EmbeddedJWK);
        return payload;
      } catch {
        return undefined;
      }
    }
    try {
      return (await jwtVerify(jwt, rsPublic, { algorithms: ['RS256'] })).payload as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }

  const bearer = (h: string | string[] | undefined) => (typeof h === 'string' && h.startsWith('Bearer ') ? h.slice(7) : '');
  const json = (res: import('node:http').ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const server = await startServer({
    '/': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    },
    '/api/me': async (req, res) => {
      const claims = await carelessClaims(bearer(req.headers.authorization));
      if (!claims) return json(res, 401, { error: 'invalid token' });
      json(res, 200, { user: claims.sub ?? null, role: claims.role ?? null, greeting: `Hello, ${String(claims.sub)}` });
    },
    '/api/strict': async (req, res) => {
      try {
        const { payload } = await jwtVerify(bearer(req.headers.authorization), rsPublic, { algorithms: ['RS256'] });
        json(res, 200, { user: payload.sub ?? null, role: payload.role ?? null, greeting: `Hello, ${String(payload.sub)}` });
      } catch {
        json(res, 401, { error: 'invalid token' });
      }
    },
  });
  return {
    server,
    origin: server.origin,
    url: `${server.origin}/?app=vulnerable`,
    token,
    publicKeyPem,
    close: () => server.close(),
  };
}
