// What the worker does with one webRequest event: nothing for a site that is not watched, else its
// sightings into the tab's store. Kept apart from the listeners (tab-capture.ts) so the bench (npm run bench,
// "capture") and the tests run exactly this in Node.
import type { CapturedSighting } from '../../capture/sightings-from-entry';
import { type RequestDetails, sightingsOfRequestHeaders, sightingsOfRequestStart, sightingsOfResponseHeaders } from './request-entry';
import type { TabStore } from './tab-store';

export type RequestEvent = 'start' | 'send-headers' | 'headers-received';

const EXTRACT: Record<RequestEvent, (d: RequestDetails) => CapturedSighting[]> = {
  start: sightingsOfRequestStart,
  'send-headers': sightingsOfRequestHeaders,
  'headers-received': sightingsOfResponseHeaders,
};

export interface SiteFilter {
  watches(url: string): boolean;
}

/** The tab whose store changed, or undefined. */
export function captureRequestEvent(event: RequestEvent, d: RequestDetails, sites: SiteFilter, store: TabStore): number | undefined {
  // Requests of the extension itself and of no tab (tabId -1) are not a page's.
  if (d.tabId < 0 || !sites.watches(d.url)) return undefined;
  const found = EXTRACT[event](d);
  return found.length > 0 && store.add(d.tabId, found) > 0 ? d.tabId : undefined;
}
