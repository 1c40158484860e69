// `npm run bench`: every performance budget, measured against its baseline in the same run, as one table.
// Exits 1 when a budget is missed, 2 when a measure could not run. Run with node --expose-gc --import tsx
// (package.json does): a GC before each timed sample keeps one sample's garbage out of the next.
import { resolve } from 'node:path';
import { bundleRows, secretsListIsSeparate } from './bundle';
import { browserMeasures } from './browser';
import { popupOpenMeasure } from './popup';
import { storageWatchMeasure } from './storage-watch';
import { linearTimeRows } from './linear-time';
import { idleCpuMeasure } from './idle-cpu';
import { decodeMeasure, ingestMeasure, scanMeasure, SECRETS_LIST, verifyMeasure, weakSecretMeasure } from './node-measures';
import { table, type Row } from './report';
import { captureMeasure } from './capture';

const DIST = resolve(import.meta.dirname, '../../dist/chrome');
/**
 * `npm run bench -- verify ingest` (or `BENCH_ONLY=verify,ingest npm run bench`) runs only the measures named
 * (to work on one); none named runs all.
 */
const only = new Set([...process.argv.slice(2), ...(process.env.BENCH_ONLY ?? '').split(',').filter(Boolean)]);

async function main(): Promise<number> {
  const started = performance.now();
  if (!(globalThis as { gc?: unknown }).gc) console.error('note: run with node --expose-gc for steadier numbers (npm run bench does)');
  const rows: Row[] = [];
  const notes: string[] = [];
  const step = async (name: string, run: () => Promise<Row | Row[]>) => {
    if (only.size > 0 && !only.has(name.split(' ')[0]!)) return;
    const t = performance.now();
    process.stderr.write(`${name}… `);
    const got = await run();
    rows.push(...(Array.isArray(got) ? got : [got]));
    process.stderr.write(`${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  };
  await step('decode', decodeMeasure);
  await step('scan', scanMeasure);
  await step('ingest', ingestMeasure);
  await step('linear time', async () => {
    const r = linearTimeRows();
    notes.push(...r.notes);
    return r.rows;
  });
  await step('capture', captureMeasure);
  await step('verify', verifyMeasure);
  await step('weak secret', weakSecretMeasure);
  await step('browser (list render, filter, memory)', async () => {
    const r = await browserMeasures();
    notes.push(...r.notes);
    return r.rows;
  });
  await step('popup open', async () => {
    const r = await popupOpenMeasure();
    notes.push(...r.notes);
    return r.rows;
  });
  await step('idle-cpu', async () => {
    const r = await idleCpuMeasure();
    notes.push(...r.notes);
    return r.rows;
  });
  await step('storage-watch', async () => {
    const r = await storageWatchMeasure();
    notes.push(...r.notes);
    return r.rows;
  });
  await step('bundle', async () => {
    const separate = secretsListIsSeparate(DIST, SECRETS_LIST);
    notes.push(`secrets list in the build: ${separate.why}`);
    return [
      ...bundleRows(DIST),
      {
        measure: 'bundle',
        what: 'secrets list in no JS chunk',
        ours: separate.ok ? 'separate' : 'INLINED',
        baseline: '—',
        budget: 'not inlined',
        pass: separate.ok,
      },
    ];
  });
  // The browser's rows are shown after the Node ones, the bundle's last, in the order of the issue.
  console.log(table(rows));
  for (const n of notes) console.log(`- ${n}`);
  const missed = rows.filter((r) => !r.pass);
  console.log(
    missed.length === 0
      ? `All ${rows.length} budgets met (${((performance.now() - started) / 1000).toFixed(0)} s).`
      : `${missed.length} of ${rows.length} budgets missed: ${missed.map((r) => r.measure).join(', ')}.`,
  );
  return missed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(2);
  },
);
