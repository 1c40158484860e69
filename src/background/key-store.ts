// The key store: what the user trusts. Persisted so an MV3 worker restart loses nothing; kept in
// storage.session instead of storage.local when the user chose not to keep secrets on disk.
import type { Settings, StoredKey } from '../messages';

export const STATE_KEY = 'jwti:state';
export const STATE_VERSION = 1;

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
const MAX_KEYS = 500;
const MAX_KEY_TEXT = 256 * 1024;

/** Stored data may be from an older version or tampered with: keep what is well-formed, report the rest. */
export function validateKeys(raw: unknown, problems: string[]): StoredKey[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    problems.push('The stored key list was not a list and was reset.');
    return [];
  }
  const keys: StoredKey[] = [];
  for (const k of raw.slice(0, MAX_KEYS)) {
    const key = k as Partial<StoredKey> | null;
    const input = key?.input as { kind?: unknown; value?: unknown; encoding?: unknown } | undefined;
    if (
      !key ||
      typeof key.id !== 'string' ||
      typeof key.label !== 'string' ||
      !input ||
      typeof input.kind !== 'string' ||
      !KEY_KINDS.has(input.kind) ||
      typeof input.value !== 'string' ||
      input.value.length > MAX_KEY_TEXT
    ) {
      problems.push(`A stored key (${typeof key?.label === 'string' ? key.label.slice(0, 60) : 'unnamed'}) was malformed and was dropped.`);
      continue;
    }
    keys.push({
      id: key.id,
      label: key.label,
      input: key.input as StoredKey['input'],
      ...(typeof key.issuer === 'string' ? { issuer: key.issuer } : {}),
      addedAt: typeof key.addedAt === 'number' ? key.addedAt : 0,
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
    this.loaded ??= this.load();
    return this.loaded;
  }

  private async load(): Promise<void> {
    const problems: string[] = [];
    const stored = (await this.local.get(STATE_KEY))[STATE_KEY] as Partial<PersistedState> | undefined;
    if (stored !== undefined && (typeof stored !== 'object' || stored === null)) {
      problems.push('Stored data was not readable and was reset.');
    }
    const state = stored && typeof stored === 'object' ? stored : {};
    if (state.version !== undefined && state.version !== STATE_VERSION) {
      problems.push(`Stored data is from version ${String(state.version)}; it was read as version ${STATE_VERSION}.`);
    }
    this.settings = validateSettings(state.settings, problems);
    if (this.settings.keepSecrets || !this.session) {
      this.keys = validateKeys(state.keys, problems);
    } else {
      const sessionState = (await this.session.get(STATE_KEY))[STATE_KEY] as { keys?: unknown } | undefined;
      this.keys = validateKeys(sessionState?.keys, problems);
    }
    this.problems = problems;
  }

  private async persist(): Promise<void> {
    const inLocal = this.settings.keepSecrets || !this.session;
    const state: PersistedState = { version: STATE_VERSION, settings: this.settings, ...(inLocal ? { keys: this.keys } : {}) };
    await this.local.set({ [STATE_KEY]: state });
    if (this.session) {
      if (inLocal) await this.session.remove(STATE_KEY);
      else await this.session.set({ [STATE_KEY]: { keys: this.keys } });
    }
  }

  async list(): Promise<StoredKey[]> {
    await this.ready();
    return this.keys.map((k) => ({ ...k }));
  }

  async add(key: Omit<StoredKey, 'id' | 'addedAt'>): Promise<StoredKey> {
    await this.ready();
    const stored: StoredKey = { ...key, id: this.newId(), addedAt: Date.now() };
    this.keys = [...this.keys, stored];
    await this.persist();
    return stored;
  }

  async update(key: StoredKey): Promise<StoredKey> {
    await this.ready();
    const index = this.keys.findIndex((k) => k.id === key.id);
    if (index < 0) throw new Error('That key is no longer in the store.');
    this.keys = this.keys.map((k, i) => (i === index ? { ...key, addedAt: k.addedAt } : k));
    await this.persist();
    return this.keys[index]!;
  }

  async remove(id: string): Promise<void> {
    await this.ready();
    this.keys = this.keys.filter((k) => k.id !== id);
    await this.persist();
  }

  async clear(): Promise<void> {
    await this.ready();
    this.keys = [];
    await this.persist();
  }

  async getSettings(): Promise<Settings> {
    await this.ready();
    return { ...this.settings };
  }

  async setSettings(settings: Settings): Promise<Settings> {
    await this.ready();
    this.settings = validateSettings(settings, []);
    await this.persist();
    return { ...this.settings };
  }
}
