// Gzipped JavaScript per entry of the Chrome build: every chunk the entry can load (static and dynamic
// imports; what it loads before it runs is shown too), and the weak-secrets list kept out of every chunk.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Row } from './report';

const KB = 1024;

export interface EntrySize {
  entry: string;
  /** Gzipped bytes of every chunk the entry can load, each file compressed on its own. */
  gzip: number;
  files: string[];
  /** Of those, what is loaded before the page runs (static imports). */
  initialGzip: number;
  initialFiles: string[];
}

/** Static imports of a built chunk: `import … from "./x.js"`, `import "./x.js"`, `export … from "./x.js"`. */
function staticImports(code: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]+from\s*)?["']([^"']+\.js)["']/g;
  for (let m = re.exec(code); m; m = re.exec(code)) out.push(m[1]!);
  return out;
}

/** The entry's module scripts and modulepreloads, resolved against the build root. */
function htmlScripts(dist: string, htmlPath: string): string[] {
  const html = readFileSync(join(dist, htmlPath), 'utf8');
  const out: string[] = [];
  const re = /<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    const src = m[1]!;
    out.push(src.startsWith('/') ? src.slice(1) : join(dirname(htmlPath), src));
  }
  return out;
}

/**
 * Chunks a built chunk may load later: `import("./x.js")`, and Vite's preload list (`__vite__mapDeps`), whose
 * paths are relative to the build root.
 */
function dynamicImports(code: string): string[] {
  const out: string[] = [];
  for (const m of code.matchAll(/\bimport\(\s*["']([^"']+\.js)["']\s*\)/g)) out.push(m[1]!);
  const deps = /__vite__mapDeps=[^\n]*?m\.f=\[([^\]]*)\]/.exec(code);
  if (deps) for (const m of deps[1]!.matchAll(/["']([^"']+\.js)["']/g)) out.push(`/${m[1]!}`);
  return out;
}

function closure(dist: string, roots: string[], withDynamic: boolean): string[] {
  const seen = new Set<string>();
  const queue = roots.map((r) => resolve(dist, r));
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    if (!existsSync(file)) throw new Error(`bundle: ${relative(dist, file)} is referenced but missing`);
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const spec of [...staticImports(code), ...(withDynamic ? dynamicImports(code) : [])]) {
      if (spec.startsWith('.') || spec.startsWith('/'))
        queue.push(spec.startsWith('/') ? resolve(dist, spec.slice(1)) : resolve(dirname(file), spec));
    }
  }
  return [...seen];
}

const gzipSize = (files: readonly string[]) => files.reduce((sum, f) => sum + gzipSync(readFileSync(f), { level: 9 }).length, 0);

export function entrySizes(dist: string): EntrySize[] {
  const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as {
    action?: { default_popup?: string };
    background?: { service_worker?: string };
  };
  const entries: [string, string[]][] = [
    ['popup', htmlScripts(dist, manifest.action!.default_popup!)],
    ['panel', htmlScripts(dist, 'src/devtools/panel.html')],
    ['worker', [manifest.background!.service_worker!]],
  ];
  return entries.map(([entry, roots]) => {
    const files = closure(dist, roots, true);
    const initial = closure(dist, roots, false);
    return {
      entry,
      gzip: gzipSize(files),
      files: files.map((f) => relative(dist, f)),
      initialGzip: gzipSize(initial),
      initialFiles: initial.map((f) => relative(dist, f)),
    };
  });
}

/**
 * The secrets list: shipped as its own asset, the worker names it only by URL, and no JS file carries its
 * text (checked with runs of consecutive lines, in the spellings a bundler would give a string literal).
 */
export function secretsListIsSeparate(dist: string, listPath: string): { ok: boolean; why: string } {
  const assets = join(dist, 'assets');
  const listFile = readdirSync(assets).find((f) => /^jwt\.secrets.*\.list$/.test(f));
  if (!listFile) return { ok: false, why: 'no jwt.secrets*.list asset in the build' };
  const lines = readFileSync(listPath, 'utf8')
    .split('\n')
    .filter((l) => /^[\w!@#$%^&*-]{6,}$/.test(l));
  const probes: string[] = [];
  for (let i = 0; i + 3 < lines.length && probes.length < 40; i += Math.floor(lines.length / 40)) {
    const run = lines.slice(i, i + 3);
    probes.push(run.join('\n'), run.join('\\n'), JSON.stringify(run).slice(1, -1));
  }
  const js = jsFiles(dist);
  for (const f of js) {
    const code = readFileSync(f, 'utf8');
    if (probes.some((p) => code.includes(p))) return { ok: false, why: `${relative(dist, f)} contains the list's text` };
  }
  const referrers = js.filter((f) => readFileSync(f, 'utf8').includes(listFile)).map((f) => relative(dist, f));
  return { ok: true, why: `${listFile} is its own asset, named by ${referrers.join(', ') || 'no JS file'}` };
}

function jsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...jsFiles(p));
    else if (e.name.endsWith('.js')) out.push(p);
  }
  return out;
}

// The worker's was 50 KB until background capture (src/background/capture) brought the capture pipeline
// into it (sightingsFromEntry, HAR normalisation, cookies, the per-tab store: about 9 KB); a service worker
// cannot import() code later, so all of it counts.
const BUDGET_KB: Record<string, number> = { popup: 40, panel: 60, worker: 75 };
/**
 * Pages are judged by what they load before first paint (their static imports); what they load later by
 * `import()` is shown in the row. The worker paints nothing: all it can load counts.
 */
const JUDGED_BEFORE_FIRST_PAINT = new Set(['popup', 'panel']);

export function bundleRows(dist: string): Row[] {
  return entrySizes(dist).map((s) => {
    const budget = BUDGET_KB[s.entry]!;
    if (JUDGED_BEFORE_FIRST_PAINT.has(s.entry)) {
      return {
        measure: 'bundle',
        what: `${s.entry}: gzipped JS loaded before first paint, ${s.initialFiles.length} files (all ${s.files.length} files it can load: ${(s.gzip / KB).toFixed(1)} KB)`,
        ours: `${(s.initialGzip / KB).toFixed(1)} KB`,
        baseline: '—',
        budget: `≤ ${budget} KB`,
        pass: s.initialGzip <= budget * KB,
      };
    }
    return {
      measure: 'bundle',
      what: `${s.entry}: gzipped JS, all ${s.files.length} files it can load (before it runs: ${s.initialFiles.length} files, ${(s.initialGzip / KB).toFixed(1)} KB)`,
      ours: `${(s.gzip / KB).toFixed(1)} KB`,
      baseline: '—',
      budget: `≤ ${budget} KB`,
      pass: s.gzip <= budget * KB,
    };
  });
}
