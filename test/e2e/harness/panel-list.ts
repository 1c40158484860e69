// The panel's token list read and filtered through any way of running code in the panel's document: the
// scenario drivers (test/e2e/scenarios) and the Chromium-only tests (over devtools-panel.ts) share these.
import { poll } from './poll';

export interface PanelHandle {
  /**
   * Runs `fn(document, arg)` in the panel page and returns its JSON result. `fn` is sent as source text: it
   * must be self-contained (no closures) and synchronous; `arg` crosses as JSON.
   */
  run<T, A = undefined>(fn: (doc: Document, arg: A) => T, arg?: A): Promise<T>;
}

/** The tokens of the rows in the DOM, in order (the list is virtualised: only rows in view exist). */
export function rowTokens(panel: PanelHandle): Promise<string[]> {
  return panel.run((doc) =>
    [...doc.querySelectorAll('[data-testid=token-row]')]
      .map((r) => ({ token: r.getAttribute('data-token') ?? '', top: r.getBoundingClientRect().top }))
      .sort((a, b) => a.top - b.top)
      .map((r) => r.token),
  );
}

/**
 * Types into the filter box, then waits until the rows in the DOM stop changing (a quiet period measured on
 * the list itself, not a fixed sleep), so the list read next follows the filter.
 */
export async function filterFor(panel: PanelHandle, text: string): Promise<void> {
  await panel.run((doc, value) => {
    const input = doc.querySelector('[data-testid=filter]') as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new (doc.defaultView as typeof window).Event('input', { bubbles: true }));
    return true;
  }, text);
  let signature = '';
  let checks = 0;
  await poll(
    async () => {
      const now = await panel.run((doc, value) => {
        const input = doc.querySelector('[data-testid=filter]') as HTMLInputElement;
        const rows = [...doc.querySelectorAll('[data-testid=token-row]')].map((r) => r.getAttribute('data-token')).join(',');
        return input.value === value ? rows : null;
      }, text);
      if (now === null) return false;
      checks = now === signature ? checks + 1 : 0;
      signature = now;
      return checks >= 2;
    },
    `the list to follow the filter ${JSON.stringify(text)}`,
  );
}
