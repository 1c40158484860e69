// Who the worker answers. `sender.id` alone is not enough: a script the extension injects into a page with
// scripting.executeScript (the popup's *Tokens on this page*) runs with the extension's id but in the page's
// world, where page script can reach it. Only the extension's own pages carry its origin in `sender.url`.

/**
 * The pages the build makes (manifest.json, and the panel that vite.config.ts adds as an input):
 * test/meta/extension-security.test.ts fails when a built page is missing here.
 */
export const OWN_PAGE_PATHS: ReadonlySet<string> = new Set([
  // The popup, and the decoder page (the popup in a tab, ?page=1).
  '/src/popup/index.html',
  '/src/options/index.html',
  '/src/devtools/devtools.html',
  '/src/devtools/panel.html',
]);

export interface SenderLike {
  id?: string;
  url?: string;
}

/**
 * True when `sender` is one of the extension's own pages: its id is the extension's, its URL has the
 * extension's scheme and host (`extensionBase` is runtime.getURL('')), and its path is a built page.
 */
export function isOwnPage(sender: SenderLike | undefined, extensionId: string, extensionBase: string): boolean {
  if (!sender || sender.id !== extensionId || typeof sender.url !== 'string') return false;
  let url: URL;
  let base: URL;
  try {
    url = new URL(sender.url);
    base = new URL(extensionBase);
  } catch {
    return false;
  }
  // Compared by scheme and host: URL.origin is "null" for chrome-extension: and moz-extension: outside a browser.
  return url.protocol === base.protocol && url.host === base.host && url.host !== '' && OWN_PAGE_PATHS.has(url.pathname);
}
