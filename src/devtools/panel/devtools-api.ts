// Everything the extension takes from the DevTools extension API, in one place: which namespace and which
// calling form each method is used in is decided here and nowhere else (HAR shapes are normalised in
// capture/har-normalize.ts); the fakes of component tests meet the panel at DevtoolsApi.
//
// The forms each supported browser answers, measured in a DevTools panel page (getHAR, a request's
// getContent, inspectedWindow.eval; README, "Browsers"):
//
// | browser                     | `browser` global        | `chrome.devtools.*(…, callback)`  | promise form (no callback)                    |
// |-----------------------------|-------------------------|-----------------------------------|-----------------------------------------------|
// | Chromium 150 (bookworm)     | none                    | answers, returns undefined        | `network.getHAR()` returns undefined          |
// | Chromium 156 (bookworm-sec) | native                  | answers, returns undefined        | answers; `eval()` resolves with the result    |
// | Firefox 153 ESR             | native, === `chrome`    | answers, returns undefined        | answers; `eval()` → [result, exceptionInfo],  |
// |                             |                         |                                   | `getContent()` → [body, mimeType]             |
//
// So every method is called in its callback form on `chrome.devtools`, which every supported browser
// answers; a promise the call returns as well would be taken too, whichever answers first. Only where no
// `chrome.devtools` exists (no measured browser) is `browser.devtools` called in its promise form.
// webextension-polyfill is not used here: it does not wrap `network.getHAR` (so on Chromium 150 its promise
// form is lost), and the requests its `onRequestFinished` wrapper hands over refuse a callback in `getContent`.
import type { HarEntry } from '../../capture/har-types';

/** A finished request as `onRequestFinished` hands it over: a HAR entry that can fetch its body. */
export type NetworkRequest = HarEntry & { getContent?: (callback?: (body: unknown, encoding?: unknown) => void) => unknown };

export interface DevtoolsApi {
  tabId: number;
  themeName: string;
  onRequestFinished(listener: (request: NetworkRequest) => void): void;
  onNavigated(listener: (url: string) => void): void;
  /** DevTools' log; rejects when the call failed (DevTools closing, Firefox still connecting its monitor). */
  getHAR(): Promise<NetworkRequest[]>;
  /**
   * Firefox: requests that start or finish while a getHAR() answer is built are lost from DevTools' log for
   * good, and from onRequestFinished too (its network monitor turns its store's updates off during the build).
   * The panel then reads the log only once (har-poll-schedule.ts, ONCE_HAR_POLL_POLICY).
   */
  getHarLosesConcurrentRequests?: boolean;
  getContent(request: NetworkRequest): Promise<string | undefined>;
  eval<T>(expression: string): Promise<T | undefined>;
}

interface ListenerEvent<T> {
  addListener(listener: (value: T) => void): void;
}

/** The part of `devtools.*` this extension calls, as both `chrome.devtools` and `browser.devtools` offer it. */
export interface DevtoolsNamespace {
  inspectedWindow: {
    tabId: number;
    eval(expression: string, callback?: (result: unknown, exceptionInfo: unknown) => void): unknown;
  };
  network: {
    getHAR(callback?: (log: unknown) => void): unknown;
    onRequestFinished: ListenerEvent<NetworkRequest>;
    onNavigated: ListenerEvent<string>;
  };
  panels: {
    themeName?: string;
    create(title: string, iconPath: string, pagePath: string, callback?: (panel: unknown) => void): unknown;
  };
}

/** Where the extension namespaces live: globalThis in the extension, a fake standing for a browser in unit tests. */
export interface ExtensionGlobals {
  chrome?: { devtools?: DevtoolsNamespace; runtime?: { lastError?: unknown } };
  browser?: { devtools?: DevtoolsNamespace };
}

type Form = 'callback' | 'promise';

/** The namespace to call and its form: `chrome.devtools` with callbacks wherever it exists. */
export function chooseDevtools(globals: ExtensionGlobals): { devtools: DevtoolsNamespace; form: Form } | undefined {
  try {
    if (globals.chrome?.devtools?.inspectedWindow) return { devtools: globals.chrome.devtools, form: 'callback' };
    if (globals.browser?.devtools?.inspectedWindow) return { devtools: globals.browser.devtools, form: 'promise' };
  } catch {
    // A namespace whose getter throws (an extension context being torn down) counts as absent.
  }
  return undefined;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return !!value && typeof (value as PromiseLike<unknown>).then === 'function';
}

/**
 * Calls `call` with a callback and takes its answer, or the answer of a promise the call returns: a browser
 * may answer either way (see the table above). A call that throws or rejects answers undefined.
 */
function answerOf<T>(
  globals: ExtensionGlobals,
  call: (callback: (...args: unknown[]) => void) => unknown,
  fromCallback: (...args: unknown[]) => T | undefined,
  fromPromise: (value: unknown) => T | undefined,
): Promise<T | undefined> {
  return new Promise((resolve) => {
    try {
      const returned = call((...args) => {
        // Reading lastError marks it handled: Chromium otherwise logs "Unchecked runtime.lastError".
        const failed = !!globals.chrome?.runtime?.lastError;
        resolve(failed ? undefined : fromCallback(...args));
      });
      if (isThenable(returned))
        returned.then(
          (value) => resolve(fromPromise(value)),
          () => resolve(undefined),
        );
    } catch {
      resolve(undefined);
    }
  });
}

const harEntries = (log: unknown): NetworkRequest[] => {
  // Every measured browser answers a log, empty or not, when the call works (Firefox a default empty one).
  if (log === undefined) throw new Error('DevTools gave no log');
  const entries = (log as { entries?: unknown } | null)?.entries;
  return Array.isArray(entries) ? (entries as NetworkRequest[]) : [];
};

/** Built for Firefox (`vite build --mode firefox`): the quirks of its DevTools API that the panel plans around. */
const FIREFOX_BUILD = import.meta.env.MODE === 'firefox';
const textBody = (body: unknown): string | undefined => (typeof body === 'string' ? body : undefined);

/** Whether this page runs as the DevTools panel (false when panel.html is opened as a plain tab). */
export function insideDevtools(globals: ExtensionGlobals = globalThis as ExtensionGlobals): boolean {
  return chooseDevtools(globals) !== undefined;
}

/**
 * Firefox connects its network monitor to the page on the first onRequestFinished listener or getHAR() of a
 * toolbox, and a getHAR() built while it connects loses the requests it is still taking in. The devtools page
 * (devtools.ts, loaded with the toolbox) listens from the start, so the monitor is connected long before the
 * panel is first shown and reads the log. Nothing is done with the events here.
 */
export function connectNetworkMonitorEarly(globals: ExtensionGlobals = globalThis as ExtensionGlobals): void {
  if (!FIREFOX_BUILD) return;
  try {
    chooseDevtools(globals)?.devtools.network.onRequestFinished.addListener(() => {});
  } catch {
    // No network namespace: the panel's own listener connects it later.
  }
}

/** Registers the extension's DevTools panel (devtools.ts): resolves once the browser has created it. */
export function createDevtoolsPanel(
  title: string,
  iconPath: string,
  pagePath: string,
  globals: ExtensionGlobals = globalThis as ExtensionGlobals,
): Promise<boolean> {
  const chosen = chooseDevtools(globals);
  if (!chosen) return Promise.resolve(false);
  const { devtools, form } = chosen;
  return answerOf(
    globals,
    (callback) =>
      form === 'callback' ? devtools.panels.create(title, iconPath, pagePath, callback) : devtools.panels.create(title, iconPath, pagePath),
    () => true,
    () => true,
  ).then((created) => created === true);
}

/**
 * The panel opened as a plain extension tab (`chrome-extension://<id>/src/devtools/panel.html`): there is no
 * inspected page, so no traffic, no storage and no navigation; imported capture files work as in DevTools.
 * `feed` hands over finished requests the way `onRequestFinished` does (bodies in `content.text`): in the
 * bench's build only, panel.tsx wires it to a same-page DOM event, which is how `npm run bench` drives the
 * real panel (see README).
 */
export function detachedDevtoolsApi(): DevtoolsApi & { feed(requests: readonly NetworkRequest[]): void } {
  const listeners: ((request: NetworkRequest) => void)[] = [];
  return {
    tabId: -1,
    themeName: 'default',
    onRequestFinished: (listener) => void listeners.push(listener),
    onNavigated: () => {},
    getHAR: async () => [],
    getContent: async () => undefined,
    eval: async () => undefined,
    feed(requests) {
      for (const request of requests) for (const listener of listeners) listener(request);
    },
  };
}

/**
 * Runs a fixed function (`functionSource`, a module constant) in the inspected page with `arg` as its
 * argument. The argument crosses as a JSON literal — data, never code — with U+2028/U+2029 escaped so
 * that no engine reads them as line ends inside a string.
 */
export function evalWith<T>(api: Pick<DevtoolsApi, 'eval'>, functionSource: string, arg: unknown): Promise<T | undefined> {
  const json = (JSON.stringify(arg) ?? 'null').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return api.eval<T>(`(${functionSource})(${json})`);
}

export function browserDevtoolsApi(globals: ExtensionGlobals = globalThis as ExtensionGlobals): DevtoolsApi {
  const chosen = chooseDevtools(globals);
  if (!chosen) throw new Error('No devtools namespace: this page is not a DevTools page.');
  const { devtools, form } = chosen;
  return {
    tabId: devtools.inspectedWindow.tabId,
    themeName: devtools.panels.themeName ?? 'default',
    getHarLosesConcurrentRequests: FIREFOX_BUILD,
    // The browser's own event: its requests keep the browser's own getContent, which takes a callback.
    onRequestFinished: (listener) => devtools.network.onRequestFinished.addListener(listener),
    onNavigated: (listener) => devtools.network.onNavigated.addListener(listener),
    async getHAR() {
      const log = await answerOf(
        globals,
        (callback) => (form === 'callback' ? devtools.network.getHAR(callback) : devtools.network.getHAR()),
        (log) => log,
        (log) => log,
      );
      return harEntries(log);
    },
    getContent(request) {
      const getContent = request.getContent;
      if (typeof getContent !== 'function') return Promise.resolve(undefined);
      return answerOf(
        globals,
        (callback) => (form === 'callback' ? getContent.call(request, callback) : getContent.call(request)),
        // Callback: (content, encoding). Promise: Firefox resolves with [content, mimeType].
        (body) => textBody(body),
        (answer) => textBody(Array.isArray(answer) ? answer[0] : answer),
      );
    },
    eval<T>(expression: string) {
      // The callback answers (result, exceptionInfo) everywhere. The promise forms disagree (Chromium's native
      // `browser` resolves with the result alone, Firefox with the pair), so it is used only without `chrome`.
      return answerOf<T>(
        globals,
        (callback) =>
          form === 'callback' ? devtools.inspectedWindow.eval(expression, callback) : devtools.inspectedWindow.eval(expression),
        (result, exception) => (exception ? undefined : (result as T)),
        (pair) => {
          const [result, exception] = Array.isArray(pair) ? pair : [undefined, true];
          return exception ? undefined : (result as T);
        },
      );
    },
  };
}
