// Questions to the extension panel in Firefox's toolbox, through FirefoxPanel.evaluate (test/e2e/harness/
// firefox.ts). That evaluate sends a function's source text to a frame script, so a function cannot close over
// a value: each query here is written as source with its arguments spelled in as JSON.
import type { FirefoxPanel } from '../harness/firefox';
import { poll } from '../harness/poll';

/** A function of the panel's document whose source carries `args` (evaluate() sends only the source). */
function withArgs<T>(body: (document: Document, ...args: never[]) => T, ...args: unknown[]): (document: Document) => T {
  const source = `(document) => (${body.toString()})(document, ...${JSON.stringify(args)})`;
  const fn = ((document: Document) => body(document)) as (document: Document) => T;
  return Object.assign(fn, { toString: () => source });
}

/** Types into the filter box as a user does; the list is virtualised, so this brings a row into view. */
export function filterFor(panel: FirefoxPanel, text: string): Promise<boolean> {
  return panel.evaluate(
    withArgs((document: Document, value: string) => {
      const input = document.querySelector('[data-testid=filter]') as HTMLInputElement | null;
      if (!input) return false;
      input.value = value;
      // The frame script's own Event would cross compartments: build it from the panel's window.
      const PanelEvent = (document.defaultView as unknown as { Event: typeof Event }).Event;
      input.dispatchEvent(new PanelEvent('input', { bubbles: true }));
      return true;
    }, text),
  );
}

export function rowTokens(panel: FirefoxPanel): Promise<(string | null)[]> {
  return panel.evaluate((document) => [...document.querySelectorAll('[data-testid=token-row]')].map((r) => r.getAttribute('data-token')));
}

/** Filters for the token until its row is there, then opens its detail. */
export async function openRow(panel: FirefoxPanel, token: string): Promise<void> {
  await poll(
    async () => {
      await filterFor(panel, token.slice(-24));
      return (await rowTokens(panel)).includes(token);
    },
    `the row of …${token.slice(-12)}`,
    20_000,
  );
  await poll(
    () =>
      panel.evaluate(
        withArgs((document: Document, raw: string) => {
          const row = [...document.querySelectorAll('[data-testid=token-row]')].find((r) => r.getAttribute('data-token') === raw) as
            | HTMLElement
            | undefined;
          row?.click();
          const detail = document.querySelector('[data-testid=token-detail]');
          return !!row && !!detail;
        }, token),
      ),
    `the detail of …${token.slice(-12)}`,
  );
}

/** What the open detail shows: sighting places, finding ids and the verification status. */
export function detail(panel: FirefoxPanel): Promise<{ wheres: string[]; findings: string[]; verification: string | null }> {
  return panel.evaluate((document) => ({
    wheres: [...new Set([...document.querySelectorAll('[data-testid=sighting]')].map((e) => e.getAttribute('data-where') ?? ''))].sort(),
    findings: [...document.querySelectorAll('[data-testid=token-detail] [data-finding-id]')].map(
      (e) => e.getAttribute('data-finding-id') ?? '',
    ),
    verification: document.querySelector('[data-testid=token-detail] [data-testid=verification]')?.getAttribute('data-status') ?? null,
  }));
}

export function click(panel: FirefoxPanel, selector: string): Promise<boolean> {
  return panel.evaluate(
    withArgs((document: Document, sel: string) => {
      const el = document.querySelector(sel) as HTMLElement | null;
      el?.click();
      return !!el;
    }, selector),
  );
}
