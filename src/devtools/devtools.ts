import { startNetworkJournal, createDevtoolsPanel } from './panel/devtools-api';

// The devtools page only registers the panel (and, in Firefox, keeps the network journal the panel reads);
// capture runs inside the panel itself. How calls are made (callback or promise, per browser) is decided in
// panel/devtools-api.ts.
startNetworkJournal();
void createDevtoolsPanel('JWT', '/icons/icon-32.png', '/src/devtools/panel.html');
