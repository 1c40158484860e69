import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT } from './paths';

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
const FIREFOX_CANDIDATES = ['/usr/bin/firefox-esr', '/usr/bin/firefox'];

/**
 * Set by test/vitest.config.ts for the project that runs the Chromium files on the older Chromium Debian
 * serves (the main archive's), which test/e2e/install-browsers.sh unpacks under `.browsers/chromium-old`.
 */
export const OLD_CHROMIUM_ENV = 'JWTI_E2E_CHROMIUM';
export const onOldChromium = process.env[OLD_CHROMIUM_ENV] === 'old';
const OLD_CHROMIUM_CANDIDATES = [resolve(ROOT, '.browsers/chromium-old/usr/lib/chromium/chromium')];

function locate(envVar: string, candidates: string[]): string | undefined {
  const fromEnv = process.env[envVar];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return candidates.find((p) => existsSync(p));
}

export const chromiumPath = onOldChromium ? locate('CHROME_OLD_PATH', OLD_CHROMIUM_CANDIDATES) : locate('CHROME_PATH', CHROMIUM_CANDIDATES);
export const firefoxPath = locate('FIREFOX_PATH', FIREFOX_CANDIDATES);

/**
 * Whether end-to-end tests in this browser run. Without the browser they are skipped loudly on a
 * developer's machine; under CI=true a missing browser is a failure, never a silent skip.
 */
export function browserAvailable(name: 'chromium' | 'firefox'): boolean {
  const path = name === 'chromium' ? chromiumPath : firefoxPath;
  if (path) return true;
  const what = name === 'chromium' && onOldChromium ? 'the older Chromium' : name;
  const how =
    name === 'firefox'
      ? 'apt-get install -y firefox-esr (or set FIREFOX_PATH)'
      : onOldChromium
        ? 'test/e2e/install-browsers.sh (or set CHROME_OLD_PATH)'
        : 'apt-get install -y chromium (or set CHROME_PATH)';
  if (process.env.CI === 'true') throw new Error(`CI=true but ${what} was not found: ${how}`);
  console.warn(`\n*** SKIPPING ${what} end-to-end tests: ${what} was not found. Install it: ${how} ***\n`);
  return false;
}

const reported = new Set<string>();

/** Says once per test file which browser build it runs on: vitest prints it under the file's name. */
export function reportBrowserVersion(version: string, path: string): void {
  if (reported.has(version)) return;
  reported.add(version);
  console.log(`[e2e] running on ${version} (${path})`);
}
