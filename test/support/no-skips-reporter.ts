// Under CI=true nothing may skip: a skipped test is a promise left unchecked, and a green run that skipped
// it says more than it proved. It also closes the run with the plain line CI reads
// ("vitest: N passed, N failed, N skipped"). This reporter lists every skipped test and fails the run when CI=true; on a
// developer's machine it only lists them (a missing browser skips loudly there, see
// test/e2e/harness/browsers.ts).
import type { Reporter, TestModule } from 'vitest/node';

export default class NoSkipsReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skipped: string[] = [];
    let passed = 0;
    let failed = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        if (state === 'skipped')
          skipped.push(`${test.project.name} › ${module.moduleId.replace(`${process.cwd()}/`, '')} › ${test.fullName}`);
      }
    }
    process.stdout.write(`\nvitest: ${passed} passed, ${failed} failed, ${skipped.length} skipped\n`);
    if (!skipped.length) return;
    const ci = process.env.CI === 'true';
    process.stderr.write(
      `\n${ci ? 'FAILED: CI=true and' : 'Note:'} ${skipped.length} test(s) skipped:\n${skipped.map((s) => `  - ${s}`).join('\n')}\n`,
    );
    if (ci) process.exitCode = 1;
  }
}
