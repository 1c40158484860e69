// Guessing an HS* token's secret from a list of known-weak secrets (what jwt_tool and hashcat do offline).
// @noble/hashes gives a synchronous HMAC: WebCrypto's promise per candidate is ~10x slower for 104k tries.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { base64urlDecodeRange } from './base64url';
import { isJsonObject } from './is-json-object';

const HASHES = { HS256: sha256, HS384: sha384, HS512: sha512 } as const;

// The bound lives apart so the panel can read it without loading the HMAC code.
export { MAX_WEAK_SECRET_TOKEN_CHARS } from './weak-secret-bounds';
export type HmacAlg = keyof typeof HASHES;

export function isHmacAlg(alg: unknown): alg is HmacAlg {
  return typeof alg === 'string' && Object.hasOwn(HASHES, alg);
}

export interface WeakSecretTarget {
  alg: HmacAlg;
  signingInput: Uint8Array;
  signature: Uint8Array;
}

/** The parts a guess is checked against, or undefined for a token that is not an HS* JWS. */
export function weakSecretTarget(token: string): WeakSecretTarget | undefined {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3) return undefined;
  let header: { alg?: unknown };
  try {
    header = JSON.parse(new TextDecoder().decode(base64urlDecodeRange(parts[0]!, 0, parts[0]!.length) ?? new Uint8Array())) as {
      alg?: unknown;
    };
  } catch {
    return undefined;
  }
  if (!isHmacAlg(header?.alg)) return undefined;
  const signature = base64urlDecodeRange(parts[2]!, 0, parts[2]!.length);
  if (!signature || signature.length === 0) return undefined;
  return { alg: header.alg, signingInput: new TextEncoder().encode(`${parts[0]}.${parts[1]}`), signature };
}

/** Secrets people derive from the token itself: its issuer, audience, subject, host names, kid. */
export function candidatesFromToken(claims: unknown, header: unknown): string[] {
  const out = new Set<string>(['']);
  const add = (v: unknown) => {
    if (typeof v !== 'string' || v.length > 512) return;
    out.add(v);
    try {
      const host = new URL(v).hostname;
      if (host) {
        out.add(host);
        out.add(host.split('.')[0]!);
      }
    } catch {
      // not a URL: the string itself is the only candidate
    }
  };
  if (isJsonObject(claims)) {
    const c = claims;
    for (const name of ['iss', 'sub', 'azp', 'client_id']) add(c[name]);
    for (const a of Array.isArray(c.aud) ? c.aud : [c.aud]) add(a);
  }
  if (isJsonObject(header)) add(header.kid);
  return [...out];
}

const encoder = new TextEncoder();

/** Tries candidates[from, to); returns the index of the secret that signs the token, or -1. */
export function tryCandidates(target: WeakSecretTarget, candidates: readonly string[], from = 0, to = candidates.length): number {
  const hash = HASHES[target.alg];
  const expected = target.signature;
  const first = expected[0];
  for (let i = from; i < to; i++) {
    const mac = hmac(hash, encoder.encode(candidates[i]!), target.signingInput);
    if (mac[0] !== first || mac.length !== expected.length) continue;
    let same = true;
    for (let j = 1; j < mac.length; j++) {
      if (mac[j] !== expected[j]) {
        same = false;
        break;
      }
    }
    if (same) return i;
  }
  return -1;
}

/** One line a candidate; CRLF or LF; blank lines and duplicates dropped. */
export function parseSecretList(text: string): string[] {
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    const s = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (s) seen.add(s);
  }
  return [...seen];
}
