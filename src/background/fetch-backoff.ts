// After a failed fetch, a URL rests before it is tried again: 30 s, doubling per failure, up to 10 min.
// Without it a page that emits many distinct tokens would make the worker fetch once per token from a
// server that is down or refusing (SECURITY.md, "Request bounds").

export const FAILURE_BACKOFF_S = 30;
export const FAILURE_BACKOFF_MAX_S = 600;
/** The worker fetches only URLs the user configured; this bounds the table should that ever change. */
const MAX_TRACKED = 1000;

interface Failure {
  count: number;
  until: number;
  error: unknown;
}

export class FailureBackoff {
  private readonly failures = new Map<string, Failure>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The last failure's error while `key` rests, else undefined (a fetch may go ahead). */
  resting(key: string): { error: unknown } | undefined {
    const f = this.failures.get(key);
    return f && this.now() < f.until ? { error: f.error } : undefined;
  }

  failed(key: string, error: unknown): void {
    const count = (this.failures.get(key)?.count ?? 0) + 1;
    const seconds = Math.min(FAILURE_BACKOFF_S * 2 ** Math.min(count - 1, 20), FAILURE_BACKOFF_MAX_S);
    this.failures.delete(key);
    this.failures.set(key, { count, until: this.now() + seconds * 1000, error });
    if (this.failures.size > MAX_TRACKED) this.failures.delete(this.failures.keys().next().value!);
  }

  succeeded(key: string): void {
    this.failures.delete(key);
  }

  clear(): void {
    this.failures.clear();
  }
}
