// One table: measure, ours, baseline, ratio, budget, pass.

export interface Row {
  measure: string;
  /** What was measured, in a few words. */
  what: string;
  ours: string;
  baseline: string;
  /** ours / baseline (time), or ours' speed / the baseline's (atLeast); undefined for a size budget. */
  ratio?: number;
  /** The ratio's limit, or a text for size budgets. */
  budget: number | string;
  /** The budget is a floor (a speed), not a ceiling. */
  atLeast?: boolean;
  pass: boolean;
}

export function budgetText(row: Row): string {
  if (typeof row.budget === 'string') return row.budget;
  return `${row.atLeast ? '≥' : '≤'} ${row.budget.toFixed(2)}×`;
}

/** A Markdown table (it reads fine in a terminal too). */
export function table(rows: readonly Row[]): string {
  const head = ['measure', 'ours', 'baseline', 'ratio', 'budget', 'pass'];
  const body = rows.map((r) => [
    `${r.measure} — ${r.what}`,
    r.ours,
    r.baseline,
    r.ratio === undefined ? '—' : `${r.ratio.toFixed(2)}×`,
    budgetText(r),
    r.pass ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => [...b[i]!].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c + ' '.repeat(widths[i]! - [...c].length)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}
