import { existsSync } from 'node:fs';

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
const FIREFOX_CANDIDATES = ['/usr/bin/firefox-esr', '/usr/bin/firefox'];

function locate(envVar: string, candidates: string[]): string | undefined {
  const fromEnv = process.env[envVar];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return candidates.find((p) => existsSync(p));
}

export const chromiumPath = locate('CHROME_PATH', CHROMIUM_CANDIDATES);
export const firefoxPath = locate('FIREFOX_PATH', FIREFOX_CANDIDATES);

/**
 * Whether end-to-end tests in this browser run. Without the browser they are skipped loudly on a
 * developer's machine; under CI=true a missing browser is a failure, never a silent skip.
 */
export function browserAvailable(name: 'chromium' | 'firefox'): boolean {
  const path = name === 'chromium' ? chromiumPath : firefoxPath;
  if (path) return true;
  const how = name === 'chromium' ? 'apt-get install -y chromium (or set CHROME_PATH)' : 'apt-get install -y firefox-esr (or set FIREFOX_PATH)';
  if (process.env.CI === 'true') throw new Error(`CI=true but no ${name} was found: ${how}`);
  console.warn(`\n*** SKIPPING ${name} end-to-end tests: no ${name} found. Install it: ${how} ***\n`);
  return false;
}
