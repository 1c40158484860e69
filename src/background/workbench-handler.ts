// The worker's workbench messages: the signing-key list and the tokens it signs. Presets run here because
// two of them sign with a generated private key that never leaves the worker; the others are pure and
// would run anywhere, but one path keeps pages free of jose (SECURITY.md, "Workbench").
import { isJsonObject } from '../core/is-json-object';
import { applyPreset, ATTACK_IDS, decryptCompactJwe, publicKeyPemVariants, signCompact, type AttackId } from '../core/workbench';
import { MAX_TOKEN_BYTES } from '../core/decode';
import { WORKBENCH_REQUEST_TYPES, type PresetRequest, type StoredKey, type WorkbenchRequest } from '../messages';
import type { SigningKeyStore } from './signing-key-store';
import { WorkerError } from './worker-error';

export interface WorkbenchServices {
  signingKeys: SigningKeyStore;
  /** The verification keys (key-store.ts), for a stored public key hs-rs-confusion may use. */
  verificationKeys(): Promise<StoredKey[]>;
  /** The cached JWK Set text of a JWKS URL or issuer key, when it was fetched (jwks-cache.ts); never fetches. */
  fetchedKeySet?(key: StoredKey): string | undefined;
}

const MAX_JSON_CHARS = 256 * 1024;

export function isWorkbenchRequest(request: unknown): request is WorkbenchRequest {
  const type = (request as { type?: unknown } | null)?.type;
  return typeof type === 'string' && (WORKBENCH_REQUEST_TYPES as readonly string[]).includes(type);
}

function checkedHeader(header: unknown): Record<string, unknown> {
  if (!isJsonObject(header) || typeof header.alg !== 'string')
    throw new WorkerError('bad-request', 'The header must be a JSON object with an "alg".');
  return header;
}

function checkedSize(value: unknown): void {
  if (JSON.stringify(value ?? null).length > MAX_JSON_CHARS) throw new WorkerError('bad-request', 'The token is too large to sign.');
}

/**
 * The RSA public key text of a stored verification key: a PEM or JWK as stored, or the first RSA key of a
 * JWK Set — stored, or fetched for a JWKS URL or an issuer (the cached set; nothing is fetched here).
 */
function publicKeyText(key: StoredKey, fetched?: (key: StoredKey) => string | undefined): string {
  const { kind } = key.input;
  const value = kind === 'jwks-url' || kind === 'issuer' ? fetched?.(key) : key.input.value;
  if (value === undefined)
    throw new WorkerError('key-wrong-kind', `"${key.label}" has no fetched key set yet (verify a token with it first).`);
  if (kind === 'pem' || kind === 'jwk') return value;
  if (kind === 'jwks' || kind === 'jwks-url' || kind === 'issuer') {
    try {
      const set = JSON.parse(value) as { keys?: unknown[] };
      const rsa = set.keys?.find((k) => isJsonObject(k) && k.kty === 'RSA');
      if (rsa) return JSON.stringify(rsa);
    } catch {
      // Falls through to the error below.
    }
  }
  throw new WorkerError('key-wrong-kind', `"${key.label}" holds no RSA public key to use (a PEM, a JWK or a JWK Set).`);
}

/** Without a choice, hs-rs-confusion takes the first stored verification key that is an RSA public key. */
async function firstStoredRsaKey(keys: StoredKey[], fetched?: (key: StoredKey) => string | undefined): Promise<string | undefined> {
  for (const key of keys) {
    try {
      const text = publicKeyText(key, fetched);
      await publicKeyPemVariants(text);
      return text;
    } catch {
      // Not an RSA public key: the next one.
    }
  }
  return undefined;
}

export function makeWorkbenchHandler(s: WorkbenchServices) {
  async function preset(request: PresetRequest) {
    if (!(ATTACK_IDS as readonly string[]).includes(request.attack))
      throw new WorkerError('bad-request', `Unknown preset "${request.attack}".`);
    const attack = request.attack as AttackId;
    const header = checkedHeader(request.header);
    checkedSize([header, request.payload, request.original]);
    let publicKey = typeof request.publicKey === 'string' ? request.publicKey : undefined;
    if (!publicKey && typeof request.publicKeyId === 'string') {
      const stored = (await s.verificationKeys()).find((k) => k.id === request.publicKeyId);
      if (!stored) throw new WorkerError('key-not-found', 'That key is no longer in the store.');
      publicKey = publicKeyText(stored, s.fetchedKeySet);
    }
    if (!publicKey && attack === 'hs-rs-confusion') publicKey = await firstStoredRsaKey(await s.verificationKeys(), s.fetchedKeySet);
    const needsKeyPair = attack === 'embedded-jwk' || attack === 'jku-injection';
    const result = await applyPreset(
      attack,
      { header, payload: request.payload, original: String(request.original ?? '') },
      {
        ...(typeof request.variant === 'string' ? { variant: request.variant } : {}),
        ...(publicKey ? { publicKey } : {}),
        ...(typeof request.url === 'string' ? { url: request.url } : {}),
        ...(typeof request.weakSecret === 'string' ? { weakSecret: request.weakSecret } : {}),
        ...(needsKeyPair ? { generated: await s.signingKeys.attackKey() } : {}),
      },
    );
    if (!result.ok) throw new WorkerError('bad-request', `${attack}: ${result.message}`);
    return { token: result.token, variant: result.variant };
  }

  return async function handle(request: WorkbenchRequest): Promise<unknown> {
    switch (request.type) {
      case 'signing-keys/list':
        return s.signingKeys.list();
      case 'signing-keys/add':
        return s.signingKeys.add(request.input, request.label, request.keep === true);
      case 'signing-keys/generate':
        if (!['RSA', 'P-256', 'Ed25519'].includes(request.keyType)) throw new WorkerError('bad-request', 'Generate RSA, P-256 or Ed25519.');
        return s.signingKeys.generate(request.keyType, request.keep === true);
      case 'signing-keys/delete':
        await s.signingKeys.remove(String(request.id));
        return { ok: true };
      case 'workbench/sign': {
        const header = checkedHeader(request.header);
        checkedSize([header, request.payload]);
        return { token: await signCompact(header, request.payload, await s.signingKeys.signer(String(request.keyId))) };
      }
      case 'workbench/decrypt': {
        const token = String(request.token ?? '');
        if (token.length > MAX_TOKEN_BYTES) throw new WorkerError('bad-request', 'The token is too large.');
        const result = await decryptCompactJwe(token, await s.signingKeys.inputOf(String(request.keyId)));
        if (!result.ok) throw new WorkerError('bad-request', `Not decrypted (${result.code}): ${result.message}`);
        const { ok: _ok, ...decrypted } = result;
        return decrypted;
      }
      case 'workbench/preset':
        return preset(request);
    }
  };
}
