// The typed protocol between pages and the worker. Both ends import this file; nothing else defines a message.
import type { KeyInput, Severity, Verification } from './core/types';

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
  | { type: 'error'; error: string };

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
  | { type: 'weak-secret/check'; token: string };

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
                  : { ok: true };

/** Every answer is wrapped so a failure in the worker reaches the page as data, not as a lost promise. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: string };
