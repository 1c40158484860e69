// at_hash and c_hash (OpenID Connect Core §3.1.3.6, §3.2.2.9, §3.3.2.11): the base64url of the left half of
// the hash of the token or code's ASCII octets, with the hash of the ID token's own `alg`.
//
// Decisions:
// - RS/PS/ES/HS 256, 384, 512 use SHA-256, -384, -512 (the number in the name).
// - EdDSA follows the OpenID Connect errata (Core 1.0 incorporating errata set 2, §3.1.3.6): Ed25519 hashes
//   with SHA-512, Ed448 with SHAKE256 (114 octets). The header names only "EdDSA", not the curve, and the
//   inspector has no key: the claim's own length tells them apart (half of 64 octets is 43 characters, half
//   of 114 is 76). RFC 9864's fully-specified "Ed25519" / "Ed448" name the curve.
// - Pure and synchronous (@noble/hashes), so the panel judges a flow without awaiting WebCrypto; never throws.
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { shake256 } from '@noble/hashes/sha3.js';
import { base64urlEncode, utf8Encode } from '../base64url';

export type TokenHashFunction = 'SHA-256' | 'SHA-384' | 'SHA-512' | 'SHAKE256';

/** The claim values tokens and codes are compared with are short; longer input is not a real token. */
const MAX_HASHED_CHARS = 64 * 1024;
const ED25519_HALF_CHARS = 43;
const ED448_HALF_CHARS = 76;

/** The hash `alg` implies for at_hash / c_hash; `claim` decides EdDSA's curve. Undefined when unknown. */
export function tokenHashFunction(alg: unknown, claim?: string): TokenHashFunction | undefined {
  if (typeof alg !== 'string') return undefined;
  const sized = /^(?:RS|PS|ES|HS)(256|384|512)$/.exec(alg);
  if (sized) return `SHA-${sized[1]}` as TokenHashFunction;
  if (alg === 'ES256K') return 'SHA-256';
  if (alg === 'Ed25519') return 'SHA-512';
  if (alg === 'Ed448') return 'SHAKE256';
  if (alg === 'EdDSA') return claim?.length === ED448_HALF_CHARS ? 'SHAKE256' : 'SHA-512';
  return undefined;
}

/** The at_hash / c_hash value for `value` under `alg`; undefined when the algorithm has no defined hash. */
export function tokenHash(value: string, alg: unknown, claim?: string): string | undefined {
  try {
    if (typeof value !== 'string' || value.length > MAX_HASHED_CHARS) return undefined;
    const fn = tokenHashFunction(alg, claim);
    if (!fn) return undefined;
    const octets = utf8Encode(value);
    const digest =
      fn === 'SHA-256'
        ? sha256(octets)
        : fn === 'SHA-384'
          ? sha384(octets)
          : fn === 'SHA-512'
            ? sha512(octets)
            : shake256(octets, { dkLen: 114 });
    return base64urlEncode(digest.slice(0, digest.length / 2));
  } catch {
    return undefined;
  }
}

export type TokenHashCheck = 'match' | 'mismatch' | 'absent' | 'unknown-alg';

/** Compares an ID token's at_hash / c_hash claim with the value it must hash. */
export function checkTokenHash(claim: unknown, value: string, alg: unknown): TokenHashCheck {
  if (claim === undefined) return 'absent';
  if (typeof claim !== 'string') return 'mismatch';
  // EdDSA's curve comes from the claim's length; a claim of neither length cannot match either curve.
  if (alg === 'EdDSA' && claim.length !== ED25519_HALF_CHARS && claim.length !== ED448_HALF_CHARS) return 'mismatch';
  const expected = tokenHash(value, alg, claim);
  if (expected === undefined) return 'unknown-alg';
  return expected === claim ? 'match' : 'mismatch';
}
