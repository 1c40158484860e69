// One error vocabulary for the core, as jose's JOSEError family has: every error the core throws or reports
// carries a stable `code` that callers switch on; the message is for people and may be reworded.

/** Why a key input (or one key inside it) cannot be used. */
export const KEY_ERROR_CODES = [
  /** The input is not text, or an unknown kind or encoding. */
  'key-input-invalid',
  'key-too-long',
  'key-empty',
  /** Not valid hex / base64 / base64url where the encoding was chosen. */
  'key-encoding-invalid',
  /** Text, JSON, PEM or DER that does not hold the structure it claims. */
  'key-malformed',
  /** A real key of a type, curve or protection this tool does not read. */
  'key-unsupported',
  /** The input is another kind of key than the one chosen (a PEM or JWK pasted as a secret, a JWKS as a JWK). */
  'key-wrong-kind',
  /** A valid key not meant for signatures (encryption, key agreement, a CA's certificate). */
  'key-not-for-signing',
  /** The key's own "alg" does not fit its type. */
  'key-alg-mismatch',
  /** The cryptography library refused the key material. */
  'key-rejected',
  /** An input yielded no usable key at all. */
  'key-unusable',
] as const;

export type KeyErrorCode = (typeof KEY_ERROR_CODES)[number];

export const CORE_ERROR_CODES = ['invalid-base64url', 'invalid-utf8', ...KEY_ERROR_CODES] as const;

export type CoreErrorCode = (typeof CORE_ERROR_CODES)[number];

/** What every error the core throws has in common. */
export interface CoreErrorLike {
  code: CoreErrorCode;
  message: string;
}

/** Thrown when text is not strict base64url; a TypeError as before, now with a code. */
export class Base64urlError extends TypeError implements CoreErrorLike {
  override name = 'Base64urlError';
  readonly code = 'invalid-base64url' as const;
}

/** Thrown when bytes are not well-formed UTF-8. */
export class Utf8Error extends TypeError implements CoreErrorLike {
  override name = 'Utf8Error';
  readonly code = 'invalid-utf8' as const;
}

/** A key input that cannot be used, and why. */
export class KeyImportError extends Error implements CoreErrorLike {
  override name = 'KeyImportError';
  constructor(
    readonly code: KeyErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The code of an error from the core, or undefined for anything else (a bug, or a library's error). */
export function coreErrorCode(e: unknown): CoreErrorCode | undefined {
  if (e instanceof KeyImportError || e instanceof Base64urlError || e instanceof Utf8Error) return e.code;
  return undefined;
}
