import browser from 'webextension-polyfill';

// The devtools page only registers the panel; capture runs inside the panel itself.
void browser.devtools.panels.create('JWT', '/icons/icon-32.png', '/src/devtools/panel.html');
