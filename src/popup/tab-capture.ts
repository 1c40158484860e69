// What the popup's *Seen on this tab* asks of the browser: the active tab, what the worker's background
// capture kept for it (src/background/capture), and watching its site. Loaded after the first paint.
import browser from 'webextension-polyfill';
import type { TabCaptureView } from '../messages';
import { requestOriginAccess } from '../options/host-permission';
import { ask } from '../ui/worker-client';

export interface ActiveTab {
  id: number;
  /** Known while the popup holds activeTab for it (opened from the toolbar or its shortcut). */
  url?: string;
}

export async function activeTab(): Promise<ActiveTab | undefined> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  if (tab?.id === undefined) return undefined;
  return typeof tab.url === 'string' ? { id: tab.id, url: tab.url } : { id: tab.id };
}

export function seenOnTab(tab: ActiveTab): Promise<TabCaptureView> {
  return ask({ type: 'capture/tab', tabId: tab.id, ...(tab.url ? { url: tab.url } : {}) });
}

/**
 * Asks for the site's host access and puts it on the watched list. Call it straight from the click: the
 * permission prompt needs the click's user gesture. The site goes on the list at once, so a popup the
 * browser closes for its prompt (Firefox) still ends with the site watched once access is granted; a refusal
 * seen here takes it off again.
 */
export async function watchSite(site: string): Promise<boolean> {
  const granted = requestOriginAccess(site);
  await ask({ type: 'capture/watch', site });
  if (await granted) return true;
  await ask({ type: 'capture/unwatch', site });
  return false;
}
