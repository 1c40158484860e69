import { describe, expect, it } from 'vitest';
import { PanelController } from '../../src/devtools/panel/panel-controller';
import { HAR_POLL_POLICY } from '../../src/capture/har-poll-schedule';
import type { DevtoolsApi, NetworkRequest } from '../../src/devtools/panel/devtools-api';
import { FakePollTimers } from './fake-poll-timers';
import { entry, T0, TOKENS } from './har-fixtures';

const P = HAR_POLL_POLICY;
/** The bound for reconciling (issue 13, part 5), written out rather than read from the policy. */
const SHARE_OF_A_CORE = 0.02;
/** What a getHAR() call costs per entry on the fake clock (measured in Chromium 156: README, "Performance"). */
const COST_PER_ENTRY_MS = 0.1;

// No DevTools runs in Node: this DevtoolsApi is DevTools' network log as the panel sees it, a list of
// entries that getHAR() copies out (costing time on the fake clock, in proportion to the log's length) and
// events the test fires. The real one is driven by the Chromium panel tests and `npm run bench` (idle-cpu).
function fakeDevtools(timers: FakePollTimers) {
  let log: NetworkRequest[] = [];
  let finished: ((r: NetworkRequest) => void) | undefined;
  let navigated: ((url: string) => void) | undefined;
  const calls: { at: number; entries: number }[] = [];
  const api: DevtoolsApi = {
    tabId: 1,
    themeName: 'default',
    onRequestFinished: (l) => (finished = l),
    onNavigated: (l) => (navigated = l),
    async getHAR() {
      calls.push({ at: timers.now(), entries: log.length });
      timers.spend(log.length * COST_PER_ENTRY_MS);
      // Each call hands over new objects, as DevTools does.
      return log.map((e) => ({ ...e, request: { ...e.request }, response: { ...e.response } }));
    },
    getContent: async () => undefined,
    eval: async () => undefined,
  };
  return {
    api,
    calls,
    /** A request the page made that DevTools reports as finished. */
    finish(e: NetworkRequest) {
      log.push(e);
      finished?.(e);
    },
    /** A request in the log that never fires onRequestFinished (an unread no-store response). */
    logSilently(e: NetworkRequest) {
      log.push(e);
    },
    navigate() {
      log = [];
      navigated?.('https://app.example/next');
    },
  };
}

function apiCall(i: number, token: string): NetworkRequest {
  return entry({ url: `https://api.example/items?page=${i}`, time: T0 + i / 100, requestHeaders: [['authorization', `Bearer ${token}`]] });
}

function noStoreLogout(i: number, token: string): NetworkRequest {
  return entry({
    url: `https://idp.example/logout?id_token_hint=${token}`,
    time: T0 + i / 100,
    responseHeaders: [['cache-control', 'no-store']],
  });
}

async function started(sessionLength: number) {
  const timers = new FakePollTimers();
  const devtools = fakeDevtools(timers);
  for (let i = 0; i < sessionLength; i++) devtools.logSilently(apiCall(i, TOKENS.access1));
  const controller = new PanelController(
    devtools.api,
    { verify: () => new Promise(() => {}) },
    { schedule: (run) => run(), pollTimers: timers },
  );
  await controller.start();
  return { timers, devtools, controller };
}

/** Milliseconds of getHAR() calls that began in [from, to). */
function costBetween(calls: { at: number; entries: number }[], from: number, to: number): number {
  return calls.filter((c) => c.at >= from && c.at < to).reduce((sum, c) => sum + c.entries * COST_PER_ENTRY_MS, 0);
}

describe('PanelController: reconciling with getHAR() in a long session', () => {
  it('reads the log once on opening, then spends at most 2 % of the time in getHAR() while idle', async () => {
    const { timers, devtools, controller } = await started(8000);
    expect(controller.store.get(TOKENS.access1)).toBeDefined();
    expect(devtools.calls).toHaveLength(1);
    const from = timers.now();
    await timers.advance(10 * 60_000);
    const spent = costBetween(devtools.calls, from, timers.now());
    // Polling every second, as the panel used to, spends 80 % here (800 ms a call).
    expect(spent / (timers.now() - from)).toBeLessThanOrEqual(SHARE_OF_A_CORE);
    expect(devtools.calls.length).toBeGreaterThan(1);
    controller.stop();
  });

  it('keeps the time in getHAR() near 2 % while the page keeps making requests', async () => {
    const { timers, devtools, controller } = await started(4000);
    const from = timers.now();
    for (let i = 0; i < 2000; i++) {
      devtools.finish(apiCall(4000 + i, TOKENS.access1));
      await timers.advance(300);
    }
    const spent = costBetween(devtools.calls, from, timers.now());
    expect(spent / (timers.now() - from)).toBeLessThanOrEqual(SHARE_OF_A_CORE + 0.002);
    controller.stop();
  });

  it('still catches an unread no-store request no event announces, within the quiet bound', async () => {
    const { timers, devtools, controller } = await started(8000);
    await timers.advance(5 * 60_000);
    devtools.logSilently(noStoreLogout(9000, TOKENS.id1));
    const at = timers.now();
    await timers.advance(P.quietMaxMs + 8001 * COST_PER_ENTRY_MS);
    const sighting = controller.store.get(TOKENS.id1);
    expect(sighting, `found within ${P.quietMaxMs / 1000} s`).toBeDefined();
    const caughtBy = devtools.calls.find((c) => c.at >= at && c.entries === 8001);
    expect(caughtBy).toBeDefined();
    controller.stop();
  });

  it('polls soon after a navigation, and at the shortest interval while the new log is small', async () => {
    const { timers, devtools, controller } = await started(8000);
    devtools.finish(apiCall(8000, TOKENS.access1));
    await timers.advance(2000);
    const before = devtools.calls.length;
    devtools.navigate();
    devtools.finish(apiCall(1, TOKENS.access2));
    devtools.logSilently(noStoreLogout(2, TOKENS.refresh2));
    await timers.advance(P.minMs);
    expect(devtools.calls.length).toBeGreaterThan(before);
    expect(controller.store.get(TOKENS.refresh2)).toBeDefined();
    controller.stop();
  });

  it('an unchanged poll passes nothing on', async () => {
    const { controller } = await started(8000);
    await expect(controller.pollHar()).resolves.toEqual({ changed: false });
    controller.stop();
  });
});
