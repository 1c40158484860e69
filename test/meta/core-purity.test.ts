import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// src/core runs unchanged in Node, the worker and pages: it must not reach for a browser, the DOM or Preact.
const CORE = resolve(import.meta.dirname, '../../src/core');
const ALLOWED_PACKAGES = new Set(['jose', 'cookie', '@noble']);
const FORBIDDEN_GLOBALS =
  /\b(?:chrome|browser)\.[a-z]|\b(?:window|document|localStorage|sessionStorage|navigator)\b|\bXMLHttpRequest\b|\bfetch\s*\(/;

function coreFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? coreFiles(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  for (const m of source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]/g)) specifiers.push(m[1]!);
  for (const m of source.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) specifiers.push(m[1]!);
  for (const m of source.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) specifiers.push(m[1]!);
  return specifiers;
}

// One pass over strings and comments together, so a '/*' inside a string is not taken for a comment and a
// contract value such as 'document-cookie' is not taken for the DOM global.
const STRINGS_AND_COMMENTS = /'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g;

function codeOnly(source: string): string {
  return source.replace(STRINGS_AND_COMMENTS, (m) => (m.startsWith('/') ? ' ' : '""'));
}

describe('src/core stays pure', () => {
  const files = coreFiles(CORE);

  it('has files to check, in every folder of src/core', () => {
    expect(files.length).toBeGreaterThan(3);
    const folders = readdirSync(CORE, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(folders.length).toBeGreaterThan(0);
    for (const folder of folders)
      expect(
        files.some((f) => f.startsWith(`${join(CORE, folder)}/`)),
        folder,
      ).toBe(true);
  });

  it.each(files.map((f) => [f.slice(CORE.length + 1), f]))('%s imports only core files, jose, cookie and @noble/hashes', (_name, file) => {
    const source = readFileSync(file, 'utf8');
    for (const spec of importsOf(source)) {
      if (spec.startsWith('./') || spec.startsWith('../')) {
        expect(resolve(file, '..', spec).startsWith(CORE), `${spec} leaves src/core`).toBe(true);
      } else {
        expect(ALLOWED_PACKAGES.has(spec.split('/')[0]!), `${spec} is not allowed in src/core`).toBe(true);
      }
    }
  });

  it.each(files.map((f) => [f.slice(CORE.length + 1), f]))('%s uses no browser, DOM or network global', (_name, file) => {
    const code = codeOnly(readFileSync(file, 'utf8'));
    expect(code.match(FORBIDDEN_GLOBALS)?.[0] ?? null).toBeNull();
  });

  it('the checks catch an offender', () => {
    expect(importsOf("import { h } from 'preact';").every((s) => ALLOWED_PACKAGES.has(s))).toBe(false);
    expect(FORBIDDEN_GLOBALS.test('await chrome.storage.local.get()')).toBe(true);
    expect(FORBIDDEN_GLOBALS.test(codeOnly('const t = document.title;'))).toBe(true);
    expect(FORBIDDEN_GLOBALS.test(codeOnly("const where = 'document-cookie'; // window"))).toBe(false);
  });
});
