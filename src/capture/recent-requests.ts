// The last finished requests, kept for one purpose: under load Firefox can tell the panel of a navigation
// (onNavigated) after the new document's own requests have finished. Clearing the list on that late news
// would throw them away, and in Firefox no later getHAR() brings them back (the log is read once:
// har-poll-schedule.ts). So the panel keeps the last few and, on a navigation, takes again those from the
// new document's own request on. No browser API in here: the clock is handed in.
import { compactUrl, requestIdentity } from './ingest-key';

/** Enough for a page's first burst; older ones belong to an earlier page anyway. */
export const MAX_RECENT_REQUESTS = 200;
/** How late the news of a navigation may come and its page's requests still be taken again. */
export const RECENT_REQUEST_MS = 5_000;

export class RecentRequests<T> {
  private kept: { request: T; at: number }[] = [];

  constructor(private readonly now: () => number = () => Date.now()) {}

  add(request: T): void {
    this.kept.push({ request, at: this.now() });
    if (this.kept.length > MAX_RECENT_REQUESTS) this.kept.splice(0, this.kept.length - MAX_RECENT_REQUESTS);
  }

  /**
   * The requests from the last one for `url` by GET (the navigation's document) on, if it finished within
   * RECENT_REQUEST_MS; none when it is not among them (the news came first, as it should).
   */
  fromDocument(url: string): T[] {
    const since = this.now() - RECENT_REQUEST_MS;
    const target = compactUrl(url.split('#', 1)[0] ?? url);
    for (let i = this.kept.length - 1; i >= 0 && this.kept[i]!.at >= since; i--) {
      const id = requestIdentity(this.kept[i]!.request);
      if (id?.method === 'GET' && id.url === target) return this.kept.slice(i).map((k) => k.request);
    }
    return [];
  }

  clear(): void {
    this.kept = [];
  }
}
