// What the built extension is allowed to do, read from what ships: dist/chrome and dist/firefox. `npm test`
// builds first; a missing build fails here (it is never skipped), since an unchecked build is the risk.
//
// - The permissions are pinned. Adding one — or a host permission, a content script, a CSP override —
//   must be a visible decision: this test fails until the lists below are updated deliberately, in the
//   same change, with SECURITY.md.
// - Every JS and HTML file is scanned for the ways to turn text into code or markup (eval, new Function,
//   innerHTML, document.write, …) and for code loaded from elsewhere. Known exception: Preact's renderer
//   assigns innerHTML for the `dangerouslySetInnerHTML` prop, and only for it; the extension never uses
//   that prop (asserted over src/ below), so the branch is dead code. Exactly those occurrences are
//   allowed, nothing else.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const BUILDS = { chrome: resolve(ROOT, 'dist/chrome'), firefox: resolve(ROOT, 'dist/firefox') } as const;

// ---- The pinned lists: update these deliberately (and SECURITY.md with them) -----------------------------
/** `permissions`: storage for the key store; activeTab + scripting for the popup's "tokens on this page"
 * (the active tab's storage, read only when the user clicks); contextMenus for "Decode with JWT Inspector";
 * webRequest for background capture, which sees only the sites whose host access the user granted. */
const PERMISSIONS = ['storage', 'activeTab', 'scripting', 'contextMenus', 'webRequest'];
/** `optional_host_permissions`: asked per origin when the user adds a JWKS URL or an issuer, or watches a site. */
const OPTIONAL_HOST_PERMISSIONS = ['https://*/*', 'http://127.0.0.1/*', 'http://localhost/*', 'http://[::1]/*'];
/** Keys that widen what the extension can reach or what can reach it: absent. */
const ABSENT_KEYS = [
  'host_permissions',
  'content_scripts',
  'content_security_policy',
  'web_accessible_resources',
  'externally_connectable',
  'sandbox',
  'optional_permissions',
];
// -------------------------------------------------------------------------------------------------------

const UPDATE = 'update the pinned list in test/meta/extension-security.test.ts deliberately (and SECURITY.md)';

function requireBuilt(dir: string): string {
  if (!existsSync(join(dir, 'manifest.json'))) {
    throw new Error(
      `${relative(ROOT, dir)} is not built: run \`npm run build\` first (\`npm test\` does). The security checks read the build.`,
    );
  }
  return dir;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

type Manifest = Record<string, unknown> & { permissions?: string[]; optional_host_permissions?: string[] };
const readManifest = (file: string): Manifest => JSON.parse(readFileSync(file, 'utf8')) as Manifest;

const manifests: [string, () => Manifest][] = [
  ['manifest.json (source)', () => readManifest(join(ROOT, 'manifest.json'))],
  ['dist/chrome/manifest.json', () => readManifest(join(requireBuilt(BUILDS.chrome), 'manifest.json'))],
  ['dist/firefox/manifest.json', () => readManifest(join(requireBuilt(BUILDS.firefox), 'manifest.json'))],
];

describe('the manifest asks for the pinned permissions and nothing more', () => {
  it.each(manifests)('%s: permissions', (_name, read) => {
    expect([...(read().permissions ?? [])].sort(), `permissions changed: ${UPDATE}`).toEqual([...PERMISSIONS].sort());
  });

  it.each(manifests)('%s: optional host permissions only, no host permission at install', (_name, read) => {
    const m = read();
    expect([...(m.optional_host_permissions ?? [])].sort(), `optional_host_permissions changed: ${UPDATE}`).toEqual(
      [...OPTIONAL_HOST_PERMISSIONS].sort(),
    );
    const hosts = m.host_permissions as unknown[] | undefined;
    expect(hosts === undefined || hosts.length === 0, `host_permissions grants host access at install: ${UPDATE}`).toBe(true);
    // A host pattern slipped into `permissions` (MV2 style) would be granted at install too.
    expect(
      (m.permissions ?? []).filter((p) => p.includes('://') || p === '<all_urls>'),
      `a host pattern in permissions: ${UPDATE}`,
    ).toEqual([]);
  });

  it.each(manifests)('%s: no standing content script, no CSP override, nothing exposed to pages', (_name, read) => {
    const m = read();
    for (const key of ABSENT_KEYS) {
      if (key === 'host_permissions') continue; // checked above (an empty list is fine)
      expect(m[key], `"${key}" appeared in the manifest: ${UPDATE}`).toBeUndefined();
    }
  });

  it('both builds ship the same permissions', () => {
    const chrome = manifests[1]![1]();
    const firefox = manifests[2]![1]();
    for (const key of [
      'permissions',
      'optional_host_permissions',
      'host_permissions',
      'content_scripts',
      'content_security_policy',
    ] as const) {
      expect(firefox[key], key).toEqual(chrome[key]);
    }
  });
});

// ---- What the shipped code contains ---------------------------------------------------------------------

interface Rule {
  what: string;
  pattern: RegExp;
  /** Only in these file kinds. */
  kinds: ('js' | 'html' | 'css')[];
}

const RULES: Rule[] = [
  // A bare eval( or window/globalThis/self.eval(: a method *definition* named eval (`eval(t){…}`, the panel's
  // wrapper of devtools.inspectedWindow.eval) and calls of it (`api.eval(…)`) are not JavaScript's eval.
  { what: 'eval(', pattern: /(?:(?<![.\w$])|\b(?:window|globalThis|self)\.)eval\s*\((?![^()]*\)\s*\{)/g, kinds: ['js', 'html'] },
  { what: 'new Function', pattern: /\bnew\s+Function\s*\(/g, kinds: ['js', 'html'] },
  { what: 'Function(…) constructor call', pattern: /(?<![.\w$])Function\s*\(\s*["'`]/g, kinds: ['js', 'html'] },
  { what: 'string passed to setTimeout/setInterval', pattern: /\bset(?:Timeout|Interval)\s*\(\s*["'`]/g, kinds: ['js', 'html'] },
  { what: 'innerHTML', pattern: /innerHTML/g, kinds: ['js', 'html'] },
  { what: 'outerHTML', pattern: /outerHTML\s*=/g, kinds: ['js', 'html'] },
  { what: 'insertAdjacentHTML', pattern: /insertAdjacentHTML/g, kinds: ['js', 'html'] },
  { what: 'createContextualFragment', pattern: /createContextualFragment/g, kinds: ['js', 'html'] },
  { what: 'srcdoc', pattern: /srcdoc/g, kinds: ['js', 'html'] },
  { what: 'document.write', pattern: /document\.write(?:ln)?\s*\(/g, kinds: ['js', 'html'] },
  // Code from elsewhere: <script src="http…">, import("http…"), importScripts('http…'), static imports,
  // protocol-relative URLs too.
  { what: 'remote <script src>', pattern: /<script\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?\/\//gi, kinds: ['html', 'js'] },
  { what: 'remote <link href>', pattern: /<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?\/\//gi, kinds: ['html', 'js'] },
  { what: 'remote import()', pattern: /\bimport\s*\(\s*["'`](?:https?:)?\/\//g, kinds: ['js', 'html'] },
  { what: 'remote static import', pattern: /(?:\bfrom|\bimport)\s*["'`](?:https?:)?\/\//g, kinds: ['js', 'html'] },
  { what: 'remote importScripts', pattern: /\bimportScripts\s*\([^)]*["'`](?:https?:)?\/\//g, kinds: ['js'] },
  {
    what: 'remote CSS @import or url()',
    pattern: /@import\s+(?:url\()?\s*["']?(?:https?:)?\/\/|url\(\s*["']?(?:https?:)?\/\//gi,
    kinds: ['css'],
  },
  // The default extension CSP blocks these anyway; shipping one means a page that silently does not work.
  { what: 'inline <script> without src', pattern: /<script\b(?![^>]*\bsrc\s*=)[^>]*>/gi, kinds: ['html'] },
  { what: 'inline event handler attribute', pattern: /<[a-z][^>]*\son[a-z]+\s*=/gi, kinds: ['html'] },
  { what: 'javascript: URL', pattern: /\b(?:href|src|action)\s*=\s*["']?\s*javascript:/gi, kinds: ['html'] },
];

/**
 * The allowed occurrences, each with why. Preact's renderer (bundled in assets/ui-*.js, a chunk group of
 * vite.config.ts) reads and assigns `innerHTML` only in its `dangerouslySetInnerHTML` branch:
 * `f.__html==e.innerHTML` and `e.innerHTML=f.__html`. An occurrence counts as that branch only when `__html` is right beside it.
 * web-ext lint reports the same line (README, "Lint": the one expected warning).
 */
const ALLOWED: { what: string; file: RegExp; count: number; beside: RegExp; why: string }[] = [
  {
    what: 'innerHTML',
    file: /^assets\/ui-[\w-]+\.js$/,
    count: 2,
    beside: /__html/,
    why: "Preact's dangerouslySetInnerHTML branch; src/ never passes that prop",
  },
];

function kindOf(file: string): 'js' | 'html' | 'css' | undefined {
  if (/\.(?:m?js)$/.test(file)) return 'js';
  if (/\.html?$/.test(file)) return 'html';
  if (/\.css$/.test(file)) return 'css';
  return undefined;
}

interface Hit {
  file: string;
  what: string;
  index: number;
  context: string;
}

function scan(dir: string): { hits: Hit[]; scanned: string[] } {
  const hits: Hit[] = [];
  const scanned: string[] = [];
  for (const path of filesUnder(dir)) {
    const file = relative(dir, path).split('\\').join('/');
    const kind = kindOf(file);
    if (!kind) continue;
    scanned.push(file);
    const text = readFileSync(path, 'utf8');
    for (const rule of RULES) {
      if (!rule.kinds.includes(kind)) continue;
      for (const m of text.matchAll(rule.pattern)) {
        const index = m.index ?? 0;
        hits.push({ file, what: rule.what, index, context: text.slice(Math.max(0, index - 60), index + 60) });
      }
    }
  }
  return { hits, scanned };
}

describe.each(Object.entries(BUILDS))('the %s build turns no text into code or markup, and loads no remote code', (_browser, dir) => {
  const result = () => scan(requireBuilt(dir));

  it('has JavaScript and HTML to scan', () => {
    const { scanned } = result();
    expect(scanned.filter((f) => f.endsWith('.js')).length).toBeGreaterThan(3);
    expect(scanned.filter((f) => f.endsWith('.html')).length).toBeGreaterThanOrEqual(4);
  });

  it('contains none of the forbidden constructs, but for the known, justified ones', () => {
    const { hits } = result();
    const unexplained: string[] = [];
    for (const allow of ALLOWED) {
      const mine = hits.filter((h) => h.what === allow.what && allow.file.test(h.file));
      const justified = mine.filter((h) => allow.beside.test(h.context));
      // Exactly the known occurrences: one more (or one less, i.e. a different renderer) is a new decision.
      expect(justified.length, `${allow.what} in ${allow.file}: expected exactly ${allow.count} (${allow.why})`).toBe(allow.count);
      for (const h of justified) hits.splice(hits.indexOf(h), 1);
    }
    for (const h of hits) unexplained.push(`${h.file}: ${h.what} …${h.context.replace(/\s+/g, ' ')}…`);
    expect(unexplained, 'forbidden constructs in the build').toEqual([]);
  });

  it('every page loads only files that ship with it', () => {
    for (const path of filesUnder(dir).filter((p) => p.endsWith('.html'))) {
      const html = readFileSync(path, 'utf8');
      for (const m of html.matchAll(/\b(?:src|href)\s*=\s*["']([^"']+)["']/g)) {
        const ref = m[1]!;
        expect(ref.startsWith('/') || ref.startsWith('.'), `${relative(dir, path)} refers to ${ref}`).toBe(true);
        const target = ref.startsWith('/') ? join(dir, ref) : resolve(path, '..', ref);
        expect(existsSync(target), `${relative(dir, path)} refers to ${ref}, which is not in the build`).toBe(true);
      }
    }
  });
});

describe('the source never asks for raw markup', () => {
  const SRC = resolve(ROOT, 'src');
  const sources = () => filesUnder(SRC).filter((f) => /\.(?:tsx?|html)$/.test(f));

  it('has sources to check', () => {
    expect(sources().length).toBeGreaterThan(10);
  });

  it("no dangerouslySetInnerHTML anywhere in src/ (which keeps Preact's innerHTML branch dead)", () => {
    const offenders = sources().filter((f) => readFileSync(f, 'utf8').includes('dangerouslySetInnerHTML'));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('devtools.inspectedWindow.eval runs only fixed expressions (module constants), never text from a page', () => {
    const calls: { file: string; arg: string }[] = [];
    for (const f of sources()) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/\.eval\s*(?:<[^>]*>)?\s*\(\s*([^,)]*)/g))
        calls.push({ file: relative(ROOT, f).split('\\').join('/'), arg: m[1]!.trim() });
    }
    expect(calls.length, 'the panel snapshots page storage through inspectedWindow.eval').toBeGreaterThan(0);
    // The wrapper (devtools-api.ts) passes its parameter through; every other call passes a constant.
    const unsafe = calls.filter((c) => !(c.file === 'src/devtools/panel/devtools-api.ts' || /^[A-Z][A-Z0-9_]*$/.test(c.arg)));
    expect(unsafe).toEqual([]);
    // evalWith (devtools-api.ts) runs a constant function with a JSON argument: the function must be a constant.
    const withArg: { file: string; fn: string }[] = [];
    for (const f of sources()) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\bevalWith\s*(?:<[^>]*>)?\s*\(\s*[^,]*,\s*([^,)]*)/g))
        withArg.push({ file: relative(ROOT, f).split('\\').join('/'), fn: m[1]!.trim() });
    }
    expect(withArg.length, 'the workbench replays through evalWith').toBeGreaterThan(0);
    expect(withArg.filter((c) => c.file !== 'src/devtools/panel/devtools-api.ts' && !/^[A-Z][A-Z0-9_]*$/.test(c.fn))).toEqual([]);
  });
});
