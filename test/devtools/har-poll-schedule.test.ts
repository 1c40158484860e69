import { describe, expect, it } from 'vitest';
import { HAR_POLL_POLICY, HarPollSchedule, ONCE_HAR_POLL_POLICY } from '../../src/capture/har-poll-schedule';
import { FakePollTimers } from './fake-poll-timers';

const P = HAR_POLL_POLICY;

/** A schedule whose poll costs `cost()` ms of the fake clock and reports `changed()`; records when each poll began. */
function setup(opts: { cost?: () => number; changed?: () => boolean } = {}) {
  const timers = new FakePollTimers();
  const starts: number[] = [];
  let busyMs = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const schedule = new HarPollSchedule(async () => {
    starts.push(timers.now());
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const cost = opts.cost?.() ?? 10;
    busyMs += cost;
    timers.spend(cost);
    await Promise.resolve();
    inFlight--;
    return { changed: opts.changed?.() ?? false };
  }, timers);
  return { timers, schedule, starts, busy: () => busyMs, maxInFlight: () => maxInFlight };
}

/** The waits between the end of one poll and the start of the next. */
function gaps(starts: number[], cost: number): number[] {
  return starts.slice(1).map((s, i) => s - (starts[i]! + cost));
}

describe('HarPollSchedule', () => {
  it('polls on start, then at the shortest interval while the log is cheap and the page active', async () => {
    const { timers, schedule, starts } = setup({ cost: () => 5 });
    await schedule.start();
    expect(starts).toEqual([0]);
    for (let i = 0; i < 5; i++) {
      schedule.noteActivity();
      await timers.advance(P.minMs + 5);
    }
    expect(gaps(starts, 5)).toEqual([P.minMs, P.minMs, P.minMs, P.minMs, P.minMs]);
  });

  it('waits cost × costFactor after an active poll, up to maxMs', async () => {
    for (const [cost, wait] of [
      [100, 100 * P.costFactor],
      [400, 400 * P.costFactor],
      [2000, P.maxMs],
    ] as const) {
      const { timers, schedule, starts } = setup({ cost: () => cost });
      await schedule.start();
      schedule.noteActivity();
      // The clock stands where the opening poll ended.
      await timers.advance(wait - 1);
      expect(starts, `cost ${cost}: not before ${wait} ms`).toHaveLength(1);
      await timers.advance(1);
      expect(starts, `cost ${cost}: at ${wait} ms`).toHaveLength(2);
    }
  });

  it('keeps the time spent polling near 2 % of the clock while the page stays active', async () => {
    for (const cost of [20, 200, 500]) {
      const { timers, schedule, busy } = setup({ cost: () => cost });
      await schedule.start();
      for (let t = 0; t < 600_000; t += 250) {
        schedule.noteActivity();
        await timers.advance(250);
      }
      expect(busy() / timers.now(), `cost ${cost} ms`).toBeLessThanOrEqual(Math.max(cost / (P.minMs + cost), 0.02) + 0.001);
    }
  });

  it('stretches the wait while nothing happens, and an event brings the next poll forward', async () => {
    const { timers, schedule, starts } = setup({ cost: () => 100 });
    await schedule.start();
    // The opening poll found nothing and nothing was noted: quiet.
    expect(schedule.nextDelayMs()).toBe(100 * P.quietCostFactor);
    await timers.advance(100 * P.costFactor + 100);
    expect(starts).toHaveLength(1);
    schedule.noteActivity();
    // Already past what the active wait allows: the poll runs at once.
    await timers.advance(0);
    expect(starts).toHaveLength(2);
  });

  it('skips nothing for long: a quiet page is still polled within quietMaxMs, however large the log', async () => {
    const { timers, schedule, starts } = setup({ cost: () => 3000 });
    await schedule.start();
    await timers.advance(10 * 60_000);
    const waits = gaps(starts, 3000);
    expect(waits.length).toBeGreaterThanOrEqual(Math.floor((10 * 60_000) / (P.quietMaxMs + 3000)));
    for (const w of waits) expect(w).toBe(P.quietMaxMs);
  });

  it('a navigation resets the wait to the shortest: DevTools dropped its log, the next call is cheap', async () => {
    let cost = 1500;
    const { timers, schedule, starts } = setup({ cost: () => cost });
    await schedule.start();
    schedule.noteActivity();
    await timers.advance(5000);
    expect(starts).toHaveLength(1);
    cost = 5;
    schedule.noteNavigation();
    await timers.advance(0);
    // 1.5 s cost + 5 s since: more than minMs after the last poll ended, so at once.
    expect(starts).toEqual([0, 6500]);
    schedule.noteActivity();
    await timers.advance(P.minMs + 5);
    expect(starts).toEqual([0, 6500, 6500 + 5 + P.minMs]);
  });

  it('never has two polls in flight, whatever arrives meanwhile', async () => {
    const timers = new FakePollTimers();
    let release: (() => void) | undefined;
    let calls = 0;
    const schedule = new HarPollSchedule(
      () =>
        new Promise((resolve) => {
          calls++;
          release = () => resolve({ changed: true });
        }),
      timers,
    );
    const started = schedule.start();
    for (let i = 0; i < 5; i++) {
      schedule.noteActivity();
      schedule.noteNavigation();
      await timers.advance(10_000);
    }
    expect(calls).toBe(1);
    // Only the give-up timer of the call in flight.
    expect(timers.timersPending).toBe(1);
    release!();
    await started;
    // That call took 50 s of wall time: the next waits the longest active wait.
    await timers.advance(P.maxMs);
    expect(calls).toBe(2);
  });

  it('gives up on a call that never answers, and goes on polling', async () => {
    const timers = new FakePollTimers();
    let calls = 0;
    const schedule = new HarPollSchedule(() => {
      calls++;
      return calls === 1 ? new Promise(() => {}) : Promise.resolve({ changed: false });
    }, timers);
    const started = schedule.start();
    await timers.advance(P.giveUpMs);
    await started;
    expect(calls).toBe(1);
    // It "cost" giveUpMs and found nothing: the longest quiet wait.
    await timers.advance(P.quietMaxMs);
    expect(calls).toBe(2);
  });

  it('stops: no timer left, and no poll after stop even when one was due', async () => {
    const { timers, schedule, starts } = setup();
    await schedule.start();
    schedule.noteActivity();
    schedule.stop();
    expect(timers.timersPending).toBe(0);
    schedule.noteActivity();
    await timers.advance(120_000);
    expect(starts).toEqual([0]);
  });

  it('a failing poll counts as finding nothing and the schedule goes on', async () => {
    const timers = new FakePollTimers();
    let calls = 0;
    const schedule = new HarPollSchedule(async () => {
      calls++;
      throw new Error('DevTools closing');
    }, timers);
    await schedule.start();
    await timers.advance(P.quietMaxMs);
    expect(calls).toBeGreaterThan(1);
  });

  it('catches an entry no event announces (an unread no-store response) within the quiet bound, in a large log', async () => {
    // A log of 8,000 entries whose getHAR() costs 0.1 ms an entry; one entry is added without any event.
    const log = { size: 8000, added: -1 };
    let seenSize = 8000;
    const timers = new FakePollTimers();
    const found: number[] = [];
    const schedule = new HarPollSchedule(async () => {
      timers.spend(log.size * 0.1);
      const changed = log.size !== seenSize;
      if (changed) found.push(timers.now());
      seenSize = log.size;
      return { changed };
    }, timers);
    await schedule.start();
    await timers.advance(95_000);
    log.size++;
    log.added = timers.now();
    await timers.advance(P.quietMaxMs + 1000);
    expect(found).toHaveLength(1);
    expect(found[0]! - log.added).toBeLessThanOrEqual(P.quietMaxMs + 8001 * 0.1);
  });
});

describe('HarPollSchedule with ONCE_HAR_POLL_POLICY (Firefox: a getHAR() call loses the requests made meanwhile)', () => {
  const once = (answers: ('log' | 'fails' | 'throws')[]) => {
    const timers = new FakePollTimers();
    const starts: number[] = [];
    const schedule = new HarPollSchedule(
      async () => {
        starts.push(timers.now());
        timers.spend(5);
        const answer = answers[starts.length - 1] ?? 'log';
        if (answer === 'throws') throw new Error('DevTools closing');
        return { changed: answer === 'log', failed: answer === 'fails' };
      },
      timers,
      ONCE_HAR_POLL_POLICY,
    );
    return { timers, schedule, starts };
  };

  it('reads the log once: neither events nor navigations nor time bring another call', async () => {
    const { timers, schedule, starts } = once(['log']);
    await schedule.start();
    for (let i = 0; i < 5; i++) {
      schedule.noteActivity();
      schedule.noteNavigation();
      await timers.advance(HAR_POLL_POLICY.quietMaxMs);
    }
    expect(starts).toEqual([0]);
  });

  it('tries a failed call again a second later, until one answers', async () => {
    const { timers, schedule, starts } = once(['fails', 'throws', 'log']);
    await schedule.start();
    await timers.advance(10 * ONCE_HAR_POLL_POLICY.minMs);
    expect(gaps(starts, 5)).toEqual([ONCE_HAR_POLL_POLICY.minMs, ONCE_HAR_POLL_POLICY.minMs]);
  });

  it('gives up after its attempts when no call answers', async () => {
    const { timers, schedule, starts } = once(Array(20).fill('fails'));
    await schedule.start();
    await timers.advance(100 * ONCE_HAR_POLL_POLICY.minMs);
    expect(starts).toHaveLength(ONCE_HAR_POLL_POLICY.attempts);
  });
});
