// The fuzz pass over every parser of untrusted input. `npm test`: 20,000 cases in all with the recorded
// seeds; `npm run fuzz`: a million (see config.ts). Prints cases run and throws per target.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FULL_PASS, SEED, TOTAL_RUNS } from './config';
import { formatReports, plan, progress, runTarget, Watchdog, type TargetReport } from './runner';
import { TARGETS } from './targets';

describe(`fuzz: ${TOTAL_RUNS.toLocaleString('en')} cases over ${TARGETS.length} parsers of untrusted input`, () => {
  const shares = plan(TARGETS, TOTAL_RUNS);
  const reports: TargetReport[] = [];
  let watchdog: Watchdog;

  beforeAll(() => {
    watchdog = new Watchdog();
    progress(`fuzz: ${TOTAL_RUNS} cases, base seed ${SEED} (target i uses seed ${SEED} + i)`);
  });

  afterAll(async () => {
    await watchdog.stop();
    const summary = formatReports(reports);
    progress(`\n${summary}\n`);
    const runs = reports.reduce((s, r) => s + r.runs, 0);
    const throws = reports.reduce((s, r) => s + r.throws, 0);
    const total = (f: (r: TargetReport) => number) => reports.reduce((s, r) => s + f(r), 0);
    progress(`fuzz: ${runs} cases run, ${throws} throws, ${total((r) => r.violations)} broken promises`);
  });

  it.each(TARGETS.map((t, i) => [t.name, i] as const))(
    '%s: no throw, every invariant holds',
    (_name, i) => {
      const target = TARGETS[i]!;
      const report = runTarget(target, shares[i]!, SEED + i, watchdog);
      reports.push(report);
      if (FULL_PASS) {
        progress(
          `  ${target.name}: ${report.runs} cases in ${(report.elapsedMs / 1000).toFixed(1)} s, ${report.throws} throws, ` +
            `slowest ${report.maxCaseMs.toFixed(1)} ms (${report.maxCaseRetimedMs.toFixed(1)} ms run again alone)`,
        );
      }
      expect(report.failure, report.failure).toBeUndefined();
      expect(report.runs).toBe(shares[i]);
    },
    // A million cases take minutes; the short pass seconds.
    FULL_PASS ? 3_600_000 : 120_000,
  );
});
