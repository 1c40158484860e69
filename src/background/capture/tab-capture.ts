// Background capture in the worker: webRequest and tab events of watched sites → sightings → the per-tab
// store (tab-store.ts), kept in storage.session so a stopped worker loses nothing, and the badge.
// README, "Background capture", says what is captured where; ARCHITECTURE.md draws the data flow.
//
// Decisions:
// - Listeners are registered synchronously when the worker starts (MV3: an event wakes a stopped worker
//   only for listeners added in its first turn). They are non-blocking, and for a request to a site not
//   on the watched list they do nothing but one string cut and one Set lookup.
// - Events that arrive while the watched list and the stored tabs are read are held (bounded) and taken
//   in order once both are in: the first requests after a wake are not lost.
// - The store is written to storage.session a moment after a change (FLUSH_DELAY_MS), not per request;
//   the badge follows the same flush.
import browser from 'webextension-polyfill';
import type { CapturedSighting } from '../../capture/sightings-from-entry';
import { locationSightings } from '../../capture/location-sightings';
import type { CaptureRequest, TabCaptureView, WatchedSite } from '../../messages';
import type { StorageAreaLike } from '../key-store';
import { WorkerError } from '../worker-error';
import { badgeFor } from './badge';
import type { RequestDetails } from './request-entry';
import { captureRequestEvent, type RequestEvent } from './request-capture';
import { TabStore } from './tab-store';
import { ALL_SITES, permissionPattern, siteOf, WatchedSites } from './watched-sites';

export const FLUSH_DELAY_MS = 250;
/** Events held while the worker reads its state after a start. */
const MAX_HELD_EVENTS = 2000;
const TAB_KEY_PREFIX = 'capture.tab.';
const TAB_INDEX_KEY = 'capture.tabs';
/** The URL patterns the listeners ask for; the browser reports only hosts whose access was granted. */
const URL_FILTER = { urls: ['http://*/*', 'https://*/*'] };

type Held = () => void;

export interface BackgroundCapture {
  handle(request: CaptureRequest): Promise<unknown>;
}

interface Deps {
  local: StorageAreaLike;
  /** storage.session, or storage.local's stand-in where the browser has none. */
  session: StorageAreaLike;
}

export function startBackgroundCapture({ local, session }: Deps): BackgroundCapture {
  const store = new TabStore();
  const sites = new WatchedSites(local);
  const dirty = new Set<number>();
  /** The tabs written to storage.session (restored ones included). */
  const persisted = new Set<number>();
  // Tabs whose page is on a site not watched: their badge stays empty, whatever the tab captured before.
  const showingUnwatched = new Set<number>();
  let flushScheduled = false;
  let held: Held[] | undefined = [];

  const ready = Promise.all([sites.load(), restoreTabs()]).then(() => {
    const waiting = held ?? [];
    held = undefined;
    for (const run of waiting) run();
  });

  async function restoreTabs(): Promise<void> {
    try {
      const index = (await session.get(TAB_INDEX_KEY))[TAB_INDEX_KEY];
      if (!Array.isArray(index)) return;
      for (const id of index) {
        if (typeof id !== 'number') continue;
        const key = TAB_KEY_PREFIX + id;
        store.restore(id, (await session.get(key))[key]);
        persisted.add(id);
      }
    } catch {
      // Nothing kept, or storage refused: capture starts empty.
    }
  }

  /** Runs now when the state is in, else once it is (bounded: the overflow is lost, not the order). */
  function whenReady(run: Held): void {
    if (!held) run();
    else if (held.length < MAX_HELD_EVENTS) held.push(run);
  }

  function take(tabId: number, sightings: CapturedSighting[]): void {
    if (sightings.length === 0) return;
    if (store.add(tabId, sightings) > 0) markDirty(tabId);
  }

  function markDirty(tabId: number): void {
    dirty.add(tabId);
    if (flushScheduled) return;
    flushScheduled = true;
    setTimeout(() => void flush(), FLUSH_DELAY_MS);
  }

  async function flush(): Promise<void> {
    flushScheduled = false;
    const tabs = [...dirty];
    dirty.clear();
    for (const tabId of tabs) if (!showingUnwatched.has(tabId)) void showBadge(tabId);
    await session.set({ [TAB_INDEX_KEY]: store.tabIds() }).catch(() => {});
    // One write per tab: a tab too large for the area's quota (Chromium's storage.session holds 10 MB) fails
    // alone, and stays in memory.
    for (const tabId of tabs) {
      const stored = store.toStored(tabId);
      if (!stored) continue;
      persisted.add(tabId);
      await session.set({ [TAB_KEY_PREFIX + tabId]: stored }).catch(() => {});
    }
    // Tabs the store forgot (a site no longer watched, its bound on tabs) leave storage too.
    for (const tabId of [...persisted]) {
      if (store.has(tabId)) continue;
      persisted.delete(tabId);
      await session.remove(TAB_KEY_PREFIX + tabId).catch(() => {});
    }
  }

  async function showBadge(tabId: number): Promise<void> {
    const badge = badgeFor(store.tokens(tabId));
    try {
      await browser.action.setBadgeText({ tabId, text: badge.text });
      if (badge.text) await browser.action.setBadgeBackgroundColor({ tabId, color: badge.color });
      await browser.action.setTitle({ tabId, title: badge.title });
    } catch {
      // The tab is gone.
    }
  }

  async function clearBadge(tabId: number): Promise<void> {
    await browser.action.setBadgeText({ tabId, text: '' }).catch(() => {});
  }

  async function forgetTab(tabId: number): Promise<void> {
    showingUnwatched.delete(tabId);
    if (!store.clear(tabId)) return;
    dirty.delete(tabId);
    await session.remove(TAB_KEY_PREFIX + tabId).catch(() => {});
    await session.set({ [TAB_INDEX_KEY]: store.tabIds() }).catch(() => {});
  }

  // --- listeners: registered in the worker's first turn ------------------------------------------------------

  const onRequest = (event: RequestEvent) => (details: unknown) => {
    const d = details as RequestDetails;
    if (d.tabId < 0) return;
    whenReady(() => {
      const changed = captureRequestEvent(event, d, sites, store);
      if (changed !== undefined) markDirty(changed);
    });
  };
  const extraHeaders = chromeExtraHeaders();
  const webRequest = browser.webRequest;
  webRequest.onBeforeRequest.addListener(onRequest('start'), URL_FILTER, ['requestBody']);
  webRequest.onSendHeaders.addListener(onRequest('send-headers'), URL_FILTER, ['requestHeaders', ...extraHeaders]);
  webRequest.onHeadersReceived.addListener(onRequest('headers-received'), URL_FILTER, ['responseHeaders', ...extraHeaders]);

  // The page's own address, fragment included (webRequest never sees a fragment), SPA route changes too:
  // the browser reports a tab's URL only to an extension with access to its host.
  browser.tabs.onUpdated.addListener((tabId, change) => {
    const url = change.url;
    if (typeof url === 'string') {
      whenReady(() => {
        if (!sites.watches(url)) {
          if (!showingUnwatched.has(tabId) && store.has(tabId)) void clearBadge(tabId);
          showingUnwatched.add(tabId);
          return;
        }
        showingUnwatched.delete(tabId);
        const found = locationSightings(url, Date.now());
        for (const c of found) c.source = 'background';
        take(tabId, found);
      });
    }
    // A navigation resets a tab's badge in some browsers: put it back.
    if (change.status === 'complete') whenReady(() => void (store.has(tabId) && !showingUnwatched.has(tabId) && showBadge(tabId)));
  });
  browser.tabs.onRemoved.addListener((tabId) => whenReady(() => void forgetTab(tabId)));

  // --- what the pages ask ------------------------------------------------------------------------------------

  async function watchedSites(): Promise<WatchedSite[]> {
    const out: WatchedSite[] = [];
    for (const site of sites.list()) out.push({ site, granted: await hasAccess(site) });
    return out;
  }

  async function unwatch(site: string): Promise<void> {
    await sites.remove(site);
    const changed = site === ALL_SITES ? store.tabIds() : store.forgetOrigin(site);
    if (site === ALL_SITES) for (const tabId of changed) store.clear(tabId);
    for (const tabId of changed) markDirty(tabId);
    // Host access goes with the last watched site that needed it (sites on other ports share a pattern).
    const patterns = site === ALL_SITES ? optionalPatterns() : [permissionPattern(site)];
    const stillNeeded = new Set(sites.list().map(permissionPattern));
    const drop = patterns.filter((p): p is string => !!p && !stillNeeded.has(p));
    if (drop.length) await browser.permissions.remove({ origins: drop }).catch(() => false);
    for (const tabId of changed) await flushIfGone(tabId);
  }

  async function flushIfGone(tabId: number): Promise<void> {
    if (!store.has(tabId)) await forgetTab(tabId);
  }

  return {
    async handle(request) {
      await ready;
      switch (request.type) {
        case 'capture/tab': {
          const tabId = tabIdOf(request.tabId);
          const site = typeof request.url === 'string' ? siteOf(request.url) : undefined;
          const view: TabCaptureView = {
            watched: site !== undefined && sites.watches(site),
            tokens: store.tokens(tabId),
            dropped: store.dropped(tabId),
          };
          if (site) view.site = site;
          return view;
        }
        case 'capture/sightings':
          return store.sightings(tabIdOf(request.tabId));
        case 'capture/watch': {
          const site = request.site === ALL_SITES ? ALL_SITES : siteOf(String(request.site));
          if (!site) throw new WorkerError('bad-request', 'Only http and https sites can be watched.');
          await sites.add(site);
          return watchedSites();
        }
        case 'capture/unwatch':
          await unwatch(String(request.site));
          return watchedSites();
        case 'capture/watched':
          return watchedSites();
        default:
          throw new WorkerError('bad-request', 'Unknown capture request.');
      }
    },
  };
}

function tabIdOf(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new WorkerError('bad-request', 'No such tab.');
  return value;
}

function optionalPatterns(): string[] {
  return (browser.runtime.getManifest() as { optional_host_permissions?: string[] }).optional_host_permissions ?? [];
}

async function hasAccess(site: string): Promise<boolean> {
  const origins = site === ALL_SITES ? optionalPatterns() : [permissionPattern(site)].filter((p): p is string => !!p);
  return browser.permissions.contains({ origins }).catch(() => false);
}

/**
 * Chromium hides Cookie (with Referer, Accept-Encoding, Accept-Language) and Set-Cookie from webRequest unless
 * a listener asks for 'extraHeaders'; Firefox shows them anyway and refuses the word.
 */
function chromeExtraHeaders(): ['extraHeaders'] | [] {
  const chrome = (globalThis as { chrome?: { webRequest?: { OnSendHeadersOptions?: { EXTRA_HEADERS?: string } } } }).chrome;
  return chrome?.webRequest?.OnSendHeadersOptions?.EXTRA_HEADERS ? ['extraHeaders'] : [];
}
