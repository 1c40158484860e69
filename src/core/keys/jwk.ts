// JWK (RFC 7517): one JWK object → one usable key or the reason it is not used; and the public JWK every
// imported asymmetric key keeps, whatever form it was pasted in.
import { calculateJwkThumbprint, importJWK, type JWK } from 'jose';
import { base64urlDecodeRange } from '../base64url';
import { KeyImportError } from '../errors';
import { isJsonObject } from '../is-json-object';
import { algorithmFamily, CURVE_ALG, describeKey } from './algorithms';
import { decodeBase64urlStrict } from './encodings';
import { errorCode, errorText, problem, type Context, type Outcome } from './outcome';
import { rememberImport } from './per-algorithm';
import type { ImportedKey, KeyFamily, KeyType } from './types';

const PUBLIC_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  RSA: ['n', 'e'],
  EC: ['crv', 'x', 'y'],
  OKP: ['crv', 'x'],
};

/** Only kty and the public key members: private members (d, p, q, dp, dq, qi, oth) never leave here. */
export function publicJwk(jwk: Record<string, unknown>): JWK {
  const kty = jwk.kty as string;
  const out: Record<string, unknown> = { kty };
  for (const m of PUBLIC_MEMBERS[kty] ?? []) {
    if (typeof jwk[m] !== 'string') throw new KeyImportError('key-malformed', `the ${kty} JWK has no "${m}"`);
    out[m] = jwk[m];
  }
  return out as JWK;
}

function rsaBits(n: string | undefined): number | undefined {
  if (typeof n !== 'string') return undefined;
  const bytes = base64urlDecodeRange(n, 0, n.length);
  if (!bytes) return undefined;
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i) * 8 - (Math.clz32(bytes[i]!) - 24);
}

/** Imports the public JWK of an RSA, EC or OKP key (checking its material) and describes it. */
export async function asymmetricKey(
  ctx: Context,
  type: KeyType,
  jwk: JWK,
  extra: { kid?: string; alg?: string; use?: string },
): Promise<ImportedKey> {
  const importAlg = extra.alg ?? type.importAlg;
  // Importing here, once, checks the key material and leaves `key` ready for the common algorithm.
  const key = (await importJWK(jwk, importAlg)) as CryptoKey;
  const out: ImportedKey = {
    family: type.family,
    key,
    index: ctx.index,
    jwk,
    thumbprint: await calculateJwkThumbprint(jwk, 'sha256'),
  };
  if (type.crv !== undefined) out.crv = type.crv;
  if (type.family === 'rsa') {
    const bits = rsaBits(jwk.n);
    if (bits !== undefined) out.bits = bits;
  }
  if (extra.kid !== undefined) out.kid = extra.kid;
  if (extra.alg !== undefined) out.alg = extra.alg;
  if (extra.use !== undefined) out.use = extra.use;
  if (ctx.source !== undefined) out.source = ctx.source;
  rememberImport(out, importAlg);
  return out;
}

/** Why a JWK is not for signatures ("use", "key_ops"), or undefined. */
function usageProblem(ctx: Context, jwk: Record<string, unknown>, kid: string | undefined): Outcome | undefined {
  if (jwk.use !== undefined && jwk.use !== 'sig') {
    const reason =
      jwk.use === 'enc' ? 'the key is for encryption (use "enc"), not signatures' : `the key's use is "${String(jwk.use)}", not "sig"`;
    return problem(ctx, 'skipped', 'key-not-for-signing', reason, kid);
  }
  if (jwk.key_ops !== undefined) {
    if (!Array.isArray(jwk.key_ops)) return problem(ctx, 'error', 'key-malformed', '"key_ops" is not an array', kid);
    // A private JWK says "sign"; its public half is what verifies.
    if (!jwk.key_ops.includes('verify') && !jwk.key_ops.includes('sign')) {
      return problem(ctx, 'skipped', 'key-not-for-signing', `the key's key_ops (${jwk.key_ops.join(', ')}) do not include "verify"`, kid);
    }
  }
  return undefined;
}

/** One JWK → one usable key or the reason it is not used. */
export async function importJwkObject(ctx: Context, jwk: unknown): Promise<Outcome> {
  if (!isJsonObject(jwk)) return problem(ctx, 'error', 'key-malformed', 'the JWK is not a JSON object');
  const kid = typeof jwk.kid === 'string' ? jwk.kid : undefined;
  const kty = jwk.kty;
  if (typeof kty !== 'string') return problem(ctx, 'error', 'key-malformed', 'the JWK has no "kty"', kid);
  const unusable = usageProblem(ctx, jwk, kid);
  if (unusable) return unusable;
  const alg = jwk.alg;
  if (alg !== undefined && typeof alg !== 'string') return problem(ctx, 'error', 'key-malformed', '"alg" is not a string', kid);

  const fitsAlg = (family: KeyFamily, crv?: string): Outcome | undefined => {
    if (alg === undefined) return undefined;
    const need = algorithmFamily(alg);
    // An unregistered alg ("ES521") is kept: the verifier then explains that it never matches a token.
    if (!need) {
      return /^(?:[HRPE]S\d+|EdDSA|Ed\d+)$/.test(alg)
        ? undefined
        : problem(ctx, 'skipped', 'key-not-for-signing', `"alg" ${alg} is not a JWS signature algorithm`, kid);
    }
    if (need.family !== family || (need.crv !== undefined && crv !== undefined && need.crv !== crv)) {
      return problem(ctx, 'error', 'key-alg-mismatch', `"alg" ${alg} does not fit ${describeKey({ family, crv })}`, kid);
    }
    return undefined;
  };
  const use = jwk.use as string | undefined;

  try {
    switch (kty) {
      case 'oct': {
        if (typeof jwk.k !== 'string') return problem(ctx, 'error', 'key-malformed', 'the oct JWK has no "k"', kid);
        const mismatch = fitsAlg('hmac');
        if (mismatch) return mismatch;
        const bytes = decodeBase64urlStrict(jwk.k, 'the JWK "k"', false);
        if (bytes.length === 0) return problem(ctx, 'error', 'key-empty', 'the JWK "k" is empty', kid);
        const out: ImportedKey = { family: 'hmac', key: bytes, index: ctx.index };
        if (kid !== undefined) out.kid = kid;
        if (alg !== undefined) out.alg = alg;
        if (typeof jwk.use === 'string') out.use = jwk.use;
        if (ctx.source !== undefined) out.source = ctx.source;
        return { key: out };
      }
      case 'RSA': {
        const mismatch = fitsAlg('rsa');
        if (mismatch) return mismatch;
        const type: KeyType = { family: 'rsa', importAlg: 'RS256' };
        const extra = { kid, alg: alg && algorithmFamily(alg) ? alg : undefined, use };
        const key = await asymmetricKey(ctx, type, publicJwk(jwk), extra);
        if (alg !== undefined) key.alg = alg;
        return { key };
      }
      case 'EC': {
        const crv = jwk.crv;
        if (typeof crv !== 'string' || !(crv in CURVE_ALG) || crv === 'Ed25519') {
          const reason = `EC keys on curve ${String(crv)} are not supported (P-256, P-384 and P-521 are)`;
          return problem(ctx, 'skipped', 'key-unsupported', reason, kid);
        }
        const mismatch = fitsAlg('ec', crv);
        if (mismatch) return mismatch;
        const type: KeyType = { family: 'ec', crv, importAlg: CURVE_ALG[crv]! };
        const key = await asymmetricKey(ctx, type, publicJwk(jwk), { kid, use });
        if (alg !== undefined) key.alg = alg;
        return { key };
      }
      case 'OKP': {
        const crv = jwk.crv;
        if (crv === 'X25519' || crv === 'X448') {
          return problem(ctx, 'skipped', 'key-not-for-signing', `this is a key-agreement key (${crv}), not a signature key`, kid);
        }
        if (crv !== 'Ed25519') {
          return problem(ctx, 'skipped', 'key-unsupported', `OKP keys on curve ${String(crv)} are not supported (Ed25519 is)`, kid);
        }
        const mismatch = fitsAlg('okp', crv);
        if (mismatch) return mismatch;
        const type: KeyType = { family: 'okp', crv, importAlg: 'EdDSA' };
        const key = await asymmetricKey(ctx, type, publicJwk(jwk), { kid, use });
        if (alg !== undefined) key.alg = alg;
        return { key };
      }
      default:
        return problem(ctx, 'skipped', 'key-unsupported', `key type "${kty}" is not supported (oct, RSA, EC and OKP are)`, kid);
    }
  } catch (e) {
    return problem(ctx, 'error', errorCode(e), `the ${kty} JWK cannot be imported: ${errorText(e)}`, kid);
  }
}
