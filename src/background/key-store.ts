// The key store: what the user trusts. Persisted so an MV3 worker restart loses nothing; kept in
// storage.session instead of storage.local when the user chose not to keep secrets on disk.
//
// Storage faults (test/background/storage-faults.test.ts):
// - Stored data is validated on load: a wrong shape is reset or dropped key by key, and every problem is
//   listed (the options page shows `problems`). Older data is migrated by version (MIGRATIONS); data from a
//   newer version is read as far as it fits and said so.
// - A write that fails (a full quota: "QUOTA_BYTES quota exceeded") changes nothing: the store keeps what it
//   had, the previous state is written back where a half-done write may have touched it, and the caller
//   gets an error that says what happened and what to do.
// - A read that fails is not cached: the next request tries again.
import type { Settings, StoredKey } from '../messages';
import { WorkerError } from './worker-error';

export const STATE_KEY = 'jwti:state';
export const STATE_VERSION = 1;

/**
 * One step per stored format: MIGRATIONS[v] turns version-v data into version v + 1. Data without a
 * `version` is version 0 (the first builds wrote `{ settings, keys }` with no version; the shape is the
 * same). Changing the stored shape means bumping STATE_VERSION and adding the step here.
 */
export const MIGRATIONS: Readonly<Record<number, (state: Record<string, unknown>) => Record<string, unknown>>> = {
  0: (state) => ({ ...state, version: 1 }),
};

export interface StorageAreaLike {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

interface PersistedState {
  version: number;
  settings: Settings;
  keys?: StoredKey[];
}

const KEY_KINDS = new Set(['secret', 'pem', 'jwk', 'jwks', 'jwks-url', 'issuer']);
const SECRET_ENCODINGS = new Set(['utf8', 'base64', 'base64url', 'hex']);
const MAX_KEYS = 500;
const MAX_KEY_TEXT = 256 * 1024;

/** Brings stored data to STATE_VERSION, listing what could not be migrated cleanly. */
export function migrateState(state: Record<string, unknown>, problems: string[]): Record<string, unknown> {
  const version = state.version === undefined ? 0 : state.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    problems.push(`Stored data has an unreadable version (${describeValue(version)}); it was read as version ${STATE_VERSION}.`);
    return { ...state, version: STATE_VERSION };
  }
  if (version > STATE_VERSION) {
    problems.push(
      `Stored data is from a newer version of JWT Inspector (format ${version}; this one reads format ${STATE_VERSION}). ` +
        `What fits was read; the next change you save is written in format ${STATE_VERSION}.`,
    );
    return { ...state, version: STATE_VERSION };
  }
  let migrated = state;
  for (let v = version; v < STATE_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) {
      problems.push(`Stored data of format ${v} cannot be migrated; it was read as format ${STATE_VERSION}.`);
      return { ...migrated, version: STATE_VERSION };
    }
    migrated = step(migrated);
  }
  return migrated;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 20));
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'a list' : typeof value;
}

/** A storage failure in words a user can act on; the quota case (Chrome: "QUOTA_BYTES quota exceeded") first. */
export function storageError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/quota/i.test(message)) {
    return new WorkerError(
      'storage',
      `The browser's storage for this extension is full (${message}), so the change was not saved and your keys are as they were. ` +
        'Delete keys you no longer need (large PEM chains and JWKS take the most room) and try again.',
      { cause: error },
    );
  }
  return new WorkerError('storage', `The change could not be saved to the browser's storage (${message}); your keys are as they were.`, {
    cause: error,
  });
}

/** Stored data may be from an older version or tampered with: keep what is well-formed, report the rest. */
export function validateKeys(raw: unknown, problems: string[]): StoredKey[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    problems.push('The stored key list was not a list and was reset.');
    return [];
  }
  const keys: StoredKey[] = [];
  const ids = new Set<string>();
  for (const k of raw.slice(0, MAX_KEYS)) {
    const key = (typeof k === 'object' && k !== null ? k : undefined) as Partial<StoredKey> | undefined;
    const input = (typeof key?.input === 'object' && key.input !== null ? key.input : undefined) as
      | { kind?: unknown; value?: unknown; encoding?: unknown }
      | undefined;
    const name = typeof key?.label === 'string' ? key.label.slice(0, 60) : 'unnamed';
    if (
      !key ||
      typeof key.id !== 'string' ||
      typeof key.label !== 'string' ||
      !input ||
      typeof input.kind !== 'string' ||
      !KEY_KINDS.has(input.kind) ||
      typeof input.value !== 'string' ||
      input.value.length > MAX_KEY_TEXT ||
      (input.encoding !== undefined &&
        (input.kind !== 'secret' || typeof input.encoding !== 'string' || !SECRET_ENCODINGS.has(input.encoding)))
    ) {
      problems.push(`A stored key (${name}) was malformed and was dropped.`);
      continue;
    }
    if (ids.has(key.id)) {
      problems.push(`A stored key (${name}) repeated the id of another and was dropped.`);
      continue;
    }
    ids.add(key.id);
    // Only the fields a key has: whatever else was stored beside them is not carried along.
    const cleanInput = (
      input.encoding === undefined
        ? { kind: input.kind, value: input.value }
        : { kind: input.kind, value: input.value, encoding: input.encoding }
    ) as StoredKey['input'];
    keys.push({
      id: key.id,
      label: key.label,
      input: cleanInput,
      ...(typeof key.issuer === 'string' ? { issuer: key.issuer } : {}),
      addedAt: typeof key.addedAt === 'number' && Number.isFinite(key.addedAt) ? key.addedAt : 0,
    });
  }
  if (raw.length > MAX_KEYS) problems.push(`Only the first ${MAX_KEYS} stored keys were kept.`);
  return keys;
}

export function validateSettings(raw: unknown, problems: string[]): Settings {
  const s = raw as Partial<Settings> | undefined;
  if (s !== undefined && (typeof s !== 'object' || s === null || (s.keepSecrets !== undefined && typeof s.keepSecrets !== 'boolean'))) {
    problems.push('Stored settings were malformed and were reset to the defaults.');
    return { keepSecrets: true };
  }
  return { keepSecrets: s?.keepSecrets ?? true };
}

export class KeyStore {
  private keys: StoredKey[] = [];
  private settings: Settings = { keepSecrets: true };
  /** What was wrong with the stored data at the last load; the options page shows it. */
  problems: string[] = [];
  private loaded: Promise<void> | undefined;

  constructor(
    private readonly local: StorageAreaLike,
    private readonly session: StorageAreaLike | undefined,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {}

  /** Loads once per worker life; every public method awaits it, so a woken worker answers with the keys. */
  ready(): Promise<void> {
    this.loaded ??= this.load().catch((error: unknown) => {
      // Not cached: a storage read that failed once may work on the next request.
      this.loaded = undefined;
      const message = error instanceof Error ? error.message : String(error);
      throw new WorkerError(
        'storage',
        `The stored keys could not be read from the browser's storage (${message}). Try again, or restart the browser.`,
        { cause: error },
      );
    });
    return this.loaded;
  }

  private async load(): Promise<void> {
    const problems: string[] = [];
    const stored: unknown = (await this.local.get(STATE_KEY))[STATE_KEY];
    let state: Partial<PersistedState> = {};
    if (stored !== undefined) {
      if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) {
        problems.push('Stored data was not readable and was reset.');
      } else {
        state = migrateState(stored as Record<string, unknown>, problems) as Partial<PersistedState>;
      }
    }
    const settings = validateSettings(state.settings, problems);
    let keys: StoredKey[];
    if (settings.keepSecrets || !this.session) {
      keys = validateKeys(state.keys, problems);
    } else {
      const sessionState: unknown = (await this.session.get(STATE_KEY))[STATE_KEY];
      const sessionKeys = typeof sessionState === 'object' && sessionState !== null ? (sessionState as { keys?: unknown }).keys : undefined;
      keys = validateKeys(sessionKeys, problems);
    }
    this.settings = settings;
    this.keys = keys;
    this.problems = problems;
  }

  private async persist(): Promise<void> {
    const inLocal = this.settings.keepSecrets || !this.session;
    const state: PersistedState = { version: STATE_VERSION, settings: this.settings, ...(inLocal ? { keys: this.keys } : {}) };
    // Keys are written where they go before they are removed from where they were, so a failure between the
    // two writes leaves them in both places rather than in neither.
    if (this.session && !inLocal) await this.session.set({ [STATE_KEY]: { keys: this.keys } });
    await this.local.set({ [STATE_KEY]: state });
    if (this.session && inLocal) await this.session.remove(STATE_KEY);
  }

  /**
   * Applies `change` to the keys and settings and saves; when saving fails, puts everything back (in memory,
   * and in storage as far as it can) and throws a storageError.
   */
  private async commit<T>(change: () => T): Promise<T> {
    const before = { keys: this.keys, settings: this.settings };
    const result = change();
    try {
      await this.persist();
    } catch (error) {
      this.keys = before.keys;
      this.settings = before.settings;
      // A half-done persist (session written, local not) is undone by writing the previous state again.
      await this.persist().catch(() => {});
      throw storageError(error);
    }
    return result;
  }

  async list(): Promise<StoredKey[]> {
    await this.ready();
    return this.keys.map((k) => ({ ...k }));
  }

  async add(key: Omit<StoredKey, 'id' | 'addedAt'>): Promise<StoredKey> {
    await this.ready();
    const stored = wellFormed({ ...key, id: this.newId(), addedAt: Date.now() });
    return this.commit(() => {
      this.keys = [...this.keys, stored];
      return { ...stored };
    });
  }

  async update(key: StoredKey): Promise<StoredKey> {
    await this.ready();
    const index = this.keys.findIndex((k) => k.id === key?.id);
    if (index < 0) throw new WorkerError('key-not-found', 'That key is no longer in the store.');
    const updated = wellFormed({ ...key, addedAt: this.keys[index]!.addedAt });
    return this.commit(() => {
      this.keys = this.keys.map((k, i) => (i === index ? updated : k));
      return { ...updated };
    });
  }

  async remove(id: string): Promise<void> {
    await this.ready();
    await this.commit(() => {
      this.keys = this.keys.filter((k) => k.id !== id);
    });
  }

  async clear(): Promise<void> {
    await this.ready();
    await this.commit(() => {
      this.keys = [];
    });
  }

  async getSettings(): Promise<Settings> {
    await this.ready();
    return { ...this.settings };
  }

  async setSettings(settings: Settings): Promise<Settings> {
    await this.ready();
    return this.commit(() => {
      this.settings = validateSettings(settings, []);
      return { ...this.settings };
    });
  }
}

/** The key as the store keeps it (what a load would keep), or an error saying it is malformed. */
function wellFormed(key: StoredKey): StoredKey {
  const problems: string[] = [];
  const [kept] = validateKeys([key], problems);
  if (!kept)
    throw new WorkerError(
      'key-input-invalid',
      'That key is malformed (an unknown kind, a missing value, or a value over 256 KiB) and was not saved.',
    );
  return kept;
}
