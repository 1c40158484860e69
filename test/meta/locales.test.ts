// The message catalogue (src/locales, ARCHITECTURE.md "Languages"): every language has every key of the
// default one and no other, with the same $1…$9 substitutions; every key is used by the code, the manifest,
// or a family of keys built from an id the code lists (finding ids, claim names, …); every key the code
// names exists. Part of `npm run test:unit`, which `npm run lint`'s CI runs beside it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMessages, DEFAULT_LANGUAGE, areasOf, languages } from '../../src/locales/catalogue';
import { FINDING_IDS } from '../../src/core/findings';
import { ATTACK_IDS } from '../../src/core/workbench/attacks';
import { CLAIM_NAMES, HEADER_PARAM_NAMES } from '../../src/core/claims';
import { DECODE_ERROR_CODES, SEVERITIES, WHERES } from '../../src/core/types';
import { keyPart } from '../../src/ui/i18n';
import { coreEnglish } from '../../src/locales/sync-from-core';

const root = join(import.meta.dirname, '../..');

/**
 * Keys the code builds from an id at run time (`t(\`finding_${keyPart(id)}_title\`)`): each family lists the
 * ids the code can pass, taken from the code's own lists, so a new finding id without its texts fails here.
 */
const FAMILIES: Record<string, readonly string[]> = {
  ...Object.fromEntries(['title', 'why', 'fix'].map((part) => [`finding_*_${part}`, FINDING_IDS])),
  'claim_*': CLAIM_NAMES,
  'header_*': HEADER_PARAM_NAMES,
  'where_*': WHERES,
  'severity_*': SEVERITIES,
  'decode_error_*': DECODE_ERROR_CODES,
  'decode_part_*': ['header', 'payload', 'signature', 'encrypted_key', 'iv', 'ciphertext', 'tag', 'other'],
  'verification_*': ['valid', 'invalid', 'no-matching-key', 'unsupported', 'error', 'pending'],
  'row_status_*': ['valid', 'invalid', 'no-matching-key', 'unsupported', 'error', 'pending'],
  'role_*': ['access', 'refresh', 'id', 'unknown'],
  'role_*_token': ['access', 'refresh', 'id', 'unknown'],
  'key_kind_*': ['secret', 'pem', 'jwk', 'jwks', 'jwks-url', 'issuer'],
  'time_unit_*': ['s', 'min', 'h', 'day', 'year'],
  'timeline_*': ['issued', 'used', 'refreshed', 'expired', 'removed'],
  'panel_tab_*': ['details', 'posture', 'timeline', 'flows'],
  ...Object.fromEntries(['title', 'tests', 'vulnerable'].map((part) => [`workbench_attack_*_${part}`, ATTACK_IDS])),
};

const familyKeys = new Set(Object.entries(FAMILIES).flatMap(([pattern, ids]) => ids.map((id) => pattern.replace('*', keyPart(id)))));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'locales' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

const code = sourceFiles(join(root, 'src')).map((path) => ({ path: relative(root, path), text: readFileSync(path, 'utf8') }));
const manifest = readFileSync(join(root, 'manifest.json'), 'utf8');

/** Keys named literally: t('key'…), applyLanguage('key'), and the manifest's __MSG_key__. */
function literalKeys(): Map<string, string> {
  const found = new Map<string, string>();
  for (const { path, text } of code) {
    for (const m of text.matchAll(/\b(?:t|applyLanguage)\(\s*'([a-z0-9_]+)'/g)) found.set(m[1]!, path);
  }
  for (const m of manifest.matchAll(/__MSG_([A-Za-z0-9_]+)__/g)) found.set(m[1]!, 'manifest.json');
  return found;
}

const english = buildMessages(DEFAULT_LANGUAGE);

describe('the message catalogue', () => {
  it('has a default language and at least one more, each building into one messages.json', () => {
    expect(languages()).toContain(DEFAULT_LANGUAGE);
    expect(languages()).toContain('ko');
    for (const lang of languages()) expect(() => buildMessages(lang)).not.toThrow();
  });

  it.each(languages())('%s has the same area files and keys as the default language, and no empty message', (lang) => {
    const base = areasOf(DEFAULT_LANGUAGE);
    const other = areasOf(lang);
    expect(Object.keys(other).sort()).toEqual(Object.keys(base).sort());
    for (const area of Object.keys(base)) {
      const missing = Object.keys(base[area]!).filter((k) => !Object.hasOwn(other[area]!, k));
      const extra = Object.keys(other[area]!).filter((k) => !Object.hasOwn(base[area]!, k));
      expect({ area, missing, extra }).toEqual({ area, missing: [], extra: [] });
    }
    const empty = Object.entries(buildMessages(lang)).filter(([, v]) => v.message.trim() === '');
    expect(empty).toEqual([]);
  });

  it.each(languages())('%s fills the same numbered substitutions as the default language in every message', (lang) => {
    const messages = buildMessages(lang);
    const slots = (text: string) => [...new Set(text.replace(/\$\$/g, '').match(/\$[1-9]/g) ?? [])].sort().join(' ');
    const differ = Object.keys(english).filter((k) => messages[k] && slots(messages[k].message) !== slots(english[k]!.message));
    expect(differ).toEqual([]);
  });

  it('says which language it is in its own lang message, which pages put in <html lang>', () => {
    for (const lang of languages()) expect(buildMessages(lang).lang?.message).toBe(lang);
  });

  it('has keys the browser accepts: lower case letters, digits and underscores', () => {
    expect(Object.keys(english).filter((k) => !/^[a-z][a-z0-9_]*$/.test(k))).toEqual([]);
  });

  it('has every key the code and the manifest name', () => {
    const missing = [...literalKeys()].filter(([key]) => !Object.hasOwn(english, key)).map(([key, path]) => `${key} (${path})`);
    expect(missing).toEqual([]);
  });

  it('has every key of every family the code builds from an id', () => {
    expect([...familyKeys].filter((key) => !Object.hasOwn(english, key))).toEqual([]);
  });

  it('says in English what the core says: finding texts, claim and header meanings (sync-from-core.ts adds new ones)', () => {
    const differ: string[] = [];
    for (const entries of Object.values(coreEnglish())) {
      for (const [key, text] of Object.entries(entries)) if (english[key]?.message !== text) differ.push(key);
    }
    expect(differ).toEqual([]);
  });

  it('has no key that nothing uses', () => {
    // A key also counts as used where the code quotes it outside t(…) (`t(future ? 'time_in' : 'time_ago')`).
    const quoted = new Set(code.flatMap(({ text }) => [...text.matchAll(/'([a-z][a-z0-9_]*)'/g)].map((m) => m[1]!)));
    const used = new Set([...literalKeys().keys(), ...familyKeys, ...quoted, 'lang']);
    expect(Object.keys(english).filter((key) => !used.has(key))).toEqual([]);
  });
});
