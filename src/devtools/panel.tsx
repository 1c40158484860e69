import { render } from 'preact';
import '../ui/styles.css';
import './panel.css';
import { applyTheme } from '../ui/theme';
import { ask } from '../ui/worker-client';
import { checkWeakSecret } from '../ui/weak-secret-client';
import { browserDevtoolsApi, detachedDevtoolsApi, insideDevtools, type NetworkRequest } from './panel/devtools-api';
import { PanelController } from './panel/panel-controller';
import { PanelApp } from './panel/view/PanelApp';

/**
 * Opened as a plain tab (no `browser.devtools`), the panel has no inspected page: it shows imported captures,
 * and takes finished requests (HAR entries with their bodies in `content.text`) from this DOM event. Only
 * script in this page's own realm can dispatch it, that is the extension itself or a debugger: it is how
 * `npm run bench` feeds the real panel (README, "Performance"). Inside DevTools the listener is never added.
 */
export const FEED_EVENT = 'jwt-inspector:feed-requests';

function detachedApi() {
  const api = detachedDevtoolsApi();
  window.addEventListener(FEED_EVENT, (e) => {
    const requests = (e as CustomEvent<unknown>).detail;
    if (Array.isArray(requests)) api.feed(requests as NetworkRequest[]);
  });
  return api;
}

const api = insideDevtools() ? browserDevtoolsApi() : detachedApi();
applyTheme(api.themeName === 'dark' ? 'dark' : 'light');
const controller = new PanelController(api, {
  verify: (token) => ask({ type: 'verify', token }),
  weakSecret: (token) => checkWeakSecret(token).result,
});
render(<PanelApp controller={controller} />, document.getElementById('app')!);
void controller.start();
