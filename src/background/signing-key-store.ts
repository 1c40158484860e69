// The workbench's signing keys: a list apart from the verification keys (key-store.ts), for the rules of
// SECURITY.md ("Workbench"): kept in storage.session — forgotten when the browser closes — unless the user
// ticks "keep" for a key; never handed back to a page (summaries carry no value, there is no reveal); the
// imported key objects live in this worker only. Parsing is the core's (core/workbench/signing-key.ts,
// which reads PEM and secrets with core/keys).
import type { JWK } from 'jose';
import { generateSigningKey, importSigningKey, type SigningKey } from '../core/workbench';
import type { KeyInput } from '../core/types';
import type { GeneratedKeyKind, SigningKeySummary } from '../messages';
import type { StorageAreaLike } from './key-store';
import { isSecretInput } from './key-secrecy';
import { WorkerError } from './worker-error';

export const SIGNING_KEYS_KEY = 'jwti:signing-keys';
const MAX_SIGNING_KEYS = 50;
const MAX_LABEL = 80;

interface StoredSigningKey {
  id: string;
  label: string;
  input: KeyInput;
  family: SigningKeySummary['family'];
  alg: string;
  kept: boolean;
  generated: boolean;
  addedAt: number;
  publicJwk?: JWK;
}

function isStored(v: unknown): v is StoredSigningKey {
  const k = v as Partial<StoredSigningKey> | null;
  return (
    typeof k === 'object' &&
    k !== null &&
    typeof k.id === 'string' &&
    typeof k.label === 'string' &&
    typeof k.alg === 'string' &&
    typeof k.input === 'object' &&
    k.input !== null &&
    typeof (k.input as { value?: unknown }).value === 'string'
  );
}

export class SigningKeyStore {
  private keys: StoredSigningKey[] | undefined;
  private readonly imported = new Map<string, SigningKey>();

  constructor(
    private readonly local: StorageAreaLike,
    /** Absent where the browser has no storage.session: unkept keys then live in this worker's memory only. */
    private readonly session: StorageAreaLike | undefined,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {}

  private async load(): Promise<StoredSigningKey[]> {
    if (this.keys) return this.keys;
    const read = async (area: StorageAreaLike | undefined, kept: boolean) => {
      if (!area) return [];
      const raw = (await area.get(SIGNING_KEYS_KEY))[SIGNING_KEYS_KEY];
      return Array.isArray(raw) ? raw.filter(isStored).map((k) => ({ ...k, kept })) : [];
    };
    this.keys = [...(await read(this.local, true)), ...(await read(this.session, false))].slice(0, MAX_SIGNING_KEYS);
    return this.keys;
  }

  private async save(keys: StoredSigningKey[]): Promise<void> {
    await this.local.set({ [SIGNING_KEYS_KEY]: keys.filter((k) => k.kept) });
    if (this.session) await this.session.set({ [SIGNING_KEYS_KEY]: keys.filter((k) => !k.kept) });
    this.keys = keys;
  }

  /** What pages see: never the key's value. */
  static summary(k: StoredSigningKey): SigningKeySummary {
    return {
      id: k.id,
      label: k.label,
      family: k.family,
      alg: k.alg,
      kept: k.kept,
      generated: k.generated,
      addedAt: k.addedAt,
      ...(k.publicJwk ? { publicJwk: k.publicJwk as Record<string, unknown> } : {}),
    };
  }

  async list(): Promise<SigningKeySummary[]> {
    return (await this.load()).map(SigningKeyStore.summary);
  }

  private async put(entry: Omit<StoredSigningKey, 'id' | 'addedAt'>, key: SigningKey): Promise<SigningKeySummary> {
    const keys = await this.load();
    if (keys.length >= MAX_SIGNING_KEYS) throw new WorkerError('storage', `At most ${MAX_SIGNING_KEYS} signing keys: delete one first.`);
    const stored: StoredSigningKey = { ...entry, label: entry.label.slice(0, MAX_LABEL), id: this.newId(), addedAt: Date.now() };
    await this.save([...keys, stored]);
    this.imported.set(stored.id, key);
    return SigningKeyStore.summary(stored);
  }

  async add(input: KeyInput, label: string | undefined, keep: boolean): Promise<SigningKeySummary> {
    // key-secrecy.ts's one rule of what is secret: anything else (a public key) cannot sign.
    if (!isSecretInput(input)) throw new WorkerError('key-wrong-kind', 'This is a public key: signing needs a secret or a private key.');
    const key = await importSigningKey(input);
    const family = key.family;
    const fallback = family === 'hmac' ? 'HMAC secret' : `${family.toUpperCase()} private key`;
    return this.put(
      {
        label: label?.trim() || fallback,
        input,
        family,
        alg: key.alg,
        kept: keep,
        generated: false,
        ...(key.publicJwk ? { publicJwk: key.publicJwk } : {}),
      },
      key,
    );
  }

  async generate(type: GeneratedKeyKind, keep: boolean, label?: string): Promise<SigningKeySummary> {
    const { key, privateJwk } = await generateSigningKey(type);
    return this.put(
      {
        label: label ?? `Generated ${type}`,
        input: { kind: 'jwk', value: JSON.stringify(privateJwk) },
        family: key.family,
        alg: key.alg,
        kept: keep,
        generated: true,
        ...(key.publicJwk ? { publicJwk: key.publicJwk } : {}),
      },
      key,
    );
  }

  async remove(id: string): Promise<void> {
    const keys = await this.load();
    this.imported.delete(id);
    await this.save(keys.filter((k) => k.id !== id));
  }

  /** The key to sign with; imported once per worker life. */
  async signer(id: string): Promise<SigningKey> {
    const cached = this.imported.get(id);
    if (cached) return cached;
    const entry = (await this.load()).find((k) => k.id === id);
    if (!entry) throw new WorkerError('key-not-found', 'That signing key is no longer in the list.');
    const key = await importSigningKey(entry.input);
    this.imported.set(id, key);
    return key;
  }

  /** A key's input, for uses other than signing (JWE decryption); stays in the worker. */
  async inputOf(id: string): Promise<KeyInput> {
    const entry = (await this.load()).find((k) => k.id === id);
    if (!entry) throw new WorkerError('key-not-found', 'That signing key is no longer in the list.');
    return entry.input;
  }

  /** The presets' key pair (embedded-jwk, jku-injection): the session's first generated P-256, made on first need. */
  async attackKey(): Promise<SigningKey> {
    const existing = (await this.load()).find((k) => k.generated && k.family === 'ec');
    if (existing) return this.signer(existing.id);
    const made = await this.generate('P-256', false, 'Generated P-256 (attack presets)');
    return this.signer(made.id);
  }
}
