// The JWS algorithms this tool verifies and the key family each needs.
//
// The family tag is the defence against algorithm confusion (RFC 8725 §3.1): only a `secret` input or a JWK
// of kty "oct" ever becomes an 'hmac' key, and the verifier only hands HS* tokens to 'hmac' keys. An RSA or
// EC key, or the PEM text of one, can therefore never act as an HMAC secret, whatever the token says.
import type { ImportedKey, KeyFamily } from './types';

export interface AlgorithmFamily {
  family: KeyFamily;
  /** The curve the algorithm fixes (ES*, EdDSA). */
  crv?: string;
}

// A Map, not an object literal: a token's alg such as "__proto__" or "toString" must not find anything.
const JWS_ALGORITHMS: ReadonlyMap<string, AlgorithmFamily> = new Map<string, AlgorithmFamily>([
  ['HS256', { family: 'hmac' }],
  ['HS384', { family: 'hmac' }],
  ['HS512', { family: 'hmac' }],
  ['RS256', { family: 'rsa' }],
  ['RS384', { family: 'rsa' }],
  ['RS512', { family: 'rsa' }],
  ['PS256', { family: 'rsa' }],
  ['PS384', { family: 'rsa' }],
  ['PS512', { family: 'rsa' }],
  ['ES256', { family: 'ec', crv: 'P-256' }],
  ['ES384', { family: 'ec', crv: 'P-384' }],
  ['ES512', { family: 'ec', crv: 'P-521' }],
  ['EdDSA', { family: 'okp', crv: 'Ed25519' }],
  ['Ed25519', { family: 'okp', crv: 'Ed25519' }],
]);

export const SUPPORTED_ALGORITHMS: readonly string[] = Object.freeze([...JWS_ALGORITHMS.keys()]);

/** The key family (and curve) an algorithm needs; undefined for an algorithm this tool does not verify. */
export function algorithmFamily(alg: string): AlgorithmFamily | undefined {
  return typeof alg === 'string' ? JWS_ALGORITHMS.get(alg) : undefined;
}

/** EdDSA (RFC 8037) and Ed25519 (RFC 9864, fully specified) name the same operation on an Ed25519 key. */
export function algorithmsEquivalent(a: string, b: string): boolean {
  if (a === b) return true;
  const ed = (x: string) => x === 'EdDSA' || x === 'Ed25519';
  return ed(a) && ed(b);
}

/** The algorithm a key on each supported curve is imported for. Null prototype: a JWK's "crv" is untrusted. */
export const CURVE_ALG: Readonly<Record<string, string>> = Object.freeze({
  __proto__: null,
  'P-256': 'ES256',
  'P-384': 'ES384',
  'P-521': 'ES512',
  Ed25519: 'EdDSA',
}) as unknown as Record<string, string>;

/** "an RSA key", "an EC P-256 key", "an HMAC secret". */
export function describeKey(k: Pick<ImportedKey, 'family' | 'crv'>): string {
  switch (k.family) {
    case 'hmac':
      return 'an HMAC secret';
    case 'rsa':
      return 'an RSA key';
    case 'ec':
      return `an EC ${k.crv ?? ''} key`.replace('  ', ' ');
    case 'okp':
      return `an ${k.crv ?? 'OKP'} key`;
  }
}

/** "RSA keys", "EC P-256 keys", "HMAC secrets" (or singular). */
export function familyNoun(k: Pick<ImportedKey, 'family' | 'crv'>, plural: boolean): string {
  const s = plural ? 's' : '';
  switch (k.family) {
    case 'hmac':
      return `HMAC secret${s}`;
    case 'rsa':
      return `RSA key${s}`;
    case 'ec':
      return `EC ${k.crv ?? ''} key${s}`.replace('  ', ' ');
    case 'okp':
      return `${k.crv ?? 'OKP'} key${s}`;
  }
}
