// Who the worker answers: the real src/background/index.ts, loaded with a stand-in `browser` (no extension
// runtime runs in Node), its onMessage / onConnect listeners called with sender objects shaped as Chromium and
// Firefox make them. A content script injected with scripting.executeScript carries the extension's own id but
// the page's URL; the end-to-end half is test/e2e/chromium/message-senders.test.ts.
import { beforeAll, describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;
const EXT_ID = 'abcdefghijklmnopabcdefghijklmnop';
const BASE = `chrome-extension://${EXT_ID}/`;

const fake = vi.hoisted(() => {
  const listeners: Record<string, ((...args: unknown[]) => unknown)[]> = {};
  const event = (name: string) => ({ addListener: (l: (...args: unknown[]) => unknown) => (listeners[name] ??= []).push(l) });
  const area = () => {
    const data: Record<string, unknown> = {};
    return {
      get: async (key: string) => (key in data ? { [key]: structuredClone(data[key]) } : {}),
      set: async (items: Record<string, unknown>) => void Object.assign(data, structuredClone(items)),
      remove: async (key: string) => void delete data[key],
    };
  };
  const extension = {
    runtime: {
      id: 'abcdefghijklmnopabcdefghijklmnop',
      getURL: (path: string) => `chrome-extension://abcdefghijklmnopabcdefghijklmnop/${path.replace(/^\//, '')}`,
      getManifest: () => ({ version: '0.0.0' }),
      onMessage: event('message'),
      onConnect: event('connect'),
      onInstalled: event('installed'),
    },
    storage: { local: area(), session: area() },
    contextMenus: { removeAll: async () => {}, create: () => {}, onClicked: event('menu') },
    tabs: { create: async () => ({}), onUpdated: event('tab-updated'), onRemoved: event('tab-removed') },
    // Background capture's listeners (src/background/capture/tab-capture.ts); no request reaches them here.
    webRequest: { onBeforeRequest: event('request'), onSendHeaders: event('send-headers'), onHeadersReceived: event('headers') },
  };
  Object.assign(globalThis, { chrome: extension, browser: extension });
  return { listeners };
});

beforeAll(async () => {
  await import('../../src/background/index');
});

function send(message: unknown, sender: Record<string, unknown>): unknown {
  const [listener] = fake.listeners.message as Listener[];
  return listener!(message, sender);
}

function connect(sender: Record<string, unknown>): { listening: boolean } {
  const [listener] = fake.listeners.connect as Listener[];
  const port = {
    name: 'weak-secret',
    sender,
    listening: false,
    postMessage: () => {},
    onDisconnect: { addListener: () => {} },
    onMessage: { addListener: () => void (port.listening = true) },
  };
  listener!(port);
  return port;
}

const contentScript = { id: EXT_ID, url: 'https://app.example.com/account', origin: 'https://app.example.com', tab: { id: 7 }, frameId: 0 };

describe('the worker answers only its own pages', () => {
  it.each([
    ['the popup', `${BASE}src/popup/index.html`],
    ['the decoder page', `${BASE}src/popup/index.html?page=1&handover=abc`],
    ['the options page', `${BASE}src/options/index.html`],
    ['the DevTools panel', `${BASE}src/devtools/panel.html`],
    ['the DevTools page', `${BASE}src/devtools/devtools.html`],
  ])('answers %s', async (_, url) => {
    await expect(send({ type: 'keys/list' }, { id: EXT_ID, url })).resolves.toEqual({ ok: true, value: expect.any(Array) });
    expect(connect({ id: EXT_ID, url }).listening).toBe(true);
  });

  it.each([
    ['a content script injected by scripting.executeScript (same id, the page URL)', contentScript],
    [
      'another extension',
      { id: 'qrstuvwxqrstuvwxqrstuvwxqrstuvwx', url: `chrome-extension://qrstuvwxqrstuvwxqrstuvwxqrstuvwx/src/popup/index.html` },
    ],
    [
      'another extension claiming our path on its origin',
      { id: EXT_ID, url: `chrome-extension://qrstuvwxqrstuvwxqrstuvwxqrstuvwx/src/options/index.html` },
    ],
    ['a file of ours that is not a page', { id: EXT_ID, url: `${BASE}assets/panel.js` }],
    ['a sender without a URL', { id: EXT_ID }],
    ['a URL that does not parse', { id: EXT_ID, url: 'not a url' }],
  ])('refuses %s', (_, sender) => {
    expect(send({ type: 'keys/list' }, sender)).toBeUndefined();
    expect(connect(sender).listening).toBe(false);
  });
});
