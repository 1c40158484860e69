// The panel's idle cost in a long session: Chromium with DevTools open on a page that made 8,000 requests
// carrying a Bearer token, then left alone. The CPU time of every process of the browser (browser, DevTools
// frontend, the panel's extension frame, the page, GPU, utility) per 10 s, read from /proc, with the JWT
// panel shown; the baseline is a second browser, prepared the same way, with DevTools' own Network panel
// shown. Both browsers are measured over the same windows, so a busy spell of the shared machine hits both.
// The panel's cost comes in bursts (one getHAR() call about every minute at this size), so a single 10 s
// window holds one call or none: the row is the mean of WINDOWS consecutive 10 s windows, each one listed
// in the notes, with what one call costs.
//
// Then the `no-store` latency: the page sends one request whose response is `Cache-Control: no-store` and
// never reads its body (no `onRequestFinished` until read: README, "Performance"), with a token in its URL;
// the time until the panel counts that token is what the getHAR() reconciliation costs in delay when the
// log is large.
import { readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Frame, Page } from 'puppeteer-core';
import { launchChromium, type ChromiumSession } from '../e2e/harness/chromium';
import { devtoolsFor, panelTokenCount, showExtensionPanel, showPanel } from '../e2e/harness/devtools-panel';
import { poll } from '../e2e/harness/poll';
import { startServer, type TestServer } from '../e2e/harness/server';
import { b64url } from './data';
import type { Row } from './report';

export const IDLE_REQUESTS = Number(process.env.IDLE_CPU_REQUESTS ?? 8000);
const WINDOW_MS = 10_000;
const WINDOWS = Number(process.env.IDLE_CPU_WINDOWS ?? 6);
/** Percentage points of one core the panel's browser may use above the Network panel's. */
export const IDLE_BUDGET_POINTS = 5;
/** The seconds after the last request before the window opens: what the page itself still finishes. */
const SETTLE_MS = 2000;
const CLOCK_TICKS_PER_SECOND = 100;

const debug = process.env.BENCH_DEBUG
  ? (...a: unknown[]) => console.error(`[idle-cpu ${(performance.now() / 1000).toFixed(1)}s]`, ...a)
  : () => {};

// Code for the page as text: tsx would wrap functions handed to evaluate in helpers the page lacks.
const APP = `<!doctype html><meta charset="utf-8"><title>idle app</title><body><p>An app that polls its API.</p>
<script>
window.makeRequests = async (n, token) => {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const r = await fetch('/api/items?page=' + i, { headers: { Authorization: 'Bearer ' + token } });
      await r.text();
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  return true;
};
// Fire and forget, body never read: DevTools never reports it finished.
window.sendUnreadNoStore = (token) => { fetch('/logout?id_token_hint=' + token); return true; };
</script>`;

function fakeJwt(claims: Record<string, unknown>): string {
  return `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'bench' }))}.${b64url(JSON.stringify(claims))}.${randomBytes(256).toString('base64url')}`;
}

/** The pids of a process and all its descendants (Chromium's zygote forks the renderers). */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(Number(name));
    children.set(stat.ppid, list);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

function readStat(pid: number): { ppid: number; ticks: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields follow the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/** utime + stime of every process of the tree, by pid. */
function treeTicks(root: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of processTree(root)) {
    const stat = readStat(pid);
    if (stat) out.set(pid, stat.ticks);
  }
  return out;
}

/** Percent of one core used by the tree between two readings (processes started in between count from 0). */
function percentOfCore(before: Map<number, number>, after: Map<number, number>, ms: number): number {
  let ticks = 0;
  for (const [pid, t] of after) ticks += t - (before.get(pid) ?? 0);
  return ((ticks / CLOCK_TICKS_PER_SECOND) * 1000 * 100) / ms;
}

/** Where the ticks went, by process kind (BENCH_DEBUG only). */
function breakdown(before: Map<number, number>, after: Map<number, number>): string {
  const parts: string[] = [];
  for (const [pid, t] of after) {
    const ticks = t - (before.get(pid) ?? 0);
    if (ticks <= 0) continue;
    let kind = 'browser';
    try {
      // Chromium rewrites its command line: the arguments may be joined by spaces.
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      kind = /--type=([\w-]+)/.exec(cmd)?.[1] ?? 'browser';
      if (cmd.includes('--extension-process')) kind += '(ext)';
      else if (/--type=renderer/.test(cmd) && /devtools/.test(cmd)) kind += '(devtools)';
    } catch {
      // gone
    }
    parts.push(`${kind} ${ticks}`);
  }
  return parts.join(', ');
}

interface Prepared {
  session: ChromiumSession;
  page: Page;
  pid: number;
  panel?: Frame;
}

async function prepare(server: TestServer, which: 'jwt' | 'network', token: string): Promise<Prepared> {
  const session = await launchChromium({ devtools: true });
  const pid = session.browser.process()?.pid;
  if (!pid) throw new Error('idle-cpu: no browser pid');
  const page = await session.browser.newPage();
  await page.goto(`${server.origin}/blank`, { waitUntil: 'load' });
  const devtools = await devtoolsFor(session.browser, `${server.origin}/blank`);
  await page.goto(`${server.origin}/app`, { waitUntil: 'load' });
  let panel: Frame | undefined;
  if (which === 'jwt') panel = await showExtensionPanel(devtools, session.extensionId);
  else {
    await showPanel(devtools, 'network');
    await devtools.bringToFront();
  }
  const t = performance.now();
  await page.evaluate(`window.makeRequests(${IDLE_REQUESTS}, ${JSON.stringify(token)})`);
  debug(`${which}: ${IDLE_REQUESTS} requests in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return { session, page, pid, panel };
}

export async function idleCpuMeasure(): Promise<{ rows: Row[]; notes: string[] }> {
  const server = await startServer({
    '/blank': (_q, r) => void r.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>blank</title>'),
    '/app': (_q, r) => void r.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(APP),
    '/api/items': (_q, r) => void r.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[1,2,3]}'),
    '/logout': (_q, r) => void r.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end('{"ok":true}'),
  });
  const now = Math.floor(Date.now() / 1000);
  const token = fakeJwt({ iss: 'https://idle.example', sub: 'bench', aud: 'api', iat: now, exp: now + 86400 });
  const prepared: Prepared[] = [];
  try {
    const ours = await prepare(server, 'jwt', token);
    prepared.push(ours);
    const base = await prepare(server, 'network', token);
    prepared.push(base);
    await new Promise((r) => setTimeout(r, SETTLE_MS));

    // Consecutive windows, both browsers in each.
    const windows: { ours: number; base: number }[] = [];
    let elapsed = 0;
    let oursTotal = 0;
    let baseTotal = 0;
    for (let w = 0; w < WINDOWS; w++) {
      const before = [treeTicks(ours.pid), treeTicks(base.pid)];
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, WINDOW_MS));
      const after = [treeTicks(ours.pid), treeTicks(base.pid)];
      const ms = performance.now() - t0;
      const window = { ours: percentOfCore(before[0]!, after[0]!, ms), base: percentOfCore(before[1]!, after[1]!, ms) };
      windows.push(window);
      elapsed += ms;
      oursTotal += window.ours * ms;
      baseTotal += window.base * ms;
      debug(`window ${w}: ours ${window.ours.toFixed(1)} %, network panel ${window.base.toFixed(1)} %`);
      debug(`ticks ours: ${breakdown(before[0]!, after[0]!)}; network panel: ${breakdown(before[1]!, after[1]!)}`);
    }
    const oursCpu = oursTotal / elapsed;
    const baseCpu = baseTotal / elapsed;

    // The rest in the panel's browser only (the baseline browser is closed first: quieter).
    await base.session.close();
    prepared.pop();

    // One getHAR() call as the panel makes it: its wall time in the panel, and the CPU of the whole browser.
    const callBefore = treeTicks(ours.pid);
    const call = (await ours.panel!.evaluate(`new Promise((resolve) => {
      const t = performance.now();
      chrome.devtools.network.getHAR((log) => resolve({ ms: performance.now() - t, entries: log.entries.length }));
    })`)) as { ms: number; entries: number };
    await new Promise((r) => setTimeout(r, 500));
    const callCpu = (percentOfCore(callBefore, treeTicks(ours.pid), 1000) / 100) * 1000;

    const count = await panelTokenCount(ours.panel!);
    const hint = fakeJwt({ iss: 'https://idle.example', sub: 'bench', aud: 'spa', nonce: 'logout', iat: now, exp: now + 600 });
    const sent = performance.now();
    await ours.page.evaluate(`window.sendUnreadNoStore(${JSON.stringify(hint)})`);
    await poll(async () => (await panelTokenCount(ours.panel!)) > count, 'the unread no-store request in the panel', 120_000);
    const latency = (performance.now() - sent) / 1000;

    const points = oursCpu - baseCpu;
    return {
      rows: [
        {
          measure: 'idle cpu',
          what: `browser CPU per 10 s idle (mean of ${WINDOWS}) after ${IDLE_REQUESTS.toLocaleString('en')} requests, JWT panel shown`,
          ours: `${oursCpu.toFixed(1)} % of a core`,
          baseline: `${baseCpu.toFixed(1)} % (Network panel)`,
          budget: `≤ +${IDLE_BUDGET_POINTS} points`,
          pass: points <= IDLE_BUDGET_POINTS,
        },
      ],
      notes: [
        `idle cpu: ${points >= 0 ? '+' : ''}${points.toFixed(1)} points, the mean of ${WINDOWS} windows of 10 s (ours / Network panel, % of a core): ` +
          windows.map((w) => `${w.ours.toFixed(1)} / ${w.base.toFixed(1)}`).join(', '),
        `idle cpu: one getHAR() of ${call.entries.toLocaleString('en')} entries took ${call.ms.toFixed(0)} ms in the panel and ${callCpu.toFixed(0)} ms of CPU in the browser (500 ms after included); ` +
          `an unread no-store request after ${IDLE_REQUESTS.toLocaleString('en')} requests reached the panel in ${latency.toFixed(1)} s`,
      ],
    };
  } finally {
    for (const p of prepared) await p.session.close();
    await server.close();
  }
}
