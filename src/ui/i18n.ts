// The one way the extension's code reads a string a person sees: the browser's message catalogue
// (_locales/<lang>/messages.json, built from src/locales by vite.config.ts; see ARCHITECTURE.md, "Languages").
// No browser API is imported: `chrome.i18n` / `browser.i18n` are synchronous in every extension page and the
// worker, so the popup can paint its words before webextension-polyfill loads.

/** Looks a message up; `substitutions` fill `$1`…`$9`. Answers '' for an unknown key, as the browser does. */
export type MessageSource = (key: string, substitutions: string[]) => string;

/** A catalogue as built into messages.json. */
export type Messages = Readonly<Record<string, { message: string }>>;

interface I18nApi {
  getMessage(name: string, substitutions?: string | string[]): string;
}

let source: MessageSource | undefined;
// Messages without substitutions, once read: a row renders a dozen of them every second (the countdown), and
// the catalogue does not change while a page lives.
const plain = new Map<string, string>();

function browserSource(): MessageSource | undefined {
  const g = globalThis as { browser?: { i18n?: I18nApi }; chrome?: { i18n?: I18nApi } };
  const api = typeof g.browser?.i18n?.getMessage === 'function' ? g.browser.i18n : g.chrome?.i18n;
  if (typeof api?.getMessage !== 'function') return undefined;
  return (key, substitutions) => api.getMessage(key, substitutions);
}

/**
 * Where messages come from outside a browser (component tests, Node): a catalogue read from src/locales
 * (test/support/i18n-setup.ts). Pass undefined to go back to the browser's.
 */
export function setMessageSource(next: MessageSource | undefined): void {
  source = next;
  plain.clear();
}

/** The browser's substitution rules, for a catalogue held in memory: `$1`…`$9`, and `$$` for a dollar sign. */
export function messageSourceFrom(messages: Messages): MessageSource {
  return (key, substitutions) => {
    const entry = Object.hasOwn(messages, key) ? messages[key] : undefined;
    if (!entry) return '';
    return entry.message.replace(/\$(\$|[1-9])/g, (_, d: string) => (d === '$' ? '$' : (substitutions[Number(d) - 1] ?? '')));
  };
}

/**
 * The message `key` of the catalogue in use, `$1`… filled with `substitutions` (rendered as text by the
 * caller, never as markup). A key the catalogue lacks reads as the key itself, so a gap shows instead of
 * hiding (test/meta/locales.test.ts keeps both languages complete).
 */
export function t(key: string, ...substitutions: (string | number)[]): string {
  if (substitutions.length === 0) {
    const known = plain.get(key);
    if (known !== undefined) return known;
  }
  source ??= browserSource();
  const text = source?.(key, substitutions.map(String)) || key;
  if (substitutions.length === 0) plain.set(key, text);
  return text;
}

/** Message keys built from an id (a finding id, a claim name): lower case, anything but [a-z0-9] as `_`. */
export function keyPart(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9]/g, '_');
}

/**
 * The page's `<html lang>` and title from the catalogue in use. The language is the catalogue's own `lang`
 * message: Chromium started with --lang=ko answers from _locales/ko while getUILanguage() still says en-US.
 */
export function applyLanguage(titleKey?: string): void {
  document.documentElement.lang = t('lang');
  if (titleKey) document.title = t(titleKey);
}
