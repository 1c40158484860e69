// Questions to the extension panel in Firefox's toolbox, over the shared panel helpers (test/e2e/harness/
// panel-list.ts, test/e2e/scenarios/panel-driver.ts) run through FirefoxPanel.evaluate (harness/firefox.ts).
import { type FirefoxPanel, panelRunner } from '../harness/firefox';
import { detailFindings, openToken, sightingWheres, verdict } from '../scenarios/panel-driver';

/** Filters for the token until its row is there, then opens its detail and waits for it. */
export function openRow(panel: FirefoxPanel, token: string): Promise<void> {
  return openToken(panelRunner(panel), token);
}

/** What the open detail shows: sighting places, finding ids and the verification status. */
export async function detail(panel: FirefoxPanel): Promise<{ wheres: string[]; findings: string[]; verification: string | null }> {
  const handle = panelRunner(panel);
  return { wheres: await sightingWheres(handle), findings: (await detailFindings(handle)).ids, verification: await verdict(handle) };
}

export function click(panel: FirefoxPanel, selector: string): Promise<boolean> {
  return panelRunner(panel).run((doc, sel) => {
    const el = doc.querySelector(sel) as HTMLElement | null;
    el?.click();
    return !!el;
  }, selector);
}
