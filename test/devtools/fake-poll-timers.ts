// A clock and timers the test moves by hand, for the getHAR() schedule (src/capture/har-poll-schedule.ts).
// A poll "costs" time by advancing this clock while it runs, the way a real call's wall time passes.
import type { PollTimers } from '../../src/capture/har-poll-schedule';

interface Pending {
  id: number;
  at: number;
  run: () => void;
}

export class FakePollTimers implements PollTimers {
  private time = 0;
  private nextId = 1;
  private pending: Pending[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(run: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.push({ id, at: this.time + Math.max(0, ms), run });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }

  /** Time passing inside a call (its cost): no timer fires meanwhile, as none would while JS runs. */
  spend(ms: number): void {
    this.time += ms;
  }

  /** Moves the clock to now + ms, firing each timer due on the way, in order, and letting its promises settle. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await settle();
      const due = this.pending.filter((p) => p.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.pending = this.pending.filter((p) => p !== due);
      this.time = Math.max(this.time, due.at);
      due.run();
    }
    this.time = Math.max(this.time, end);
    await settle();
  }

  get timersPending(): number {
    return this.pending.length;
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
