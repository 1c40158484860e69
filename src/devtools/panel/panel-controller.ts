// The panel's engine: HAR entries and storage snapshots in, a TokenStore out, verification on the side.
// Capture work is batched per animation frame; listeners hear about a change once per batch.
import { sightingsFromEntry, type CapturedSighting } from '../../capture/sightings-from-entry';
import { grantFromEntry, type TokenGrant } from '../../capture/token-grant';
import { NetworkReconciler } from '../../capture/network-reconciler';
import {
  HAR_POLL_POLICY,
  HarPollSchedule,
  ONCE_HAR_POLL_POLICY,
  realTimers,
  type PollOutcome,
  type PollTimers,
} from '../../capture/har-poll-schedule';
import { RecentRequests } from '../../capture/recent-requests';
import { StorageWatch } from '../../capture/storage-watch';
import { mayHoldOAuthResponse, mayHoldOAuthStep } from '../../capture/oauth-step-filter';
import type { FlowView, OAuthFlows } from '../model/oauth-flows';
import { TokenStore } from '../model/token-store';
import type { DecodedToken, Verification } from '../../core/types';
import type { WeakSecretResult } from '../../messages';
import type { DevtoolsApi, NetworkRequest } from './devtools-api';
import { MAX_WEAK_SECRET_TOKEN_CHARS } from '../../core/weak-secret-bounds';
import { BackgroundBackfill } from './background-backfill';

/**
 * How long start-up waits for the first storage snapshot: inspectedWindow.eval answers only when the page runs
 * it, and a busy or frozen page never does. A late snapshot is still taken when it comes.
 */
export const STORAGE_SNAPSHOT_WAIT_MS = 2000;
export const TIME_FINDINGS_MS = 1000;
/** Sightings taken into the store at a time while a large poll is captured (see enqueue). */
const STORE_SLICE = 1024;
/** Tokens the worker's weak-secret check would refuse as too long are not even queued. */
export const MAX_AUTO_WEAK_SECRET_CHARS = MAX_WEAK_SECRET_TOKEN_CHARS;
/** Entries kept while the flow model loads (a few milliseconds: a page's sign-in has a handful). */
const MAX_WAITING_FLOW_SOURCES = 1000;

/** What may hold a flow step: an entry (with its body once read), the page's address, a request's sightings. */
type FlowSource = { entry: unknown; body?: string } | { pageUrl: string; time: number } | { sightings: readonly CapturedSighting[] };

/**
 * The worker as the controller sees it. The port retries when the worker is stopped or restarting
 * (src/ui/transport.ts): a failure that reaches the controller is final, and a verdict of 'error' is what
 * Re-verify clears.
 */
export interface VerificationPort {
  verify(token: string): Promise<Verification>;
  weakSecret?(token: string): Promise<WeakSecretResult>;
}

export interface ControllerOptions {
  maxSightings?: number;
  /** Next-frame scheduler; tests pass a synchronous one. */
  schedule?: (run: () => void) => void;
  /** The clock and timers of the getHAR() schedule; tests pass fake ones. */
  pollTimers?: PollTimers;
  /** What the worker's background capture saw on the inspected tab before the panel opened (background-backfill.ts). */
  backgroundSightings?: () => Promise<readonly CapturedSighting[]>;
}

export class PanelController {
  readonly store: TokenStore;
  /**
   * The OAuth 2.0 / OpenID Connect flows of the same traffic (the Flows tab; their findings join the rows).
   * Loaded with the first step of a flow (the model and the core's judgement with its hashes stay out of the
   * first paint); steps wait for it in `flowSteps`.
   */
  private flows: OAuthFlows | undefined;
  private steps: typeof import('../../capture/oauth-steps') | undefined;
  private flowSources: FlowSource[] = [];
  private loadingFlows = false;
  private readonly reconciler = new NetworkReconciler<NetworkRequest>();
  private pending: CapturedSighting[] = [];
  private pendingGrants: TokenGrant[] = [];
  /** The store's version before the first slice of sightings not yet flushed. */
  private unflushedSince: number | undefined;
  private flushScheduled = false;
  private readonly listeners = new Set<() => void>();
  private readonly verifyQueue: string[] = [];
  /** Each distinct token is verified once on arrival; "Re-verify" and new keys ask again. */
  private readonly verificationRequested = new Set<string>();
  private verifying = false;
  /** Weak-secret checks wait in their own queue: a slow one never holds a verdict back. */
  private readonly weakSecretQueue: string[] = [];
  private readonly weakSecretQueued = new Set<string>();
  private checkingWeakSecrets = false;
  private timers: ReturnType<typeof setInterval>[] = [];
  private readonly schedule: (run: () => void) => void;
  /** When to ask DevTools for its whole log: har-poll-schedule.ts. */
  readonly harPolls: HarPollSchedule;
  /** Where the log is read once (Firefox), the requests a late navigation must not throw away: recent-requests.ts. */
  private readonly recentRequests: RecentRequests<NetworkRequest> | undefined;
  /** Storage, document.cookie and the page URL: read on opening, navigation and Read storage, watched between. */
  private readonly storageWatch: StorageWatch;
  private readonly backfill = new BackgroundBackfill();
  private readonly backgroundSightings: (() => Promise<readonly CapturedSighting[]>) | undefined;
  preserveLog = true;
  /** Bodies not read: binary, too large, or unread no-store responses. */
  bodiesSkipped = 0;
  ready = false;

  constructor(
    private readonly api: DevtoolsApi,
    private readonly worker: VerificationPort,
    options: ControllerOptions = {},
  ) {
    this.store = new TokenStore(options.maxSightings ? { maxSightings: options.maxSightings } : {});
    this.store.setExternalFindings((token) => this.flows?.findingsFor(token) ?? []);
    this.schedule = options.schedule ?? nextFrameOrSoon;
    this.backgroundSightings = options.backgroundSightings;
    const readLogOnce = api.getHarLosesConcurrentRequests === true;
    this.harPolls = new HarPollSchedule(
      () => this.pollHar(),
      options.pollTimers ?? realTimers,
      readLogOnce ? ONCE_HAR_POLL_POLICY : HAR_POLL_POLICY,
    );
    this.recentRequests = readLogOnce ? new RecentRequests() : undefined;
    this.storageWatch = new StorageWatch({
      page: this.api,
      onSightings: (sightings) => this.enqueue(sightings),
      onRemoved: (removals) => {
        // The sightings of earlier snapshots must be in the store before their removal is noted.
        this.storePending();
        if (this.store.noteRemoved(removals) && !this.flushScheduled) this.notify();
      },
      onPageUrl: (url, time) => {
        if (mayHoldOAuthResponse(url)) this.takeFlowSource({ pageUrl: url, time });
      },
    });
  }

  /** The DevTools connection, for the workbench's Replay (which calls it only on a click). */
  get devtools(): DevtoolsApi {
    return this.api;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Listens first, then reads what was logged before the panel opened, so nothing falls between. */
  async start(): Promise<void> {
    this.api.onRequestFinished((request) => {
      this.recentRequests?.add(request);
      this.harPolls.noteActivity();
      this.takeEntries([request], 'event');
    });
    this.api.onNavigated((url) => {
      if (!this.preserveLog) {
        const newPage = this.recentRequests?.fromDocument(url) ?? [];
        this.clear();
        // DevTools dropped its log with the navigation, but onNavigated can come after the new document's
        // first requests (seen in Firefox under load), which clear() just threw away: forgetting what was
        // ingested lets the next poll take them again from the log, which now holds only the new page, or,
        // where the log is read once, the requests kept since the new document's own.
        this.reconciler.reset();
        if (newPage.length) this.takeEntries(newPage, 'event');
      }
      this.harPolls.noteNavigation();
      void this.snapshotStorage();
    });
    // What came before the panel first, so DevTools' copies of the same requests are known as repeats.
    await this.takeBackground();
    await Promise.all([this.harPolls.start(), atMost(this.snapshotStorage(), STORAGE_SNAPSHOT_WAIT_MS)]);
    this.storageWatch.start();
    this.timers.push(
      setInterval(() => {
        if (this.store.refreshTimeFindings().length) this.notify();
      }, TIME_FINDINGS_MS),
    );
    this.ready = true;
    this.notify();
  }

  stop(): void {
    this.harPolls.stop();
    this.storageWatch.stop();
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /**
   * The reconciliation of ARCHITECTURE.md ("The no-store trap"): events are the fast path, getHAR() catches
   * what they miss; harPolls says when (README, "Performance").
   */
  async pollHar(): Promise<PollOutcome> {
    try {
      return { changed: this.takeEntries(await this.api.getHAR(), 'poll') };
    } catch {
      // DevTools may be closing, or (Firefox) still connecting its monitor: the schedule tries again.
      return { changed: false, failed: true };
    }
  }

  /** Whether any entry was new, or a later revision of one already taken. */
  takeEntries(entries: readonly NetworkRequest[], source: 'event' | 'poll'): boolean {
    let changed = false;
    this.reconciler.accept(entries, source, (entry, request) => {
      changed = true;
      const sightings = sightingsFromEntry(entry);
      this.enqueue(sightings, grantFromEntry(entry));
      if (mayHoldOAuthStep(entry)) this.takeFlowSource({ entry });
      // A token sent as Bearer matters only to a flow that issued it (an ID token sent to an API).
      if (this.flows && sightings.length > 0) this.takeFlowSource({ sightings });
      if (this.reconciler.shouldReadBody(entry, request)) {
        void this.api.getContent(entry).then((body) => {
          if (!body) return;
          const read = body.length > this.reconciler.maxBody ? body.slice(0, this.reconciler.maxBody) : body;
          this.enqueue(sightingsFromEntry(entry, read), grantFromEntry(entry, read));
          if (mayHoldOAuthStep(entry)) this.takeFlowSource({ entry, body: read });
        });
      }
    });
    this.bodiesSkipped = this.reconciler.stats.bodiesSkipped;
    return changed;
  }

  /** The flows for the Flows tab, oldest first (none until the first step of a flow). */
  flowViews(): FlowView[] {
    return this.flows?.flows() ?? [];
  }

  /**
   * What may hold a flow step (oauth-step-filter.ts): recognised (oauth-steps.ts) and tied into flows, and
   * the rows their findings concern composed again. Waits for the model while it loads.
   */
  private takeFlowSource(source: FlowSource): void {
    const flows = this.flows;
    const steps = this.steps;
    if (!flows || !steps) {
      if (this.flowSources.length < MAX_WAITING_FLOW_SOURCES) this.flowSources.push(source);
      if (!this.loadingFlows) {
        this.loadingFlows = true;
        void Promise.all([import('../../capture/oauth-steps'), import('../model/oauth-flows')]).then(
          ([stepsModule, { OAuthFlows }]) => {
            this.steps = stepsModule;
            this.flows = new OAuthFlows();
            const waiting = this.flowSources;
            this.flowSources = [];
            for (const s of waiting) this.takeFlowSource(s);
          },
          () => {
            // A chunk that failed to load (the extension updated under the panel, a page torn down) is tried
            // again with the next step.
            this.loadingFlows = false;
          },
        );
      }
      return;
    }
    const found =
      'entry' in source
        ? steps.oauthStepsFromEntry(source.entry, source.body)
        : 'pageUrl' in source
          ? steps.oauthStepsFromPageUrl(source.pageUrl, source.time)
          : steps.bearerStepsFromSightings(source.sightings);
    if (found.length === 0) return;
    const version = flows.version;
    // Before the rows are touched: the flush then sees them as changed, and a flow with no row still notifies.
    const since = this.store.version;
    const tokens = flows.take(found);
    if (flows.version === version) return;
    this.unflushedSince ??= since;
    this.store.externalFindingsChanged(tokens);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.schedule(() => this.flush());
    }
  }

  /** The tab's background sightings (marked source "background"); a worker that does not answer gives none. */
  private async takeBackground(): Promise<void> {
    if (!this.backgroundSightings) return;
    const sightings = await atMostValue(this.backgroundSightings(), STORAGE_SNAPSHOT_WAIT_MS);
    if (!sightings?.length) return;
    const taken = sightings.map((c) => ({ ...c, sighting: { ...c.sighting }, source: 'background' as const }));
    this.backfill.take(taken);
    this.enqueue(taken);
  }

  snapshotStorage(): Promise<void> {
    return this.storageWatch.snapshot();
  }

  /** Sightings, and the token grant (refresh flow facts, opaque tokens included) of the same entry. */
  enqueue(sightings: CapturedSighting[], grant?: TokenGrant): void {
    if (!sightings.length && !grant) return;
    for (const s of sightings) if (!this.backfill.repeats(s)) this.pending.push(s);
    if (grant) this.pendingGrants.push(grant);
    // A poll of thousands of entries goes into the store in slices: the sightings are kept as the store's
    // own copies, and the captured ones then die young instead of being carried through collections until
    // the frame. What follows from the changes (verification, the view) still happens once per frame.
    if (this.pending.length >= STORE_SLICE) this.storePending();
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.schedule(() => this.flush());
    }
  }

  private storePending(): void {
    if (!this.pending.length && !this.pendingGrants.length) return;
    const batch = this.pending;
    const grants = this.pendingGrants;
    this.pending = [];
    this.pendingGrants = [];
    this.unflushedSince ??= this.store.version;
    this.store.ingest(batch, grants);
  }

  flush(): void {
    this.flushScheduled = false;
    this.storePending();
    const since = this.unflushedSince;
    if (since === undefined) return;
    this.unflushedSince = undefined;
    for (const record of this.store.changedSince(since)) {
      if (!this.verificationRequested.has(record.token)) this.queueVerification(record.token);
    }
    this.notify();
  }

  clear(): void {
    this.store.clear();
    this.recentRequests?.clear();
    this.flows?.clear();
    this.flowSources = [];
    this.backfill.clear();
    // What is still in storage comes back with the next tick.
    this.storageWatch.reset();
    this.verificationRequested.clear();
    this.weakSecretQueue.length = 0;
    this.weakSecretQueued.clear();
    this.pending = [];
    this.pendingGrants = [];
    this.unflushedSince = undefined;
    this.notify();
  }

  /** After the user adds a key: every token is checked again. */
  reverifyAll(): void {
    for (const r of this.store.records()) this.queueVerification(r.token);
  }

  queueVerification(token: string): void {
    this.verificationRequested.add(token);
    this.verifyQueue.push(token);
    if (!this.verifying) void this.drainVerification();
  }

  private async drainVerification(): Promise<void> {
    this.verifying = true;
    try {
      while (this.verifyQueue.length) {
        const token = this.verifyQueue.shift()!;
        if (!this.store.get(token)) continue;
        const verification = await this.worker
          .verify(token)
          .catch((e: unknown): Verification => ({ status: 'error', reason: e instanceof Error ? e.message : String(e) }));
        if (this.store.setVerification(token, verification)) this.notify();
        if (isHmacToken(this.store.get(token)?.decoded)) this.queueWeakSecret(token);
      }
    } finally {
      this.verifying = false;
    }
  }

  private queueWeakSecret(token: string): void {
    if (!this.worker.weakSecret || token.length > MAX_AUTO_WEAK_SECRET_CHARS || this.weakSecretQueued.has(token)) return;
    if (this.store.get(token)?.weakSecret !== undefined) return;
    this.weakSecretQueued.add(token);
    this.weakSecretQueue.push(token);
    if (!this.checkingWeakSecrets) void this.drainWeakSecrets();
  }

  private async drainWeakSecrets(): Promise<void> {
    this.checkingWeakSecrets = true;
    try {
      while (this.weakSecretQueue.length) {
        const token = this.weakSecretQueue.shift()!;
        try {
          if (this.store.get(token)) await this.checkWeakSecret(token).catch(() => undefined);
        } finally {
          this.weakSecretQueued.delete(token);
        }
      }
    } finally {
      this.checkingWeakSecrets = false;
    }
  }

  /** Runs once per distinct HS* token, after its verification; about a second for the whole list. */
  async checkWeakSecret(token: string): Promise<WeakSecretResult | undefined> {
    if (!this.worker.weakSecret) return undefined;
    const result = await this.worker.weakSecret(token);
    if (result.found && result.secret !== undefined && this.store.setWeakSecret(token, result.secret)) this.notify();
    return result;
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}

function isHmacToken(decoded: DecodedToken | undefined): boolean {
  return !!decoded?.ok && decoded.kind === 'jws' && typeof decoded.header.alg === 'string' && /^HS(256|384|512)$/.test(decoded.header.alg);
}

/** Waits for `work`, but no longer than `ms`; the work itself goes on. */
function atMost(work: Promise<unknown>, ms: number): Promise<unknown> {
  return atMostValue(work, ms);
}

/** The value of `work`, or undefined when it fails or takes longer than `ms`. */
function atMostValue<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([work.catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

/**
 * The next animation frame, or 100 ms, whichever comes first: a DevTools panel that is not on screen gets
 * no animation frames at all, and capture must not pile up unprocessed while the user looks elsewhere.
 */
function nextFrameOrSoon(run: () => void): void {
  let ran = false;
  const once = () => {
    if (ran) return;
    ran = true;
    run();
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(once);
  setTimeout(once, 100);
}
