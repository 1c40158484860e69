#!/usr/bin/env node
// Store archives from the builds (run `npm run build` first; `npm run package` does):
//   artifacts/jwt-inspector-chrome-<version>.zip   the contents of dist/chrome (Chrome Web Store)
//   artifacts/jwt-inspector-firefox-<version>.zip  `web-ext build` of dist/firefox (addons.mozilla.org)
// <version> is package.json's; each build's manifest must carry the same one.
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import webExt from 'web-ext';

const ROOT = resolve(import.meta.dirname, '..');
const ARTIFACTS = join(ROOT, 'artifacts');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
// A fixed timestamp keeps the Chrome archive byte-identical for identical builds.
const MTIME = new Date(Date.UTC(2000, 0, 1));

function checkedBuild(browser) {
  const dir = join(ROOT, 'dist', browser);
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`${relative(ROOT, dir)} is not built: run npm run build first.`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (manifest.version !== version) {
    throw new Error(`${relative(ROOT, manifestPath)} has version ${manifest.version}, package.json ${version}: rebuild.`);
  }
  return dir;
}

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

async function zipDirectory(dir, out) {
  const zip = new yazl.ZipFile();
  const files = filesUnder(dir);
  for (const name of files) zip.addFile(join(dir, name), name, { mtime: MTIME, mode: 0o100644 });
  zip.end();
  rmSync(out, { force: true });
  await pipeline(zip.outputStream, createWriteStream(out));
  return files.length;
}

mkdirSync(ARTIFACTS, { recursive: true });

const chromeZip = join(ARTIFACTS, `jwt-inspector-chrome-${version}.zip`);
const count = await zipDirectory(checkedBuild('chrome'), chromeZip);
console.log(`${relative(ROOT, chromeZip)} (${count} files)`);

const { extensionPath } = await webExt.cmd.build(
  {
    sourceDir: checkedBuild('firefox'),
    artifactsDir: ARTIFACTS,
    filename: `jwt-inspector-firefox-${version}.zip`,
    overwriteDest: true,
  },
  { showReadyMessage: false, shouldExitProgram: false },
);
console.log(relative(ROOT, extensionPath));
