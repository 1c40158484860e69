// Linear time on hostile input: the findTokens cases of test/fuzz/scaling.ts (long runs of "eyJ", of dots, of
// base64url without dots, near-miss headers) at two sizes ten times apart. (decodeToken's cases refuse or
// decode 1 MB in well under 5 ms, too fast to judge: the tests check their answers.) Linear is a ratio of about 10, quadratic
// about 100; the budget is loose (40) because 1 MB fits in the CPU cache and 10 MB does not. A case whose
// large input takes under 5 ms says nothing about the algorithm (a memchr-speed pass) and is not judged.
import { FIND_CASES, MB, measure, type ScalingResult } from '../fuzz/scaling';
import type { Row } from './report';

const SAMPLES = 5;
const BOUND = 40;
const TOO_FAST_TO_JUDGE_MS = 5;

const judged = (r: ScalingResult) => r.largeMs >= TOO_FAST_TO_JUDGE_MS;

function row(what: string, results: ScalingResult[]): Row {
  const worst = results.reduce((a, b) => ((judged(b) ? b.ratio : 0) > (judged(a) ? a.ratio : 0) ? b : a));
  return {
    measure: 'linear time',
    what: `${what}, worst of ${results.length} hostile inputs: ${worst.name}`,
    ours: `${worst.largeMs.toFixed(1)} ms`,
    baseline: `${worst.smallMs.toFixed(1)} ms (input ÷ 10)`,
    ratio: worst.ratio,
    budget: BOUND,
    pass: results.every((r) => !r.problem && (!judged(r) || r.ratio <= BOUND)),
  };
}

export function linearTimeRows(): { rows: Row[]; notes: string[] } {
  const find = FIND_CASES.map((c) => measure(c, MB, 10 * MB, SAMPLES));
  const problems = find.filter((r) => r.problem).map((r) => r.problem!);
  return {
    rows: [row('findTokens, 10 MB against 1 MB', find)],
    notes: problems.map((p) => `linear time: wrong answer: ${p}`),
  };
}
