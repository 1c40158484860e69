// The panel's start-up must not hang on the inspected page: devtools.inspectedWindow.eval answers only when
// the page's main thread runs the expression, and a page stuck in a loop (or a frozen tab) never calls back.
// No DevTools runs in Node: this DevtoolsApi stands in for browser.devtools, with an eval that never answers.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PanelController } from '../../src/devtools/panel/panel-controller';
import type { DevtoolsApi } from '../../src/devtools/panel/devtools-api';
import { STORAGE_SNAPSHOT_EXPRESSION } from '../../src/capture/storage-snapshot';
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
      eval: <T>() => {
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

  it('still takes a snapshot that answers after the 2 s wait', async () => {
    vi.useFakeTimers();
    const storedToken = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsYXRlIn0.c2lnbmF0dXJlLWxhdGUtc25hcHNob3Q';
    // Only the full snapshot is late; the storage watch's small fingerprint (src/capture/storage-watch.ts)
    // answers at once.
    const answers: ((snapshot: unknown) => void)[] = [];
    const api: DevtoolsApi = {
      tabId: 1,
      themeName: 'default',
      onRequestFinished: () => {},
      onNavigated: () => {},
      getHAR: async () => [],
      getContent: async () => undefined,
      eval: <T>(expression: string) =>
        expression === STORAGE_SNAPSHOT_EXPRESSION
          ? new Promise<T | undefined>((resolve) => void answers.push(resolve as (snapshot: unknown) => void))
          : Promise.resolve('an unchanging fingerprint' as T),
    };
    const controller = new PanelController(api, { verify: async () => ({ status: 'no-matching-key' }) }, { schedule: (run) => run() });
    const started = controller.start();
    await vi.advanceTimersByTimeAsync(2_000);
    await started;
    expect(controller.ready).toBe(true);
    expect(controller.store.get(storedToken)).toBeUndefined();

    answers[0]!({ url: 'https://app.example/', localStorage: [['access_token', storedToken]], sessionStorage: [], cookie: '' });
    await vi.advanceTimersByTimeAsync(10);
    expect(controller.store.get(storedToken)?.sightings.map((s) => s.sighting.where)).toEqual(['local-storage']);
    controller.stop();
  });
});
