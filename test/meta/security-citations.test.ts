// SECURITY.md's mitigation table names, for every risk, the tests that prove it: the files, and in quotes
// the names of the tests. A renamed or deleted test would leave a citation that is no longer true, so each
// cited file must exist and each quoted name must still be in one of the files its row cites.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const security = readFileSync(resolve(root, 'SECURITY.md'), 'utf8');
const table = security.slice(security.indexOf('| Risk | Mitigation | Proved by |'), security.indexOf('## Reporting a problem'));
const rows = table
  .split('\n')
  .filter((line) => line.startsWith('| ') && !line.startsWith('| Risk') && !line.startsWith('|---'))
  .map((line) => {
    const cells = line.slice(2, -2).split(' | ');
    return { risk: cells[0]!, provedBy: cells[cells.length - 1]! };
  });

const citedFiles = (cell: string) => [...cell.matchAll(/`(test\/[^`]+\.tsx?)`/g)].map((m) => m[1]!);
// A quoted test name; "…" stands for the rest of a long name, so the part before it is what must match.
const citedNames = (cell: string) => [...cell.matchAll(/"([^"]+)"/g)].map((m) => m[1]!.split('…')[0]!.trim()).filter((n) => n.length > 0);

describe('every citation in SECURITY.md’s "Proved by" column is true', () => {
  it('has rows, each citing at least one test file', () => {
    expect(rows.length).toBeGreaterThan(15);
    for (const row of rows) expect(citedFiles(row.provedBy), row.risk).not.toEqual([]);
  });

  it.each(rows.map((r) => [r.risk.slice(0, 70), r] as const))('%s', (_risk, row) => {
    const files = citedFiles(row.provedBy);
    for (const file of files) expect(existsSync(resolve(root, file)), `${file} is cited but does not exist`).toBe(true);
    const sources = files.map((f) => readFileSync(resolve(root, f), 'utf8'));
    for (const name of citedNames(row.provedBy)) {
      expect(
        sources.some((s) => s.includes(name)),
        `"${name}" is quoted in this row but found in none of ${files.join(', ')}`,
      ).toBe(true);
    }
  });
});
