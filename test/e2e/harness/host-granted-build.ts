// A copy of the built Chromium extension whose manifest grants host access at install, for background
// capture's end-to-end test: the popup's "Watch this site" asks for optional host access, and a headless
// Chromium cannot answer that prompt (Firefox can be told to grant it: see firefox.ts). Only the manifest
// differs from dist/chrome — the code under test is the build itself, byte for byte — so the copy costs a
// file copy, not a second build. With access already granted, permissions.request() answers true at once.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST_CHROME, requireBuild } from './paths';

export interface GrantedBuild {
  dir: string;
  remove(): void;
}

export function hostGrantedChromeBuild(hosts: string[]): GrantedBuild {
  const dir = join(mkdtempSync(join(tmpdir(), 'jwti-granted-')), 'chrome');
  cpSync(requireBuild(DIST_CHROME), dir, { recursive: true });
  const file = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  manifest.host_permissions = hosts;
  writeFileSync(file, JSON.stringify(manifest, null, 2));
  return { dir, remove: () => rmSync(join(dir, '..'), { recursive: true, force: true }) };
}
