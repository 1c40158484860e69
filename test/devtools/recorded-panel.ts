// The panel controller on a recorded DevTools log, for the tests of what it makes of a sign-in. No DevTools
// runs in Node: the DevtoolsApi here answers as Chromium's browser.devtools does (getHAR() lists the entries
// without their bodies, getContent() gives a body); the end-to-end tests run the real one.
import { PanelController } from '../../src/devtools/panel/panel-controller';
import type { DevtoolsApi, NetworkRequest } from '../../src/devtools/panel/devtools-api';

export interface RecordedCall {
  request: NetworkRequest;
  body?: string;
}

export function recordedDevtoolsApi(calls: readonly RecordedCall[]): DevtoolsApi {
  const bodies = new Map(calls.map((c) => [c.request, c.body]));
  return {
    tabId: 1,
    themeName: 'default',
    onRequestFinished: () => {},
    onNavigated: () => {},
    getHAR: async () => calls.map((c) => c.request),
    getContent: async (request) => bodies.get(request),
    eval: async () => undefined,
  };
}

/**
 * A controller (not started) over `calls`, with no key to verify against and its work run at once instead of
 * at the next frame, so a test waits only for the controller itself.
 */
export function controllerOn(calls: readonly RecordedCall[]): PanelController {
  return new PanelController(
    recordedDevtoolsApi(calls),
    { verify: async () => ({ status: 'no-matching-key' }) },
    { schedule: (run) => run() },
  );
}
