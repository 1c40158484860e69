import { defineConfig, type Plugin } from 'vite';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import { resolve } from 'node:path';
import baseManifest from './manifest.json' with { type: 'json' };
import pkg from './package.json' with { type: 'json' };
import { buildMessages, languages } from './src/locales/catalogue';

export type TargetBrowser = 'chrome' | 'firefox';

/** The add-on id Firefox keys storage and permissions on; tests pin it too. */
export const GECKO_ID = 'jwt-inspector@jwt-inspector.dev';

/**
 * The oldest Firefox the end-to-end tests run on, declared as the minimum: the manifest claims only what is
 * tested (README, "Browsers"). ESR 140 is not claimed: its WebDriver BiDi has no chrome-scope context, so the
 * toolbox tests cannot run there. The Chromium minimum is manifest.json's `minimum_chrome_version`.
 */
export const FIREFOX_MIN_VERSION = '153.0';

// One source manifest; each browser's variant is derived here and nowhere else.
export function manifestFor(browser: TargetBrowser): ManifestV3Export {
  const manifest = { ...structuredClone(baseManifest), version: pkg.version } as Record<string, unknown>;
  if (browser === 'firefox') {
    // Firefox runs MV3 backgrounds as event pages (background.scripts), not service workers.
    const { service_worker, ...background } = manifest.background as { service_worker: string; type?: string };
    manifest.background = { ...background, scripts: [service_worker] };
    // Chromium's minimum means nothing to Firefox, whose own is declared below.
    delete manifest.minimum_chrome_version;
    manifest.browser_specific_settings = {
      gecko: {
        id: GECKO_ID,
        strict_min_version: FIREFOX_MIN_VERSION,
        data_collection_permissions: { required: ['none'] },
      },
      // Firefox for Android has every API the add-on uses by then too; web-ext lint asks for it to be said.
      gecko_android: { strict_min_version: FIREFOX_MIN_VERSION },
    };
  }
  return manifest as unknown as ManifestV3Export;
}

/**
 * `vite build --mode chrome-bench` (npm run bench) makes the Chrome build with the panel's feed hook
 * (src/devtools/panel.tsx) into dist/chrome-bench; `npm run build` and the store packages never contain it.
 */
export const BENCH_MODE = 'chrome-bench';

/**
 * The message catalogue: src/locales/<lang>/<area>.json merged into _locales/<lang>/messages.json of each
 * build. One small JSON file per surface keeps a new string a one-line change in one file (ARCHITECTURE.md,
 * "Languages"); the browser reads messages.json itself, so no string costs the pages' bundles a byte.
 */
function localesPlugin(): Plugin {
  return {
    name: 'jwt-inspector-locales',
    generateBundle() {
      for (const lang of languages()) {
        this.emitFile({
          type: 'asset',
          fileName: `_locales/${lang}/messages.json`,
          source: `${JSON.stringify(buildMessages(lang), null, 1)}\n`,
        });
      }
    },
  };
}

export default defineConfig(({ mode }) => {
  const browser: TargetBrowser = mode === 'firefox' ? 'firefox' : 'chrome';
  return {
    plugins: [crx({ manifest: manifestFor(browser), browser }), localesPlugin()],
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir: mode === BENCH_MODE ? `dist/${BENCH_MODE}` : `dist/${browser}`,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      // Both browsers support modulepreload natively.
      modulePreload: { polyfill: false },
      // The panel page is opened only from code (devtools.panels.create), so the manifest cannot name it.
      rolldownOptions: {
        input: {
          panel: resolve(import.meta.dirname, 'src/devtools/panel.html'),
        },
        output: {
          // Every file a page loads before it paints costs a few milliseconds in an extension page: the
          // popup (which must open in under 100 ms) loads its entry and this one before it paints.
          codeSplitting: {
            groups: [
              // Preact and what every page's UI shares.
              {
                name: 'ui',
                priority: 1,
                test: /node_modules[\\/]preact[\\/]|src[\\/]ui[\\/](theme|use-module|FindingList|TextArea)\.tsx?$/,
              },
              // Network entries to sightings: the panel's capture and the worker's background capture
              // (src/background/capture) share it; the page-storage reader and the storage watch stay out of it.
              {
                name: 'capture',
                priority: 1,
                test: /src[\\/]capture[\\/](sightings-from-entry|har-normalize|ingest-key|location-sightings|sighting-shape)\.ts$|src[\\/]core[\\/]cookies\.ts$|node_modules[\\/]cookie[\\/]/,
              },
              // The message catalogue's reader and relative times: the worker (context menu) and every page, before
              // first paint.
              // Apart from 'ui', which the worker must not load (Preact).
              { name: 'i18n', priority: 3, test: /src[\\/]ui[\\/](i18n|time-text)\.ts$/ },
              // What the worker and the pages share: the browser API, the message types, decoding and analysis.
              {
                name: 'shared',
                // Taken first: a group also takes the modules its members import, and these must not end
                // up in the UI's chunk, which the worker does not load.
                priority: 2,
                test: /rolldown.runtime|node_modules[\\/]webextension-polyfill[\\/]|src[\\/](messages|decoder-page)\.ts$|src[\\/]core[\\/](?:(find|decode|base64url|normalize|findings|claim-names|time-format|key-kind|weak-secret-bounds|types|errors|is-json-object|is-loopback)\.ts|analyze[\\/][\w-]+\.ts)$/,
              },
            ],
          },
        },
      },
    },
  };
});
