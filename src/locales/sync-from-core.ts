// `npx tsx src/locales/sync-from-core.ts`: the core's own English (src/core/findings.ts, src/core/claims.ts)
// is the English of the finding, claim and header areas. Adds to src/locales/en the keys of every finding id,
// claim name and header parameter the core has and the catalogue lacks, and lists what the other languages
// then lack (translations are written by people, never copied from English). Node only; never bundled.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FINDING_CATALOGUE, FINDING_IDS } from '../core/findings';
import { CLAIM_NAMES, describeClaim, describeHeaderParam, HEADER_PARAM_NAMES } from '../core/claims';
import { keyPart } from '../ui/i18n';
import { buildMessages, DEFAULT_LANGUAGE, languages, LOCALES_DIR } from './catalogue';

/** The English of the areas the core owns, by area and key. */
export function coreEnglish(): Record<'finding' | 'claim' | 'header', Record<string, string>> {
  const finding: Record<string, string> = {};
  for (const id of FINDING_IDS) {
    const entry = FINDING_CATALOGUE[id];
    finding[`finding_${keyPart(id)}_title`] = entry.title;
    finding[`finding_${keyPart(id)}_why`] = entry.why;
    finding[`finding_${keyPart(id)}_fix`] = entry.fix;
  }
  const claim = Object.fromEntries(CLAIM_NAMES.map((n) => [`claim_${keyPart(n)}`, describeClaim(n)!.meaning]));
  const header = Object.fromEntries(HEADER_PARAM_NAMES.map((n) => [`header_${keyPart(n)}`, describeHeaderParam(n)!.meaning]));
  return { finding, claim, header };
}

function main(): void {
  const added: string[] = [];
  for (const [area, entries] of Object.entries(coreEnglish())) {
    const path = join(LOCALES_DIR, DEFAULT_LANGUAGE, `${area}.json`);
    const current = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    for (const [key, text] of Object.entries(entries)) {
      if (Object.hasOwn(current, key)) continue;
      current[key] = text;
      added.push(key);
    }
    writeFileSync(path, `${JSON.stringify(current, null, 2)}\n`);
  }
  console.log(added.length ? `Added to ${DEFAULT_LANGUAGE}: ${added.join(', ')}` : `${DEFAULT_LANGUAGE} has every key of the core.`);
  const english = Object.keys(buildMessages(DEFAULT_LANGUAGE));
  for (const lang of languages().filter((l) => l !== DEFAULT_LANGUAGE)) {
    const have = buildMessages(lang);
    const missing = english.filter((k) => !Object.hasOwn(have, k));
    console.log(missing.length ? `${lang} lacks ${missing.length}: ${missing.join(', ')}` : `${lang} is complete.`);
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) main();
