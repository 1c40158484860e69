// One way to drive the JWT DevTools panel whatever the browser: the scenarios (panel-scenarios.ts) are written
// once against this interface, and chromium-driver.ts / firefox-driver.ts map it onto each browser's harness.
// Everything that runs inside the panel goes through `PanelHandle.run`, a synchronous function of the panel's
// document: that is all Firefox's toolbox lets a test do (a frame script, see test/e2e/harness/firefox.ts).
import type { Page } from 'puppeteer-core';
import { filterFor, type PanelHandle, rowTokens } from '../harness/panel-list';
import { poll } from '../harness/poll';
import { quietPeriod } from '../harness/quiet';

export interface PanelDriver {
  readonly browserName: 'chromium' | 'firefox';
  /** The URL the panel's document must have: the extension's own src/devtools/panel.html. */
  readonly panelUrl: string;
  /** A new tab showing `url`, loaded. The URL must be unique among open tabs (Firefox finds tabs by it). */
  openPage(url: string): Promise<Page>;
  /** Opens DevTools on the page's tab without showing the JWT panel (its devtools_page runs, the panel does not). */
  openDevtools(page: Page): Promise<void>;
  /** Shows the JWT panel (opening DevTools first if needed) and waits until it says it is ready. */
  showPanel(page: Page): Promise<PanelHandle>;
  /** Closes DevTools on the page's tab. */
  closeDevtools(page: Page): Promise<void>;
  /** Opens an extension page (e.g. `src/options/index.html`) in a new tab, loaded. */
  extensionPage(path: string): Promise<Page>;
  /** Clicks the panel's Export button and returns the text of the file the browser saved. */
  exportThroughPanel(panel: PanelHandle): Promise<string>;
  /** Gives the panel's Import file input a file with `text`, as choosing it in the file dialog does. */
  importThroughPanel(panel: PanelHandle, text: string): Promise<void>;
  /**
   * Stops the extension's background the way the browser does when it idles (Chromium's service worker,
   * Firefox's event page) and waits until the browser reports it stopped. Pages may wake it again at once.
   */
  stopWorker(): Promise<void>;
  /** Resolves when the browser reports the background running again after a stop. */
  workerRunningAgain(): Promise<void>;
  /**
   * Runs a script's source in the panel's page as the test harness, past the extension's CSP (axe-core); where
   * a browser's harness cannot, absent. `PanelHandle.run` may then return a promise, which is awaited.
   */
  addScript?(panel: PanelHandle, source: string): Promise<void>;
  /** Resizes the DevTools window that shows the panel (CSS pixels); absent where a harness cannot. */
  resizeDevtools?(panel: PanelHandle, width: number, height: number): Promise<void>;
  /** Writes a screenshot of the panel as DevTools shows it to `path` (a .png); absent where a harness cannot. */
  screenshot?(panel: PanelHandle, path: `${string}.png`): Promise<void>;
  close(): Promise<void>;
}

export type DriverFactory = () => Promise<PanelDriver>;

export interface DriverOptions {
  /** The browser's language (Chromium's --lang, Firefox's requested locale), e.g. 'ko'. */
  language?: string;
}

// --- the panel helpers, written once ------------------------------------------------------------------------

export { filterFor, type PanelHandle, rowTokens };

/** Brings the token's row into view by filtering for its end; true when the row is there. */
export async function hasRow(panel: PanelHandle, token: string): Promise<boolean> {
  await filterFor(panel, token.slice(-24));
  return (await rowTokens(panel)).includes(token);
}

/** Opens the token's detail (filtering to its row first) and waits for the detail of that token. */
export async function openToken(panel: PanelHandle, token: string): Promise<void> {
  await poll(() => hasRow(panel, token), `the row of …${token.slice(-12)}`, 20_000);
  await panel.run((doc, t) => {
    (doc.querySelector(`[data-testid=token-row][data-token="${t}"]`) as HTMLElement).click();
    return true;
  }, token);
  await poll(
    () =>
      panel.run(
        (doc, t) =>
          !!doc.querySelector('[data-testid=token-detail]') &&
          doc.querySelector(`[data-testid=token-row][data-token="${t}"]`)?.getAttribute('aria-selected') === 'true',
        token,
      ),
    `the detail of …${token.slice(-12)}`,
  );
}

/** The distinct `data-where` of the open detail's sightings, sorted. */
export function sightingWheres(panel: PanelHandle): Promise<string[]> {
  return panel.run((doc) =>
    [
      ...new Set(
        [...doc.querySelectorAll('[data-testid=token-detail] [data-testid=sighting]')].map((e) => e.getAttribute('data-where') ?? ''),
      ),
    ].sort(),
  );
}

export interface DetailFindings {
  /** The n of the detail's "Findings (n)" heading: proves the findings section is drawn, even when n is 0. */
  heading: number;
  ids: string[];
}

/** The finding ids the open detail lists, with the count its heading states. */
export function detailFindings(panel: PanelHandle): Promise<DetailFindings> {
  return panel.run((doc) => {
    const detail = doc.querySelector('[data-testid=token-detail]');
    const heading = [...(detail?.querySelectorAll('h2') ?? [])].map((h) => /^Findings \((\d+)\)$/.exec(h.textContent ?? '')).find(Boolean);
    return {
      heading: heading ? Number(heading[1]) : -1,
      ids: [...(detail?.querySelectorAll('[data-finding-id]') ?? [])].map((e) => e.getAttribute('data-finding-id') ?? ''),
    };
  });
}

/** The n of the open detail's "Seen n time(s)" heading, or -1. */
export function detailSeenCount(panel: PanelHandle): Promise<number> {
  return panel.run((doc) =>
    Number(
      /^Seen (\d+) time/.exec(
        [...doc.querySelectorAll('[data-testid=token-detail] h2')].map((h) => h.textContent ?? '').find((t) => t.startsWith('Seen')) ?? '',
      )?.[1] ?? -1,
    ),
  );
}

/** The open detail's verification `data-status`, or null. */
export function verdict(panel: PanelHandle): Promise<string | null> {
  return panel.run(
    (doc) => doc.querySelector('[data-testid=token-detail] [data-testid=verification]')?.getAttribute('data-status') ?? null,
  );
}

/** Clicks the element with this data-testid; false when there is none. */
export function clickTestId(panel: PanelHandle, testId: string): Promise<boolean> {
  return panel.run((doc, id) => {
    const el = doc.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
    el?.click();
    return !!el;
  }, testId);
}

/** Sets a form control the way the user does: its value, then the event Preact listens to. */
export function setControl(panel: PanelHandle, testId: string, value: string | boolean, event: 'input' | 'change'): Promise<boolean> {
  return panel.run(
    (doc, a) => {
      const el = doc.querySelector(`[data-testid="${a.testId}"]`) as HTMLInputElement | null;
      if (!el) return false;
      if (typeof a.value === 'boolean') el.checked = a.value;
      else el.value = a.value;
      el.dispatchEvent(new (doc.defaultView as typeof window).Event(a.event, { bubbles: true }));
      return true;
    },
    { testId, value, event },
  );
}

export interface Counts {
  tokens: number;
  sightings: number;
  text: string;
}

/** The toolbar's "N token(s) · M sighting(s) …". */
export async function counts(panel: PanelHandle): Promise<Counts> {
  const text = await panel.run((doc) => (doc.querySelector('[data-testid=counts]') as HTMLElement | null)?.textContent ?? '');
  const m = /(\d+) token\(s\) · (\d+) sighting\(s\)/.exec(text);
  return { tokens: m ? Number(m[1]) : -1, sightings: m ? Number(m[2]) : -1, text };
}

/** What a row shows, read from its visible text (src/devtools/panel/view/TokenList.tsx). */
export interface RowView {
  role: string;
  alg: string;
  /** "issuer · subject" as drawn, "(no iss)"/"(no sub)" for missing ones. */
  who: string;
  verdict: string;
  expiry: string;
  /** The worst finding's title, or "" when the row shows none. */
  worst: string;
  /** The worst finding's severity class (sev-…), or "". */
  worstSeverity: string;
  seen: string;
}

/** The visible parts of the row of `token`, which must be in view (see hasRow). */
export function rowView(panel: PanelHandle, token: string): Promise<RowView | null> {
  return panel.run((doc, t) => {
    const row = doc.querySelector(`[data-testid=token-row][data-token="${t}"]`);
    if (!row) return null;
    const text = (sel: string) => ((row.querySelector(sel) as HTMLElement | null)?.textContent ?? '').trim();
    const worst = row.querySelector('.worst');
    const muted = row.querySelector('.row-line.muted');
    return {
      role: text('.role'),
      alg: text('.alg'),
      who: text('.who'),
      verdict: text('.verify'),
      expiry: ((muted?.firstElementChild as HTMLElement | null)?.textContent ?? '').trim(),
      worst: worst?.textContent?.trim() ?? '',
      worstSeverity: [...(worst?.classList ?? [])].find((c) => c.startsWith('sev-'))?.slice(4) ?? '',
      seen: text('.count'),
    };
  }, token);
}

/** The `data-kind`s of the timeline's events, in order. */
export function timelineKinds(panel: PanelHandle): Promise<string[]> {
  return panel.run((doc) => [...doc.querySelectorAll('[data-testid=timeline-event]')].map((e) => e.getAttribute('data-kind') ?? ''));
}

/** Waits until the panel's token count stops moving and returns it (capture arrives in batches). */
export async function settledCounts(panel: PanelHandle): Promise<Counts> {
  let latest = await counts(panel);
  let polling = true;
  const loop = (async () => {
    while (polling) latest = await counts(panel);
  })();
  try {
    await quietPeriod(() => latest.sightings, 'the panel counts', 10, 20_000);
  } finally {
    polling = false;
    await loop;
  }
  return latest;
}
