// What can reach the extension from outside, read from what ships (dist/chrome, dist/firefox; `npm test`
// builds first, and a missing build fails here):
// - no listener for other extensions or web pages (runtime.onMessageExternal / onConnectExternal);
// - the worker's list of its own pages (src/background/own-pages.ts) is exactly the pages built, so a new
//   page cannot be added without deciding whether the worker answers it;
// - the bench's hook that feeds requests to the panel opened as a tab is not in the store builds.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { OWN_PAGE_PATHS } from '../../src/background/own-pages';

const ROOT = resolve(import.meta.dirname, '../..');
const BUILDS = { chrome: resolve(ROOT, 'dist/chrome'), firefox: resolve(ROOT, 'dist/firefox') } as const;
/** The DOM event of src/devtools/panel.tsx that the bench build listens to (README, "The panel as a tab"). */
const BENCH_HOOK = 'jwt-inspector:feed-requests';

function filesUnder(dir: string): string[] {
  if (!existsSync(join(dir, 'manifest.json')))
    throw new Error(`${relative(ROOT, dir)} is not built: run \`npm run build\` first (\`npm test\` does).`);
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  return walk(dir).map((p) => relative(dir, p).split('\\').join('/'));
}

const scripts = (dir: string) =>
  filesUnder(dir)
    .filter((f) => /\.m?js$/.test(f))
    .map((f) => ({ file: f, text: readFileSync(join(dir, f), 'utf8') }));

describe.each(Object.entries(BUILDS))('the %s build', (_browser, dir) => {
  it('registers runtime listeners, and none for other extensions or pages (onMessageExternal, onConnectExternal)', () => {
    const all = scripts(dir);
    // The scan sees the worker's own listeners: property names survive minification.
    expect(
      all.some((s) => /onMessage\.addListener/.test(s.text)),
      'the worker listens with runtime.onMessage',
    ).toBe(true);
    expect(
      all.some((s) => /onConnect\.addListener/.test(s.text)),
      'the worker listens with runtime.onConnect',
    ).toBe(true);
    // Any use of the external events; webextension-polyfill's table of wrapped events (`onMessageExternal:`,
    // an object key) is a definition, not a use.
    const external = all.flatMap((s) =>
      [...s.text.matchAll(/on(?:Message|Connect)External\b(?!\s*:)/g)].map(
        (m) => `${s.file}: …${s.text.slice(Math.max(0, m.index - 60), m.index + 60)}…`,
      ),
    );
    expect(external).toEqual([]);
  });

  it('builds exactly the pages the worker answers', () => {
    const pages = filesUnder(dir)
      .filter((f) => f.endsWith('.html'))
      .map((f) => `/${f}`);
    expect(pages.sort()).toEqual([...OWN_PAGE_PATHS].sort());
  });

  it(`does not contain the bench's feed hook (${BENCH_HOOK})`, () => {
    const offenders = filesUnder(dir).filter((f) => readFileSync(join(dir, f)).includes(BENCH_HOOK));
    expect(offenders).toEqual([]);
  });
});
