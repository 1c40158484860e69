import { createDevtoolsPanel } from './panel/devtools-api';

// The devtools page only registers the panel; capture runs inside the panel itself. How the call is made
// (callback or promise, per browser) is decided in panel/devtools-api.ts.
void createDevtoolsPanel('JWT', '/icons/icon-32.png', '/src/devtools/panel.html');
