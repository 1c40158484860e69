import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const DIST_CHROME = resolve(ROOT, 'dist/chrome');
export const DIST_FIREFOX = resolve(ROOT, 'dist/firefox');
// The older-Chromium project (test/vitest.config.ts) runs the same files at the same time: its screenshots
// go to their own folder instead of overwriting the newest Chromium's.
export const ARTIFACTS = resolve(ROOT, process.env.JWTI_E2E_CHROMIUM === 'old' ? 'artifacts/chromium-old' : 'artifacts');

export function requireBuild(dir: string): string {
  if (!existsSync(resolve(dir, 'manifest.json'))) throw new Error(`${dir} is not built: run npm run build first (npm test does).`);
  return dir;
}
