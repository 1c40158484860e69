// What the popup's buttons do with the browser. Its own module, loaded on the first click: the popup paints
// before the browser API polyfill (and its CommonJS interop) is loaded at all.
import browser from 'webextension-polyfill';
// The full-page decoder in a new tab (the context menu opens the same page), and the token it was handed.
export { openDecoderTab, takeHandedOverToken } from '../decoder-page';

export function openKeys(): Promise<void> {
  return browser.runtime.openOptionsPage();
}
