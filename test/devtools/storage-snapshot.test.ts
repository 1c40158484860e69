import { describe, it, expect } from 'vitest';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import {
  SNAPSHOT_MAX_ITEMS,
  SNAPSHOT_MAX_VALUE_CHARS,
  STORAGE_SNAPSHOT_EXPRESSION,
  sightingsFromSnapshot,
  type StorageSnapshot,
} from '../../src/capture/storage-snapshot';
import type { CapturedSighting } from '../../src/capture/sightings-from-entry';
import { TOKENS, T0_MS } from './har-fixtures';

/** A Storage with the methods the expression uses. */
class FakeStorage {
  private readonly items: [string, string][];
  constructor(entries: Record<string, string>) {
    this.items = Object.entries(entries);
  }
  get length(): number {
    return this.items.length;
  }
  key(i: number): string | null {
    return this.items[i]?.[0] ?? null;
  }
  getItem(key: string): string | null {
    return this.items.find(([k]) => k === key)?.[1] ?? null;
  }
}

interface Page {
  url?: string;
  localStorage?: unknown;
  sessionStorage?: unknown;
  cookie?: string | (() => string);
}

// No browser runs in unit tests: a node:vm context with a fake window, document and location stands in for
// the inspected page that devtools.inspectedWindow.eval would evaluate the expression in.
function evaluateInPage(page: Page): StorageSnapshot {
  const window: Record<string, unknown> = {};
  Object.defineProperty(window, 'localStorage', {
    get: () => {
      if (page.localStorage instanceof Error) throw page.localStorage;
      return page.localStorage;
    },
  });
  Object.defineProperty(window, 'sessionStorage', {
    get: () => {
      if (page.sessionStorage instanceof Error) throw page.sessionStorage;
      return page.sessionStorage;
    },
  });
  const document = {};
  Object.defineProperty(document, 'cookie', {
    get: () => (typeof page.cookie === 'function' ? page.cookie() : (page.cookie ?? '')),
  });
  const context = { window, document, location: { href: page.url ?? 'https://app.example.com/' } };
  // Structured cloning across the DevTools boundary is JSON-like; so is this round trip.
  return JSON.parse(JSON.stringify(runInNewContext(STORAGE_SNAPSHOT_EXPRESSION, context))) as StorageSnapshot;
}

function storageSighting(token: string, where: CapturedSighting['sighting']['where'], name: string, field?: string): CapturedSighting {
  const c: CapturedSighting = {
    token,
    sighting: { where, url: 'https://app.example.com/', name },
    time: T0_MS,
    requestUrl: 'https://app.example.com/',
  };
  if (field !== undefined) c.field = field;
  return c;
}

describe('STORAGE_SNAPSHOT_EXPRESSION', () => {
  it('is a self-contained expression returning the page URL, both storages and document.cookie', () => {
    const snapshot = evaluateInPage({
      url: 'https://app.example.com/home',
      localStorage: new FakeStorage({ a: '1', b: '2' }),
      sessionStorage: new FakeStorage({ s: 'x' }),
      cookie: 'theme=dark; lang=en',
    });
    expect(snapshot).toEqual({
      url: 'https://app.example.com/home',
      localStorage: [
        ['a', '1'],
        ['b', '2'],
      ],
      sessionStorage: [['s', 'x']],
      cookie: 'theme=dark; lang=en',
    });
  });

  it('reads at most SNAPSHOT_MAX_ITEMS items and cuts long values, flagging the cut', () => {
    const many = Object.fromEntries(Array.from({ length: SNAPSHOT_MAX_ITEMS + 100 }, (_, i) => [`k${i}`, `v${i}`]));
    const snapshot = evaluateInPage({
      localStorage: new FakeStorage(many),
      sessionStorage: new FakeStorage({ big: 'x'.repeat(SNAPSHOT_MAX_VALUE_CHARS + 5) }),
    });
    expect(snapshot.localStorage).toHaveLength(SNAPSHOT_MAX_ITEMS);
    expect(snapshot.sessionStorage[0]![1]).toHaveLength(SNAPSHOT_MAX_VALUE_CHARS);
    expect(snapshot.sessionStorage[0]![2]).toBe(true);
  });

  it('survives storage that throws (sandboxed frames, storage disabled) and keeps what it can read', () => {
    const snapshot = evaluateInPage({
      localStorage: new Error('SecurityError: The operation is insecure.'),
      sessionStorage: {
        length: 2,
        key: () => {
          throw new Error('nope');
        },
        getItem: () => 'x',
      },
      cookie: () => {
        throw new Error('cookie access denied');
      },
    });
    expect(snapshot).toEqual({ url: 'https://app.example.com/', localStorage: [], sessionStorage: [], cookie: '' });
  });

  it('works without any storage at all', () => {
    expect(evaluateInPage({})).toEqual({ url: 'https://app.example.com/', localStorage: [], sessionStorage: [], cookie: '' });
  });
});

describe('sightingsFromSnapshot', () => {
  it('finds raw, JSON-wrapped and "Bearer"-prefixed tokens in storage and each token cookie of document.cookie', () => {
    const snapshot = evaluateInPage({
      localStorage: new FakeStorage({
        'CognitoIdentityServiceProvider.abc.alice.idToken': TOKENS.id1,
        '@@auth0spajs@@::spa::default': JSON.stringify({
          body: { access_token: TOKENS.access1, refresh_token: TOKENS.refresh1 },
          expiresAt: 1,
        }),
        theme: 'dark',
      }),
      sessionStorage: new FakeStorage({ authHeader: `Bearer ${TOKENS.session}` }),
      cookie: `theme=dark; at=${TOKENS.ffAccess}; csrf=${TOKENS.ffEmbedded}`,
    });
    expect(sightingsFromSnapshot(snapshot, T0_MS)).toEqual([
      storageSighting(TOKENS.ffAccess, 'document-cookie', 'at'),
      storageSighting(TOKENS.ffEmbedded, 'document-cookie', 'csrf'),
      storageSighting(TOKENS.id1, 'local-storage', 'CognitoIdentityServiceProvider.abc.alice.idToken'),
      storageSighting(TOKENS.access1, 'local-storage', '@@auth0spajs@@::spa::default', 'access_token'),
      storageSighting(TOKENS.refresh1, 'local-storage', '@@auth0spajs@@::spa::default', 'refresh_token'),
      storageSighting(TOKENS.session, 'session-storage', 'authHeader'),
    ]);
  });

  it('reports each (token, where, name) once', () => {
    const snapshot: StorageSnapshot = {
      url: 'https://app.example.com/',
      localStorage: [
        ['t', TOKENS.access1],
        ['t', TOKENS.access1],
      ],
      sessionStorage: [],
      cookie: `a=${TOKENS.access1}; a=${TOKENS.access1}`,
    };
    expect(sightingsFromSnapshot(snapshot, 1).map((s) => [s.sighting.where, s.sighting.name])).toEqual([
      ['document-cookie', 'a'],
      ['local-storage', 't'],
    ]);
  });

  it('drops a token that a cut value may have shortened, keeps one before the cut', () => {
    const value = `${TOKENS.access1} ${'x'.repeat(SNAPSHOT_MAX_VALUE_CHARS - TOKENS.access1.length - 40)}${TOKENS.refresh1}`.slice(
      0,
      SNAPSHOT_MAX_VALUE_CHARS,
    );
    const snapshot: StorageSnapshot = {
      url: 'https://app.example.com/',
      localStorage: [['blob', value, true]],
      sessionStorage: [],
      cookie: '',
    };
    expect(sightingsFromSnapshot(snapshot, 1).map((s) => s.token)).toEqual([TOKENS.access1]);
    const cookieCut: StorageSnapshot = {
      url: '',
      localStorage: [],
      sessionStorage: [],
      cookie: `a=${TOKENS.access1}; b=${TOKENS.refresh1.slice(0, 50)}`,
      cookieTruncated: true,
    };
    expect(sightingsFromSnapshot(cookieCut, 1).map((s) => s.sighting.name)).toEqual(['a']);
  });

  it("ignores whatever is not of the snapshot's shape, and never throws (property)", () => {
    expect(sightingsFromSnapshot(null, 1)).toEqual([]);
    expect(sightingsFromSnapshot({ localStorage: [[1, TOKENS.access1], 'x', [TOKENS.access1]] }, 1)).toEqual([]);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record({
            url: fc.anything(),
            localStorage: fc.array(fc.oneof(fc.tuple(fc.string(), fc.oneof(fc.string(), fc.constant(TOKENS.access1))), fc.anything())),
            sessionStorage: fc.anything(),
            cookie: fc.oneof(fc.string(), fc.anything()),
          }),
        ),
        fc.anything(),
        (snapshot, time) => {
          expect(Array.isArray(sightingsFromSnapshot(snapshot, time as number))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
