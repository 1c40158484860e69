// The full-page decoder (the popup's page in a tab), opened by the popup's *Open in a tab* and the context
// menu. The token is handed over through storage.session, never in the page's URL: browsers keep every URL a
// tab visited (history, session restore, sync), fragment included, and a live token must not end up there.
// The URL carries a one-time random handle; the page deletes the entry as it reads it.
import browser from 'webextension-polyfill';

const HANDOVER_PARAM = 'handover';
const HANDOVER_KEY_PREFIX = 'jwti:decoder-handover:';

interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

// storage.session: Chrome 102+, Firefox 115+ (the manifest asks for 140); only extension pages and the worker
// can read it (its default access level), not content scripts.
const session = () => (browser.storage as unknown as { session: SessionArea }).session;

/** The decoder page for a hand-over `handle`: no token in it. */
export function decoderPagePath(handle: string): string {
  return `src/popup/index.html?page=1&${HANDOVER_PARAM}=${encodeURIComponent(handle)}`;
}

/** Opens the decoder on `token` in a new tab. */
export async function openDecoderTab(token: string): Promise<void> {
  const handle = crypto.randomUUID();
  await session().set({ [HANDOVER_KEY_PREFIX + handle]: token });
  await browser.tabs.create({ url: browser.runtime.getURL(decoderPagePath(handle)) });
}

/** The token handed over to the page at `search` (its location.search), once: reading deletes it. */
export async function takeHandedOverToken(search: string): Promise<string | undefined> {
  const handle = new URLSearchParams(search).get(HANDOVER_PARAM);
  if (!handle) return undefined;
  const key = HANDOVER_KEY_PREFIX + handle;
  const got = await session().get(key);
  await session().remove(key);
  const token = got[key];
  return typeof token === 'string' ? token : undefined;
}
