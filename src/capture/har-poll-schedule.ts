// When the panel asks DevTools for its whole log (`getHAR()`), which it does only to find the requests that
// never fire `onRequestFinished` (unread `Cache-Control: no-store` responses: README, "Performance"). Every
// call carries every entry DevTools holds, so its cost grows with the session: polling once a second burnt
// more than a core with 8,000 entries. Here the wait before the next call grows with what the last one cost
// (its wall time: building, copying and reading the log), so reconciling stays near 1/COST_FACTOR of a
// core whatever the log's size, and it stretches further while nothing happens in the page.
// Firefox calls for a different policy (ONCE_HAR_POLL_POLICY): its network monitor drops, for good, the
// requests that start or finish while it builds a getHAR() answer, and its onRequestFinished has no no-store
// trap to make up for, so the log is read once, when the panel opens (ARCHITECTURE.md, "Firefox loses the
// requests made during getHAR()").
// No browser API in here: the clock and the timers are handed in, so the policy is tested without one.

export interface PollTimers {
  /** Milliseconds, monotonic. */
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface PollOutcome {
  /** Whether the poll passed on anything: a request not seen before, or a later revision of one. */
  changed: boolean;
  /** DevTools gave no log (it was closing, or not ready yet): the poll counts as not made. */
  failed?: boolean;
}

export interface HarPollPolicy {
  /** The shortest wait between two polls (a small log is polled this often). */
  minMs: number;
  /** The longest wait while the page is active (events or a navigation since the last poll). */
  maxMs: number;
  /** The wait is at least this many times the last poll's cost: 50 keeps polling near 2 % of a core. */
  costFactor: number;
  /** While nothing happens, the wait is at least this many times the last cost… */
  quietCostFactor: number;
  /** …and at most this long: an unread no-store request in a quiet page is found within it. */
  quietMaxMs: number;
  /** A call unanswered this long counts as failed, so one that never answers cannot stop the schedule. */
  giveUpMs: number;
  /**
   * Whether polls go on after the first one that answered. Without, events and navigations call for none,
   * and a failed call is tried again after minMs, at most `attempts` calls in all.
   */
  repeat: boolean;
  attempts: number;
}

export const HAR_POLL_POLICY: Readonly<HarPollPolicy> = {
  minMs: 1000,
  // Measured in Chromium 156 (README, "Performance"): a call with 8,000 entries takes about a second and
  // about as much CPU again spread over DevTools and the panel, so 2 % needs waits near a minute there.
  maxMs: 60_000,
  costFactor: 50,
  quietCostFactor: 200,
  quietMaxMs: 120_000,
  giveUpMs: 120_000,
  repeat: true,
  attempts: Number.POSITIVE_INFINITY,
};

/** Firefox's (see the head of this file): the log before the panel opened, read once; events bring the rest. */
export const ONCE_HAR_POLL_POLICY: Readonly<HarPollPolicy> = {
  ...HAR_POLL_POLICY,
  repeat: false,
  // Firefox connects its network monitor on the first getHAR() or listener, and a call made while it connects
  // can fail: a few tries, a second apart.
  attempts: 5,
};

export const realTimers: PollTimers = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Runs `poll` one call at a time (never two in flight: a slow call used to pile up behind the next), first
 * when started, then after a wait chosen from the last call's cost:
 * - active (an event or a navigation was noted since the last poll began, or the last poll found something):
 *   clamp(cost × costFactor, minMs, maxMs);
 * - quiet (nothing noted, the last poll found nothing): clamp(cost × quietCostFactor, minMs, quietMaxMs).
 * A navigation, and an event while a long quiet wait runs, bring the next poll forward to what the active
 * wait allows. A navigation also forgets the last cost: DevTools dropped its log, the next call is cheap.
 */
export class HarPollSchedule {
  private timer: unknown;
  private running = false;
  private stopped = true;
  /** Something happened since the current or last poll began. */
  private noted = false;
  private lastChanged = true;
  private lastFailed = false;
  private lastCostMs = 0;
  private lastStart = 0;
  /** When the timer will fire (on the schedule's clock), if one is set. */
  private dueAt: number | undefined;
  /** How many polls ran, and the waits chosen: for the panel's health line and tests. */
  polls = 0;
  lastDelayMs = 0;

  constructor(
    private readonly poll: () => Promise<PollOutcome>,
    private readonly timers: PollTimers = realTimers,
    private readonly policy: Readonly<HarPollPolicy> = HAR_POLL_POLICY,
  ) {}

  /** Polls now (what DevTools logged before the panel opened), then keeps to the schedule. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.run();
  }

  stop(): void {
    this.stopped = true;
    this.cancel();
  }

  /** A request finished (`onRequestFinished`): the page is active, so a no-store request may sit unread. */
  noteActivity(): void {
    if (this.noted || !this.policy.repeat) return;
    this.noted = true;
    this.reschedule();
  }

  /** The inspected page navigated: DevTools dropped its log (unless preserved), the next call is cheap. */
  noteNavigation(): void {
    if (!this.policy.repeat) return;
    this.noted = true;
    this.lastCostMs = 0;
    this.reschedule();
  }

  /** The wait after the last poll for the current state (active or quiet; a failed call's retry without repeat). */
  nextDelayMs(): number {
    const p = this.policy;
    if (!p.repeat) return p.minMs;
    const quiet = !this.noted && !this.lastChanged;
    return quiet
      ? clamp(this.lastCostMs * p.quietCostFactor, p.minMs, p.quietMaxMs)
      : clamp(this.lastCostMs * p.costFactor, p.minMs, p.maxMs);
  }

  private async run(): Promise<void> {
    if (this.stopped || this.running) return;
    this.cancel();
    this.running = true;
    this.noted = false;
    const started = this.timers.now();
    this.lastStart = started;
    let giveUp: unknown;
    try {
      const outcome = await Promise.race([
        this.poll(),
        new Promise<never>(
          (_, reject) => (giveUp = this.timers.setTimeout(() => reject(new Error('getHAR() did not answer')), this.policy.giveUpMs)),
        ),
      ]);
      this.lastChanged = outcome.changed;
      this.lastFailed = outcome.failed === true;
    } catch {
      // DevTools may be closing; the next poll tries again.
      this.lastChanged = false;
      this.lastFailed = true;
    } finally {
      this.timers.clearTimeout(giveUp);
      this.lastCostMs = Math.max(0, this.timers.now() - started);
      this.polls++;
      this.running = false;
    }
    this.reschedule();
  }

  /** Sets the timer for lastStart + cost + nextDelayMs(), or keeps an earlier one. */
  private reschedule(): void {
    if (this.stopped || this.running) return;
    if (!this.policy.repeat && (this.polls >= this.policy.attempts || (this.polls > 0 && !this.lastFailed))) return;
    const delay = this.nextDelayMs();
    const due = this.lastStart + this.lastCostMs + delay;
    if (this.dueAt !== undefined && this.dueAt <= due) return;
    this.cancel();
    this.lastDelayMs = delay;
    this.dueAt = due;
    this.timer = this.timers.setTimeout(
      () => {
        this.timer = undefined;
        this.dueAt = undefined;
        void this.run();
      },
      Math.max(0, due - this.timers.now()),
    );
  }

  private cancel(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.dueAt = undefined;
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
