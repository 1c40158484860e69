// Everything the panel takes from browser.devtools, in one place: the differences between Chrome and Firefox
// (HAR shapes are normalised in capture/har-normalize.ts) and the fakes of component tests meet here.
import browser from 'webextension-polyfill';
import type { HarEntry } from '../capture/har-types';

/** A finished request as `onRequestFinished` hands it over: a HAR entry that can fetch its body. */
export type NetworkRequest = HarEntry & { getContent?: () => Promise<[string | null, string]> | void };

export interface DevtoolsApi {
  tabId: number;
  themeName: string;
  onRequestFinished(listener: (request: NetworkRequest) => void): void;
  onNavigated(listener: (url: string) => void): void;
  getHAR(): Promise<NetworkRequest[]>;
  getContent(request: NetworkRequest): Promise<string | undefined>;
  eval<T>(expression: string): Promise<T | undefined>;
}

interface CallbackEval {
  eval(expression: string, callback: (result: unknown, exceptionInfo: unknown) => void): void;
}

/** Whether this page runs as the DevTools panel (false when panel.html is opened as a plain tab). */
export function insideDevtools(): boolean {
  try {
    return !!(browser as unknown as { devtools?: { inspectedWindow?: unknown } }).devtools?.inspectedWindow;
  } catch {
    return false;
  }
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

export function browserDevtoolsApi(): DevtoolsApi {
  const devtools = browser.devtools;
  return {
    tabId: devtools.inspectedWindow.tabId,
    themeName: (devtools.panels as unknown as { themeName?: string }).themeName ?? 'default',
    onRequestFinished: (listener) => devtools.network.onRequestFinished.addListener(listener as never),
    onNavigated: (listener) => devtools.network.onNavigated.addListener(listener),
    async getHAR() {
      const log = (await devtools.network.getHAR()) as unknown as { entries?: NetworkRequest[] };
      return log?.entries ?? [];
    },
    getContent(request) {
      // One call serves both browsers: Chrome answers through the callback, Firefox through the promise.
      return new Promise((resolve) => {
        const take = (body: unknown) => resolve(typeof body === 'string' ? body : undefined);
        try {
          const getContent = request.getContent as unknown as ((cb: (body: unknown) => void) => unknown) | undefined;
          if (typeof getContent !== 'function') return resolve(undefined);
          const returned = getContent.call(request, take);
          if (returned && typeof (returned as Promise<unknown>).then === 'function') {
            (returned as Promise<unknown>).then((r) => take(Array.isArray(r) ? r[0] : r), () => resolve(undefined));
          }
        } catch {
          resolve(undefined);
        }
      });
    },
    eval<T>(expression: string) {
      // The callback form answers (result, exceptionInfo) in both browsers. The promise form does not agree:
      // Chrome's native `browser` resolves with the result alone, Firefox and the polyfill with the pair.
      const callbackApi = (globalThis as { chrome?: { devtools?: { inspectedWindow?: CallbackEval } } }).chrome?.devtools?.inspectedWindow;
      return new Promise<T | undefined>((resolve) => {
        try {
          if (callbackApi) callbackApi.eval(expression, (result, exception) => resolve(exception ? undefined : (result as T)));
          else
            (devtools.inspectedWindow.eval(expression) as unknown as Promise<[T, unknown]>).then(
              ([result, exception]) => resolve(exception ? undefined : result),
              () => resolve(undefined),
            );
        } catch {
          resolve(undefined);
        }
      });
    },
  };
}
