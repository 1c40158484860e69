import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FINDING_IDS } from '../../src/core/findings';

const README = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
const CI = readFileSync(resolve(import.meta.dirname, '../../.ci/run'), 'utf8');
const MANIFEST = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../manifest.json'), 'utf8')) as {
  commands?: Record<string, { suggested_key?: Record<string, string> }>;
};

describe('the README stays true', () => {
  it.each([...FINDING_IDS])('lists the finding %s', (id) => {
    expect(README).toContain(`| \`${id}\` |`);
  });

  it('gives the test command that CI runs', () => {
    expect(README).toContain('npm test');
    expect(CI).toMatch(/^npm test$/m);
  });

  it("names the popup's keyboard shortcut the manifest suggests", () => {
    expect(README).toContain('**Popup** (`Alt+Shift+J`)');
    expect(MANIFEST.commands?._execute_action?.suggested_key).toEqual({ default: 'Alt+Shift+J', mac: 'Alt+Shift+J' });
  });
});
