import { connectNetworkMonitorEarly, createDevtoolsPanel } from './panel/devtools-api';

// The devtools page only registers the panel (and, in Firefox, gets the network monitor connected early);
// capture runs inside the panel itself. How calls are made (callback or promise, per browser) is decided in
// panel/devtools-api.ts.
connectNetworkMonitorEarly();
void createDevtoolsPanel('JWT', '/icons/icon-32.png', '/src/devtools/panel.html');
