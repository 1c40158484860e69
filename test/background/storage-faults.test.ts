// Storage faults in the key store: a full quota, stored data of the wrong shape, from an older or a newer
// version, and storage that fails to read. The end-to-end half runs in Chromium against the real
// storage.local (test/e2e/chromium/storage-faults.test.ts).
import { describe, expect, it } from 'vitest';
import {
  KeyStore,
  MIGRATIONS,
  STATE_KEY,
  STATE_VERSION,
  migrateState,
  storageError,
  type StorageAreaLike,
} from '../../src/background/key-store';

/** Chrome's message when storage.local is full (extensions/browser/api/storage: "<QUOTA NAME> quota exceeded"). */
const QUOTA_MESSAGE = 'QUOTA_BYTES quota exceeded';

interface FaultyArea extends StorageAreaLike {
  data: Record<string, unknown>;
  /** Writes fail from now on (with Chrome's quota message), or stop failing. */
  full: boolean;
  /** Reads fail from now on, or stop failing. */
  unreadable: boolean;
  writes: number;
}

// An in-memory storage area that fails like the real one: a rejected set changes nothing (Chrome checks the
// quota before it writes), and what is read is a copy.
function area(initial: Record<string, unknown> = {}, quotaBytes = Number.POSITIVE_INFINITY): FaultyArea {
  const a: FaultyArea = {
    data: structuredClone(initial),
    full: false,
    unreadable: false,
    writes: 0,
    async get(key) {
      if (a.unreadable) throw new Error('IO error: .../Local Extension Settings/...: Corruption');
      return key in a.data ? { [key]: structuredClone(a.data[key]) } : {};
    },
    async set(items) {
      const next = { ...a.data, ...structuredClone(items) };
      const bytes = Object.entries(next).reduce((n, [k, v]) => n + k.length + JSON.stringify(v).length, 0);
      if (a.full || bytes > quotaBytes) throw new Error(QUOTA_MESSAGE);
      a.data = next;
      a.writes++;
    },
    async remove(key) {
      if (a.full) throw new Error(QUOTA_MESSAGE);
      delete a.data[key];
    },
  };
  return a;
}

let n = 0;
const ids = () => `id-${++n}`;
const secret = (value: string, label = value) => ({ label, input: { kind: 'secret' as const, value, encoding: 'utf8' as const } });

describe('a full quota', () => {
  it('adding a key: the caller gets a clear error, the store and the stored data stay as they were', async () => {
    const local = area();
    const store = new KeyStore(local, area(), ids);
    await store.add(secret('first'));
    const storedBefore = structuredClone(local.data);
    local.full = true;

    const error = await store.add(secret('second')).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toContain(QUOTA_MESSAGE);
    expect(error!.message).toMatch(/storage .* is full/);
    expect(error!.message).toMatch(/not saved/);
    expect(error!.message).toMatch(/Delete keys/);
    expect(error!.cause).toBeInstanceOf(Error);

    // Nothing half-added: not in memory, not on disk.
    expect((await store.list()).map((k) => k.label)).toEqual(['first']);
    expect(local.data).toEqual(storedBefore);
    // A new worker reads the same.
    local.full = false;
    expect((await new KeyStore(local, area(), ids).list()).map((k) => k.label)).toEqual(['first']);
  });

  it('a key that does not fit is refused by the quota, a smaller one still fits afterwards', async () => {
    const local = area({}, 4096);
    const store = new KeyStore(local, area(), ids);
    await store.add(secret('small'));
    await expect(store.add(secret('x'.repeat(5000), 'big'))).rejects.toThrow(QUOTA_MESSAGE);
    expect((await store.list()).map((k) => k.label)).toEqual(['small']);
    await store.add(secret('also small'));
    expect((await new KeyStore(local, area(), ids).list()).map((k) => k.label)).toEqual(['small', 'also small']);
  });

  it('update, remove, clear and settings: each fails whole, with the same error', async () => {
    const local = area();
    const store = new KeyStore(local, area(), ids);
    const a = await store.add(secret('a'));
    await store.add(secret('b'));
    const before = await store.list();
    local.full = true;
    await expect(store.update({ ...a, label: 'renamed' })).rejects.toThrow(/storage .* is full/);
    await expect(store.remove(a.id)).rejects.toThrow(QUOTA_MESSAGE);
    await expect(store.clear()).rejects.toThrow(QUOTA_MESSAGE);
    await expect(store.setSettings({ keepSecrets: false })).rejects.toThrow(QUOTA_MESSAGE);
    expect(await store.list()).toEqual(before);
    expect(await store.getSettings()).toEqual({ keepSecrets: true });
  });

  it('moving keys to session storage when session storage is full: they stay on disk, not lost in between', async () => {
    const local = area();
    const session = area();
    const store = new KeyStore(local, session, ids);
    await store.add(secret('keep me'));
    session.full = true;
    await expect(store.setSettings({ keepSecrets: false })).rejects.toThrow(QUOTA_MESSAGE);
    expect(await store.getSettings()).toEqual({ keepSecrets: true });
    expect(JSON.stringify(local.data)).toContain('keep me');
    expect((await new KeyStore(local, area(), ids).list()).map((k) => k.label)).toEqual(['keep me']);
  });

  it('moving keys back to disk when the disk is full: they stay in session storage', async () => {
    const local = area();
    const session = area();
    const store = new KeyStore(local, session, ids);
    await store.setSettings({ keepSecrets: false });
    await store.add(secret('session only'));
    local.full = true;
    await expect(store.setSettings({ keepSecrets: true })).rejects.toThrow(QUOTA_MESSAGE);
    expect(JSON.stringify(session.data)).toContain('session only');
    local.full = false;
    expect((await new KeyStore(local, session, ids).list()).map((k) => k.label)).toEqual(['session only']);
  });

  it('any other write failure is reported as such, also without a change', async () => {
    const local = area();
    const store = new KeyStore(local, area(), ids);
    local.set = async () => {
      throw new Error('Extension context invalidated.');
    };
    await expect(store.add(secret('x'))).rejects.toThrow(/could not be saved .*Extension context invalidated.*keys are as they were/);
    expect(await store.list()).toEqual([]);
  });
});

describe('storageError', () => {
  it.each([
    ['Chrome (documented)', 'QUOTA_BYTES quota exceeded'],
    ['Chromium 156', 'Resource::kQuotaBytes quota exceeded'],
    ['one item too large', 'QUOTA_BYTES_PER_ITEM quota exceeded'],
    ['a DOMException', 'QuotaExceededError: The quota has been exceeded.'],
  ])('says the storage is full for %s: "%s"', (_who, message) => {
    const error = storageError(new Error(message));
    expect(error.message).toContain(message);
    expect(error.message).toMatch(/storage for this extension is full.*not saved.*Delete keys/);
  });
});

describe('stored data of the wrong shape', () => {
  const cases: [string, unknown, RegExp][] = [
    ['a string', 'text', /not readable/],
    ['a number', 42, /not readable/],
    ['a list', [{ id: 'x' }], /not readable/],
    ['null', null, /not readable/],
    ['keys that are not a list', { version: 1, keys: { 0: 'a' } }, /key list was not a list/],
    ['settings that are not an object', { version: 1, settings: 'on', keys: [] }, /settings were malformed/],
    ['keepSecrets that is not a boolean', { version: 1, settings: { keepSecrets: 'yes' }, keys: [] }, /settings were malformed/],
    [
      'a key of an unknown kind',
      { version: 1, keys: [{ id: 'k', label: 'evil', input: { kind: 'script', value: 'alert(1)' } }] },
      /evil.*malformed/,
    ],
    ['a key without a value', { version: 1, keys: [{ id: 'k', label: 'empty', input: { kind: 'pem' } }] }, /empty.*malformed/],
    ['a key whose input is a string', { version: 1, keys: [{ id: 'k', label: 'flat', input: 'secret' }] }, /flat.*malformed/],
    [
      'a secret with an unknown encoding',
      { version: 1, keys: [{ id: 'k', label: 'enc', input: { kind: 'secret', value: 'x', encoding: 'rot13' } }] },
      /enc.*malformed/,
    ],
    [
      'a key over 256 KiB',
      { version: 1, keys: [{ id: 'k', label: 'huge', input: { kind: 'pem', value: 'A'.repeat(256 * 1024 + 1) } }] },
      /huge.*malformed/,
    ],
    ['an unreadable version', { version: 'one', keys: [] }, /unreadable version \("one"\)/],
    ['a negative version', { version: -1, keys: [] }, /unreadable version \(-1\)/],
  ];

  it.each(cases)('%s: reset or dropped, listed as a problem, and the store works on', async (_what, stored, problem) => {
    const local = area({ [STATE_KEY]: stored });
    const store = new KeyStore(local, area(), ids);
    expect(await store.list()).toEqual([]);
    expect(store.problems.join(' ')).toMatch(problem);
    await store.add(secret('after'));
    expect((await store.list()).map((k) => k.label)).toEqual(['after']);
    // The next save writes the current format, well-formed.
    expect(local.data[STATE_KEY]).toMatchObject({ version: STATE_VERSION, settings: { keepSecrets: expect.any(Boolean) as boolean } });
  });

  it('keeps the well-formed keys beside malformed ones, drops repeated ids and fields a key does not have', async () => {
    const store = new KeyStore(
      area({
        [STATE_KEY]: {
          version: 1,
          settings: { keepSecrets: true },
          keys: [
            {
              id: 'a',
              label: 'good',
              input: { kind: 'secret', value: 's', encoding: 'hex', extra: '<img src=x onerror=alert(1)>' },
              addedAt: 5,
              junk: 1,
            },
            { id: 'a', label: 'twin', input: { kind: 'pem', value: 'p' }, addedAt: 6 },
            7,
            { id: 'b', label: 'jwks', input: { kind: 'jwks-url', value: 'https://idp.example/jwks' }, addedAt: 'yesterday', issuer: 42 },
          ],
        },
      }),
      area(),
      ids,
    );
    expect(await store.list()).toEqual([
      { id: 'a', label: 'good', input: { kind: 'secret', value: 's', encoding: 'hex' }, addedAt: 5 },
      { id: 'b', label: 'jwks', input: { kind: 'jwks-url', value: 'https://idp.example/jwks' }, addedAt: 0 },
    ]);
    expect(store.problems).toEqual([
      'A stored key (twin) repeated the id of another and was dropped.',
      'A stored key (unnamed) was malformed and was dropped.',
    ]);
  });

  it('refuses to save a malformed key sent by a page (add and update validate like a load)', async () => {
    const local = area();
    const store = new KeyStore(local, area(), ids);
    await expect(store.add({ label: 'x', input: { kind: 'script', value: 'x' } } as never)).rejects.toThrow(/malformed .*not saved/);
    const k = await store.add(secret('ok'));
    await expect(store.update({ ...k, input: { kind: 'secret', value: 1 } } as never)).rejects.toThrow(/malformed/);
    expect((await store.list()).map((x) => x.input)).toEqual([{ kind: 'secret', value: 'ok', encoding: 'utf8' }]);
  });
});

describe('versions', () => {
  it('has a migration for every version before the current one', () => {
    for (let v = 0; v < STATE_VERSION; v++) expect(typeof MIGRATIONS[v], `migration from ${v}`).toBe('function');
  });

  it('data without a version (version 0) is migrated to the current version without a problem', async () => {
    const local = area({
      [STATE_KEY]: {
        settings: { keepSecrets: true },
        keys: [{ id: 'old', label: 'from 0.0', input: { kind: 'secret', value: 's' }, addedAt: 1 }],
      },
    });
    const store = new KeyStore(local, area(), ids);
    expect((await store.list()).map((k) => k.id)).toEqual(['old']);
    expect(store.problems).toEqual([]);
    await store.add(secret('new'));
    expect((local.data[STATE_KEY] as { version: number }).version).toBe(STATE_VERSION);
  });

  it('an explicit version 0 migrates the same way', () => {
    const problems: string[] = [];
    expect(migrateState({ version: 0, keys: [] }, problems)).toEqual({ version: STATE_VERSION, keys: [] });
    expect(problems).toEqual([]);
  });

  it('data from a newer version is read as far as it fits, and the problem says what happens on the next save', async () => {
    const local = area({
      [STATE_KEY]: {
        version: STATE_VERSION + 1,
        settings: { keepSecrets: true, theme: 'dark' },
        keys: [{ id: 'f', label: 'future', input: { kind: 'secret', value: 's' }, addedAt: 1, rotation: { every: '30d' } }],
        vaults: [{ id: 'v1' }],
      },
    });
    const store = new KeyStore(local, area(), ids);
    expect((await store.list()).map((k) => k.label)).toEqual(['future']);
    expect(store.problems).toHaveLength(1);
    expect(store.problems[0]).toMatch(
      new RegExp(`newer version of JWT Inspector \\(format ${STATE_VERSION + 1}; this one reads format ${STATE_VERSION}\\)`),
    );
    expect(store.problems[0]).toMatch(/next change you save is written in format/);
    // Reading changed nothing on disk: the newer data is still there for the newer version.
    expect((local.data[STATE_KEY] as { vaults?: unknown }).vaults).toEqual([{ id: 'v1' }]);
    expect(local.writes).toBe(0);
  });
});

describe('storage that fails to read', () => {
  it('the caller gets a clear error, and the next request tries again (no cached failure)', async () => {
    const local = area({
      [STATE_KEY]: {
        version: 1,
        settings: { keepSecrets: true },
        keys: [{ id: 'a', label: 'kept', input: { kind: 'secret', value: 's' }, addedAt: 1 }],
      },
    });
    local.unreadable = true;
    const store = new KeyStore(local, area(), ids);
    await expect(store.list()).rejects.toThrow(/stored keys could not be read .*Corruption.*Try again/);
    // A failed read must not let a write overwrite the stored keys with an empty list.
    await expect(store.add(secret('new'))).rejects.toThrow(/could not be read/);
    expect(JSON.stringify(local.data)).toContain('kept');
    local.unreadable = false;
    expect((await store.list()).map((k) => k.label)).toEqual(['kept']);
  });
});
