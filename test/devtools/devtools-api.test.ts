import { describe, expect, it } from 'vitest';
import {
  browserDevtoolsApi,
  chooseDevtools,
  createDevtoolsPanel,
  insideDevtools,
  type DevtoolsNamespace,
  type ExtensionGlobals,
  type NetworkRequest,
} from '../../src/devtools/panel/devtools-api';
import { harEntries } from './har-fixtures';

// No DevTools runs in Node. These fakes stand for the measured behaviour of each browser's DevTools panel
// page, as documented in the table at the top of src/devtools/panel/devtools-api.ts (README, "Browsers"):
// which globals exist, which calls answer through a callback, which return a promise, and what they carry.
// The real browsers are exercised by the end-to-end panel tests on Chromium 150, 156 and Firefox 153.

const BODY = '{"access_token":"from the body"}';
const PAGE_RESULT = { localStorage: { k: 'v' } };
const later = (run: () => void) => void setTimeout(run, 0);

interface Behaviour {
  /** The callback forms answer (every measured browser). */
  callbacks: true;
  /** What a promise-form call (no callback) returns. */
  promises: 'none' | 'chromium' | 'firefox';
}

/** A request as the browser's own onRequestFinished hands it over. */
function request(behaviour: Behaviour, body: string): NetworkRequest {
  const [entry] = harEntries('chrome');
  return Object.assign(structuredClone(entry!), {
    getContent(callback?: (body: unknown, encoding: unknown) => void) {
      if (callback) return void later(() => callback(body, ''));
      if (behaviour.promises === 'none') return undefined;
      // Chromium resolves with the body; Firefox with [body, mimeType].
      return Promise.resolve(behaviour.promises === 'firefox' ? [body, 'application/json'] : body);
    },
  });
}

function fakeDevtools(behaviour: Behaviour, calls: string[]): DevtoolsNamespace & { finish(r: NetworkRequest): void } {
  const finished: ((r: NetworkRequest) => void)[] = [];
  const log = { entries: harEntries('chrome').slice(0, 3) };
  return {
    inspectedWindow: {
      tabId: 7,
      eval(expression: string, callback?: (result: unknown, exceptionInfo: unknown) => void) {
        calls.push(callback ? 'eval(callback)' : 'eval()');
        const fails = expression.includes('throw');
        const exception = fails ? { isException: true, value: 'Error' } : undefined;
        const result = fails ? undefined : PAGE_RESULT;
        if (callback) return void later(() => callback(result, exception));
        if (behaviour.promises === 'none') return undefined;
        // Chromium's native `browser` resolves with the result alone, Firefox with the pair.
        return Promise.resolve(behaviour.promises === 'firefox' ? [result, exception] : result);
      },
    },
    network: {
      getHAR(callback?: (log: unknown) => void) {
        calls.push(callback ? 'getHAR(callback)' : 'getHAR()');
        if (callback) return void later(() => callback(structuredClone(log)));
        if (behaviour.promises === 'none') return undefined;
        return Promise.resolve(structuredClone(log));
      },
      onRequestFinished: { addListener: (l: (r: NetworkRequest) => void) => void finished.push(l) },
      onNavigated: { addListener: () => {} },
    },
    panels: {
      themeName: 'dark',
      create(title: string, _icon: string, _page: string, callback?: (panel: unknown) => void) {
        calls.push(callback ? `create(${title}, callback)` : `create(${title})`);
        if (callback) return void later(() => callback({}));
        return behaviour.promises === 'none' ? undefined : Promise.resolve({});
      },
    },
    finish: (r) => {
      for (const l of finished) l(r);
    },
  };
}

/** Chromium 150 (bookworm main): no `browser` global; only the callback forms answer. */
function chromium150(calls: string[]) {
  const devtools = fakeDevtools({ callbacks: true, promises: 'none' }, calls);
  return {
    globals: { chrome: { devtools, runtime: {} } } satisfies ExtensionGlobals,
    devtools,
    behaviour: { callbacks: true, promises: 'none' } as Behaviour,
  };
}

/** Chromium 156 (bookworm-security): a native `browser` beside `chrome`; both forms answer. */
function chromium156(calls: string[]) {
  const devtools = fakeDevtools({ callbacks: true, promises: 'chromium' }, calls);
  return {
    globals: { chrome: { devtools, runtime: {} }, browser: { devtools } } satisfies ExtensionGlobals,
    devtools,
    behaviour: { callbacks: true, promises: 'chromium' } as Behaviour,
  };
}

/** Firefox 153 ESR: `browser` and `chrome` are one object; both forms answer, promises with pairs. */
function firefox153(calls: string[]) {
  const devtools = fakeDevtools({ callbacks: true, promises: 'firefox' }, calls);
  const namespace = { devtools, runtime: {} };
  return {
    globals: { chrome: namespace, browser: namespace } satisfies ExtensionGlobals,
    devtools,
    behaviour: { callbacks: true, promises: 'firefox' } as Behaviour,
  };
}

/** No measured browser: only `browser.devtools`, answering as Firefox's promise forms do (the fallback path). */
function promiseOnly(calls: string[]) {
  const devtools = fakeDevtools({ callbacks: true, promises: 'firefox' }, calls);
  return {
    globals: { browser: { devtools } } satisfies ExtensionGlobals,
    devtools,
    behaviour: { callbacks: true, promises: 'firefox' } as Behaviour,
  };
}

const BROWSERS = { 'Chromium 150': chromium150, 'Chromium 156': chromium156, 'Firefox 153': firefox153 } as const;

describe.each(Object.entries(BROWSERS))('DevTools API calls on %s', (_name, browser) => {
  it('chooses chrome.devtools and its callback forms', () => {
    const { globals } = browser([]);
    expect(chooseDevtools(globals)?.form).toBe('callback');
    expect(insideDevtools(globals)).toBe(true);
  });

  it('reads the HAR log, request bodies and the page through callbacks', async () => {
    const calls: string[] = [];
    const { globals, devtools, behaviour } = browser(calls);
    const api = browserDevtoolsApi(globals);
    expect(api.tabId).toBe(7);
    expect(api.themeName).toBe('dark');
    expect(await api.getHAR()).toHaveLength(3);
    expect(await api.eval('snapshot()')).toEqual(PAGE_RESULT);
    expect(await api.eval('throw 1')).toBeUndefined();

    const bodies: (string | undefined)[] = [];
    api.onRequestFinished((r) => void api.getContent(r).then((b) => bodies.push(b)));
    devtools.finish(request(behaviour, BODY));
    await expect.poll(() => bodies).toEqual([BODY]);
    expect(calls).toEqual(['getHAR(callback)', 'eval(callback)', 'eval(callback)']);
  });

  it('creates the panel with a callback', async () => {
    const calls: string[] = [];
    const { globals } = browser(calls);
    expect(await createDevtoolsPanel('JWT', '/icon.png', '/panel.html', globals)).toBe(true);
    expect(calls).toEqual(['create(JWT, callback)']);
  });
});

describe('DevTools API calls without chrome.devtools', () => {
  it('uses browser.devtools in its promise forms, Firefox-shaped answers included', async () => {
    const calls: string[] = [];
    const { globals, devtools, behaviour } = promiseOnly(calls);
    expect(chooseDevtools(globals)?.form).toBe('promise');
    const api = browserDevtoolsApi(globals);
    expect(await api.getHAR()).toHaveLength(3);
    expect(await api.eval('snapshot()')).toEqual(PAGE_RESULT);
    expect(await api.eval('throw 1')).toBeUndefined();
    const bodies: (string | undefined)[] = [];
    api.onRequestFinished((r) => void api.getContent(r).then((b) => bodies.push(b)));
    devtools.finish(request({ ...behaviour, promises: 'firefox' }, BODY));
    await expect.poll(() => bodies).toEqual([BODY]);
    expect(await createDevtoolsPanel('JWT', '/icon.png', '/panel.html', globals)).toBe(true);
    expect(calls).toEqual(['getHAR()', 'eval()', 'eval()', 'create(JWT)']);
  });

  it('is not inside DevTools when neither namespace has devtools (panel.html opened as a tab)', async () => {
    const tab: ExtensionGlobals = { chrome: { runtime: {} }, browser: {} };
    expect(insideDevtools(tab)).toBe(false);
    expect(() => browserDevtoolsApi(tab)).toThrow(/not a DevTools page/);
    expect(await createDevtoolsPanel('JWT', '/icon.png', '/panel.html', tab)).toBe(false);
  });
});

describe('answers that fail', () => {
  it('a callback with runtime.lastError set, a throwing call and a request without getContent answer undefined (getHAR rejects)', async () => {
    const { globals, devtools } = chromium150([]);
    const api = browserDevtoolsApi(globals);
    globals.chrome.runtime = { lastError: { message: 'Inspected frame has gone' } } as never;
    expect(await api.eval('snapshot()')).toBeUndefined();
    await expect(api.getHAR()).rejects.toThrow(/no log/);
    globals.chrome.runtime = {} as never;
    devtools.network.getHAR = () => {
      throw new Error('DevTools is closing');
    };
    await expect(api.getHAR()).rejects.toThrow(/no log/);
    const [entry] = harEntries('chrome');
    expect(await api.getContent(entry!)).toBeUndefined();
  });

  it('a browser that answers both ways settles once, with the first answer', async () => {
    const { globals, devtools } = chromium156([]);
    devtools.network.getHAR = (callback?: (log: unknown) => void) => {
      later(() => callback?.({ entries: [] }));
      return Promise.resolve({ entries: harEntries('chrome').slice(0, 1) });
    };
    expect(await browserDevtoolsApi(globals).getHAR()).toHaveLength(1);
  });
});
