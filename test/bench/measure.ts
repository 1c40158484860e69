// Timing on a shared, noisy machine: both sides of a comparison run in the same process, interleaved (one
// round = ours then the baseline, or the other way round, alternating), after warm-up runs, with a GC before
// every sample when node runs with --expose-gc. The result is the median of each side, and the median of
// the per-round ratios: a slow spell that hits a round hits both of its halves, and the median drops the
// rounds where it hit only one.

export interface Comparison {
  /** Median milliseconds per run. */
  ours: number;
  base: number;
  /** Median of the per-round ours / base ratios. */
  ratio: number;
  rounds: number;
}

export interface CompareOptions {
  warmup?: number;
  rounds?: number;
  /** Stop adding rounds after this long (the minimum of 5 rounds still runs). */
  maxMs?: number;
}

const gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc;

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function timeOnce(fn: () => unknown): Promise<number> {
  gc?.();
  const t0 = performance.now();
  const r = fn();
  if (r && typeof (r as Promise<unknown>).then === 'function') await r;
  return performance.now() - t0;
}

export async function compare(ours: () => unknown, base: () => unknown, options: CompareOptions = {}): Promise<Comparison> {
  const { warmup = 3, rounds = 15, maxMs = 20_000 } = options;
  for (let i = 0; i < warmup; i++) {
    await timeOnce(ours);
    await timeOnce(base);
  }
  const o: number[] = [];
  const b: number[] = [];
  const ratios: number[] = [];
  const started = performance.now();
  for (let i = 0; i < rounds; i++) {
    let to: number;
    let tb: number;
    if (i % 2 === 0) {
      to = await timeOnce(ours);
      tb = await timeOnce(base);
    } else {
      tb = await timeOnce(base);
      to = await timeOnce(ours);
    }
    o.push(to);
    b.push(tb);
    ratios.push(to / tb);
    if (i >= 4 && performance.now() - started > maxMs) break;
  }
  return { ours: median(o), base: median(b), ratio: median(ratios), rounds: o.length };
}
