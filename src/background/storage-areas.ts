import browser from 'webextension-polyfill';
import type { StorageAreaLike } from './key-store';

/** storage.session exists in Chrome 102+ and Firefox 115+; where it is missing, secrets fall back to local. */
export function sessionArea(): StorageAreaLike | undefined {
  const area = (browser.storage as unknown as { session?: StorageAreaLike }).session;
  return area && typeof area.get === 'function' ? area : undefined;
}
