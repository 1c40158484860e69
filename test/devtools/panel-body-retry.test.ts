// A response body DevTools first answers empty is asked for again (src/devtools/panel/panel-controller.ts,
// readBody). No DevTools runs in Node: this DevtoolsApi stands in for browser.devtools, with a getContent
// the test controls.
import { describe, expect, it, vi } from 'vitest';
import { PanelController } from '../../src/devtools/panel/panel-controller';
import type { DevtoolsApi, NetworkRequest } from '../../src/devtools/panel/devtools-api';
import { entry, sign, T0 } from './har-fixtures';

function controllerWith(answers: (string | undefined)[]) {
  let finished: (r: NetworkRequest) => void = () => {};
  const asked: number[] = [];
  const api: DevtoolsApi = {
    tabId: 1,
    themeName: 'default',
    onRequestFinished: (l) => void (finished = l),
    onNavigated: () => {},
    getHAR: async () => [],
    getContent: async () => {
      asked.push(Date.now());
      return answers.shift();
    },
    eval: async () => undefined,
  };
  const controller = new PanelController(api, { verify: async () => ({ status: 'no-matching-key' }) }, { schedule: (run) => run() });
  return { controller, finish: (r: NetworkRequest) => finished(r), asked };
}

const tokenAnswer = () => {
  const e = entry({ url: 'https://auth.example/token', method: 'POST', time: T0 }) as NetworkRequest;
  e.response.content = { size: 900, mimeType: 'application/json' };
  return e;
};

describe('reading a response body', () => {
  it('asks again when DevTools first answers nothing, and takes the body then', async () => {
    const token = await sign({ sub: 'late-body', exp: T0 + 600 });
    const { controller, finish, asked } = controllerWith([undefined, JSON.stringify({ access_token: token })]);
    await controller.start();
    finish(tokenAnswer());
    await vi.waitFor(
      () => {
        controller.flush();
        expect(controller.store.get(token)).toBeDefined();
      },
      { timeout: 5000 },
    );
    expect(asked).toHaveLength(2);
    controller.stop();
  });

  it('asks three times at most', async () => {
    const { controller, finish, asked } = controllerWith([]);
    await controller.start();
    finish(tokenAnswer());
    await vi.waitFor(() => expect(asked).toHaveLength(3), { timeout: 5000 });
    // Nothing more comes: the last wait was the longest, and the read is over.
    await new Promise((ok) => setTimeout(ok, 1500));
    expect(asked).toHaveLength(3);
    controller.stop();
  });
});
