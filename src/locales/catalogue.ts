// Build-time and test-time only (Node): reads the message catalogue's sources, src/locales/<lang>/<area>.json,
// and merges each language into the one messages.json the browser reads (vite.config.ts writes it to
// dist/<browser>/_locales/<lang>/). Never bundled into the extension.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOCALES_DIR = import.meta.dirname;
/** The manifest's default_locale: every other language is checked against it. */
export const DEFAULT_LANGUAGE = 'en';

/** A source entry: the text, or the text with a note for translators. */
export type SourceEntry = string | { message: string; description?: string };
export type BuiltMessages = Record<string, { message: string; description?: string }>;

/** Every language with a folder under src/locales. */
export function languages(): string[] {
  return readdirSync(LOCALES_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** The area files of one language, by area name (the file name without .json). */
export function areasOf(lang: string): Record<string, Record<string, SourceEntry>> {
  const dir = join(LOCALES_DIR, lang);
  const out: Record<string, Record<string, SourceEntry>> = {};
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.json')) continue;
    out[file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, SourceEntry>;
  }
  return out;
}

/** One language's messages.json; throws on a key defined twice (in two areas). */
export function buildMessages(lang: string): BuiltMessages {
  const out: BuiltMessages = {};
  for (const [area, entries] of Object.entries(areasOf(lang))) {
    for (const [key, entry] of Object.entries(entries)) {
      if (Object.hasOwn(out, key)) throw new Error(`src/locales/${lang}/${area}.json: "${key}" is defined twice`);
      out[key] = typeof entry === 'string' ? { message: entry } : { ...entry };
    }
  }
  return out;
}
