import { describe, expect, it } from 'vitest';
import { KeyStore, STATE_KEY, type StorageAreaLike } from '../../src/background/key-store';

// browser.storage cannot run in Node: this in-memory area stands in for it here. The end-to-end tests use
// the real storage.local across a worker restart.
function memoryArea(initial: Record<string, unknown> = {}): StorageAreaLike & { data: Record<string, unknown> } {
  const data = structuredClone(initial);
  return {
    data,
    async get(key) {
      return key in data ? { [key]: structuredClone(data[key]) } : {};
    },
    async set(items) {
      Object.assign(data, structuredClone(items));
    },
    async remove(key) {
      delete data[key];
    },
  };
}

let n = 0;
const ids = () => `id-${++n}`;

describe('KeyStore', () => {
  it('persists keys so a new worker (a new store over the same area) still has them', async () => {
    const local = memoryArea();
    const a = new KeyStore(local, memoryArea(), ids);
    await a.add({ label: 'dev secret', input: { kind: 'secret', value: 's3cr3t', encoding: 'utf8' } });
    const b = new KeyStore(local, memoryArea(), ids);
    expect((await b.list()).map((k) => k.label)).toEqual(['dev secret']);
  });

  it('keeps keys in session storage only when told not to keep secrets', async () => {
    const local = memoryArea();
    const session = memoryArea();
    const store = new KeyStore(local, session, ids);
    await store.setSettings({ keepSecrets: false });
    await store.add({ label: 'k', input: { kind: 'secret', value: 'never-on-disk' } });
    expect(JSON.stringify(local.data)).not.toContain('never-on-disk');
    expect(JSON.stringify(session.data)).toContain('never-on-disk');
    expect((await new KeyStore(local, session, ids).list()).length).toBe(1);
    // The browser closed: the session area is gone, and so are the keys.
    expect((await new KeyStore(local, memoryArea(), ids).list()).length).toBe(0);
  });

  it('updates, deletes and forgets all', async () => {
    const store = new KeyStore(memoryArea(), memoryArea(), ids);
    const k = await store.add({ label: 'a', input: { kind: 'jwks-url', value: 'https://x.example/jwks' } });
    await store.add({ label: 'b', input: { kind: 'pem', value: '-----BEGIN PUBLIC KEY-----' } });
    await store.update({ ...k, label: 'renamed', issuer: 'https://x.example' });
    expect((await store.list()).map((x) => [x.label, x.issuer])).toEqual([
      ['renamed', 'https://x.example'],
      ['b', undefined],
    ]);
    await store.remove(k.id);
    expect((await store.list()).length).toBe(1);
    await store.clear();
    expect(await store.list()).toEqual([]);
  });

  it('drops malformed or tampered entries and says so, keeping the good ones', async () => {
    const local = memoryArea({
      [STATE_KEY]: {
        version: 1,
        settings: { keepSecrets: true },
        keys: [
          { id: 'ok', label: 'good', input: { kind: 'secret', value: 'x' }, addedAt: 1 },
          { id: 'bad', label: 'evil', input: { kind: 'script', value: 'x' } },
          null,
          'string',
        ],
      },
    });
    const store = new KeyStore(local, memoryArea(), ids);
    expect((await store.list()).map((k) => k.id)).toEqual(['ok']);
    expect(store.problems.length).toBe(3);
    expect(store.problems[0]).toMatch(/evil.*malformed/);
  });

  it('survives stored data of the wrong shape', async () => {
    for (const junk of ['text', 42, { keys: 'nope', settings: 'nope' }, { version: 99, keys: [] }]) {
      const store = new KeyStore(memoryArea({ [STATE_KEY]: junk }), memoryArea(), ids);
      expect(await store.list()).toEqual([]);
      expect(store.problems.length).toBeGreaterThan(0);
      await store.add({ label: 'after', input: { kind: 'secret', value: 'y' } });
      expect((await store.list()).length).toBe(1);
    }
  });
});
