// What the popup's buttons do with the browser. Its own module, loaded on the first click: the popup paints
// before the browser API polyfill (and its CommonJS interop) is loaded at all.
import browser from 'webextension-polyfill';
import { decoderPagePath } from '../decoder-page';

/** The full-page decoder in a new tab, with the token (the context menu opens the same page). */
export function openDecoderTab(token: string): Promise<unknown> {
  return browser.tabs.create({ url: browser.runtime.getURL(decoderPagePath(token)) });
}

export function openKeys(): Promise<void> {
  return browser.runtime.openOptionsPage();
}
