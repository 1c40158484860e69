// Every attack preset against the core's own verifyToken and against jose: a correct verifier rejects each
// forgery; the deliberately weak verifiers written here (HMAC over a PEM, an empty key, a header's jwk)
// accept exactly the ones that target them — which is what the presets are for.
import { beforeAll, describe, expect, it } from 'vitest';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as jose from 'jose';
import { verifyToken } from '../../../src/core/verify';
import {
  applyPreset,
  ATTACK_IDS,
  ATTACKS,
  generateSigningKey,
  importSigningKey,
  PEM_VARIANTS,
  signCompact,
  type AttackId,
  type PresetContext,
  type PresetInput,
  type SigningKey,
} from '../../../src/core/workbench';

const key = (name: string) => readFileSync(resolve(import.meta.dirname, '../../fixtures/keys', name), 'utf8');
const RSA_PRIVATE = key('rsa-private-pkcs8.pem');
const RSA_PUBLIC = key('rsa-public-spki.pem');
const EC_PUBLIC = key('ec-p256-public-spki.pem');
const NOW = 1_800_000_000;

let original: string;
let input: PresetInput;
let generated: SigningKey;
const serverKey = () => ({ kind: 'pem' as const, value: RSA_PUBLIC });

async function preset(id: AttackId, ctx: PresetContext = {}): Promise<string> {
  const result = await applyPreset(id, input, {
    publicKey: RSA_PUBLIC,
    url: 'https://me.example/jwks.json',
    weakSecret: 'secret',
    generated,
    now: NOW,
    ...ctx,
  });
  if (!result.ok) throw new Error(`${id}: ${result.message}`);
  return result.token;
}

const parts = (t: string) => t.split('.');
const headerOf = (t: string) => JSON.parse(new TextDecoder().decode(jose.base64url.decode(parts(t)[0]!)));
const payloadOf = (t: string) => JSON.parse(new TextDecoder().decode(jose.base64url.decode(parts(t)[1]!)));

/** What a careless server does: HMAC with whatever bytes it holds as "the key", PEM text included. */
function weakHmacVerify(token: string, secret: string | Buffer): boolean {
  const [h, p, s] = parts(token);
  const expected = createHmac('sha256', secret).update(`${h}.${p}`).digest();
  const got = Buffer.from(jose.base64url.decode(s!));
  return got.length === expected.length && timingSafeEqual(got, expected);
}

async function joseRejects(token: string, k: Parameters<typeof jose.compactVerify>[1]): Promise<boolean> {
  try {
    await jose.compactVerify(token, k);
    return false;
  } catch {
    return true;
  }
}

beforeAll(async () => {
  const signer = await importSigningKey({ kind: 'pem', value: RSA_PRIVATE });
  original = await signCompact({ alg: 'RS256', typ: 'JWT', kid: 'server-1' }, { sub: 'alice', exp: NOW + 600 }, signer);
  input = { header: { alg: 'RS256', typ: 'JWT', kid: 'server-1' }, payload: { sub: 'alice', exp: NOW + 600 }, original };
  generated = (await generateSigningKey('P-256')).key;
});

describe('the original token', () => {
  it("verifies with the server key, in the core and in jose (so every rejection below is the preset's doing)", async () => {
    expect((await verifyToken(original, serverKey())).status).toBe('valid');
    await expect(jose.compactVerify(original, await jose.importSPKI(RSA_PUBLIC, 'RS256'))).resolves.toBeTruthy();
  });
});

describe('every preset', () => {
  it.each(ATTACK_IDS)('%s never verifies with the server key in the core nor in jose', async (id) => {
    for (const variant of ATTACKS[id].variants) {
      if (id === 'claim-tamper' && variant === 'edited') continue; // needs an edit: its own test below
      const token = await preset(id, { variant });
      const core = await verifyToken(token, serverKey());
      expect(core.status, `${id}/${variant}`).not.toBe('valid');
      expect(await joseRejects(token, await jose.importSPKI(RSA_PUBLIC, 'RS256')), `${id}/${variant}`).toBe(true);
    }
  });
});

describe('alg-none', () => {
  it('writes each spelling, an empty signature, and never verifies even with a secret', async () => {
    for (const variant of ['none', 'None', 'NONE', 'nOnE']) {
      const token = await preset('alg-none', { variant });
      expect(headerOf(token).alg).toBe(variant);
      expect(parts(token)[2]).toBe('');
      expect((await verifyToken(token, [serverKey(), { kind: 'secret', value: 'secret' }])).status).not.toBe('valid');
    }
  });
});

describe('null-signature and broken-signature', () => {
  it('null-signature keeps the header and empties the signature', async () => {
    const token = await preset('null-signature');
    expect(headerOf(token).alg).toBe('RS256');
    expect(token.endsWith('.')).toBe(true);
  });
  it('broken-signature differs from the original signature in one bit', async () => {
    const token = await preset('broken-signature');
    const a = jose.base64url.decode(parts(original)[2]!);
    const b = jose.base64url.decode(parts(token)[2]!);
    expect(b.length).toBe(a.length);
    expect(a.reduce((n, byte, i) => n + (byte !== b[i] ? 1 : 0), 0)).toBe(1);
    expect((await verifyToken(token, serverKey())).status).toBe('invalid');
  });
});

describe('empty-hmac-key and kid-traversal', () => {
  it('empty-hmac-key verifies only with an empty key', async () => {
    const token = await preset('empty-hmac-key');
    expect(headerOf(token).alg).toBe('HS256');
    expect(weakHmacVerify(token, Buffer.alloc(0))).toBe(true);
    expect(weakHmacVerify(token, 'secret')).toBe(false);
    // The core refuses an empty secret outright: nothing verifies it.
    expect((await verifyToken(token, { kind: 'secret', value: '' })).status).not.toBe('valid');
  });
  it('kid-traversal points kid at /dev/null and signs with the empty key it reads', async () => {
    const token = await preset('kid-traversal');
    expect(headerOf(token).kid).toBe('../../../../../../dev/null');
    expect(weakHmacVerify(token, Buffer.alloc(0))).toBe(true);
  });
  it('kid-traversal/sql signs with what the injected query selects', async () => {
    const token = await preset('kid-traversal', { variant: 'sql' });
    expect(headerOf(token).kid).toContain('UNION SELECT');
    expect((await verifyToken(token, { kind: 'secret', value: 'workbench' })).status).toBe('valid');
    await expect(jose.compactVerify(token, new TextEncoder().encode('workbench'))).resolves.toBeTruthy();
  });
});

describe('hs-rs-confusion', () => {
  it('verifies only with an HMAC that takes the PEM text as its secret', async () => {
    const token = await preset('hs-rs-confusion');
    expect(headerOf(token).alg).toBe('HS256');
    // The fixture is OpenSSL's output: SPKI, 64-column lines, a final newline — the default variant.
    expect(weakHmacVerify(token, RSA_PUBLIC)).toBe(true);
    // The core refuses a PEM as an HMAC secret, and with the key as an RSA key the family does not match.
    expect((await verifyToken(token, { kind: 'secret', value: RSA_PUBLIC })).status).not.toBe('valid');
    expect((await verifyToken(token, serverKey())).status).not.toBe('valid');
    expect(await joseRejects(token, await jose.importSPKI(RSA_PUBLIC, 'RS256'))).toBe(true);
  });
  it('each armour is a different secret: without the final newline, CRLF, PKCS#1', async () => {
    const pkcs1 = key('rsa-public-pkcs1.pem');
    const expected: Record<string, string> = {
      'spki-lf': RSA_PUBLIC,
      spki: RSA_PUBLIC.replace(/\n$/, ''),
      'spki-crlf': RSA_PUBLIC.replace(/\n/g, '\r\n'),
      'pkcs1-lf': pkcs1,
      pkcs1: pkcs1.replace(/\n$/, ''),
    };
    const tokens = new Set<string>();
    for (const variant of PEM_VARIANTS) {
      const token = await preset('hs-rs-confusion', { variant });
      tokens.add(token);
      expect(weakHmacVerify(token, expected[variant]!), variant).toBe(true);
    }
    expect(tokens.size).toBe(PEM_VARIANTS.length);
  });
  it('takes the public key as PKCS#1 PEM or as a JWK too', async () => {
    const fromPkcs1 = await preset('hs-rs-confusion', { publicKey: key('rsa-public-pkcs1.pem') });
    const jwk = await jose.exportJWK(await jose.importSPKI(RSA_PUBLIC, 'RS256', { extractable: true }));
    const fromJwk = await preset('hs-rs-confusion', { publicKey: JSON.stringify(jwk) });
    expect(fromPkcs1).toBe(await preset('hs-rs-confusion'));
    expect(fromJwk).toBe(fromPkcs1);
  });
  it('says what it needs without a key, and refuses an EC key', async () => {
    expect(await applyPreset('hs-rs-confusion', input, {})).toMatchObject({ ok: false, code: 'needs-public-key' });
    expect(await applyPreset('hs-rs-confusion', input, { publicKey: EC_PUBLIC })).toMatchObject({ ok: false, code: 'failed' });
  });
});

describe('embedded-jwk and jku-injection', () => {
  it("embedded-jwk verifies only for a verifier that trusts the header's key", async () => {
    const token = await preset('embedded-jwk');
    const header = headerOf(token);
    expect(header.jwk).toMatchObject({ kty: 'EC', crv: 'P-256' });
    expect(header.jwk.d).toBeUndefined();
    await expect(jose.compactVerify(token, jose.EmbeddedJWK)).resolves.toBeTruthy();
    // The core never uses a token's own key.
    expect((await verifyToken(token, serverKey())).status).not.toBe('valid');
  });
  it('jku-injection names only the URL it is given and verifies with the generated key that URL serves', async () => {
    const token = await preset('jku-injection');
    expect(headerOf(token).jku).toBe('https://me.example/jwks.json');
    await expect(jose.compactVerify(token, await jose.importJWK(generated.publicJwk!, 'ES256'))).resolves.toBeTruthy();
    const x5u = await preset('jku-injection', { variant: 'x5u' });
    expect(headerOf(x5u).x5u).toBe('https://me.example/jwks.json');
  });
  it('jku-injection without a URL asks for one', async () => {
    expect(await applyPreset('jku-injection', input, { generated })).toMatchObject({ ok: false, code: 'needs-url' });
    expect(await applyPreset('jku-injection', input, { generated, url: 'file:///etc/passwd' })).toMatchObject({
      ok: false,
      code: 'needs-url',
    });
  });
});

describe('psychic-signature', () => {
  it('is r = s = 0 at each curve size, and never verifies', async () => {
    for (const [variant, bytes] of [
      ['ES256', 64],
      ['ES384', 96],
      ['ES512', 132],
    ] as const) {
      const token = await preset('psychic-signature', { variant });
      const sig = jose.base64url.decode(parts(token)[2]!);
      expect(sig.length).toBe(bytes);
      expect(sig.every((b) => b === 0)).toBe(true);
      expect(headerOf(token).alg).toBe(variant);
    }
    const es256 = await preset('psychic-signature');
    expect((await verifyToken(es256, { kind: 'pem', value: EC_PUBLIC })).status).toBe('invalid');
    expect(await joseRejects(es256, await jose.importSPKI(EC_PUBLIC, 'ES256'))).toBe(true);
  });
});

describe('weak-secret-resign and claim-tamper', () => {
  it('weak-secret-resign signs the edited claims with the found secret', async () => {
    const result = await applyPreset('weak-secret-resign', { ...input, payload: { sub: 'mallory' } }, { weakSecret: 'secret' });
    if (!result.ok) throw new Error(result.message);
    expect(payloadOf(result.token).sub).toBe('mallory');
    expect((await verifyToken(result.token, { kind: 'secret', value: 'secret' })).status).toBe('valid');
    await expect(jose.compactVerify(result.token, new TextEncoder().encode('secret'))).resolves.toBeTruthy();
    expect(await applyPreset('weak-secret-resign', input, {})).toMatchObject({ ok: false, code: 'needs-weak-secret' });
  });
  it('claim-tamper keeps the original signature: exp pushed a year by default, the edits when there are some', async () => {
    const token = await preset('claim-tamper');
    expect(parts(token)[2]).toBe(parts(original)[2]);
    expect(payloadOf(token).exp).toBe(NOW + 365 * 24 * 3600);
    const edited = await applyPreset('claim-tamper', { ...input, payload: { sub: 'root' } }, {});
    expect(edited).toMatchObject({ ok: true, variant: 'edited' });
    if (edited.ok) expect(payloadOf(edited.token)).toEqual({ sub: 'root' });
    expect(payloadOf(await preset('claim-tamper', { variant: 'roles' })).roles).toEqual(['admin']);
    expect(await applyPreset('claim-tamper', input, { variant: 'edited' })).toMatchObject({ ok: false, code: 'needs-edit' });
    if (edited.ok) expect((await verifyToken(edited.token, serverKey())).status).toBe('invalid');
  });
});

describe('applyPreset', () => {
  it('answers an unknown variant instead of throwing', async () => {
    expect(await applyPreset('alg-none', input, { variant: 'nope' })).toMatchObject({ ok: false, code: 'bad-variant' });
  });
});
