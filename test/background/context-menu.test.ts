// The context menu's decoder tab: the real src/background/context-menu.ts with a stand-in `browser` (no
// extension runtime runs in Node). The token must not be in the URL of the tab it opens (history keeps URLs);
// it is handed over through storage.session and gone once the page read it. In Chromium:
// test/e2e/chromium/decoder-handover.test.ts.
import { beforeAll, describe, expect, it, vi } from 'vitest';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsaXZlLXNlc3Npb24ifQ.c2lnbmF0dXJlLW9mLWEtbGl2ZS10b2tlbg';

const fake = vi.hoisted(() => {
  const listeners: Record<string, ((...args: unknown[]) => unknown)[]> = {};
  const event = (name: string) => ({ addListener: (l: (...args: unknown[]) => unknown) => (listeners[name] ??= []).push(l) });
  const sessionData: Record<string, unknown> = {};
  const opened: string[] = [];
  const extension = {
    runtime: {
      id: 'abcdefghijklmnopabcdefghijklmnop',
      getURL: (p: string) => `chrome-extension://abcdefghijklmnopabcdefghijklmnop/${p}`,
      onInstalled: event('installed'),
    },
    storage: {
      session: {
        get: async (key: string) => (key in sessionData ? { [key]: sessionData[key] } : {}),
        set: async (items: Record<string, unknown>) => void Object.assign(sessionData, items),
        remove: async (key: string) => void delete sessionData[key],
      },
    },
    contextMenus: { removeAll: async () => {}, create: () => {}, onClicked: event('clicked') },
    tabs: { create: async ({ url }: { url: string }) => void opened.push(url) },
  };
  Object.assign(globalThis, { chrome: extension, browser: extension });
  return { listeners, sessionData, opened };
});

beforeAll(async () => {
  const { registerContextMenu } = await import('../../src/background/context-menu');
  registerContextMenu();
});

describe('Decode JWT from the context menu', () => {
  it('opens the decoder with a one-time handle in the URL, not the token, and the page takes the token once', async () => {
    const [clicked] = fake.listeners.clicked!;
    clicked!({ menuItemId: 'decode-selection', selectionText: `Bearer ${TOKEN}` });
    await vi.waitFor(() => expect(fake.opened).toHaveLength(1));
    const url = fake.opened[0]!;
    expect(url).toMatch(/^chrome-extension:\/\/\w+\/src\/popup\/index\.html\?page=1&handover=[\w-]{16,}$/);
    expect(url).not.toContain(TOKEN.slice(0, 20));
    expect(url).not.toContain(encodeURIComponent(TOKEN).slice(0, 20));

    const { takeHandedOverToken } = await import('../../src/decoder-page');
    const search = new URL(url).search;
    expect(await takeHandedOverToken(search)).toBe(TOKEN);
    // Deleted as it was read: a reload, or anyone who finds the URL, gets nothing.
    expect(await takeHandedOverToken(search)).toBeUndefined();
    expect(Object.keys(fake.sessionData)).toEqual([]);
  });
});
