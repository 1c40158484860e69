// The requests the reconciler has passed on, found by identity (method, URL, start time) without joining
// them into a key string: every poll lists every request DevTools holds (thousands, once a second), and
// a joined key would be built, flattened and hashed for each. Indexed by the start time, which few
// requests share; those that do are told apart by method and URL.
import type { RequestIdentity } from './ingest-key';

export interface TrackedRequest {
  readonly method: string;
  readonly url: string;
  /** startedDateTime as written. */
  readonly started: string;
  /** The reconciler's packed revision and body decision. */
  state: number;
}

export class RequestIndex {
  private readonly byStart = new Map<string, TrackedRequest | TrackedRequest[]>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  find(id: RequestIdentity): TrackedRequest | undefined {
    const at = this.byStart.get(id.started);
    if (at === undefined) return undefined;
    if (!Array.isArray(at)) return at.method === id.method && at.url === id.url ? at : undefined;
    return at.find((t) => t.method === id.method && t.url === id.url);
  }

  /** Adds a request find() does not know. */
  add(id: RequestIdentity, state: number): TrackedRequest {
    const tracked: TrackedRequest = { method: id.method, url: id.url, started: id.started, state };
    const at = this.byStart.get(id.started);
    if (at === undefined) this.byStart.set(id.started, tracked);
    else if (Array.isArray(at)) at.push(tracked);
    else this.byStart.set(id.started, [at, tracked]);
    this.count++;
    return tracked;
  }

  /** Forgets the request added first (of those sharing the oldest start time). */
  evictOldest(): boolean {
    const first = this.byStart.entries().next();
    if (first.done) return false;
    const [started, at] = first.value;
    if (Array.isArray(at) && at.length > 1) at.shift();
    else this.byStart.delete(started);
    this.count--;
    return true;
  }

  clear(): void {
    this.byStart.clear();
    this.count = 0;
  }
}
