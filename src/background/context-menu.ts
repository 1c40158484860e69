import browser from 'webextension-polyfill';
import { openDecoderTab } from '../decoder-page';
import { extractToken } from '../core/normalize';

const MENU_SELECTION = 'decode-selection';
const MENU_LINK = 'decode-link';

export function registerContextMenu(): void {
  browser.runtime.onInstalled.addListener(() => {
    void browser.contextMenus.removeAll().then(() => {
      browser.contextMenus.create({ id: MENU_SELECTION, title: 'Decode JWT', contexts: ['selection'] });
      browser.contextMenus.create({ id: MENU_LINK, title: 'Decode JWT in this link', contexts: ['link'] });
    });
  });
  browser.contextMenus.onClicked.addListener((info) => {
    const text = info.menuItemId === MENU_LINK ? (info.linkUrl ?? '') : (info.selectionText ?? '');
    // Through storage.session, not the URL (src/decoder-page.ts): history keeps URLs.
    void openDecoderTab(extractToken(text)).catch(() => {});
  });
}
