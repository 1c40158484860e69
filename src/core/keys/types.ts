// What importing key inputs produces: keys tagged with their family, and the reasons others are not used.
import type { KeyErrorCode } from '../errors';
import type { JWK } from 'jose';

export type KeyFamily = 'hmac' | 'rsa' | 'ec' | 'okp';

export type VerificationKey = CryptoKey | Uint8Array;

export interface ImportedKey {
  family: KeyFamily;
  /** Ready for `alg` when set, else for the family's default algorithm (RS256, the curve's ES*, EdDSA). */
  key: VerificationKey;
  kid?: string;
  /** The key's own `alg` (JWK): it is used for that algorithm only. */
  alg?: string;
  crv?: string;
  label?: string;
  /** RFC 7638 SHA-256 thumbprint of the public JWK. Never set for HMAC secrets: a hash of a weak secret
   * is an offline-guessing oracle. */
  thumbprint?: string;
  /** Position of the KeyInput this key came from. */
  index: number;
  use?: string;
  /** Where inside the input: "key 2 of the JWK Set", "PEM block 1 (certificate)". */
  source?: string;
  /** RSA modulus length in bits. */
  bits?: number;
  /** The public JWK (kty and key members only). Absent for HMAC secrets. */
  jwk?: JWK;
}

export interface KeyProblem {
  index: number;
  label?: string;
  kid?: string;
  source?: string;
  /** `error`: the input cannot be used as typed (fix it); `skipped`: a valid key that is deliberately not
   * used for signatures (encryption key, unsupported curve...). */
  severity: 'error' | 'skipped';
  /** Stable: what callers switch on. */
  code: KeyErrorCode;
  reason: string;
}

/** What a single input turned into. */
export interface KeyInputResult {
  keys: ImportedKey[];
  problems: KeyProblem[];
}

/** The key type a structure holds, and the algorithm to import it with so that WebCrypto accepts it. */
export interface KeyType {
  family: KeyFamily;
  crv?: string;
  importAlg: string;
}
