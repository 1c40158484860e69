import browser from 'webextension-polyfill';
import { readPageStorage } from '../capture/page-storage-reader';
import type { CapturedSighting } from '../capture/sightings-from-entry';
import { SNAPSHOT_LIMITS, sightingsFromSnapshot } from '../capture/storage-snapshot';

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
    args: [SNAPSHOT_LIMITS],
  });
  return sightingsFromSnapshot(injection?.result, Date.now());
}
