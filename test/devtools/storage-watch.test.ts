import { describe, it, expect } from 'vitest';
import { runInNewContext } from 'node:vm';
import {
  FINGERPRINT_MAX_CHARS,
  STORAGE_FINGERPRINT_EXPRESSION,
  StorageWatch,
  originOf,
  type StorageRemoval,
} from '../../src/capture/storage-watch';
import { STORAGE_SNAPSHOT_EXPRESSION, sightingsFromSnapshot } from '../../src/capture/storage-snapshot';
import { TokenStore } from '../../src/devtools/model/token-store';
import type { CapturedSighting } from '../../src/capture/sightings-from-entry';
import { T0_MS, TOKENS, sign } from './har-fixtures';

/** A Storage with the methods the expressions use, over a Map the test changes. */
class FakeStorage {
  constructor(readonly items = new Map<string, unknown>()) {}
  get length(): number {
    return this.items.size;
  }
  key(i: number): string | null {
    return [...this.items.keys()][i] ?? null;
  }
  getItem(key: string): unknown {
    return this.items.has(key) ? this.items.get(key) : null;
  }
}

interface FakePage {
  url: string;
  local: FakeStorage;
  session: FakeStorage;
  cookie: string;
}

const newPage = (url = 'https://app.example.com/'): FakePage => ({ url, local: new FakeStorage(), session: new FakeStorage(), cookie: '' });

// No browser runs in unit tests: a node:vm context with a fake window, document and location stands in for
// the inspected page that devtools.inspectedWindow.eval evaluates the expressions in (the end-to-end test
// test/e2e/chromium/storage-watch.test.ts runs them in Chromium).
function evaluateIn(page: FakePage, expression: string): unknown {
  const window = { localStorage: page.local, sessionStorage: page.session };
  const document = {};
  Object.defineProperty(document, 'cookie', { get: () => page.cookie });
  const location = {};
  Object.defineProperty(location, 'href', { get: () => page.url });
  return JSON.parse(JSON.stringify(runInNewContext(expression, { window, document, location })));
}

const fingerprint = (page: FakePage) => evaluateIn(page, STORAGE_FINGERPRINT_EXPRESSION) as string;

/** A JWS of the same shape and length as `token` with another signature: what a refresh puts back. */
function sameLengthReplacement(token: string): string {
  const dot = token.lastIndexOf('.');
  const signature = token.slice(dot + 1);
  const flipped = [...signature].map((c) => (c === 'A' ? 'B' : 'A')).join('');
  return token.slice(0, dot + 1) + flipped;
}

describe('the storage fingerprint expression', () => {
  it('stays the same while nothing changes and follows every change that can matter', () => {
    const page = newPage();
    page.session.items.set('oidc.user', JSON.stringify({ access_token: TOKENS.access1, profile: { sub: 'alice' } }));
    page.local.items.set('settings', '{"theme":"dark"}');
    const first = fingerprint(page);
    expect(fingerprint(page)).toBe(first);

    const changes: [string, () => void][] = [
      [
        'a token replaced by one of the same length',
        () =>
          page.session.items.set(
            'oidc.user',
            JSON.stringify({ access_token: sameLengthReplacement(TOKENS.access1), profile: { sub: 'alice' } }),
          ),
      ],
      ['a key added', () => page.local.items.set('other', 'x')],
      ['a value changing its length', () => page.local.items.set('settings', '{"theme":"light"}')],
      ['a key removed', () => page.session.items.delete('oidc.user')],
      ['a cookie holding a token', () => (page.cookie = `at=${TOKENS.id1}`)],
      ['an SPA route change (pushState)', () => (page.url = 'https://app.example.com/route?x=1')],
      ['a hash change', () => (page.url = 'https://app.example.com/route?x=1#done')],
      ['a bare token at the start of a value, replaced', () => page.local.items.set('jwe', TOKENS.access2)],
    ];
    let before = fingerprint(page);
    for (const [what, change] of changes) {
      change();
      const after = fingerprint(page);
      expect(after, what).not.toBe(before);
      before = after;
    }
    page.local.items.set('jwe', sameLengthReplacement(TOKENS.access2));
    expect(fingerprint(page), 'a bare token replaced by one of the same length').not.toBe(before);
  });

  it('carries the page URL first, so a route change is read from it', () => {
    const page = newPage('https://app.example.com/cb#access_token=abc');
    expect(fingerprint(page).split('\n')[0]).toBe('https://app.example.com/cb#access_token=abc');
  });

  it('is bounded however much the page stores', () => {
    const page = newPage();
    // 500 items, each a 16 KB run of token characters behind a JWS start: far more than the fingerprint carries.
    const run = `${TOKENS.access1}.eyJ${'A'.repeat(16 * 1024)}`;
    for (let i = 0; i < 600; i++) page.local.items.set(`k${i}`, run);
    const fp = fingerprint(page);
    // Carried text is bounded; the rest are numbers and separators for each of at most 500 items.
    expect(fp.length).toBeLessThan(FINGERPRINT_MAX_CHARS + 500 * 64 * 16 + 10_000);
  });

  it('survives a hostile page: throwing getters, non-string values, overridden methods', () => {
    const page = newPage();
    const hostile = {
      get length() {
        return 3;
      },
      key: (i: number) =>
        i === 0
          ? 'a'
          : i === 1
            ? {
                toString: () => {
                  throw new Error('no');
                },
              }
            : 'c',
      getItem: (key: string) => {
        if (key === 'c') throw new Error('denied');
        return {
          toString: () => {
            throw new Error('coerced');
          },
        };
      },
    };
    const context = {
      window: Object.defineProperty({ localStorage: hostile }, 'sessionStorage', {
        get: () => {
          throw new Error('SecurityError');
        },
      }),
      document: Object.defineProperty({}, 'cookie', {
        get: () => {
          throw new Error('sandboxed');
        },
      }),
      location: { href: page.url },
    };
    const result: unknown = runInNewContext(STORAGE_FINGERPRINT_EXPRESSION, context);
    expect(typeof result).toBe('string');
    expect(String(result).startsWith('https://app.example.com/\n1\n')).toBe(true);
  });
});

describe('StorageWatch', () => {
  /** A watch over a fake page: evaluations are counted, the timer is the test's. */
  function watchOver(page: FakePage, clock = { now: T0_MS }) {
    const calls = { fingerprint: 0, snapshot: 0 };
    const sightings: CapturedSighting[][] = [];
    const removals: StorageRemoval[][] = [];
    const pageUrls: [string, number][] = [];
    let tick: (() => void) | undefined;
    let cleared = false;
    const watch = new StorageWatch({
      page: {
        eval: async <T>(expression: string) => {
          if (expression === STORAGE_FINGERPRINT_EXPRESSION) calls.fingerprint++;
          else if (expression === STORAGE_SNAPSHOT_EXPRESSION) calls.snapshot++;
          else throw new Error('unexpected expression');
          return evaluateIn(page, expression) as T;
        },
      },
      onSightings: (s) => sightings.push(s),
      onRemoved: (r) => removals.push(r),
      onPageUrl: (url, time) => pageUrls.push([url, time]),
      now: () => clock.now,
      setTimer: (run) => {
        tick = run;
        return 'timer';
      },
      clearTimer: (handle) => {
        expect(handle).toBe('timer');
        cleared = true;
      },
    });
    return { watch, calls, sightings, removals, pageUrls, tick: () => tick?.(), isCleared: () => cleared };
  }

  it('reads the full snapshot only when the fingerprint changed', async () => {
    const page = newPage();
    const w = watchOver(page);
    await w.watch.snapshot();
    expect(w.calls).toEqual({ fingerprint: 1, snapshot: 1 });
    for (let i = 0; i < 5; i++) await w.watch.tick();
    expect(w.calls).toEqual({ fingerprint: 6, snapshot: 1 });

    page.session.items.set('oidc.user', JSON.stringify({ access_token: TOKENS.access1 }));
    await w.watch.tick();
    expect(w.calls).toEqual({ fingerprint: 7, snapshot: 2 });
    expect(w.sightings.flat().map((s) => [s.token, s.sighting.where, s.sighting.name])).toEqual([
      [TOKENS.access1, 'session-storage', 'oidc.user'],
    ]);
    await w.watch.tick();
    expect(w.calls.snapshot).toBe(2);
  });

  it('hands the page’s address of each full read to the OAuth flows (an authorization response may be in it)', async () => {
    const page = newPage();
    const w = watchOver(page);
    await w.watch.snapshot();
    page.url = 'https://app.example.com/callback?code=abc&state=s1';
    await w.watch.tick();
    await w.watch.tick();
    expect(w.pageUrls).toEqual([
      ['https://app.example.com/', T0_MS],
      ['https://app.example.com/callback?code=abc&state=s1', T0_MS],
    ]);
  });

  it('runs on its timer until stopped, and a tick never overlaps the previous one', async () => {
    const page = newPage();
    const w = watchOver(page);
    w.watch.start();
    page.local.items.set('t', TOKENS.access1);
    w.tick();
    w.tick(); // the first is still waiting for the page: this one is skipped
    await new Promise((r) => setTimeout(r, 0));
    await w.watch.snapshot();
    expect(w.calls.fingerprint).toBe(2);
    expect(w.sightings.flat().some((s) => s.token === TOKENS.access1)).toBe(true);
    w.watch.stop();
    expect(w.isCleared()).toBe(true);
  });

  it('reports storage that went away, within one origin only', async () => {
    const page = newPage('https://app.example.com/');
    const clock = { now: T0_MS };
    const w = watchOver(page, clock);
    page.session.items.set('oidc.user', JSON.stringify({ access_token: TOKENS.access1 }));
    page.cookie = `sid=${TOKENS.id1}`;
    await w.watch.snapshot();
    clock.now += 1000;
    page.session.items.delete('oidc.user');
    await w.watch.tick();
    expect(w.removals).toEqual([
      [{ token: TOKENS.access1, where: 'session-storage', name: 'oidc.user', url: 'https://app.example.com/', time: T0_MS + 1000 }],
    ]);

    // Another origin: what the first one holds is out of sight, not removed.
    page.url = 'https://other.example.net/';
    page.cookie = '';
    await w.watch.tick();
    expect(w.removals).toHaveLength(1);
  });

  it('reads everything again after reset (the panel was cleared)', async () => {
    const page = newPage();
    page.local.items.set('t', TOKENS.access1);
    const w = watchOver(page);
    await w.watch.snapshot();
    await w.watch.tick();
    expect(w.calls.snapshot).toBe(1);
    w.watch.reset();
    await w.watch.tick();
    expect(w.calls.snapshot).toBe(2);
    expect(w.sightings).toHaveLength(2);
  });

  it('reads nothing when the page gives no answer (navigating, or the evaluation threw)', async () => {
    let snapshots = 0;
    const watch = new StorageWatch({
      page: {
        eval: async (expression) => {
          if (expression === STORAGE_SNAPSHOT_EXPRESSION) snapshots++;
          return undefined;
        },
      },
      onSightings: () => {},
      onRemoved: () => {},
    });
    await watch.tick();
    await watch.tick();
    expect(snapshots).toBe(0);
  });
});

describe('sightings of the page URL', () => {
  it('reports tokens in the query and the fragment as url sightings named location, with their parameter', async () => {
    const other = await sign({ sub: 'route' });
    const snapshot = {
      url: `https://app.example.com/callback?code=x&id_token=${TOKENS.id1}#access_token=${TOKENS.access1}&state=s`,
      localStorage: [],
      sessionStorage: [],
      cookie: '',
    };
    const got = sightingsFromSnapshot(snapshot, T0_MS).map((s) => [s.token, s.sighting.where, s.sighting.name, s.field, s.sighting.url]);
    expect(got).toEqual([
      [TOKENS.id1, 'url', 'location', 'id_token', snapshot.url],
      [TOKENS.access1, 'url', 'location', 'access_token', snapshot.url],
    ]);
    const route = sightingsFromSnapshot({ ...snapshot, url: `https://app.example.com/app/${other}` }, T0_MS);
    expect(route.map((s) => [s.token, s.sighting.where, s.sighting.name])).toEqual([[other, 'url', 'location']]);
  });

  it('raises token-in-url on the token', () => {
    const store = new TokenStore({ now: () => T0_MS });
    store.ingest(
      sightingsFromSnapshot(
        { url: `https://app.example.com/#access_token=${TOKENS.access1}`, localStorage: [], sessionStorage: [], cookie: '' },
        T0_MS,
      ),
    );
    expect(store.get(TOKENS.access1)!.findings.map((f) => f.id)).toContain('token-in-url');
  });
});

describe('TokenStore: storage seen over time', () => {
  const snapshot = (url: string, session: [string, string][]) => ({ url, localStorage: [], sessionStorage: session, cookie: '' });

  it('keeps first and last seen of a storage sighting, one per origin however the route changes', () => {
    const store = new TokenStore({ now: () => T0_MS });
    store.ingest(sightingsFromSnapshot(snapshot('https://app.example.com/', [['u', TOKENS.access1]]), T0_MS));
    store.ingest(sightingsFromSnapshot(snapshot('https://app.example.com/orders?page=2', [['u', TOKENS.access1]]), T0_MS + 5000));
    const sightings = store.get(TOKENS.access1)!.sightings;
    expect(sightings).toHaveLength(1);
    expect(sightings[0]).toMatchObject({ time: T0_MS, lastSeen: T0_MS + 5000 });
    expect(store.get(TOKENS.access1)!.lastSeen).toBe(T0_MS + 5000);
  });

  it('marks a removed storage sighting, keeps its history and says so in the timeline', () => {
    const store = new TokenStore({ now: () => T0_MS + 10_000 });
    store.ingest(sightingsFromSnapshot(snapshot('https://app.example.com/', [['oidc.user', TOKENS.access1]]), T0_MS));
    const versionBefore = store.get(TOKENS.access1)!.version;
    expect(
      store.noteRemoved([
        { token: TOKENS.access1, where: 'session-storage', name: 'oidc.user', url: 'https://app.example.com/x', time: T0_MS + 1000 },
      ]),
    ).toBe(true);
    const record = store.get(TOKENS.access1)!;
    expect(record.version).toBeGreaterThan(versionBefore);
    expect(record.sightings).toHaveLength(1);
    expect(record.sightings[0]!.removedAt).toBe(T0_MS + 1000);
    expect(record.findings.map((f) => f.id)).toContain('web-storage');
    const removed = store.timeline().filter((e) => e.kind === 'removed');
    expect(removed).toEqual([
      {
        time: T0_MS + 1000,
        token: TOKENS.access1,
        kind: 'removed',
        detail: 'Removed from sessionStorage ("oidc.user") of https://app.example.com.',
      },
    ]);
    // Reported twice, removed once; unknown tokens and places change nothing.
    expect(
      store.noteRemoved([
        { token: TOKENS.access1, where: 'session-storage', name: 'oidc.user', url: 'https://app.example.com/', time: T0_MS + 2000 },
      ]),
    ).toBe(false);
    expect(
      store.noteRemoved([
        { token: TOKENS.id1, where: 'session-storage', name: 'oidc.user', url: 'https://app.example.com/', time: T0_MS + 2000 },
      ]),
    ).toBe(false);
    expect(
      store.noteRemoved([
        { token: TOKENS.access1, where: 'local-storage', name: 'oidc.user', url: 'https://app.example.com/', time: T0_MS + 2000 },
      ]),
    ).toBe(false);

    // Written back: present again, the removal stays in the timeline.
    store.ingest(sightingsFromSnapshot(snapshot('https://app.example.com/', [['oidc.user', TOKENS.access1]]), T0_MS + 3000));
    expect(store.get(TOKENS.access1)!.sightings[0]!.removedAt).toBeUndefined();
    expect(store.get(TOKENS.access1)!.sightings[0]!.lastSeen).toBe(T0_MS + 3000);
    expect(store.timeline().filter((e) => e.kind === 'removed')).toHaveLength(1);
    store.clear();
    expect(store.timeline()).toEqual([]);
  });

  it('originOf gives the origin of a page URL, or the URL itself when it has none', () => {
    expect(originOf('https://app.example.com:8443/a?b#c')).toBe('https://app.example.com:8443');
    expect(originOf('https://app.example.com')).toBe('https://app.example.com');
    expect(originOf('about:blank')).toBe('about:blank');
    expect(originOf('data:text/html,<p>?x')).toBe('data:text/html,<p>');
  });
});
