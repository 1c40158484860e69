import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as jose from 'jose';
import {
  clearKeyCache,
  decodeSecret,
  detectKeyKind,
  importKeyInput,
  importKeyInputDetailed,
  KeyImportError,
  keyFor,
  KeyRing,
  prepareKeys,
} from '../../src/core/keys';
import type { KeyInput } from '../../src/core/types';

const FIXTURES = resolve(import.meta.dirname, '../fixtures');
const fixture = (path: string) => readFileSync(resolve(FIXTURES, path), 'utf8');
const keyFile = (name: string) => fixture(`keys/${name}`);

const pem = (value: string): KeyInput => ({ kind: 'pem', value });
const jwk = (value: unknown): KeyInput => ({ kind: 'jwk', value: typeof value === 'string' ? value : JSON.stringify(value) });
const jwks = (value: unknown): KeyInput => ({ kind: 'jwks', value: typeof value === 'string' ? value : JSON.stringify(value) });

async function only(input: KeyInput) {
  const keys = await importKeyInput(input, 0);
  expect(keys).toHaveLength(1);
  return keys[0]!;
}

async function thumbprintOfSpki(spkiPem: string, alg: string) {
  const key = await jose.importSPKI(spkiPem, alg, { extractable: true });
  return jose.calculateJwkThumbprint(await jose.exportJWK(key));
}

describe('detectKeyKind', () => {
  it.each([
    ['rsa-public-spki.pem', 'public'],
    ['rsa-public-pkcs1.pem', 'rsa-public'],
    ['rsa-cert.pem', 'certificate'],
    ['rsa-private-pkcs8.pem', 'private'],
    ['rsa-private-pkcs1.pem', 'rsa-private'],
    ['ec-p256-private-sec1.pem', 'ec-private'],
    ['ec-p256-cert.pem', 'certificate'],
    ['ed25519-public-spki.pem', 'public'],
  ])('%s is PEM %s', (file, subtype) => {
    const d = detectKeyKind(keyFile(file));
    expect(d.kind).toBe('pem');
    expect(d.subtype).toBe(subtype);
    expect(d.description).toMatch(/PEM/);
  });

  it('says a private key contributes only its public half', () => {
    expect(detectKeyKind(keyFile('rsa-private-pkcs8.pem')).description).toMatch(/only its public half/);
  });

  it('flags an encrypted private key as unsupported', () => {
    const d = detectKeyKind('-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----');
    expect(d).toMatchObject({ kind: 'pem', subtype: 'unsupported' });
  });

  it('recognises JWK Sets, JWKs, URLs', () => {
    expect(detectKeyKind(fixture('latchset-jose/rfc7517_A.1.jwkset'))).toMatchObject({ kind: 'jwks', description: 'JWK Set with 2 keys' });
    expect(detectKeyKind(fixture('latchset-jose/rfc7515_A.2.jwk'))).toMatchObject({ kind: 'jwk' });
    expect(detectKeyKind(fixture('latchset-jose/rfc7515_A.2.jwk')).description).toMatch(/RSA key, private/);
    expect(detectKeyKind('  https://issuer.example/.well-known/jwks.json\n')).toMatchObject({ kind: 'url' });
    expect(detectKeyKind('http://issuer.example/.well-known/openid-configuration').description).toMatch(/discovery.*cleartext/);
  });

  it('guesses secret encodings', () => {
    expect(detectKeyKind('your-256-bit-secret')).toMatchObject({ kind: 'secret', encoding: 'utf8' });
    expect(detectKeyKind('correct horse battery staple')).toMatchObject({ kind: 'secret', encoding: 'utf8' });
    expect(detectKeyKind('00112233445566778899aabbccddeeff')).toMatchObject({ kind: 'secret', encoding: 'hex' });
    expect(detectKeyKind('AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow')).toMatchObject({
      kind: 'secret',
      encoding: 'base64url',
    });
    expect(detectKeyKind('AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ+EstJQLr/T+1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow==')).toMatchObject({
      kind: 'secret',
      encoding: 'base64',
    });
  });

  it('notices a JWT pasted where a key belongs', () => {
    expect(detectKeyKind(fixture('latchset-jose/rfc7515_A.1.jwsc')).description).toMatch(/JWT/);
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const d = detectKeyKind(s);
        expect(['secret', 'pem', 'jwk', 'jwks', 'url']).toContain(d.kind);
      }),
    );
  });
});

describe('HMAC secrets', () => {
  const bytes = (s: string) => Array.from(new TextEncoder().encode(s));

  it('decode by their encoding', () => {
    expect(Array.from(decodeSecret('your-256-bit-secret'))).toEqual(bytes('your-256-bit-secret'));
    expect(Array.from(decodeSecret(' pass phrase ', 'utf8'))).toEqual(bytes(' pass phrase '));
    expect(Array.from(decodeSecret('00ff10', 'hex'))).toEqual([0, 255, 16]);
    expect(Array.from(decodeSecret(' 0x00FF10\n', 'hex'))).toEqual([0, 255, 16]);
    expect(Array.from(decodeSecret('+/8=', 'base64'))).toEqual([251, 255]);
    expect(Array.from(decodeSecret('-_8', 'base64url'))).toEqual([251, 255]);
    expect(Array.from(decodeSecret('-_8=', 'base64url'))).toEqual([251, 255]);
  });

  it.each([
    ['00fg', 'hex', /^secret is not valid hex: "g" at position 3$/],
    ['abc', 'hex', /^secret is not valid hex: odd number of digits \(3\)$/],
    ['00 ff', 'hex', /^secret is not valid hex: a space at position 2$/],
    ['-_8=', 'base64', /^secret is not valid base64: "-" at position 0 \(that is base64url/],
    ['+/8', 'base64url', /^secret is not valid base64url: character "\+" at position 0 belongs to base64.*choose the base64 encoding/],
    ['QQ=', 'base64', /^secret is not valid base64: wrong "=" padding$/],
    ['QR==', 'base64', /non-zero padding bits/],
    ['QUJDRA=====', 'base64', /wrong "=" padding/],
    ['Q', 'base64url', /cannot encode whole bytes/],
    ['', 'utf8', /^secret is empty$/],
    ['', 'hex', /^secret is empty$/],
  ] as const)('%j as %s is refused: %s', (value, encoding, message) => {
    expect(() => decodeSecret(value, encoding)).toThrow(KeyImportError);
    expect(() => decodeSecret(value, encoding)).toThrow(message);
  });

  it('an import error is reported per input, not thrown by prepareKeys', async () => {
    const ring = await prepareKeys([{ kind: 'secret', value: 'zz', encoding: 'hex', label: 'staging' }]);
    expect(ring.keys).toHaveLength(0);
    expect(ring.problems).toEqual([
      expect.objectContaining({
        index: 0,
        label: 'staging',
        severity: 'error',
        reason: expect.stringMatching(/^secret is not valid hex: "z" at position 0$/),
      }),
    ]);
    await expect(importKeyInput({ kind: 'secret', value: 'zz', encoding: 'hex' }, 0)).rejects.toThrow(/not valid hex/);
  });
});

describe('algorithm confusion is impossible by construction (RFC 8725 §3.1)', () => {
  it('PEM text offered as an HMAC secret is refused', async () => {
    const text = keyFile('rsa-public-spki.pem');
    for (const value of [text, `${text}\n`, text.replace(/\n/g, '\r\n')]) {
      expect(() => decodeSecret(value)).toThrow(/algorithm confusion/);
      const ring = await prepareKeys({ kind: 'secret', value });
      expect(ring.keys).toHaveLength(0);
    }
  });

  it('a JWK offered as an HMAC secret is refused', () => {
    expect(() => decodeSecret(fixture('latchset-jose/rfc7515_A.3.jwk'))).toThrow(/algorithm confusion/);
    expect(() => decodeSecret(fixture('latchset-jose/rfc7517_A.1.jwkset'))).toThrow(/algorithm confusion/);
    expect(() => decodeSecret(fixture('latchset-jose/rfc7515_A.1.jwk'))).toThrow(/add it as a JWK/);
  });

  it('PEM and non-oct JWK inputs never yield an HMAC key; secrets always do', async () => {
    const asymmetric = [
      ...['rsa-public-spki.pem', 'rsa-cert.pem', 'rsa-private-pkcs8.pem', 'ec-p256-public-spki.pem', 'ed25519-public-spki.pem'].map((f) =>
        pem(keyFile(f)),
      ),
      jwk(fixture('latchset-jose/rfc7515_A.2.jwk')),
      jwk(fixture('latchset-jose/rfc7515_A.3.jwk')),
      jwks(fixture('latchset-jose/rfc7515_A.6.jwkset')),
    ];
    const ring = await prepareKeys(asymmetric);
    expect(ring.keys.length).toBeGreaterThanOrEqual(asymmetric.length);
    for (const k of ring.keys) expect(k.family).not.toBe('hmac');

    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 64 }), async (value) => {
        const r = await importKeyInputDetailed({ kind: 'secret', value }, 0);
        for (const k of r.keys) expect(k.family).toBe('hmac');
        const p = await importKeyInputDetailed({ kind: 'pem', value }, 0);
        expect(p.keys).toHaveLength(0);
      }),
      { numRuns: 50 },
    );
  });
});

describe('PEM keys', () => {
  it.each([
    ['rsa', 'RS256', ['rsa-public-spki.pem', 'rsa-public-pkcs1.pem', 'rsa-cert.pem', 'rsa-private-pkcs8.pem', 'rsa-private-pkcs1.pem']],
    [
      'ec',
      'ES256',
      [
        'ec-p256-public-spki.pem',
        'ec-p256-cert.pem',
        'ec-p256-private-pkcs8.pem',
        'ec-p256-private-sec1.pem',
        'ec-p256-private-sec1-nopub.pem',
      ],
    ],
    ['okp', 'EdDSA', ['ed25519-public-spki.pem', 'ed25519-cert.pem', 'ed25519-private-pkcs8.pem']],
  ] as const)('every %s flavour imports to the same public key', async (family, alg, files) => {
    const spkiFile = files[0]!;
    const expected = await thumbprintOfSpki(keyFile(spkiFile), alg);
    for (const file of files) {
      const k = await only(pem(keyFile(file)));
      expect(k.family, file).toBe(family);
      expect(k.thumbprint, file).toBe(expected);
      // Only the public half is ever kept.
      expect(Object.keys(k.jwk!).sort(), file).toEqual(
        family === 'rsa' ? ['e', 'kty', 'n'] : family === 'ec' ? ['crv', 'kty', 'x', 'y'] : ['crv', 'kty', 'x'],
      );
      expect((k.key as CryptoKey).type, file).toBe('public');
    }
  });

  it('records the curve and the RSA size', async () => {
    expect(await only(pem(keyFile('ec-p256-cert.pem')))).toMatchObject({ crv: 'P-256' });
    expect(await only(pem(keyFile('ed25519-cert.pem')))).toMatchObject({ crv: 'Ed25519' });
    expect(await only(pem(keyFile('rsa-public-pkcs1.pem')))).toMatchObject({ bits: 2048 });
  });

  it('a generated PKCS#8 private key gives its public half', async () => {
    for (const alg of ['RS256', 'ES384', 'ES512', 'EdDSA'] as const) {
      const { publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true });
      const k = await only(pem(await jose.exportPKCS8(privateKey)));
      expect(k.thumbprint, alg).toBe(await jose.calculateJwkThumbprint(await jose.exportJWK(publicKey)));
      expect(k.jwk).not.toHaveProperty('d');
    }
  });

  it('the RFC 7517 Appendix B certificate (x5c) carries the key of its JWK', async () => {
    const b = JSON.parse(fixture('latchset-jose/rfc7517_B.jwk'));
    const certPem = `-----BEGIN CERTIFICATE-----\n${(b.x5c[0] as string).match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----`;
    const fromCert = await only(pem(certPem));
    const fromJwk = await only(jwk(b));
    expect(fromCert.thumbprint).toBe(fromJwk.thumbprint);
    expect(fromJwk.kid).toBe('1b94c');
  });

  it('several blocks become several keys; later certificates of a chain are skipped', async () => {
    const two = await importKeyInputDetailed(pem(`${keyFile('rsa-public-spki.pem')}\n${keyFile('ec-p256-public-spki.pem')}`), 0);
    expect(two.keys.map((k) => k.family)).toEqual(['rsa', 'ec']);
    expect(two.keys[1]!.source).toBe('PEM block 2 (PUBLIC KEY)');
    const chain = await importKeyInputDetailed(pem(`${keyFile('rsa-cert.pem')}\n${keyFile('ec-p256-cert.pem')}`), 0);
    expect(chain.keys.map((k) => k.family)).toEqual(['rsa']);
    expect(chain.problems[0]).toMatchObject({ severity: 'skipped', reason: expect.stringMatching(/CA/) });
  });

  it.each([
    ['no armour', 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA', /no PEM block found/],
    ['bad base64', '-----BEGIN PUBLIC KEY-----\nMIIB!jAN\n-----END PUBLIC KEY-----', /not valid base64: "!"/],
    [
      'truncated DER',
      '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----',
      /truncated|malformed|SEQUENCE/,
    ],
    ['encrypted', '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----', /encrypted/],
    [
      'legacy encrypted',
      '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nMIIB\n-----END RSA PRIVATE KEY-----',
      /encrypted/,
    ],
    [
      'other PEM',
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n-----END OPENSSH PRIVATE KEY-----',
      /not a key or certificate this tool reads/,
    ],
    ['mismatched end', '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PRIVATE KEY-----', /ends with/],
  ])('%s is refused with a reason', async (_name, value, message) => {
    const r = await importKeyInputDetailed(pem(value), 0);
    expect(r.keys).toHaveLength(0);
    expect(r.problems[0]?.reason).toMatch(message);
  });
});

describe('JWK and JWK Set', () => {
  it('RFC 7638 §3.1: the thumbprint of the example key', async () => {
    const k = await only(jwk(fixture('latchset-jose/rfc7638_3.1.jwk')));
    expect(k.thumbprint).toBe(fixture('latchset-jose/rfc7638_3.1.thp').trim());
    expect(k).toMatchObject({ family: 'rsa', kid: '2011-04-29', alg: 'RS256' });
  });

  it('a private JWK gives its public half', async () => {
    const k = await only(jwk(fixture('latchset-jose/rfc7515_A.2.jwk')));
    expect(k.family).toBe('rsa');
    expect(Object.keys(k.jwk!).sort()).toEqual(['e', 'kty', 'n']);
  });

  it('an oct JWK is an HMAC secret without a thumbprint', async () => {
    const k = await only(jwk(fixture('latchset-jose/rfc7515_A.1.jwk')));
    expect(k.family).toBe('hmac');
    expect(k.key).toBeInstanceOf(Uint8Array);
    expect(k.thumbprint).toBeUndefined();
    expect(k.jwk).toBeUndefined();
  });

  it('RFC 7517 A.1: the encryption key is skipped, with the reason', async () => {
    const r = await importKeyInputDetailed(jwks(fixture('latchset-jose/rfc7517_A.1.jwkset')), 3);
    expect(r.keys.map((k) => [k.family, k.kid, k.index, k.source])).toEqual([['rsa', '2011-04-29', 3, 'key 2 of the JWK Set']]);
    expect(r.problems).toEqual([
      expect.objectContaining({ index: 3, kid: '1', severity: 'skipped', reason: expect.stringMatching(/encryption \(use "enc"\)/) }),
    ]);
  });

  it('RFC 7517 A.2: private keys in a set give public halves', async () => {
    const r = await importKeyInputDetailed(jwks(fixture('latchset-jose/rfc7517_A.2.jwkset')), 0);
    expect(r.keys).toHaveLength(1);
    expect(r.keys[0]!.jwk).not.toHaveProperty('d');
  });

  it('RFC 7517 A.3: a key-wrapping key is skipped, the HMAC key kept', async () => {
    const r = await importKeyInputDetailed(jwks(fixture('latchset-jose/rfc7517_A.3.jwkset')), 0);
    expect(r.keys.map((k) => [k.family, k.kid])).toEqual([['hmac', 'HMACkeyusedinJWSspecAppendixA.1example']]);
    expect(r.problems[0]!.reason).toMatch(/A128KW is not a JWS signature algorithm/);
  });

  it.each([
    [{ kty: 'OKP', crv: 'X25519', x: 'hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo' }, 'skipped', /key-agreement/],
    [{ kty: 'EC', crv: 'secp256k1', x: 'AA', y: 'AA' }, 'skipped', /secp256k1 are not supported/],
    [{ kty: 'AKP', alg: 'ML-DSA-44', pub: 'AA' }, 'skipped', /"AKP" is not supported/],
    [{ kty: 'RSA', n: 'AQAB', e: 'AQAB', key_ops: ['encrypt'] }, 'skipped', /key_ops \(encrypt\)/],
    [{ kty: 'RSA', n: 'AQAB', e: 'AQAB', alg: 'HS256' }, 'error', /HS256 does not fit an RSA key/],
    [{ kty: 'EC', crv: 'P-384', x: 'AA', y: 'AA', alg: 'ES256' }, 'error', /ES256 does not fit an EC P-384 key/],
    [{ kty: 'oct', k: 'a+b' }, 'error', /not valid base64url/],
    [{ kty: 'oct', k: '' }, 'error', /empty/],
    [{ kty: 'RSA', e: 'AQAB' }, 'error', /no "n"/],
    [{ n: 'AQAB' }, 'error', /no "kty"/],
  ])('%j is not used (%s)', async (key, severity, reason) => {
    const r = await importKeyInputDetailed(jwk(key), 0);
    expect(r.keys).toHaveLength(0);
    expect(r.problems[0]).toMatchObject({ severity, reason: expect.stringMatching(reason) });
  });

  it('mix-ups between JWK and JWKS and bad JSON are explained', async () => {
    expect((await importKeyInputDetailed(jwk(fixture('latchset-jose/rfc7517_A.1.jwkset')), 0)).problems[0]!.reason).toMatch(
      /add it as a JWKS/,
    );
    expect((await importKeyInputDetailed(jwks(fixture('latchset-jose/rfc7515_A.3.jwk')), 0)).problems[0]!.reason).toMatch(
      /add it as a JWK/,
    );
    expect((await importKeyInputDetailed(jwk('{"kty":'), 0)).problems[0]!.reason).toMatch(/not valid JSON/);
    expect((await importKeyInputDetailed(jwks('{"keys":[]}'), 0)).problems[0]!.reason).toMatch(/empty/);
  });

  it('bounds the input', async () => {
    const huge = jwks(`{"keys":[${'{"kty":"oct","k":"AA"},'.repeat(60000)}{"kty":"oct","k":"AA"}]}`);
    expect((await importKeyInputDetailed(huge, 0)).problems[0]!.reason).toMatch(/too long/);
    const many = jwks({ keys: Array.from({ length: 150 }, () => ({ kty: 'oct', k: 'AAAA' })) });
    const r = await importKeyInputDetailed(many, 0);
    expect(r.keys).toHaveLength(100);
    expect(r.problems.at(-1)!.reason).toMatch(/only the first 100 of 150/);
  });
});

describe('caching: import once, verify many', () => {
  it('equal inputs (even as distinct strings) share one import', async () => {
    clearKeyCache();
    const text = fixture('latchset-jose/rfc7515_A.6.jwkset');
    const copy = ` ${text}`.slice(1);
    const a = await prepareKeys(jwks(text));
    const b = await prepareKeys(jwks(copy));
    expect(b).toBe(a);
    expect(b.keys[0]!.key).toBe(a.keys[0]!.key);
  });

  it('the same key at another position or with a label reuses the import', async () => {
    const text = fixture('latchset-jose/rfc7515_A.2.jwk');
    const first = (await prepareKeys([jwk(text)])).keys[0]!;
    const ring = await prepareKeys([
      { kind: 'secret', value: 's' },
      { ...jwk(text), label: 'prod' },
    ]);
    const moved = ring.keys[1]!;
    expect(moved).toMatchObject({ index: 1, label: 'prod', family: 'rsa' });
    expect(moved.key).toBe(first.key);
    expect(await keyFor(moved, 'PS256')).toBe(await keyFor(first, 'PS256'));
  });

  it('keyFor imports once per algorithm and serves the family default directly', async () => {
    const k = await only(pem(keyFile('rsa-public-spki.pem')));
    expect(await keyFor(k, 'RS256')).toBe(k.key);
    const ps = await keyFor(k, 'PS256');
    expect(ps).not.toBe(k.key);
    expect((ps as CryptoKey).algorithm.name).toBe('RSA-PSS');
    expect(await keyFor(k, 'PS256')).toBe(ps);
    const ed = await only(pem(keyFile('ed25519-public-spki.pem')));
    expect(await keyFor(ed, 'Ed25519')).toBe(ed.key);
  });

  it('KeyRing.from prepares a reusable set', async () => {
    const ring = await KeyRing.from([jwk(fixture('latchset-jose/rfc7515_A.3.jwk')), { kind: 'secret', value: 'x' }]);
    expect(ring).toBeInstanceOf(KeyRing);
    expect(ring.keys.map((k) => [k.family, k.index])).toEqual([
      ['ec', 0],
      ['hmac', 1],
    ]);
    expect(ring.inputCount).toBe(2);
  });
});

describe('the key importer and the verifier stay pure', () => {
  const CORE = resolve(import.meta.dirname, '../../src/core');
  const files = ['keys', 'verify'].flatMap((dir) =>
    readdirSync(resolve(CORE, dir))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `${dir}/${f}`),
  );

  it('covers both folders', () => {
    expect(files.filter((f) => f.startsWith('keys/')).length).toBeGreaterThan(5);
    expect(files.filter((f) => f.startsWith('verify/')).length).toBeGreaterThan(2);
  });

  it.each(files)('%s imports only jose and core files, and no platform API', (file) => {
    const path = resolve(CORE, file);
    const source = readFileSync(path, 'utf8');
    const specifiers = [
      ...[...source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!),
      ...[...source.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!),
    ];
    expect(source, 'no dynamic import').not.toMatch(/\bimport\s*\(/);
    expect(specifiers.length).toBeGreaterThan(0);
    for (const s of specifiers) {
      const inCore = /^\.\.?\/[\w/-]+$/.test(s) && resolve(path, '..', s).startsWith(CORE);
      expect(s === 'jose' || inCore, s).toBe(true);
    }
    expect(source).not.toMatch(/\brequire\s*\(|\bBuffer\b|['"]node:|\bchrome\.|\bbrowser\.|\bdocument\.|\bwindow\.|\bfetch\s*\(/);
  });
});

describe('urlKeyInput: what a pasted URL names', () => {
  it('reads JWKS URLs as JWK Sets and anything else as an issuer; a discovery URL stands for its issuer', async () => {
    const { urlKeyInput } = await import('../../src/core/key-kind');
    expect(urlKeyInput('https://login.example/.well-known/jwks.json')).toEqual({
      kind: 'jwks-url',
      value: 'https://login.example/.well-known/jwks.json',
    });
    expect(urlKeyInput('https://www.googleapis.com/oauth2/v3/certs')).toEqual({
      kind: 'jwks-url',
      value: 'https://www.googleapis.com/oauth2/v3/certs',
    });
    expect(urlKeyInput('https://login.example/tenant')).toEqual({ kind: 'issuer', value: 'https://login.example/tenant' });
    expect(urlKeyInput('https://login.example/tenant/.well-known/openid-configuration')).toEqual({
      kind: 'issuer',
      value: 'https://login.example/tenant',
    });
    expect(urlKeyInput('http://127.0.0.1:8787/.well-known/oauth-authorization-server')).toEqual({
      kind: 'issuer',
      value: 'http://127.0.0.1:8787',
    });
  });
});
