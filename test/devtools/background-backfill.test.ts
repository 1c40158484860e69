// The panel opening on a watched tab: the worker's background sightings come first, marked as such, and
// DevTools' own copy of a request the worker already reported adds nothing. No DevTools runs in Node: this
// DevtoolsApi stands in for browser.devtools; the background sightings are made by the worker's own code
// (src/background/capture/request-entry.ts) from webRequest-shaped details.
import { describe, expect, it } from 'vitest';
import { UnsecuredJWT } from 'jose';
import { PanelController } from '../../src/devtools/panel/panel-controller';
import type { DevtoolsApi, NetworkRequest } from '../../src/devtools/panel/devtools-api';
import { sightingsOfRequestHeaders } from '../../src/background/capture/request-entry';
import { MATCH_WINDOW_MS } from '../../src/devtools/panel/background-backfill';

const token = new UnsecuredJWT({ sub: 'before-devtools' }).encode();
const URL_ME = 'https://app.example/api/me';
const T0 = Date.parse('2026-12-06T10:00:00.000Z');

function harEntry(startedMs: number): NetworkRequest {
  return {
    startedDateTime: new Date(startedMs).toISOString(),
    request: { method: 'GET', url: URL_ME, headers: [{ name: 'Authorization', value: `Bearer ${token}` }] },
    response: { status: 200, headers: [] },
  } as unknown as NetworkRequest;
}

function panelWith(log: NetworkRequest[]) {
  let listener: ((r: NetworkRequest) => void) | undefined;
  const api: DevtoolsApi = {
    tabId: 5,
    themeName: 'default',
    onRequestFinished: (l) => void (listener = l),
    onNavigated: () => {},
    getHAR: async () => log,
    getContent: async () => undefined,
    eval: async () => undefined,
  };
  const background = sightingsOfRequestHeaders({
    requestId: '77',
    url: URL_ME,
    method: 'GET',
    tabId: 5,
    timeStamp: T0 + 4,
    requestHeaders: [{ name: 'Authorization', value: `Bearer ${token}` }],
  });
  const controller = new PanelController(
    api,
    { verify: async () => ({ status: 'no-matching-key' }) },
    { schedule: (run) => run(), backgroundSightings: async () => background },
  );
  return { controller, finish: (r: NetworkRequest) => listener!(r) };
}

describe('the panel backfill from background capture', () => {
  it('takes the tab background sightings first, marked source background', async () => {
    const { controller } = panelWith([]);
    await controller.start();
    const sightings = controller.store.get(token)!.sightings;
    expect(sightings.map((s) => [s.sighting.where, s.source])).toEqual([['authorization-header', 'background']]);
    controller.stop();
  });

  it('drops DevTools copy of the same request, and counts a later one', async () => {
    // DevTools opened a moment before the panel asked: its log holds the request the worker also saw.
    const { controller, finish } = panelWith([harEntry(T0)]);
    await controller.start();
    expect(controller.store.get(token)!.sightings).toHaveLength(1);
    finish(harEntry(T0));
    controller.flush();
    expect(controller.store.get(token)!.sightings).toHaveLength(1);
    // The same call made again later is a new request.
    finish(harEntry(T0 + MATCH_WINDOW_MS + 5000));
    controller.flush();
    expect(controller.store.get(token)!.sightings.map((s) => s.source ?? 'devtools')).toEqual(['background', 'devtools']);
    controller.stop();
  });
});
