import browser from 'webextension-polyfill';
import { sightingsFromSnapshot } from '../capture/storage-snapshot';
import type { CapturedSighting } from '../capture/sightings-from-entry';
import { readPageStorage } from './page-storage-reader';

const MAX_ITEMS = 500;
const MAX_VALUE_CHARS = 256 * 1024;

/**
 * The tokens the active tab's scripts can read. activeTab grants access to this tab for this click only,
 * so the extension holds no standing host permission and injects nothing until the user asks.
 */
export async function tokensOnActivePage(): Promise<CapturedSighting[]> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  if (tab?.id === undefined) throw new Error('No active tab.');
  const [injection] = await browser.scripting.executeScript({
    target: { tabId: tab.id },
    func: readPageStorage,
    args: [MAX_ITEMS, MAX_VALUE_CHARS],
  });
  return sightingsFromSnapshot(injection?.result, Date.now());
}
