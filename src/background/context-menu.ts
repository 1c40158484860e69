import browser from 'webextension-polyfill';
import { openDecoderTab } from '../decoder-page';
import { extractToken } from '../core/normalize';
import { t } from '../ui/i18n';

const MENU_SELECTION = 'decode-selection';
const MENU_LINK = 'decode-link';

export function registerContextMenu(): void {
  browser.runtime.onInstalled.addListener(() => {
    void browser.contextMenus.removeAll().then(() => {
      browser.contextMenus.create({ id: MENU_SELECTION, title: t('menu_decode_selection'), contexts: ['selection'] });
      browser.contextMenus.create({ id: MENU_LINK, title: t('menu_decode_link'), contexts: ['link'] });
    });
  });
  browser.contextMenus.onClicked.addListener((info) => {
    const text = info.menuItemId === MENU_LINK ? (info.linkUrl ?? '') : (info.selectionText ?? '');
    // Through storage.session, not the URL (src/decoder-page.ts): history keeps URLs.
    void openDecoderTab(extractToken(text)).catch(() => {});
  });
}
