// Preserve log off: a navigation clears the panel, yet the new document's own requests stay. DevTools can
// report the navigation after those requests (seen in Firefox under load), so they must come back: from
// DevTools' log, which after a navigation holds only the new page, or where the log is read once (Firefox),
// from the requests the panel kept since the new document's own. No DevTools runs in Node: this DevtoolsApi
// stands in for browser.devtools, with a log and events the test controls.
import { describe, expect, it } from 'vitest';
import { PanelController } from '../../src/devtools/panel/panel-controller';
import type { DevtoolsApi, NetworkRequest } from '../../src/devtools/panel/devtools-api';
import { entry, sign, T0 } from './har-fixtures';

describe('a navigation with Preserve log off', () => {
  it('keeps the new page’s requests that DevTools reported before the navigation itself', async () => {
    const [oldToken, newToken] = await Promise.all([sign({ sub: 'old-page', exp: T0 + 600 }), sign({ sub: 'new-page', exp: T0 + 600 })]);
    const call = (token: string, t: number) =>
      entry({ url: 'https://app.example/api', time: t, requestHeaders: [['authorization', `Bearer ${token}`]] }) as NetworkRequest;
    let log: NetworkRequest[] = [];
    let finished: (r: NetworkRequest) => void = () => {};
    let navigated: (url: string) => void = () => {};
    const api: DevtoolsApi = {
      tabId: 1,
      themeName: 'default',
      onRequestFinished: (l) => void (finished = l),
      onNavigated: (l) => void (navigated = l),
      getHAR: async () => log,
      getContent: async () => undefined,
      eval: async () => undefined,
    };
    const controller = new PanelController(api, { verify: async () => ({ status: 'no-matching-key' }) }, { schedule: (run) => run() });
    await controller.start();
    controller.preserveLog = false;

    const before = call(oldToken, T0);
    log = [before];
    finished(before);
    expect(controller.store.get(oldToken)).toBeDefined();

    // The new document's request is reported first, then the navigation; DevTools' log now holds only it.
    const after = call(newToken, T0 + 5);
    finished(after);
    log = [after];
    navigated('https://app.example/next');
    await controller.pollHar();
    controller.flush();

    expect(controller.store.get(oldToken), 'the old page is cleared').toBeUndefined();
    expect(controller.store.get(newToken), 'the new page keeps its request').toBeDefined();
    controller.stop();
  });

  it('where the log is read once (Firefox), keeps them from the requests since the new document’s own', async () => {
    const [oldToken, newToken] = await Promise.all([sign({ sub: 'old-page', exp: T0 + 600 }), sign({ sub: 'new-page', exp: T0 + 600 })]);
    const call = (token: string, t: number) =>
      entry({ url: 'https://app.example/api', time: t, requestHeaders: [['authorization', `Bearer ${token}`]] }) as NetworkRequest;
    let finished: (r: NetworkRequest) => void = () => {};
    let navigated: (url: string) => void = () => {};
    let harCalls = 0;
    const api: DevtoolsApi = {
      tabId: 1,
      themeName: 'default',
      getHarLosesConcurrentRequests: true,
      onRequestFinished: (l) => void (finished = l),
      onNavigated: (l) => void (navigated = l),
      getHAR: async () => {
        harCalls++;
        return [];
      },
      getContent: async () => undefined,
      eval: async () => undefined,
    };
    const controller = new PanelController(api, { verify: async () => ({ status: 'no-matching-key' }) }, { schedule: (run) => run() });
    await controller.start();
    controller.preserveLog = false;
    finished(entry({ url: 'https://app.example/', time: T0 }) as NetworkRequest);
    finished(call(oldToken, T0 + 1));

    // The new document and its request are reported first, then the navigation.
    finished(entry({ url: 'https://app.example/next', time: T0 + 4 }) as NetworkRequest);
    finished(call(newToken, T0 + 5));
    navigated('https://app.example/next');
    controller.flush();

    expect(controller.store.get(oldToken), 'the old page is cleared').toBeUndefined();
    expect(controller.store.get(newToken), 'the new page keeps its request').toBeDefined();
    expect(harCalls, 'the log was read once, when the panel opened').toBe(1);
    controller.stop();
  });
});
