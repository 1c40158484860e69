#!/usr/bin/env node
// @ts-check
// `npm run demo`: builds the extension when the build is missing or older than its sources, starts the demo
// app (test/demo/server.ts) on 127.0.0.1, and — when there is a display — starts Chromium with the build
// loaded, a fresh temporary profile and DevTools open, on the demo page. Ctrl-C stops everything it started.
//
// Plain JavaScript on purpose: Node 20 cannot run TypeScript by itself (--experimental-strip-types came in
// Node 22), and vite — already a dev dependency — loads server.ts through its module runner
// (`runnerImport`), so the demo needs no extra package such as tsx.
//
// Options: --port <n> (or DEMO_PORT; default 8787, a free port if taken), --ttl <seconds> (or DEMO_ACCESS_TTL;
// access-token lifetime, default 60), --no-browser. CHROME_PATH picks the browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST_CHROME = join(ROOT, 'dist/chrome');
const DIST_FIREFOX = join(ROOT, 'dist/firefox');
const SOURCES = ['src', 'public', 'manifest.json', 'vite.config.ts', 'package.json'].map((p) => join(ROOT, p));

const args = process.argv.slice(2);
const argValue = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const port = Number(argValue('--port') ?? process.env.DEMO_PORT ?? 8787);
const ttl = Number(argValue('--ttl') ?? process.env.DEMO_ACCESS_TTL ?? 60);
const wantBrowser = !args.includes('--no-browser');

const say = (line = '') => process.stdout.write(`${line}\n`);
const time = () => new Date().toLocaleTimeString();

/** Newest modification time (ms) of a file or of every file under a folder. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const e of readdirSync(path)) max = Math.max(max, newest(join(path, e)));
  return max;
}

function buildIfStale() {
  const built = Math.min(
    ...[DIST_CHROME, DIST_FIREFOX].map((d) => (existsSync(join(d, 'manifest.json')) ? statSync(join(d, 'manifest.json')).mtimeMs : 0)),
  );
  const changed = Math.max(...SOURCES.map(newest));
  if (built > changed) {
    say('The extension build (dist/chrome, dist/firefox) is up to date.');
    return;
  }
  say(built === 0 ? 'No build yet: running npm run build …' : 'Sources changed since the last build: running npm run build …');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', 'build'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    say('The build failed: fix it, then run npm run demo again.');
    process.exit(r.status ?? 1);
  }
}

function hasDisplay() {
  return process.platform === 'darwin' || process.platform === 'win32' || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY;
}

function findChrome() {
  if (process.env.CHROME_PATH) return existsSync(process.env.CHROME_PATH) ? process.env.CHROME_PATH : undefined;
  const candidates = {
    linux: [
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/snap/bin/chromium',
      '/usr/bin/google-chrome',
      '/usr/bin/google-chrome-stable',
    ],
    darwin: ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
    win32: [
      join(process.env.PROGRAMFILES ?? 'C:\\Program Files', 'Google\\Chrome\\Application\\chrome.exe'),
      join(process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)', 'Google\\Chrome\\Application\\chrome.exe'),
      join(process.env.LOCALAPPDATA ?? '', 'Chromium\\Application\\chrome.exe'),
    ],
  };
  return (candidates[/** @type {'linux' | 'darwin' | 'win32'} */ (process.platform)] ?? candidates.linux).find((p) => existsSync(p));
}

function howToLoad(url) {
  say('To inspect it, load the extension in your own browser:');
  say(`  Chrome / Chromium: chrome://extensions → Developer mode → Load unpacked → ${DIST_CHROME}`);
  say(`  Firefox:           about:debugging#/runtime/this-firefox → Load Temporary Add-on… → ${join(DIST_FIREFOX, 'manifest.json')}`);
  say(`then open ${url} , open DevTools (F12) and its "JWT" panel, and sign in (alice / alice).`);
  say(`From another machine: ssh -L ${new URL(url).port}:127.0.0.1:${new URL(url).port} <this host>, then open the same URL there.`);
}

async function main() {
  buildIfStale();

  const { runnerImport } = await import('vite');
  const { module: server } = await runnerImport(join(ROOT, 'test/demo/server.ts'), { configFile: false, logLevel: 'error', root: ROOT });
  /** @type {{ startDemo(o: object): Promise<{ url: string; origin: string; issuer: string; oidcUrl: string; accessTtlSeconds: number; close(): Promise<void> }> }} */
  const { startDemo } = server;
  const log = (line) => say(`  ${time()}  ${line}`);
  let demo;
  try {
    demo = await startDemo({ port, accessTtlSeconds: ttl, log });
  } catch (e) {
    if (/** @type {NodeJS.ErrnoException} */ (e).code !== 'EADDRINUSE') throw e;
    say(`Port ${port} is taken: using a free one.`);
    demo = await startDemo({ port: 0, accessTtlSeconds: ttl, log });
  }

  say();
  say(`Demo app: ${demo.url}   (access tokens live ${demo.accessTtlSeconds} s; users alice / alice, bob / bob)`);
  say(`Issuer for the options page: ${demo.issuer}`);
  say(`OpenID sign-in (a real provider, good and careless clients, for the Flows tab): ${demo.oidcUrl}`);

  /** @type {import('node:child_process').ChildProcess | undefined} */
  let browser;
  let stopping = false;
  let profile = '';
  const removeProfile = () => {
    if (profile) rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    profile = '';
  };

  const chrome = wantBrowser && hasDisplay() ? findChrome() : undefined;
  if (!wantBrowser) {
    say('--no-browser: not starting a browser.');
    howToLoad(demo.url);
  } else if (!hasDisplay()) {
    say('No display ($DISPLAY and $WAYLAND_DISPLAY are unset): not starting a browser.');
    howToLoad(demo.url);
  } else if (!chrome) {
    say('No Chromium or Chrome found (set CHROME_PATH): not starting a browser.');
    howToLoad(demo.url);
  } else {
    profile = mkdtempSync(join(tmpdir(), 'jwti-demo-'));
    // Chromium refuses to start as root with its sandbox on (containers, WSL, CI boxes run as root).
    const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (asRoot)
      say(
        'Running as root: starting Chromium with --no-sandbox (its sandbox cannot run as root). Use a normal user for anything but a demo.',
      );
    browser = spawn(
      chrome,
      [
        `--user-data-dir=${profile}`,
        `--disable-extensions-except=${DIST_CHROME}`,
        `--load-extension=${DIST_CHROME}`,
        // Branded Chrome 137+ ignores --load-extension unless this feature is off; Chromium needs nothing.
        '--disable-features=DisableLoadExtensionCommandLineSwitch',
        '--auto-open-devtools-for-tabs',
        '--no-first-run',
        '--no-default-browser-check',
        '--disable-default-apps',
        ...(asRoot ? ['--no-sandbox'] : []),
        demo.url,
      ],
      // Its own process group, so that stopping it stops its helper processes too. Its stderr is kept
      // (bounded) so that a browser that exits early can say why.
      { stdio: ['ignore', 'ignore', 'pipe'], detached: process.platform !== 'win32' },
    );
    let browserErrors = '';
    browser.stderr?.on('data', (chunk) => {
      browserErrors = (browserErrors + chunk.toString()).slice(-4000);
    });
    say(`Started ${chrome} (pid ${browser.pid}) with dist/chrome loaded and a fresh profile in ${profile}.`);
    say('In DevTools, choose the "JWT" panel (behind » if the tab bar is narrow), then sign in on the page.');
    browser.on('exit', (code, signal) => {
      if (stopping) return;
      browser = undefined;
      removeProfile();
      say(`Chromium closed (${signal ?? `exit code ${code}`}). The demo keeps running at ${demo.url} — Ctrl-C to stop it.`);
      const lastWords = browserErrors.trim().split('\n').slice(-8).join('\n');
      if (code && lastWords) say(`Chromium said:\n${lastWords}`);
    });
  }
  say('Ctrl-C stops everything this started.');
  say();

  async function stop() {
    if (stopping) return;
    stopping = true;
    say('\nStopping …');
    const stopped = [browser ? 'the browser' : '', 'the demo server', profile ? 'the temporary profile' : ''].filter(Boolean);
    if (browser && browser.exitCode === null && browser.pid) {
      const b = browser;
      const exited = new Promise((ok) => b.once('exit', ok));
      const kill = (signal) => {
        try {
          if (process.platform === 'win32') b.kill(signal);
          else process.kill(-(/** @type {number} */ (b.pid)), signal);
        } catch {
          // Already gone.
        }
      };
      kill('SIGTERM');
      const timer = setTimeout(() => kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    removeProfile();
    await demo.close();
    say(`Stopped ${stopped.join(', ')}.`);
    process.exit(0);
  }
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
