import { render } from 'preact';
import '../ui/styles.css';
import './panel.css';
import { applyTheme } from '../ui/theme';
import { applyLanguage } from '../ui/i18n';
import { ask, checkWeakSecret } from '../ui/worker-client';
import { browserDevtoolsApi, detachedDevtoolsApi, insideDevtools, type NetworkRequest } from './panel/devtools-api';
import { PanelController } from './panel/panel-controller';
import { PanelApp } from './panel/view/PanelApp';

/**
 * Opened as a plain tab (no `browser.devtools`), the panel has no inspected page: it shows imported captures.
 * In the bench's build only (`vite build --mode chrome-bench`, vite.config.ts), it also takes finished
 * requests (HAR entries with their bodies in `content.text`) from the DOM event `jwt-inspector:feed-requests`:
 * that is how `npm run bench` feeds the real panel (README, "Performance"). The store builds (`npm run build`,
 * `npm run package`) do not contain the listener or its name: the mode is a constant, and the minifier drops
 * the branch (test/meta/worker-surface.test.ts checks dist/chrome and dist/firefox). Inside DevTools the
 * listener is never added.
 */
function benchFedApi() {
  const api = detachedDevtoolsApi();
  window.addEventListener('jwt-inspector:feed-requests', (e) => {
    const requests = (e as CustomEvent<unknown>).detail;
    if (Array.isArray(requests)) api.feed(requests as NetworkRequest[]);
  });
  return api;
}

const api = insideDevtools() ? browserDevtoolsApi() : import.meta.env.MODE === 'chrome-bench' ? benchFedApi() : detachedDevtoolsApi();
applyTheme(api.themeName === 'dark' ? 'dark' : 'light');
applyLanguage('panel_title');
const controller = new PanelController(
  api,
  {
    verify: (token) => ask({ type: 'verify', token }),
    weakSecret: (token) => checkWeakSecret(token).result,
  },
  // The sign-in before DevTools opened, if the tab's site is watched (src/background/capture).
  api.tabId >= 0 ? { backgroundSightings: () => ask({ type: 'capture/sightings', tabId: api.tabId }) } : {},
);
render(<PanelApp controller={controller} />, document.getElementById('app')!);
void controller.start();
