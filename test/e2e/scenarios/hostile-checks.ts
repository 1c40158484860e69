// What hostile token content could have become in an extension page, and how the tests read the detail:
// shared by the panel's scenarios (test/e2e/scenarios/hostile-scenarios.ts) and the popup's
// (test/e2e/chromium/hostile-rendering.test.ts). The functions that take a Document run inside the page.

/** Starts recording the document's CSP violations (the only way to tell a blocked injection). */
export function watchViolations(doc: Document): boolean {
  const root = doc.documentElement;
  if (root.dataset.testViolations !== undefined) return true;
  root.dataset.testViolations = '[]';
  doc.addEventListener('securitypolicyviolation', (e) => {
    const seen = JSON.parse(root.dataset.testViolations ?? '[]') as string[];
    seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
    root.dataset.testViolations = JSON.stringify(seen);
  });
  return true;
}

/** How a string claim reads in the JSON the detail prints: quotes and backslashes escaped. */
export const asJson = (text: string) => JSON.stringify(text).slice(1, -1);

/** Whether the parts the detail prints (each cut short) are those of `token`. */
export const showsParts = (text: string, token: string) => {
  const [, payload = '', signature = ''] = token.split('.');
  return text.includes(`.${payload.slice(0, 60)}`) && text.endsWith(`.${signature}`);
};

export interface Injection {
  pwned: unknown;
  violations: string[];
  /** Elements token text could have become, anywhere in the document. */
  elements: string[];
  /** Attributes that run code (on*) or navigate to script (javascript:) on any element. */
  attributes: string[];
  /** Scripts that are not the extension's own bundled files. */
  foreignScripts: string[];
}

/**
 * What token content could have turned into in `doc`: run in the page (by the scenario driver's `run`, or
 * puppeteer's `evaluate`), so it is self-contained.
 */
export function readInjections(doc: Document): Injection {
  {
    // Firefox's frame script sees the page's window through an Xray: the page's own globals are behind wrappedJSObject.
    const win = doc.defaultView as unknown as { __pwned?: unknown; wrappedJSObject?: { __pwned?: unknown } };
    const pwned = (win.wrappedJSObject ?? win).__pwned;
    const recorded = doc.documentElement.dataset.testViolations;
    const elements = [
      ...doc.querySelectorAll('img, iframe, object, embed, svg, math, frame, frameset, video, audio, link[rel=import], base, form'),
    ].map((e) => e.outerHTML.slice(0, 120));
    const attributes: string[] = [];
    for (const el of doc.querySelectorAll('*')) {
      for (const a of el.attributes) {
        const name = a.name.toLowerCase();
        if (
          name.startsWith('on') ||
          name === 'srcdoc' ||
          (/^\s*javascript:/i.test(a.value) && ['href', 'src', 'action', 'formaction', 'xlink:href'].includes(name))
        ) {
          attributes.push(`${el.tagName.toLowerCase()}[${name}=${a.value.slice(0, 60)}]`);
        }
      }
    }
    const own = `${doc.location.origin}/`;
    const foreignScripts = [...doc.scripts]
      .filter((s) => !s.src.startsWith(own) || (s.text ?? '').trim() !== '')
      .map((s) => s.outerHTML.slice(0, 120));
    return {
      pwned: pwned === undefined ? undefined : String(pwned),
      violations: recorded === undefined ? ['(violation watcher missing)'] : (JSON.parse(recorded) as string[]),
      elements,
      attributes,
      foreignScripts,
    };
  }
}

/** What a page shows when nothing got through. */
export const NO_INJECTION: Injection = { pwned: undefined, violations: [], elements: [], attributes: [], foreignScripts: [] };
