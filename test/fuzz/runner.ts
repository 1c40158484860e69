// Runs the fuzz targets with fast-check: seeded, counted, timed per case, and watched for hangs.
//
// - Each target gets its share of the total cases and its own seed (base seed + index), printed, so any
//   run can be replayed: fc.check(property, { seed, path }) with the seed and path a failure prints.
// - A case that throws or breaks an invariant fails the target: fast-check then shrinks it to a small
//   counterexample, which is what the report shows. Time is never a verdict here (tests judge answers; the
//   bench's linear-time row judges speed): the slowest case of each target is only reported, re-timed alone
//   at the end so the report shows what the input itself costs.
// - A case that never returns cannot be timed from the same thread, so a watchdog thread watches a shared
//   counter: when one case has run for HANG_LIMIT_MS it prints the target, seed and case number to stderr
//   and kills the process (a stuck test run is worse than a failed one).
import fc from 'fast-check';
import { writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { HANG_LIMIT_MS } from './config';
import type { FuzzTarget } from './targets';

export interface TargetReport {
  name: string;
  seed: number;
  planned: number;
  /** Cases run before the first failure (all of them when none failed); shrinking not counted. */
  runs: number;
  /** 0 or 1: a target stops at its first failing case. */
  throws: number;
  violations: number;
  /** Slowest case, in ms, as first run (a GC pause or a busy machine included). */
  maxCaseMs: number;
  /** The slowest case run again, alone (best of 3): what the input itself costs. */
  maxCaseRetimedMs: number;
  elapsedMs: number;
  failure?: string;
}

// The watchdog: a plain-JavaScript thread (no TypeScript, no imports of the code under test).
const WATCHDOG_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const state = new Int32Array(workerData.buffer); // [0] case serial, [1] 1 while a case runs
let label = '';
parentPort.on('message', (m) => { label = m; });
let seen = -1;
let since = Date.now();
setInterval(() => {
  const serial = Atomics.load(state, 0);
  if (serial !== seen || Atomics.load(state, 1) === 0) { seen = serial; since = Date.now(); return; }
  if (Date.now() - since < workerData.limit) return;
  writeSync(2, '\\n*** FUZZ HANG: one case of ' + label + ' has run for ' + Math.round((Date.now() - since) / 1000) +
    ' s (case serial ' + serial + ' counts from 1, shrinking included). Replay it with the seed above and ' +
    'path "' + (serial - 1) + '" if it hung before any failure. Killing the run. ***\\n');
  process.kill(process.pid, 'SIGKILL');
}, 250).unref();
`;

export class Watchdog {
  private readonly state = new Int32Array(new SharedArrayBuffer(8));
  private readonly worker: Worker;

  constructor(limitMs = HANG_LIMIT_MS) {
    this.worker = new Worker(WATCHDOG_SOURCE, { eval: true, workerData: { buffer: this.state.buffer, limit: limitMs } });
    this.worker.unref();
  }

  watch(label: string): void {
    this.worker.postMessage(label);
    Atomics.store(this.state, 0, 0);
  }

  enter(): void {
    Atomics.add(this.state, 0, 1);
    Atomics.store(this.state, 1, 1);
  }

  leave(): void {
    Atomics.store(this.state, 1, 0);
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}${e.stack ? `\n${e.stack.split('\n').slice(1, 6).join('\n')}` : ''}`;
  return String(e);
}

function preview(value: unknown): string {
  let text: string;
  try {
    text = fc.stringify(value);
  } catch {
    text = String(value);
  }
  return text.length > 600 ? `${text.slice(0, 600)}… (${text.length} chars)` : text;
}

/** A case this fast needs no second timing for the report. */
const REPORT_RETIME_BELOW_MS = 100;

/** Runs one target for `runs` cases with `seed`. */
export function runTarget<T>(target: FuzzTarget<T>, runs: number, seed: number, watchdog?: Watchdog): TargetReport {
  const report: TargetReport = {
    name: target.name,
    seed,
    planned: runs,
    runs: 0,
    throws: 0,
    violations: 0,
    maxCaseMs: 0,
    maxCaseRetimedMs: 0,
    elapsedMs: 0,
  };
  let slowestInput: { value: T } | undefined;
  const timeAlone = (input: T): number => {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      try {
        target.check(input);
      } catch {
        // reported by the property
      }
      best = Math.min(best, performance.now() - t);
      if (best <= REPORT_RETIME_BELOW_MS) break;
    }
    return best;
  };
  let lastKind: 'throw' | 'violation' | undefined;
  let lastMessage = '';
  watchdog?.watch(`${target.name} (seed ${seed})`);
  const property = fc.property(target.arbitrary, (input) => {
    watchdog?.enter();
    const t0 = performance.now();
    let problem: string | undefined;
    let threw: unknown;
    let didThrow = false;
    try {
      problem = target.check(input);
    } catch (e) {
      threw = e;
      didThrow = true;
    } finally {
      watchdog?.leave();
    }
    const ms = performance.now() - t0;
    if (ms > report.maxCaseMs) {
      report.maxCaseMs = ms;
      slowestInput = { value: input };
    }
    if (didThrow) {
      lastKind = 'throw';
      lastMessage = describeError(threw);
      return false;
    }
    if (problem !== undefined) {
      lastKind = 'violation';
      lastMessage = problem;
      return false;
    }
    return true;
  });
  const t0 = performance.now();
  const details = fc.check(property, { numRuns: runs, seed, endOnFailure: false, markInterruptAsFailure: true });
  report.elapsedMs = performance.now() - t0;
  report.runs = details.numRuns;
  if (slowestInput) report.maxCaseRetimedMs = timeAlone(slowestInput.value);
  if (details.failed) {
    // What the shrunk counterexample did (the last predicate call that failed is the smallest one).
    const kind = lastKind ?? 'throw';
    if (kind === 'throw') report.throws = 1;
    else report.violations = 1;
    const error = details.errorInstance ? describeError(details.errorInstance) : '';
    report.failure =
      `${target.name}: ${kind === 'throw' ? 'THREW' : 'BROKE A PROMISE'} — ${lastMessage || error}\n` +
      `  replay: seed ${details.seed}, path "${details.counterexamplePath ?? ''}" (after ${details.numRuns} runs, ${details.numShrinks} shrinks)\n` +
      `  counterexample: ${preview(details.counterexample?.[0])}`;
  }
  return report;
}

/** Splits `total` cases over the targets by weight; every target gets at least one case. */
export function plan(targets: readonly { weight: number }[], total: number): number[] {
  const sum = targets.reduce((s, t) => s + t.weight, 0);
  const shares = targets.map((t) => Math.max(1, Math.floor((total * t.weight) / sum)));
  shares[0]! += Math.max(0, total - shares.reduce((s, n) => s + n, 0));
  return shares;
}

export function formatReports(reports: readonly TargetReport[]): string {
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  const lines = [
    `${'target'.padEnd(26)}${pad('seed', 12)}${pad('cases', 10)}${pad('throws', 8)}${pad('broken', 8)}${pad('max ms', 9)}${pad('re-run', 9)}${pad('total s', 9)}`,
  ];
  for (const r of reports) {
    lines.push(
      `${r.name.padEnd(26)}${pad(r.seed, 12)}${pad(r.runs, 10)}${pad(r.throws, 8)}${pad(r.violations, 8)}${pad(r.maxCaseMs.toFixed(1), 9)}${pad(r.maxCaseRetimedMs.toFixed(1), 9)}${pad((r.elapsedMs / 1000).toFixed(1), 9)}`,
    );
  }
  const sum = (f: (r: TargetReport) => number) => reports.reduce((s, r) => s + f(r), 0);
  const max = (f: (r: TargetReport) => number) => Math.max(0, ...reports.map(f));
  lines.push(
    `${'TOTAL'.padEnd(26)}${pad('', 12)}${pad(
      sum((r) => r.runs),
      10,
    )}${pad(
      sum((r) => r.throws),
      8,
    )}${pad(
      sum((r) => r.violations),
      8,
    )}${pad(max((r) => r.maxCaseMs).toFixed(1), 9)}${pad(max((r) => r.maxCaseRetimedMs).toFixed(1), 9)}${pad((sum((r) => r.elapsedMs) / 1000).toFixed(1), 9)}`,
    '(max ms: the slowest case as first run; re-run: that case alone, best of 3 — information, never a verdict)',
  );
  for (const r of reports) if (r.failure) lines.push('', r.failure);
  return lines.join('\n');
}

/** Progress on stderr for long runs (vitest buffers console output until a test ends). */
export function progress(line: string): void {
  writeSync(2, `${line}\n`);
}
