import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const DIST_CHROME = resolve(ROOT, 'dist/chrome');
export const DIST_FIREFOX = resolve(ROOT, 'dist/firefox');
export const ARTIFACTS = resolve(ROOT, 'artifacts');

export function requireBuild(dir: string): string {
  if (!existsSync(resolve(dir, 'manifest.json'))) throw new Error(`${dir} is not built: run npm run build first (npm test does).`);
  return dir;
}
