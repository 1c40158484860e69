// Signing keys for the workbench: an HMAC secret, a private key (PEM PKCS#8 / PKCS#1 / SEC1, or a private
// JWK) or a generated pair. The PEM and secret readers are the key store's own (core/keys), so a key that
// verifies there signs here. Only the worker calls this with a private key (SECURITY.md, "Workbench").
import { CompactSign, exportJWK, generateKeyPair, importJWK, importPKCS8, type JWK } from 'jose';
import { KeyImportError } from '../errors';
import { isJsonObject } from '../is-json-object';
import { pemSubtype } from '../key-kind';
import { decodeSecret } from '../keys/secret';
import { parsePem, toPem } from '../keys/pem';
import { pkcs8FromPkcs1, pkcs8FromSec1, pkcs8KeyType } from '../keys/key-structures';
import { publicJwk } from '../keys/jwk';
import type { KeyFamily } from '../keys/types';
import type { JsonObject, KeyInput } from '../types';
import { utf8Encode } from '../base64url';

export const GENERATED_KEY_TYPES = ['RSA', 'P-256', 'Ed25519'] as const;
export type GeneratedKeyType = (typeof GENERATED_KEY_TYPES)[number];

export interface SigningKey {
  family: KeyFamily;
  /** The algorithm the key signs with unless the header names another of its family. */
  alg: string;
  key: CryptoKey | Uint8Array;
  /** The public JWK of an asymmetric key (for `jwk` / `jku` headers). */
  publicJwk?: JWK;
}

const FAMILY_ALGS: Record<KeyFamily, readonly string[]> = {
  hmac: ['HS256', 'HS384', 'HS512'],
  rsa: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'],
  ec: ['ES256', 'ES384', 'ES512'],
  okp: ['EdDSA', 'Ed25519'],
};

const CURVE_ALG: Record<string, string> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512', Ed25519: 'EdDSA' };

function defaultAlg(family: KeyFamily, crv?: string): string {
  if (family === 'hmac') return 'HS256';
  if (family === 'rsa') return 'RS256';
  return CURVE_ALG[crv ?? ''] ?? (family === 'okp' ? 'EdDSA' : 'ES256');
}

/**
 * Whether `alg` is one the key signs with: any HS* for a secret; for a private key its own algorithm only,
 * since WebCrypto binds an imported key to one hash and padding (an RS256 key cannot sign PS256).
 */
export function algorithmFitsKey(key: SigningKey, alg: unknown): alg is string {
  if (typeof alg !== 'string' || !FAMILY_ALGS[key.family].includes(alg)) return false;
  return key.family === 'hmac' || alg === key.alg || (key.family === 'okp' && FAMILY_ALGS.okp.includes(key.alg));
}

/** The first private key of a PEM text (PKCS#8, PKCS#1 or SEC1) as PKCS#8 PEM, with its key type. */
export function privateKeyPkcs8(text: string): { pem: string; type: ReturnType<typeof pkcs8KeyType> } {
  const block = parsePem(text).find((b) => /PRIVATE KEY/.test(b.label));
  if (!block) throw new KeyImportError('key-wrong-kind', 'no private key in this PEM text');
  const subtype = pemSubtype(block.label);
  const pkcs8 = subtype === 'rsa-private' ? pkcs8FromPkcs1(block.der) : subtype === 'ec-private' ? pkcs8FromSec1(block.der) : block.der;
  return { pem: toPem(pkcs8, 'PRIVATE KEY'), type: pkcs8KeyType(pkcs8) };
}

async function fromPem(text: string): Promise<SigningKey> {
  const { pem, type } = privateKeyPkcs8(text);
  const alg = defaultAlg(type.family, type.crv);
  // Extractable only to read the public half; the key object stays in the worker.
  const key = await importPKCS8(pem, type.importAlg, { extractable: true });
  return { family: type.family, alg, key, publicJwk: publicJwk((await exportJWK(key)) as Record<string, unknown>) };
}

async function fromJwk(text: string): Promise<SigningKey> {
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch {
    throw new KeyImportError('key-malformed', 'the JWK is not valid JSON');
  }
  if (!isJsonObject(jwk)) throw new KeyImportError('key-malformed', 'the JWK is not a JSON object');
  if (jwk.kty === 'oct') {
    if (typeof jwk.k !== 'string') throw new KeyImportError('key-malformed', 'the oct JWK has no "k"');
    return { family: 'hmac', alg: typeof jwk.alg === 'string' ? jwk.alg : 'HS256', key: decodeSecret(jwk.k, 'base64url') };
  }
  if (typeof jwk.d !== 'string') throw new KeyImportError('key-wrong-kind', 'this JWK has no private part ("d"): signing needs it');
  const family: KeyFamily | undefined = jwk.kty === 'RSA' ? 'rsa' : jwk.kty === 'EC' ? 'ec' : jwk.kty === 'OKP' ? 'okp' : undefined;
  if (!family) throw new KeyImportError('key-unsupported', `JWK key type "${String(jwk.kty)}" does not sign JWS`);
  const crv = typeof jwk.crv === 'string' ? jwk.crv : undefined;
  const alg = typeof jwk.alg === 'string' ? jwk.alg : defaultAlg(family, crv);
  const key = (await importJWK(jwk as JWK, alg)) as CryptoKey;
  return { family, alg, key, publicJwk: publicJwk(jwk) };
}

/** A signing key from what the user typed; throws KeyImportError saying why not. */
export async function importSigningKey(input: KeyInput): Promise<SigningKey> {
  if (!isJsonObject(input) || typeof input.value !== 'string') throw new KeyImportError('key-input-invalid', 'the key input has no text');
  switch (input.kind) {
    case 'secret':
      return { family: 'hmac', alg: 'HS256', key: decodeSecret(input.value, input.encoding ?? 'utf8') };
    case 'pem':
      return fromPem(input.value);
    case 'jwk':
      return fromJwk(input.value.trim());
    default:
      throw new KeyImportError('key-wrong-kind', 'a signing key is a secret, a private PEM key or a private JWK');
  }
}

/** A new key pair, its private half as a JWK so that a kept key survives a worker restart. */
export async function generateSigningKey(type: GeneratedKeyType): Promise<{ key: SigningKey; privateJwk: JWK }> {
  const alg = type === 'RSA' ? 'RS256' : type === 'P-256' ? 'ES256' : 'EdDSA';
  const pair = await generateKeyPair(alg, { extractable: true, ...(type === 'RSA' ? { modulusLength: 2048 } : {}) });
  const privateJwk = await exportJWK(pair.privateKey);
  const family: KeyFamily = type === 'RSA' ? 'rsa' : type === 'P-256' ? 'ec' : 'okp';
  return {
    key: { family, alg, key: pair.privateKey, publicJwk: publicJwk((await exportJWK(pair.publicKey)) as Record<string, unknown>) },
    privateJwk,
  };
}

/**
 * Signs header and payload with jose. The header's `alg` is kept when it fits the key, else replaced by
 * the key's own: a token signed with an HMAC secret but labelled RS256 verifies nowhere.
 */
export async function signCompact(header: JsonObject, payload: unknown, key: SigningKey): Promise<string> {
  const alg = algorithmFitsKey(key, header.alg) ? header.alg : key.alg;
  const protectedHeader = { ...header, alg };
  // The payload bytes are the editor's JSON, compact, as segments.ts writes them.
  return new CompactSign(utf8Encode(JSON.stringify(payload))).setProtectedHeader(protectedHeader).sign(key.key);
}
