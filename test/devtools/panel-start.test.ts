// The panel's start-up must not hang on the inspected page: devtools.inspectedWindow.eval answers only when
// the page's main thread runs the expression, and a page stuck in a loop (or a frozen tab) never calls back.
// No DevTools runs in Node: this DevtoolsApi stands in for browser.devtools, with an eval that never answers.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PanelController } from '../../src/devtools/panel/panel-controller';
import type { DevtoolsApi } from '../../src/devtools/panel/devtools-api';
import { harEntries } from './har-fixtures';

afterEach(() => void vi.useRealTimers());

describe('PanelController.start', () => {
  it('becomes ready with the network log when the storage snapshot never returns', async () => {
    vi.useFakeTimers();
    let evalCalls = 0;
    const api: DevtoolsApi = {
      tabId: 1,
      themeName: 'default',
      onRequestFinished: () => {},
      onNavigated: () => {},
      getHAR: async () => harEntries('chrome'),
      getContent: async () => undefined,
      eval: <T,>() => {
        evalCalls++;
        return new Promise<T | undefined>(() => {});
      },
    };
    const controller = new PanelController(api, { verify: async () => ({ status: 'no-matching-key' }) }, { schedule: (run) => run() });
    let started = false;
    void controller.start().then(() => (started = true));
    // SECURITY.md: "waits at most 2 s for the storage snapshot" — not done a millisecond before, done at 2 s.
    await vi.advanceTimersByTimeAsync(1_999);
    expect(started).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(evalCalls).toBe(1);
    expect(started).toBe(true);
    expect(controller.ready).toBe(true);
    expect(controller.store.size).toBeGreaterThan(0);
    controller.stop();
  });
});
