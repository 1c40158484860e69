// Firefox only: what DevTools reported since its toolbox opened, kept by the devtools page so that the panel
// never has to call getHAR(). Firefox's getHAR() loses, for good, the requests that start while it builds its
// answer (ARCHITECTURE.md, "Firefox loses the requests made during getHAR()"), and the panel used to call it
// once on opening: the page's requests of that second were lost. The devtools page lives as long as the
// toolbox, listens from its first moment and reads the bodies worth reading (the panel's own rules:
// NetworkReconciler); the panel asks for the journal over a BroadcastChannel named after the inspected tab,
// which only the extension's own pages can join. Entries stay plain HAR entries with their bodies in
// `content.text`, as Firefox's getHAR() gives them, so the panel takes them as it took a poll.
import { NetworkReconciler } from '../capture/network-reconciler';
import type { NetworkRequest } from './panel/devtools-api';

/** Entries kept; the oldest go first. As many as a long session's DevTools log holds in practice. */
export const MAX_JOURNAL_ENTRIES = 5000;
/** Body characters kept across all entries; the oldest entries go first. */
export const MAX_JOURNAL_BODY_CHARS = 32 * 1024 * 1024;
/** How long an answer waits for body reads still on their way. */
const PENDING_BODY_WAIT_MS = 1000;

interface Kept {
  entry: NetworkRequest;
  bodyChars: number;
}

export class NetworkJournal {
  private kept: Kept[] = [];
  private bodyChars = 0;
  private readonly reconciler = new NetworkReconciler<NetworkRequest>();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly readBody: (request: NetworkRequest) => Promise<string | undefined>) {}

  /** Finished requests, from events or a read of DevTools' log; a request is kept again only in a later revision. */
  take(requests: readonly NetworkRequest[]): void {
    this.reconciler.accept(requests, 'event', (request, tracked) => {
      const entry = plainCopy(request);
      if (!entry) return;
      const kept: Kept = { entry, bodyChars: 0 };
      this.keep(kept);
      if (!this.reconciler.shouldReadBody(request, tracked)) return;
      const read: Promise<void> = this.readBody(request)
        .then((body) => {
          if (typeof body !== 'string' || body === '' || !this.kept.includes(kept)) return;
          const text = body.length > this.reconciler.maxBody ? body.slice(0, this.reconciler.maxBody) : body;
          const content = entry.response?.content;
          if (!content) return;
          content.text = text;
          kept.bodyChars = text.length;
          this.bodyChars += text.length;
          this.trim();
        })
        .catch(() => {})
        .finally(() => this.pending.delete(read));
      this.pending.add(read);
    });
  }

  /** Every entry kept, oldest first, once the body reads under way have answered (or a second has passed). */
  async entries(): Promise<NetworkRequest[]> {
    if (this.pending.size > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.all([...this.pending]),
        new Promise<void>((ok) => {
          timer = setTimeout(ok, PENDING_BODY_WAIT_MS);
        }),
      ]);
      clearTimeout(timer);
    }
    return this.kept.map((k) => k.entry);
  }

  private keep(kept: Kept): void {
    this.kept.push(kept);
    this.trim();
  }

  private trim(): void {
    let drop = 0;
    let chars = this.bodyChars;
    while (drop < this.kept.length && (this.kept.length - drop > MAX_JOURNAL_ENTRIES || chars > MAX_JOURNAL_BODY_CHARS)) {
      chars -= this.kept[drop]!.bodyChars;
      drop++;
    }
    if (drop === 0) return;
    this.kept.splice(0, drop);
    this.bodyChars = chars;
  }
}

/** The entry as data: what a structured clone can carry (no getContent), or undefined when it is not JSON. */
function plainCopy(request: NetworkRequest): NetworkRequest | undefined {
  try {
    const copy = JSON.parse(JSON.stringify(request)) as unknown;
    return copy !== null && typeof copy === 'object' ? (copy as NetworkRequest) : undefined;
  } catch {
    return undefined;
  }
}

const channelName = (tabId: number) => `jwt-inspector/network-journal/${tabId}`;

interface Ask {
  kind: 'ask';
  id: string;
}
interface Answer {
  kind: 'journal';
  id: string;
  entries: NetworkRequest[];
}

/** The devtools page's side: answers each ask with the journal. */
export function serveJournal(tabId: number, journal: NetworkJournal): () => void {
  const channel = new BroadcastChannel(channelName(tabId));
  channel.onmessage = (event: MessageEvent<unknown>) => {
    const ask = event.data as Partial<Ask> | null;
    if (ask?.kind !== 'ask' || typeof ask.id !== 'string') return;
    const id = ask.id;
    void journal.entries().then((entries) => channel.postMessage({ kind: 'journal', id, entries } satisfies Answer));
  };
  return () => channel.close();
}

/** The panel's side: the journal of the inspected tab, or undefined when no devtools page answers in time. */
export function askJournal(tabId: number, timeoutMs: number): Promise<NetworkRequest[] | undefined> {
  return new Promise((resolve) => {
    let channel: BroadcastChannel;
    try {
      channel = new BroadcastChannel(channelName(tabId));
    } catch {
      resolve(undefined);
      return;
    }
    const id = `${Date.now()}-${Math.random()}`;
    const done = (entries: NetworkRequest[] | undefined) => {
      clearTimeout(timer);
      channel.close();
      resolve(entries);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    channel.onmessage = (event: MessageEvent<unknown>) => {
      const answer = event.data as Partial<Answer> | null;
      if (answer?.kind === 'journal' && answer.id === id && Array.isArray(answer.entries)) done(answer.entries);
    };
    channel.postMessage({ kind: 'ask', id } satisfies Ask);
  });
}
