// The typed protocol between pages and the worker. Both ends import this file; nothing else defines a message.
import type { CoreErrorCode } from './core/errors';
import type { Finding, KeyInput, Severity, Verification, Where } from './core/types';
import type { TokenRole } from './core/analyze/role';
import type { CapturedSighting } from './capture/sightings-from-entry';

/** Why fetching a JWKS or a discovery document was refused or failed (src/background/safe-fetch.ts). */
export const FETCH_ERROR_CODES = [
  'bad-url',
  'insecure-scheme',
  'timeout',
  'too-large',
  'not-json',
  'http-status',
  'cross-origin-redirect',
  'too-many-redirects',
  'network',
  /** A discovery document without a jwks_uri. */
  'discovery-no-jwks-uri',
  /** A discovery document that names another issuer than the one it was fetched for. */
  'discovery-issuer-mismatch',
  /** A discovery document that points a public issuer's jwks_uri at a loopback or private address. */
  'discovery-private-jwks-uri',
] as const;

export type FetchErrorCode = (typeof FETCH_ERROR_CODES)[number];

/** Failures of the worker itself, and of reaching it. */
export const WORKER_ERROR_CODES = [
  /**
   * The worker could not be reached, or stopped before answering; the request may or may not have run. Set
   * by the pages' transport (src/ui/transport.ts), never by the worker.
   */
  'transport',
  /** The stored key a request names is no longer in the store. */
  'key-not-found',
  /** jwks/refresh for a key that is neither a JWKS URL nor an issuer. */
  'not-a-key-set',
  /** The browser's storage could not be read or written. */
  'storage',
  /** A request of an unknown type. */
  'bad-request',
  /** Anything else: a bug, or a library's error. */
  'internal',
] as const;

export type WorkerErrorCode = (typeof WORKER_ERROR_CODES)[number];

/**
 * Every error a page can get from the worker, or from trying to reach it. Pages switch on the code; the
 * message is for people and may be reworded.
 */
export type ErrorCode = CoreErrorCode | FetchErrorCode | WorkerErrorCode;

/** An error as it crosses from the worker to a page. */
export interface ErrorReply {
  code: ErrorCode;
  message: string;
}

export interface StoredKey {
  id: string;
  label: string;
  /** What the user pasted, or a JWKS URL / issuer; the worker never hands secrets back unmasked by default. */
  input: KeyInput | { kind: 'jwks-url'; value: string } | { kind: 'issuer'; value: string };
  /** Only tokens with this `iss` use the key automatically, when set. */
  issuer?: string;
  addedAt: number;
  /** Set in keys/list answers when `input.value` was left out (a secret); keys/reveal reads it. */
  redacted?: true;
}

/** keys/add's answer: the key as listed, and what was changed on the way in (a private key reduced). */
export type AddedKey = StoredKey & { notice?: string };

export interface WeakSecretResult {
  found: boolean;
  secret?: string;
  /** Where the secret came from: the token's own claims, or the bundled list. */
  source?: 'token' | 'list';
  tried: number;
  cancelled?: boolean;
  /** Not an HS* token: there is no secret to guess. */
  notApplicable?: boolean;
}

/** The weak-secret check runs over a port: progress flows back, and closing the port cancels it. */
export const WEAK_SECRET_PORT = 'weak-secret';
export type WeakSecretPortMessage =
  | { type: 'progress'; tried: number; total: number }
  | { type: 'done'; result: WeakSecretResult }
  | ({ type: 'error' } & ErrorReply);

export type Request =
  | { type: 'ping' }
  | { type: 'verify'; token: string; keys?: KeyInput[] }
  | { type: 'keys/list' }
  | { type: 'keys/add'; key: Omit<StoredKey, 'id' | 'addedAt'> }
  | { type: 'keys/update'; key: StoredKey }
  | { type: 'keys/reveal'; id: string }
  | { type: 'keys/delete'; id: string }
  | { type: 'keys/clear' }
  | { type: 'jwks/refresh'; id: string }
  | { type: 'jwks/status' }
  | { type: 'settings/get' }
  | { type: 'settings/set'; settings: Settings }
  | { type: 'store/problems' }
  | { type: 'weak-secret/check'; token: string }
  | CaptureRequest
  | WorkbenchRequest;

export interface Settings {
  /** false: keys live in storage.session and are forgotten when the browser closes. */
  keepSecrets: boolean;
}

/** What the options page shows of a JWKS URL or issuer entry: its keys and when they were fetched. */
export interface JwksStatus {
  keyId: string;
  url?: string;
  fetchedAt?: number;
  keys: { kid?: string; kty?: string; alg?: string; thumbprint?: string }[];
  /** Findings on the key set itself (jwks-symmetric-key: keys the server published that are never used). */
  findings?: KeySetFinding[];
  error?: string;
  /** The code of `error`. */
  errorCode?: ErrorCode;
}

export interface KeySetFinding {
  id: 'jwks-symmetric-key';
  severity: Severity;
  title: string;
  detail: string;
  reference: string;
}

export type ResponseFor<R extends Request> = R extends { type: 'ping' }
  ? { ok: true; version: string }
  : R extends { type: 'verify' }
    ? Verification
    : R extends { type: 'keys/list' }
      ? StoredKey[]
      : R extends { type: 'keys/add' }
        ? AddedKey
        : R extends { type: 'keys/update' }
          ? StoredKey
          : R extends { type: 'keys/reveal' }
            ? { value: string }
            : R extends { type: 'weak-secret/check' }
              ? WeakSecretResult
              : R extends { type: 'jwks/refresh' }
                ? JwksStatus
                : R extends { type: 'jwks/status' }
                  ? JwksStatus[]
                  : R extends { type: 'settings/get' } | { type: 'settings/set' }
                    ? Settings
                    : R extends { type: 'store/problems' }
                      ? string[]
                      : R extends CaptureRequest
                        ? CaptureResponseFor<R>
                        : R extends WorkbenchRequest
                          ? WorkbenchResponseFor<R>
                          : { ok: true };

/** Every answer is wrapped so a failure in the worker reaches the page as data, not as a lost promise. */
export type Envelope<T> = { ok: true; value: T } | ({ ok: false } & ErrorReply);

// --- Background capture (src/background/capture; README, "Background capture") -----------------------------

/** One token a watched tab sent or received, as the popup's *Seen on this tab* lists it. */
export interface TabToken {
  token: string;
  role: TokenRole;
  issuer?: string;
  /** The `exp` claim, seconds since the epoch. */
  expiresAt?: number;
  /** Most severe first. */
  findings: Finding[];
  /** Places it was seen, distinct, in order of first sighting. */
  wheres: Where[];
  sightings: number;
  /** Epoch ms. */
  firstSeen: number;
  lastSeen: number;
}

/** A watched site (an origin, or "*" for every site) and whether its host access is granted now. */
export interface WatchedSite {
  site: string;
  granted: boolean;
}

/** What the worker kept for one tab. */
export interface TabCaptureView {
  /** The tab's site, when the URL asked about is http(s). */
  site?: string;
  /** Whether that site is on the watched list. */
  watched: boolean;
  tokens: TabToken[];
  /** Sightings dropped from this tab's store (its bound), or not kept (too long a token). */
  dropped: number;
}

export type CaptureRequest =
  | { type: 'capture/tab'; tabId: number; url?: string }
  | { type: 'capture/sightings'; tabId: number }
  | { type: 'capture/watch'; site: string }
  | { type: 'capture/unwatch'; site: string }
  | { type: 'capture/watched' };

export type CaptureResponseFor<R extends CaptureRequest> = R extends { type: 'capture/tab' }
  ? TabCaptureView
  : R extends { type: 'capture/sightings' }
    ? CapturedSighting[]
    : WatchedSite[];

// ---- Workbench (src/background/workbench-handler.ts): signing keys and what the worker signs ----
// Signing keys are a list of their own, apart from the verification keys above: listed masked (no value,
// ever), never revealed or exported; kept in storage.session unless the user asks to keep one (SECURITY.md).

export type SigningKeyFamily = 'hmac' | 'rsa' | 'ec' | 'okp';
export type GeneratedKeyKind = 'RSA' | 'P-256' | 'Ed25519';

export interface SigningKeySummary {
  id: string;
  label: string;
  family: SigningKeyFamily;
  alg: string;
  /** Kept in storage.local across browser restarts (the user asked); else in storage.session. */
  kept: boolean;
  generated: boolean;
  addedAt: number;
  /** The public half of a key pair (for `jwk` / `jku` headers and for hosting a key set). */
  publicJwk?: Record<string, unknown>;
}

/** The presets' inputs as pages send them; the worker adds the private parts (a generated key). */
export interface PresetRequest {
  type: 'workbench/preset';
  attack: string;
  header: Record<string, unknown>;
  payload: unknown;
  original: string;
  variant?: string;
  /** A stored verification key (PEM, JWK, JWKS) whose RSA public key hs-rs-confusion uses. */
  publicKeyId?: string;
  /** Or the public key's text as typed. */
  publicKey?: string;
  /** jku-injection: a URL the user typed. */
  url?: string;
  /** weak-secret-resign: the secret the weak-secret check found (the panel already shows it). */
  weakSecret?: string;
}

export type WorkbenchRequest =
  | { type: 'signing-keys/list' }
  | { type: 'signing-keys/add'; label?: string; input: KeyInput; keep?: boolean }
  | { type: 'signing-keys/generate'; keyType: GeneratedKeyKind; keep?: boolean }
  | { type: 'signing-keys/delete'; id: string }
  | { type: 'workbench/sign'; header: Record<string, unknown>; payload: unknown; keyId: string }
  | { type: 'workbench/decrypt'; token: string; keyId: string }
  | PresetRequest;

/** A compact JWE decrypted with a signing-list key: its header, the plaintext (bounded) and a nested JWT. */
export interface DecryptedJwe {
  header: Record<string, unknown>;
  plaintext: string;
  truncated: boolean;
  nested?: string;
}

export const WORKBENCH_REQUEST_TYPES: readonly WorkbenchRequest['type'][] = [
  'signing-keys/list',
  'signing-keys/add',
  'signing-keys/generate',
  'signing-keys/delete',
  'workbench/sign',
  'workbench/decrypt',
  'workbench/preset',
];

export type WorkbenchResponseFor<R extends WorkbenchRequest> = R extends { type: 'signing-keys/list' }
  ? SigningKeySummary[]
  : R extends { type: 'signing-keys/add' } | { type: 'signing-keys/generate' }
    ? SigningKeySummary
    : R extends { type: 'workbench/sign' }
      ? { token: string }
      : R extends { type: 'workbench/preset' }
        ? { token: string; variant: string }
        : R extends { type: 'workbench/decrypt' }
          ? DecryptedJwe
          : { ok: true };
