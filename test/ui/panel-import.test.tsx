// Importing a capture in the panel: a file is untrusted (SECURITY.md), so a verdict written in it is never
// shown; every imported token waits for the worker's own verdict. The worker here is a promise the test
// settles; no DevTools runs in happy-dom, so the DevtoolsApi stands in for an inspected page with no traffic.
import { afterEach, describe, expect, it, vi } from 'vitest';

// webextension-polyfill refuses to load outside an extension; the views reach the worker only through the
// controller's port here, so an empty extension global is enough to import them.
vi.hoisted(() => {
  const extension = { runtime: { id: 'component-test' } };
  Object.assign(globalThis, { chrome: extension, browser: extension });
});
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { PanelApp } from '../../src/devtools/panel/view/PanelApp';
import { PanelController } from '../../src/devtools/panel/panel-controller';
import { CAPTURE_FORMAT } from '../../src/devtools/model/capture-file';
import type { Verification } from '../../src/core/types';
import { T0_MS, TOKENS } from '../devtools/har-fixtures';

Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 400 });
afterEach(cleanup);

describe('importing a capture into the panel', () => {
  it('shows no verdict from the file: the token is pending until the worker verifies it', async () => {
    const asked: string[] = [];
    let answer!: (v: Verification) => void;
    const controller = new PanelController(
      {
        tabId: 1,
        themeName: 'default',
        onRequestFinished: () => {},
        onNavigated: () => {},
        getHAR: async () => [],
        getContent: async () => undefined,
        eval: async () => undefined,
      },
      {
        verify: (token) => {
          asked.push(token);
          return new Promise<Verification>((resolve) => (answer = resolve));
        },
      },
      { schedule: (run) => run() },
    );
    const { container } = render(<PanelApp controller={controller} />);
    await controller.start();
    controller.stop();

    const sighting = {
      where: 'authorization-header',
      name: 'authorization',
      url: 'https://a.example/',
      time: T0_MS,
      requestUrl: 'https://a.example/',
    };
    const file = {
      format: CAPTURE_FORMAT,
      version: 1,
      signatures: 'kept',
      tokens: [{ token: TOKENS.access1, sightings: [sighting], verification: { status: 'valid', alg: 'HS256' } }],
    };
    const input = container.querySelector('input[type=file]') as HTMLInputElement;
    Object.defineProperty(input, 'files', {
      configurable: true,
      value: [new File([JSON.stringify(file)], 'capture.json', { type: 'application/json' })],
    });
    fireEvent.change(input);

    const status = () => screen.queryAllByTestId('token-row').map((row) => row.querySelector('[data-status]')?.getAttribute('data-status'));
    await waitFor(() => expect(asked).toContain(TOKENS.access1));
    expect(status()).toEqual(['pending']);
    answer({ status: 'invalid', alg: 'HS256', reason: 'The signature does not match.' });
    await waitFor(() => expect(status()).toEqual(['invalid']));
  });
});
