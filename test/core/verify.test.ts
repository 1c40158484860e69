import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { createHmac, createSign, generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as jose from 'jose';
import { KeyRing, prepareKeys, verifyToken, verifyWithKeyRing } from '../../src/core/verify';
import type { KeyInput, Verification } from '../../src/core/types';

const FIXTURES = resolve(import.meta.dirname, '../fixtures');
const text = (path: string) => readFileSync(resolve(FIXTURES, path), 'utf8');
const json = (path: string) => JSON.parse(text(path));

const secret = (value: string, encoding?: 'utf8' | 'hex' | 'base64' | 'base64url', label?: string): KeyInput => ({
  kind: 'secret',
  value,
  ...(encoding ? { encoding } : {}),
  ...(label ? { label } : {}),
});
const pem = (value: string, label?: string): KeyInput => ({ kind: 'pem', value, ...(label ? { label } : {}) });
const jwk = (value: unknown): KeyInput => ({ kind: 'jwk', value: typeof value === 'string' ? value : JSON.stringify(value) });
const jwks = (value: unknown): KeyInput => ({ kind: 'jwks', value: typeof value === 'string' ? value : JSON.stringify(value) });

const b64u = (s: string | Uint8Array) => jose.base64url.encode(s);
const STATUSES = ['valid', 'invalid', 'no-matching-key', 'unsupported', 'error'];

/** An HS256 token with any header, signed by hand so headers jose would refuse to produce (crit) are possible. */
function hs256(header: object, payload: object | string, key: string | Uint8Array): string {
  const input = `${b64u(JSON.stringify(header))}.${b64u(typeof payload === 'string' ? payload : JSON.stringify(payload))}`;
  return `${input}.${b64u(createHmac('sha256', key).update(input).digest())}`;
}

/** One character of one part changed to another base64url character (kept canonical: not the last one). */
function tamper(token: string, part: 1 | 2): string {
  const parts = token.split('.');
  const p = parts[part]!;
  const i = Math.floor(p.length / 2);
  parts[part] = p.slice(0, i) + (p[i] === 'A' ? 'B' : 'A') + p.slice(i + 1);
  return parts.join('.');
}

async function publicPem(key: Record<string, unknown>, alg: string): Promise<string> {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = key;
  return jose.exportSPKI((await jose.importJWK({ ...pub, ext: true } as jose.JWK, alg, { extractable: true })) as CryptoKey);
}

function expectStatus(v: Verification, status: Verification['status'], reason?: RegExp | string) {
  expect(v.status, JSON.stringify(v)).toBe(status);
  if (reason instanceof RegExp) expect(v.reason).toMatch(reason);
  else if (reason !== undefined) expect(v.reason).toBe(reason);
}

afterEach(() => {
  vi.restoreAllMocks();
});

// ---------------------------------------------------------------------------------------------------------
describe('published vectors', () => {
  describe('RFC examples (rfc-jose-examples.json)', () => {
    const entries = json('rfc-examples/rfc-jose-examples.json').entries as Array<{
      name: string;
      kind: string;
      token: string;
      key: Record<string, unknown> | null;
      expectValid: boolean | null;
    }>;
    it.each(entries.map((e) => [e.name, e] as const))('%s', async (_name, e) => {
      const keys = e.key === null ? [] : Array.isArray(e.key.keys) ? [jwks(e.key)] : [jwk(e.key)];
      const v = await verifyToken(e.token, keys);
      if (e.kind === 'JWE') expectStatus(v, 'unsupported', /encrypted token/);
      else if (e.expectValid) expectStatus(v, 'valid');
      else expectStatus(v, 'invalid', 'unsecured token: alg none has no signature');
    });
  });

  describe('RFC 7520 cookbook (JWS) and RFC 8037 (Ed25519)', () => {
    const files = [...readdirSync(resolve(FIXTURES, 'rfc7520/jws')).map((f) => `rfc7520/jws/${f}`), 'rfc7520/curve25519/jws.json'];
    const cases = files.map((f) => [f, json(f)] as const);

    it.each(cases.filter(([, d]) => d.output.compact))('%s: compact verifies with its key as JWK, JWKS and PEM', async (_f, d) => {
      const key = d.input.key as Record<string, unknown>;
      const forms: KeyInput[] = [jwk(key), jwks({ keys: [key] })];
      if (key.kty !== 'oct') forms.push(pem(await publicPem(key, d.input.alg)));
      const detached = d.output.compact.split('.')[1] === '';
      for (const form of forms) {
        const v = await verifyToken(d.output.compact, form);
        if (detached) {
          // RFC 7520 §4.5: detached content; the token alone cannot verify, and the reason says why.
          expectStatus(v, 'invalid', /detached content/);
        } else {
          expectStatus(v, 'valid');
          expect(v.alg).toBe(d.input.alg);
          expect(v.kid).toBe(key.kid);
        }
      }
    });

    it.each(cases.filter(([, d]) => d.output.compact && d.output.compact.split('.')[1] !== ''))(
      '%s: a changed payload or signature fails',
      async (_f, d) => {
        const key = jwk(d.input.key);
        expectStatus(await verifyToken(tamper(d.output.compact, 1), key), 'invalid', /signature does not match/);
        expectStatus(await verifyToken(tamper(d.output.compact, 2), key), 'invalid', /signature does not match/);
      },
    );

    it.each(cases.filter(([, d]) => d.output.json_flat && d.output.json_flat.payload !== undefined))(
      '%s: the JSON serializations verify too',
      async (_f, d) => {
        const key = Array.isArray(d.input.key) ? jwks({ keys: d.input.key }) : jwk(d.input.key);
        expectStatus(await verifyToken(JSON.stringify(d.output.json_flat), key), 'valid');
        expectStatus(await verifyToken(JSON.stringify(d.output.json), key), 'valid');
      },
    );

    it('4.8: a general JWS with three signatures verifies when any key fits', async () => {
      const d = json('rfc7520/jws/4_8.multiple_signatures.json');
      const all = await verifyToken(JSON.stringify(d.output.json), jwks({ keys: d.input.key }));
      expectStatus(all, 'valid');
      const hmacOnly = await verifyToken(JSON.stringify(d.output.json), jwk(d.input.key[2]));
      expectStatus(hmacOnly, 'valid');
      expect(hmacOnly.alg).toBe('HS256');
      const none = await verifyToken(JSON.stringify(d.output.json), secret('not the key'));
      expect(none.status).not.toBe('valid');
      expect(none.reason).toMatch(
        /signature 1 \(RS256\): .*; signature 2 \(ES512\): .*; signature 3 \(HS256\): signature does not match this key/,
      );
    });

    it('RFC 7797: an unencoded payload ("b64": false, critical) verifies', async () => {
      const d = json('rfc7520/rfc7797/hmac-sha2_b64_false.json');
      expectStatus(await verifyToken(d.output.compact, jwk(d.input.key)), 'valid');
      expectStatus(await verifyToken(JSON.stringify(d.output.json_flat), jwk(d.input.key)), 'valid');
    });

    it('RFC 7797 upstream quirk: "b64": false without "crit" is not honoured, so the token fails', async () => {
      const d = json('rfc7520/rfc7797/4.2.hmac-sha2_b64_false.json');
      expect((await verifyToken(JSON.stringify(d.output.json_flat), jwk(d.input.key))).status).not.toBe('valid');
    });
  });

  describe('latchset/jose vectors', () => {
    it.each(['A.1', 'A.2', 'A.3', 'A.4'])('RFC 7515 %s compact verifies with its JWK', async (a) => {
      const v = await verifyToken(text(`latchset-jose/rfc7515_${a}.jwsc`), jwk(text(`latchset-jose/rfc7515_${a}.jwk`)));
      expectStatus(v, 'valid');
    });

    it('RFC 7515 A.5 (alg none) is never valid, whatever the keys', async () => {
      const v = await verifyToken(text('latchset-jose/rfc7515_A.5.jwsc'), [
        jwk(text('latchset-jose/rfc7515_A.1.jwk')),
        jwks(text('latchset-jose/rfc7515_A.6.jwkset')),
      ]);
      expectStatus(v, 'invalid', 'unsecured token: alg none has no signature');
    });

    it('RFC 7515 A.6 (general JSON) verifies with its JWK Set, A.7 (flattened) with its JWK', async () => {
      expectStatus(await verifyToken(text('latchset-jose/rfc7515_A.6.jwsg'), jwks(text('latchset-jose/rfc7515_A.6.jwkset'))), 'valid');
      const a7 = await verifyToken(text('latchset-jose/rfc7515_A.7.jwsf'), jwk(text('latchset-jose/rfc7515_A.7.jwk')));
      expectStatus(a7, 'valid');
      expect(a7.kid).toBe('e9bc097a-ce51-4036-9562-d2ade882db0d');
    });

    it('CVE-2023-50967 (PBES2 with p2c = 10^9) is answered as unsupported, not decrypted', async () => {
      // Decrypting would run 10^9 PBKDF2 iterations: the test's own timeout would end it long before.
      const v = await verifyToken(text('latchset-jose/cve-2023-50967.jwe'), jwk(text('latchset-jose/cve-2023-50967.jwk')));
      expectStatus(v, 'unsupported', /encrypted token/);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Project Wycheproof: every test, the group's key as a JWK (its public half when the group has one).
describe('Wycheproof json_web_signature_test.json', () => {
  const file = json('wycheproof/json_web_signature_test.json') as {
    numberOfTests: number;
    testGroups: Array<{
      public?: object;
      private?: object;
      tests: Array<{ tcId: number; comment: string; jws: string; result: 'valid' | 'invalid' }>;
    }>;
  };
  const cases = file.testGroups.flatMap((g) => g.tests.map((t) => ({ ...t, key: (g.public ?? g.private)! })));

  /** Where this verifier deliberately disagrees with the upstream label, and why. */
  const EXCEPTIONS: Record<number, string> = {
    346: 'RFC 7520 Figure 20 is PS384 but the group key says "alg": "PS256"; a key is used only for its own alg (RFC 7517 §4.4), so: no-matching-key',
    350: 'same as 346 (the key_ops variant of the group)',
    347: 'RFC 7520 Figure 27 is ES512 but the group key says "alg": "ES521" (not a registered alg); a key is used only for its own alg',
    351: 'same as 347 (the key_ops variant of the group)',
    367: 'labelled invalid ("invalidBase64Padding"), but the stored token is byte-identical to tcId 357 (ValidMac): the padding the name describes is not in the string, so a verifier that accepts 357 must accept it',
    370: 'same as 367 ("invalidBase64PaddingInPayload"): byte-identical to tcId 357',
    372: 'labelled valid, but the header contains "?", which is outside the base64url alphabet; we are strict (RFC 7515 §2: base64url, nothing else) and reject the token as malformed',
    373: 'labelled valid, but the payload contains "?"; rejected as malformed for the same reason as 372',
  };

  it('has all 401 tests', () => {
    expect(cases).toHaveLength(401);
    expect(file.numberOfTests).toBe(401);
  });

  it.each(cases.map((c) => [c.tcId, c.comment, c] as const))('tcId %i %s', async (tcId, _comment, c) => {
    const v = await verifyToken(c.jws, jwk(c.key));
    expect(STATUSES).toContain(v.status);
    const labelledValid = c.result === 'valid';
    const expectValid = tcId in EXCEPTIONS ? !labelledValid : labelledValid;
    expect(v.status === 'valid', `${JSON.stringify(v)}${EXCEPTIONS[tcId] ? ` (exception: ${EXCEPTIONS[tcId]})` : ''}`).toBe(expectValid);
  });

  it('agrees with 393 of 401 labels; the 8 disagreements are exactly the documented exceptions', async () => {
    const disagreements: number[] = [];
    for (const c of cases) {
      const v = await verifyToken(c.jws, jwk(c.key));
      if ((v.status === 'valid') !== (c.result === 'valid')) disagreements.push(c.tcId);
    }
    expect(disagreements).toEqual(
      Object.keys(EXCEPTIONS)
        .map(Number)
        .sort((a, b) => a - b),
    );
    expect(cases.length - disagreements.length).toBe(393);
  });

  it('the private JWK of a group works as well as its public one (only the public half is used)', async () => {
    const group = file.testGroups.find((g) => g.tests.some((t) => t.tcId === 33))!;
    const t = group.tests.find((x) => x.tcId === 33)!;
    expectStatus(await verifyToken(t.jws, jwk(group.private)), 'valid');
  });

  it('explains the notable rejections', async () => {
    const byId = new Map(cases.map((c) => [c.tcId, c]));
    const run = (id: number) => verifyToken(byId.get(id)!.jws, jwk(byId.get(id)!.key));
    expectStatus(await run(31), 'no-matching-key', /kid "kid-ec-sign" names an EC P-256 key, which cannot verify an HS256 token/);
    expectStatus(await run(353), 'no-matching-key', /encryption \(use "enc"\)/);
    expectStatus(await run(355), 'no-matching-key', /key_ops/);
    expectStatus(await run(360), 'invalid', /malformed token: the signature is not base64url: a space/);
    expectStatus(await run(375), 'invalid', /non-zero padding bits/);
    expectStatus(await run(346), 'no-matching-key', /for PS256 \(its "alg"\), but the token is PS384/);
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('rules', () => {
  let rsa: { publicKey: CryptoKey; privateKey: CryptoKey; spki: string; jwk: jose.JWK };
  let ec: { publicKey: CryptoKey; privateKey: CryptoKey; spki: string; jwk: jose.JWK };

  beforeAll(async () => {
    const r = await jose.generateKeyPair('RS256', { extractable: true });
    rsa = { ...r, spki: await jose.exportSPKI(r.publicKey), jwk: await jose.exportJWK(r.publicKey) };
    const e = await jose.generateKeyPair('ES256', { extractable: true });
    ec = { ...e, spki: await jose.exportSPKI(e.publicKey), jwk: await jose.exportJWK(e.publicKey) };
  });

  describe('alg none', () => {
    it.each(['none', 'None', 'NONE', 'nOnE'])('alg %s is never valid, with or without a signature, whatever the keys', async (alg) => {
      const body = `${b64u(JSON.stringify({ alg }))}.${b64u('{"sub":"admin"}')}`;
      for (const token of [`${body}.`, `${body}.AAAA`]) {
        const v = await verifyToken(token, [secret('s'), pem(rsa.spki), jwk(ec.jwk)]);
        expectStatus(v, 'invalid', 'unsecured token: alg none has no signature');
        expect(v.alg).toBe(alg);
        expectStatus(await verifyToken(token, []), 'invalid', 'unsecured token: alg none has no signature');
      }
    });

    it('options.algorithms cannot let none through', async () => {
      const token = `${b64u('{"alg":"none"}')}.${b64u('{}')}.`;
      expectStatus(await verifyToken(token, secret('s'), { algorithms: ['none', 'HS256'] }), 'invalid', /alg none/);
    });
  });

  describe('algorithm confusion (RFC 8725 §3.1)', () => {
    it('an HS256 token MACed with the RSA public key PEM never verifies', async () => {
      for (const spki of [rsa.spki, `${rsa.spki}\n`]) {
        for (const alg of ['HS256', 'HS384', 'HS512']) {
          const attack = await new jose.SignJWT({ sub: 'admin' }).setProtectedHeader({ alg }).sign(new TextEncoder().encode(spki));
          expectStatus(await verifyToken(attack, pem(spki)), 'no-matching-key', `${alg} token but the key is an RSA key`);
          const asSecret = await verifyToken(attack, secret(spki));
          expectStatus(asSecret, 'error', /algorithm confusion/);
          expect((await verifyToken(attack, [pem(spki), secret(spki), jwk(rsa.jwk)])).status).not.toBe('valid');
        }
      }
    });

    it('an HS256 token MACed with the JWK text or with the JWK Set text never verifies', async () => {
      for (const keyText of [JSON.stringify(rsa.jwk), JSON.stringify({ keys: [rsa.jwk] })]) {
        const attack = await new jose.SignJWT({}).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(keyText));
        for (const input of [jwk(rsa.jwk), jwks({ keys: [rsa.jwk] }), secret(keyText)]) {
          expect((await verifyToken(attack, input)).status).not.toBe('valid');
        }
      }
    });

    it('a kid that names an RSA key does not make an HS256 token checkable with it', async () => {
      const set = jwks({ keys: [{ ...rsa.jwk, kid: 'rsa-1' }] });
      const attack = hs256({ alg: 'HS256', kid: 'rsa-1' }, { sub: 'admin' }, rsa.spki);
      expectStatus(await verifyToken(attack, set), 'no-matching-key', 'kid "rsa-1" names an RSA key, which cannot verify an HS256 token');
    });
  });

  it('CVE-2022-21449: an ES256 signature of zeros is invalid', async () => {
    const body = `${b64u(JSON.stringify({ alg: 'ES256' }))}.${b64u('{"sub":"admin"}')}`;
    for (const sig of [new Uint8Array(64), new Uint8Array(0)]) {
      const v = await verifyToken(`${body}.${b64u(sig)}`, pem(ec.spki));
      expect(v.status).toBe('invalid');
    }
    expectStatus(await verifyToken(`${body}.${b64u(new Uint8Array(64))}`, pem(ec.spki)), 'invalid', 'signature does not match this key');
  });

  describe('crit (RFC 7515 §4.1.11)', () => {
    const key = 'a secret of reasonable length, 32+';

    it('an unknown critical parameter fails even with a correct MAC', async () => {
      const token = hs256({ alg: 'HS256', crit: ['exp'], exp: 1 }, { sub: 'x' }, key);
      expectStatus(await verifyToken(token, secret(key)), 'invalid', /marks "exp" as critical.*does not\s+understand/);
    });

    it('b64 is understood; malformed crit values fail', async () => {
      expectStatus(await verifyToken(hs256({ alg: 'HS256', crit: ['b64'], b64: true }, { sub: 'x' }, key), secret(key)), 'valid');
      expectStatus(await verifyToken(hs256({ alg: 'HS256', crit: [] }, {}, key), secret(key)), 'invalid', /non-empty list/);
      expectStatus(await verifyToken(hs256({ alg: 'HS256', crit: 'b64' }, {}, key), secret(key)), 'invalid', /non-empty list/);
      expectStatus(await verifyToken(hs256({ alg: 'HS256', crit: ['b64'] }, {}, key), secret(key)), 'invalid', /not a valid JWS.*b64/);
    });

    it('crit in an unprotected header (JSON serialization) fails', async () => {
      const compact = hs256({ alg: 'HS256' }, { sub: 'x' }, key);
      const [p, payload, signature] = compact.split('.');
      const flat = JSON.stringify({ protected: p, header: { crit: ['b64'] }, payload, signature });
      expectStatus(await verifyToken(flat, secret(key)), 'invalid', /integrity-protected/);
    });
  });

  describe('the token never supplies its own key (jwk, jku, x5u, x5c)', () => {
    it('a token signed by an attacker key embedded in its jwk header fails against the user key', async () => {
      const attacker = await jose.generateKeyPair('ES256', { extractable: true });
      const attackerJwk = await jose.exportJWK(attacker.publicKey);
      const token = await new jose.SignJWT({ sub: 'admin' })
        .setProtectedHeader({ alg: 'ES256', jwk: attackerJwk })
        .sign(attacker.privateKey);
      // jose itself, given the embedded key, would accept it: that is the attack.
      await expect(jose.compactVerify(token, jose.EmbeddedJWK)).resolves.toBeTruthy();
      expectStatus(await verifyToken(token, pem(ec.spki)), 'invalid', 'signature does not match this key');
      const none = await verifyToken(token, []);
      expectStatus(none, 'no-matching-key', /no keys configured.*"jwk" header is never used as the key/);
    });

    it('jku and x5u are never fetched', async () => {
      const fetchSpy = vi.spyOn(globalThis, 'fetch');
      const token = await new jose.SignJWT({})
        .setProtectedHeader({ alg: 'RS256', jku: 'https://attacker.example/jwks.json', x5u: 'https://attacker.example/cert.pem' })
        .sign(rsa.privateKey);
      expectStatus(await verifyToken(token, []), 'no-matching-key', /"jku"\/"x5u" header is never used/);
      expectStatus(await verifyToken(token, pem(rsa.spki)), 'valid');
      expect(fetchSpy).not.toHaveBeenCalled();
    });

    it('an x5c certificate in the header is not trusted', async () => {
      const cert = text('keys/rsa-cert.pem').replace(/-----[A-Z ]+-----|\s/g, '');
      const token = await new jose.SignJWT({}).setProtectedHeader({ alg: 'RS256', x5c: [cert] }).sign(rsa.privateKey);
      expectStatus(await verifyToken(token, pem(text('keys/rsa-public-spki.pem'))), 'invalid', 'signature does not match this key');
    });
  });

  it('an expired but correctly signed token is valid: claims are not this function’s business', async () => {
    const token = await new jose.SignJWT({ sub: 'u' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuedAt(1000)
      .setExpirationTime(2000)
      .setNotBefore(1000)
      .sign(ec.privateKey);
    const v = await verifyToken(token, pem(ec.spki));
    expectStatus(v, 'valid');
    expect(v.reason).toBeUndefined();
  });

  describe('key choice', () => {
    let pairs: Array<{ privateKey: CryptoKey; jwk: jose.JWK; spki: string }>;
    let set: KeyInput;

    beforeAll(async () => {
      pairs = await Promise.all(
        ['a', 'b', 'c', 'd'].map(async (kid) => {
          const p = await jose.generateKeyPair('RS256', { extractable: true });
          return {
            privateKey: p.privateKey,
            jwk: { ...(await jose.exportJWK(p.publicKey)), kid },
            spki: await jose.exportSPKI(p.publicKey),
          };
        }),
      );
      set = { kind: 'jwks', value: JSON.stringify({ keys: pairs.map((p) => p.jwk) }), label: 'issuer JWKS' };
    });

    const signed = (i: number, kid: string | undefined) =>
      new jose.SignJWT({ sub: 'u' }).setProtectedHeader({ alg: 'RS256', ...(kid ? { kid } : {}) }).sign(pairs[i]!.privateKey);

    it('by kid: the key with that kid verifies, and the result names it', async () => {
      const v = await verifyToken(await signed(2, 'c'), set);
      expectStatus(v, 'valid');
      expect(v).toMatchObject({
        alg: 'RS256',
        kid: 'c',
        key: { index: 0, label: 'issuer JWKS', kid: 'c', thumbprint: await jose.calculateJwkThumbprint(pairs[2]!.jwk) },
      });
    });

    it('an unknown kid: "no key with kid X among N keys"', async () => {
      expectStatus(await verifyToken(await signed(2, 'zzz'), set), 'no-matching-key', 'no key with kid "zzz" among 4 keys');
    });

    it('an unknown kid falls back to keys that have no kid (kid is a hint)', async () => {
      const v = await verifyToken(await signed(2, 'zzz'), [set, pem(pairs[2]!.spki, 'pasted PEM')]);
      expectStatus(v, 'valid');
      expect(v.key).toMatchObject({ index: 1, label: 'pasted PEM' });
      expect(v.key?.kid).toBeUndefined();
    });

    it('a kid that matches is not second-guessed with other keys', async () => {
      expectStatus(
        await verifyToken(await signed(2, 'a'), [set, pem(pairs[2]!.spki)]),
        'invalid',
        'signature does not match the key with kid "a"',
      );
    });

    it('without a kid every key of the family is tried in order', async () => {
      const v = await verifyToken(await signed(3, undefined), set);
      expectStatus(v, 'valid');
      expect(v.key?.kid).toBe('d');
      expectStatus(
        await verifyToken(await signed(3, undefined), [pem(pairs[0]!.spki), pem(pairs[1]!.spki), pem(pairs[2]!.spki)]),
        'invalid',
        'signature does not match any of the 3 RSA keys',
      );
      const one = await verifyToken(await signed(3, undefined), pem(pairs[0]!.spki, 'old key'));
      expectStatus(one, 'invalid', 'signature does not match this key');
      expect(one.key).toEqual({ index: 0, label: 'old key', thumbprint: await jose.calculateJwkThumbprint(pairs[0]!.jwk) });
    });

    it('several secrets: the right one is found and named', async () => {
      const token = await new jose.SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode('second secret, long enough!!!!!!'));
      const v = await verifyToken(token, [secret('first', undefined, 'dev'), secret('second secret, long enough!!!!!!', 'utf8', 'prod')]);
      expectStatus(v, 'valid');
      expect(v.key).toEqual({ index: 1, label: 'prod' });
      expectStatus(await verifyToken(token, [secret('x'), secret('y')]), 'invalid', 'signature does not match any of the 2 HMAC secrets');
    });

    it('a key whose alg differs from the token’s is not used, and the reason says so', async () => {
      const token = await signed(0, undefined);
      expectStatus(
        await verifyToken(token, jwk({ ...pairs[0]!.jwk, kid: undefined, alg: 'PS256' })),
        'no-matching-key',
        'RS256 token but the key is for PS256 (its "alg")',
      );
      const v = await verifyToken(token, [
        jwk({ ...pairs[0]!.jwk, kid: undefined, alg: 'PS256' }),
        jwk({ ...pairs[0]!.jwk, kid: undefined }),
      ]);
      expectStatus(v, 'valid');
      expect(v.key?.index).toBe(1);
    });
  });

  describe('family mismatches are explained', () => {
    it('HS256 token but only RSA keys configured', async () => {
      const token = hs256({ alg: 'HS256' }, {}, 'k');
      expectStatus(await verifyToken(token, [pem(rsa.spki), jwk(rsa.jwk)]), 'no-matching-key', 'HS256 token but only RSA keys configured');
      expectStatus(
        await verifyToken(token, [pem(rsa.spki), jwk(ec.jwk)]),
        'no-matching-key',
        'HS256 token but only RSA keys and EC P-256 keys configured',
      );
    });

    it('RS256 token but the key is an EC P-256 key; ES256 token but the key is an EC P-384 key', async () => {
      const token = await new jose.SignJWT({}).setProtectedHeader({ alg: 'RS256' }).sign(rsa.privateKey);
      expectStatus(await verifyToken(token, pem(ec.spki)), 'no-matching-key', 'RS256 token but the key is an EC P-256 key');
      const p384 = await jose.generateKeyPair('ES384', { extractable: true });
      const es256 = await new jose.SignJWT({}).setProtectedHeader({ alg: 'ES256' }).sign(ec.privateKey);
      expectStatus(
        await verifyToken(es256, pem(await jose.exportSPKI(p384.publicKey))),
        'no-matching-key',
        'ES256 token but the key is an EC P-384 key',
      );
      expectStatus(await verifyToken(es256, secret('s')), 'no-matching-key', 'ES256 token but the key is an HMAC secret');
    });

    it('a broken secret is an error that names the problem', async () => {
      const token = hs256({ alg: 'HS256' }, {}, 'k');
      expectStatus(await verifyToken(token, secret('0x12zz', 'hex')), 'error', /secret is not valid hex: "z" at position 2/);
      // Alongside a usable key, the verdict is the usable key's; the broken one is listed as not used.
      const v = await verifyToken(token, [secret('12zz', 'hex'), pem(rsa.spki)]);
      expectStatus(v, 'no-matching-key', /HS256 token but the key is an RSA key\. Not used: key 1: secret is not valid hex/);
    });

    it('no keys at all', async () => {
      expectStatus(await verifyToken(hs256({ alg: 'HS256' }, {}, 'k'), []), 'no-matching-key', 'no keys configured');
    });
  });

  describe('algorithms', () => {
    it.each(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'])(
      '%s verifies with one RSA PEM (imported per algorithm)',
      async (alg) => {
        const key = await jose.importPKCS8(text('keys/rsa-private-pkcs8.pem'), alg);
        const token = await new jose.SignJWT({}).setProtectedHeader({ alg }).sign(key);
        for (const f of ['rsa-public-spki.pem', 'rsa-public-pkcs1.pem', 'rsa-cert.pem', 'rsa-private-pkcs8.pem', 'rsa-private-pkcs1.pem']) {
          expectStatus(await verifyToken(token, pem(text(`keys/${f}`))), 'valid');
        }
      },
    );

    it('one RSA key serves RS256 and PS256 tokens in turn, imported or not yet, and still rejects a changed one', async () => {
      // The first PS256 check waits for the per-algorithm import; later ones take the ready key without waiting.
      const key = text('keys/rsa-private-pkcs8.pem');
      const rs = await new jose.SignJWT({ n: 1 }).setProtectedHeader({ alg: 'RS256' }).sign(await jose.importPKCS8(key, 'RS256'));
      const ps = await new jose.SignJWT({ n: 2 }).setProtectedHeader({ alg: 'PS256' }).sign(await jose.importPKCS8(key, 'PS256'));
      const input = pem(`${text('keys/rsa-public-spki.pem')}\n`); // text no other test uses: a cold cache
      const [h, , s] = ps.split('.');
      const changed = `${h}.${Buffer.from(JSON.stringify({ n: 3 })).toString('base64url')}.${s}`;
      const first = await Promise.all([verifyToken(ps, input), verifyToken(changed, input), verifyToken(rs, input)]);
      expect(first.map((v) => v.status)).toEqual(['valid', 'invalid', 'valid']);
      for (let i = 0; i < 3; i++) {
        expectStatus(await verifyToken(ps, input), 'valid');
        expectStatus(await verifyToken(changed, input), 'invalid', 'signature does not match this key');
        expectStatus(await verifyToken(rs, input), 'valid');
      }
    });

    it.each([
      ['ES256', 'ec-p256', ['public-spki', 'cert', 'private-pkcs8', 'private-sec1', 'private-sec1-nopub']],
      ['EdDSA', 'ed25519', ['public-spki', 'cert', 'private-pkcs8']],
      ['Ed25519', 'ed25519', ['public-spki', 'cert', 'private-pkcs8']],
    ] as const)('%s verifies with every PEM flavour of the key', async (alg, base, kinds) => {
      const key = await jose.importPKCS8(text(`keys/${base}-private-pkcs8.pem`), alg);
      const token = await new jose.SignJWT({}).setProtectedHeader({ alg }).sign(key);
      for (const k of kinds) expectStatus(await verifyToken(token, pem(text(`keys/${base}-${k}.pem`))), 'valid');
    });

    it.each(['ES384', 'ES512'] as const)('%s with a generated PKCS#8 private key', async (alg) => {
      const { privateKey } = await jose.generateKeyPair(alg, { extractable: true });
      const token = await new jose.SignJWT({}).setProtectedHeader({ alg }).sign(privateKey);
      expectStatus(await verifyToken(token, pem(await jose.exportPKCS8(privateKey))), 'valid');
    });

    it('EdDSA and Ed25519 name the same operation on an Ed25519 key', async () => {
      const { publicKey, privateKey } = await jose.generateKeyPair('EdDSA', { extractable: true });
      const pub = await jose.exportJWK(publicKey);
      for (const alg of ['EdDSA', 'Ed25519']) {
        const token = await new jose.SignJWT({}).setProtectedHeader({ alg }).sign(privateKey);
        expectStatus(await verifyToken(token, jwk({ ...pub, alg: 'EdDSA' })), 'valid');
        expectStatus(await verifyToken(token, jwk({ ...pub, alg: 'Ed25519' })), 'valid');
      }
    });

    it.each(['HS1', 'ES256K', 'RSA-OAEP', 'ML-DSA-44', '__proto__', 'toString'])('alg %s is unsupported', async (alg) => {
      const token = `${b64u(JSON.stringify({ alg }))}.${b64u('{}')}.AAAA`;
      const v = await verifyToken(token, [secret('s'), pem(rsa.spki)]);
      expectStatus(v, 'unsupported', new RegExp(`algorithm ${alg.replace(/[-_]/g, '.')} is not supported`));
      expect(v.alg).toBe(alg);
    });

    it('options.algorithms restricts what is accepted', async () => {
      const token = hs256({ alg: 'HS256' }, {}, 'k');
      expectStatus(
        await verifyToken(token, secret('k'), { algorithms: ['RS256', 'ES256'] }),
        'invalid',
        'HS256 is not among the accepted algorithms (RS256, ES256)',
      );
      expectStatus(await verifyToken(token, secret('k'), { algorithms: ['HS256'] }), 'valid');
      expectStatus(await verifyToken(token, secret('k'), { algorithms: 'HS256' as unknown as string[] }), 'error', /options.algorithms/);
    });

    it('RSA keys under 2048 bits are refused with the reason', async () => {
      const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
      const input = `${b64u(JSON.stringify({ alg: 'RS256' }))}.${b64u('{}')}`;
      const token = `${input}.${b64u(createSign('RSA-SHA256').update(input).sign(privateKey))}`;
      const v = await verifyToken(token, pem(publicKey.export({ type: 'spki', format: 'pem' }) as string));
      expectStatus(v, 'error', /RS256 needs an RSA key of at least 2048 bits; this one has 1024/);
    });
  });

  describe('tokens that are not signed JWS', () => {
    it('a JWE (5 parts) is unsupported, with its algorithms named', async () => {
      const entry = json('rfc-examples/rfc-jose-examples.json').entries.find((e: { kind: string }) => e.kind === 'JWE');
      const v = await verifyToken(entry.token, jwk(entry.key));
      expectStatus(
        v,
        'unsupported',
        'encrypted token (JWE, 5 parts) (alg RSA1_5, enc A128CBC-HS256): it has no signature to check, and decrypting it is not supported',
      );
      expect(v.alg).toBe('RSA1_5');
    });

    const good = hs256({ alg: 'HS256' }, { sub: 'x' }, 'k');
    const [h, p, s] = good.split('.') as [string, string, string];
    it.each([
      ['empty', '', /empty/],
      ['blank', '  \n', /empty/],
      ['2 parts', `${h}.${p}`, /has 3 dot-separated parts, this one has 2/],
      ['4 parts', `${good}.`, /this one has 4/],
      ['empty header', `.${p}.${s}`, /header part is empty/],
      ['space inside', `${h}.${p}. ${s}`, /signature is not base64url: a space at position 0/],
      ['padding', `${h}.${p}.${s}=`, /padding "="/],
      ['base64 alphabet', `${h}.${p.replace(/^./, '+')}.${s}`, /belongs to base64, not base64url/],
      ['header not JSON', `${b64u('{alg')}.${p}.${s}`, /header is not JSON/],
      ['header not object', `${b64u('["HS256"]')}.${p}.${s}`, /header is not a JSON object/],
      ['header not UTF-8', `${b64u(new Uint8Array([0x7b, 0xff, 0x7d]))}.${p}.${s}`, /header is not UTF-8/],
      ['no alg', `${b64u('{"typ":"JWT"}')}.${p}.${s}`, /no "alg"/],
      ['no signature', `${h}.${p}.`, /no signature, though its alg HS256 requires one/],
      ['JSON, not JWS', '{"payload":"e30"', /not valid JSON/],
    ])('%s: invalid with a reason', async (_name, token, reason) => {
      expectStatus(await verifyToken(token, secret('k')), 'invalid', reason);
    });

    it('surrounding whitespace (a pasted line) is tolerated', async () => {
      expectStatus(await verifyToken(`  ${good}\n`, secret('k')), 'valid');
    });

    it('a non-string token is an error, not a throw', async () => {
      expectStatus(await verifyToken(undefined as unknown as string, secret('k')), 'error', /not text/);
      expectStatus(await verifyToken(good, undefined as unknown as KeyInput), 'no-matching-key', 'no keys configured');
      expectStatus(await verifyToken(good, [null as unknown as KeyInput]), 'error', /no text/);
    });
  });

  describe('robustness', () => {
    it('never throws and never says valid for arbitrary text and keys', async () => {
      const keyArb = fc.oneof(
        fc.record({
          kind: fc.constant('secret' as const),
          value: fc.string({ maxLength: 40 }),
          encoding: fc.constantFrom('utf8', 'hex', 'base64', 'base64url') as fc.Arbitrary<'utf8'>,
        }),
        fc.record({
          kind: fc.constantFrom('pem' as const, 'jwk' as const, 'jwks' as const),
          value: fc.oneof(fc.string({ maxLength: 80 }), fc.json()),
        }),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.string({ maxLength: 200 }), fc.stringMatching(/^[A-Za-z0-9_=.\- ]{0,120}$/)),
          fc.array(keyArb, { maxLength: 3 }),
          async (token, keys) => {
            const v = await verifyToken(token, keys);
            expect(STATUSES).toContain(v.status);
            expect(v.status).not.toBe('valid');
            if (v.status !== 'valid') expect(typeof v.reason).toBe('string');
          },
        ),
        { numRuns: 300 },
      );
    });

    it('changing any one character of a valid token makes it not valid', async () => {
      const token = await new jose.SignJWT({ sub: 'u', n: 1 }).setProtectedHeader({ alg: 'ES256', kid: 'k' }).sign(ec.privateKey);
      const keys = jwks({ keys: [{ ...ec.jwk, kid: 'k' }] });
      expectStatus(await verifyToken(token, keys), 'valid');
      await fc.assert(
        fc.asyncProperty(fc.nat(token.length - 1), fc.constantFrom(...'AaBbQqZz09-_.= ?'.split('')), async (i, c) => {
          const changed = token.slice(0, i) + c + token.slice(i + 1);
          fc.pre(changed !== token);
          expect((await verifyToken(changed, keys)).status).not.toBe('valid');
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('prepared keys', () => {
    it('verifyWithKeyRing uses a ring prepared once', async () => {
      const ring = await KeyRing.from([pem(rsa.spki), pem(ec.spki)]);
      expect(await prepareKeys([pem(rsa.spki), pem(ec.spki)])).not.toBe(ring); // arrays: fresh ring, cached keys
      const token = await new jose.SignJWT({}).setProtectedHeader({ alg: 'ES256' }).sign(ec.privateKey);
      const v = await verifyWithKeyRing(token, ring);
      expectStatus(v, 'valid');
      expect(v.key?.index).toBe(1);
      expect((await prepareKeys([pem(rsa.spki), pem(ec.spki)])).keys[1]!.key).toBe(ring.keys[1]!.key);
    });

    it('repeated verification with equal inputs does not re-import (the same CryptoKey is used)', async () => {
      const value = JSON.stringify({ keys: [rsa.jwk] });
      const a = await prepareKeys(jwks(value));
      await verifyToken(await new jose.SignJWT({}).setProtectedHeader({ alg: 'RS256' }).sign(rsa.privateKey), jwks(value));
      const b = await prepareKeys(jwks(` ${value}`.slice(1)));
      expect(b.keys[0]!.key).toBe(a.keys[0]!.key);
    });
  });
});
