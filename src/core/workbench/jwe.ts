// Compact JWE decryption with jose, for every `alg` / `enc` jose supports (RSA1_5 is not among them since
// jose 5: it says so). The key is what the user keeps as a signing key (a secret, a password for PBES2, a
// private PEM or JWK), imported for the token's own `alg`. The plaintext is untrusted text; a nested JWT
// in it (cty "JWT", or text that is one) is handed back to be shown as any other token.
import { compactDecrypt, importJWK, importPKCS8, type JWK } from 'jose';
import { utf8Decode } from '../base64url';
import { decodeToken } from '../decode';
import { isJsonObject } from '../is-json-object';
import { decodeSecret } from '../keys/secret';
import type { JsonObject, KeyInput } from '../types';
import { privateKeyPkcs8 } from './signing-key';

/** Plaintext longer than this is cut in the answer (the token itself is bounded by MAX_TOKEN_BYTES). */
export const MAX_PLAINTEXT_CHARS = 1024 * 1024;

export type JweFailureCode = 'not-jwe' | 'unsupported' | 'wrong-key' | 'failed';

export type JweResult =
  | { ok: true; header: JsonObject; plaintext: string; truncated: boolean; nested?: string }
  | { ok: false; code: JweFailureCode; message: string };

const SYMMETRIC = /^(dir|A(128|192|256)KW|A(128|192|256)GCMKW)$/;
const PASSWORD = /^PBES2-/;
const SUPPORTED =
  /^(dir|A(128|192|256)KW|A(128|192|256)GCMKW|PBES2-HS(256\+A128|384\+A192|512\+A256)KW|RSA-OAEP(-256|-384|-512)?|ECDH-ES(\+A(128|192|256)KW)?)$/;

function jwkOf(input: KeyInput): JWK | undefined {
  if (input.kind !== 'jwk') return undefined;
  try {
    const parsed: unknown = JSON.parse(input.value);
    return isJsonObject(parsed) ? (parsed as JWK) : undefined;
  } catch {
    return undefined;
  }
}

async function keyFor(alg: string, input: KeyInput): Promise<CryptoKey | Uint8Array> {
  const jwk = jwkOf(input);
  if (SYMMETRIC.test(alg) || PASSWORD.test(alg)) {
    if (jwk?.kty === 'oct' && typeof jwk.k === 'string') return decodeSecret(jwk.k, 'base64url');
    if (input.kind === 'secret') return decodeSecret(input.value, input.encoding ?? 'utf8');
    throw new Error(`${alg} needs a secret${PASSWORD.test(alg) ? ' (the password)' : ''}, not this key`);
  }
  if (jwk) {
    if (typeof jwk.d !== 'string') throw new Error('this JWK has no private part ("d"): decrypting needs it');
    return (await importJWK(jwk, alg)) as CryptoKey;
  }
  if (input.kind === 'pem') return importPKCS8(privateKeyPkcs8(input.value).pem, alg);
  throw new Error(`${alg} needs a private key (PEM or JWK)`);
}

export async function decryptCompactJwe(token: string, input: KeyInput): Promise<JweResult> {
  const decoded = decodeToken(token);
  if (!decoded.ok || decoded.kind !== 'jwe') return { ok: false, code: 'not-jwe', message: 'this is not a compact JWE (five parts)' };
  const header = decoded.header as JsonObject;
  const alg = typeof header.alg === 'string' ? header.alg : '';
  if (!SUPPORTED.test(alg)) return { ok: false, code: 'unsupported', message: `"${alg}" is not a key management algorithm jose decrypts` };
  let key: CryptoKey | Uint8Array;
  try {
    key = await keyFor(alg, input);
  } catch (e) {
    return { ok: false, code: 'wrong-key', message: e instanceof Error ? e.message : String(e) };
  }
  try {
    // jose allows PBES2 only when asked: the user asked, by decrypting with a password. Its iteration
    // cap (maxPBES2Count, 10 000) stays, so a hostile p2c cannot stall the worker.
    const { plaintext } = await compactDecrypt(token.trim(), key, { keyManagementAlgorithms: [alg] });
    const text = utf8Decode(plaintext);
    const shown = text.slice(0, MAX_PLAINTEXT_CHARS);
    const inner = text.trim();
    const nested = decodeToken(inner).ok && inner.split('.').length >= 3 ? inner : undefined;
    return { ok: true, header, plaintext: shown, truncated: shown.length < text.length, ...(nested ? { nested } : {}) };
  } catch (e) {
    const code = (e as { code?: unknown })?.code;
    return {
      ok: false,
      code: code === 'ERR_JOSE_NOT_SUPPORTED' ? 'unsupported' : code === 'ERR_JWE_DECRYPTION_FAILED' ? 'wrong-key' : 'failed',
      message: e instanceof Error ? e.message : String(e),
    };
  }
}
