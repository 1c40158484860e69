// The core's public types. These are contracts (ARCHITECTURE.md lists them): extend them, never rename them.

export type TokenKind = 'jws' | 'jwe' | 'unsecured';

export type JsonObject = { [key: string]: unknown };

export interface DecodeError {
  /** Stable, machine-readable; tests and the UI switch on it. */
  code: DecodeErrorCode;
  /** Plain words for a person: which part fails and how. */
  message: string;
  /** 0-based index of the failing part, when one part is to blame. */
  part?: number;
}

export const DECODE_ERROR_CODES = [
  'not-a-string',
  'empty',
  'too-large',
  'wrong-part-count',
  'empty-part',
  'invalid-base64url',
  'invalid-utf8',
  'header-not-json',
  'header-not-object',
  'header-missing-alg',
] as const;

export type DecodeErrorCode = (typeof DECODE_ERROR_CODES)[number];

export interface DecodedTokenSuccess {
  ok: true;
  kind: TokenKind;
  /** The raw token as decoded (trimmed of nothing: callers normalise first). */
  raw: string;
  /** The compact parts as they appeared: 3 for JWS / unsecured, 5 for JWE. */
  parts: string[];
  header: JsonObject;
  /** Parsed JSON claims when the payload is a JSON object, else the decoded text. Absent for JWE. */
  payload?: JsonObject | string;
  /** True when `payload` is the parsed JSON claims object. */
  payloadIsJson?: boolean;
  /** The header says the payload is itself a JWT (`cty: JWT`), or the payload text is one. */
  nested?: boolean;
  /** Byte length of the decoded signature (JWS/unsecured only). */
  signatureLength?: number;
}

export interface DecodedTokenFailure {
  ok: false;
  raw?: string;
  error: DecodeError;
}

export type DecodedToken = DecodedTokenSuccess | DecodedTokenFailure;

export interface FoundToken {
  token: string;
  start: number;
  end: number;
}

/** Most severe first: the order findings are listed in. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

export type Severity = (typeof SEVERITIES)[number];

export type FindingId =
  | 'expired'
  | 'expires-soon'
  | 'no-expiry'
  | 'long-lifetime'
  | 'not-yet-valid'
  | 'issued-in-future'
  | 'alg-none'
  | 'empty-signature'
  | 'weak-hmac-secret'
  | 'remote-key-header'
  | 'embedded-key-header'
  | 'kid-injection'
  | 'sensitive-data'
  | 'signature-invalid'
  | 'cookie-not-httponly'
  | 'cookie-not-secure'
  | 'cookie-samesite-none'
  | 'web-storage'
  | 'token-in-url'
  | 'cleartext-http'
  | 'refresh-while-access-valid'
  | 'refresh-token-not-rotated'
  | 'refresh-token-reused'
  | 'jwks-symmetric-key'
  // OAuth 2.0 / OpenID Connect flows (src/core/oauth/judge-flow.ts).
  | 'oauth-no-state'
  | 'oauth-state-mismatch'
  | 'oauth-no-pkce'
  | 'oauth-pkce-plain'
  | 'oauth-implicit-flow'
  | 'oauth-client-secret-in-browser'
  | 'oauth-token-response-cacheable'
  | 'oauth-code-reused'
  | 'oauth-redirect-uri-http'
  | 'oidc-nonce-missing'
  | 'oidc-nonce-mismatch'
  | 'oidc-at-hash-mismatch'
  | 'oidc-c-hash-mismatch'
  | 'oidc-aud-mismatch'
  | 'oidc-azp-mismatch'
  | 'oidc-iss-mismatch'
  | 'id-token-as-bearer';

export interface Finding {
  id: FindingId;
  severity: Severity;
  title: string;
  /** Why it matters and what to do, in plain words, for this token. */
  detail: string;
  /** Where the advice comes from (RFC 8725 §x, OWASP …). */
  reference?: string;
}

/** Every place a token can be seen; readers of stored or imported sightings check against it. */
export const WHERES = [
  'authorization-header',
  'request-header',
  'response-header',
  'cookie',
  'set-cookie',
  'url',
  'request-body',
  'response-body',
  'local-storage',
  'session-storage',
  'document-cookie',
] as const;

export type Where = (typeof WHERES)[number];

export interface CookieAttributes {
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: 'strict' | 'lax' | 'none';
}

export interface Sighting {
  where: Where;
  url?: string;
  /** Header name, cookie name, storage key, query parameter or JSON field the token was found under. */
  name?: string;
  cookie?: CookieAttributes;
}

export interface AnalysisContext {
  /** Seconds since the epoch; tests set it. Defaults to the current time. */
  now?: number;
  /** Allowed clock skew in seconds (default DEFAULT_SKEW_SECONDS). */
  skewSeconds?: number;
  sightings?: Sighting[];
}

export type SecretEncoding = 'utf8' | 'base64' | 'base64url' | 'hex';

export type KeyInput =
  | { kind: 'secret'; value: string; encoding?: SecretEncoding; label?: string }
  | { kind: 'pem' | 'jwk' | 'jwks'; value: string; label?: string };

export const VERIFICATION_STATUSES = ['valid', 'invalid', 'no-matching-key', 'unsupported', 'error'] as const;

export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

export interface Verification {
  status: VerificationStatus;
  alg?: string;
  kid?: string;
  /** What a person can act on, for every status but `valid`. */
  reason?: string;
  /** Which key verified (or was tried last): its label, kid or RFC 7638 thumbprint. */
  key?: { label?: string; kid?: string; thumbprint?: string; index: number };
}

export interface VerifyOptions {
  /** Algorithms to accept; default: every supported asymmetric and HMAC algorithm. */
  algorithms?: string[];
}
