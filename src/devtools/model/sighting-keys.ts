// How the store tells sightings apart and keeps them: the dedupe scope (storage by the page's origin, a URL
// by itself), the key of what analysis sees, the shape a captured sighting must have, and the copy kept.
import { ownCopy } from '../../core/find';
import type { Sighting, Where } from '../../core/types';
import type { CapturedSighting } from '../../capture/sightings-from-entry';
import { originOf, type StorageRemoval } from '../../capture/storage-watch';
import type { StoreTimelineEvent } from './token-record';

// Shared with the worker's background capture, which must not load the storage watch.
export { analysisKey, isCapturedShape } from '../../capture/sighting-shape';

export const STORAGE_WHERES: ReadonlySet<string> = new Set<Where>(['local-storage', 'session-storage', 'document-cookie']);
export const STORAGE_LABEL: Partial<Record<Where, string>> = {
  'local-storage': 'localStorage',
  'session-storage': 'sessionStorage',
  'document-cookie': 'document.cookie',
};

/**
 * The sighting as the store keeps it: with the record's own token string, and names that may have been cut
 * from a body (a form field's name) copied, so nothing kept refers into the captured text. Strings shorter
 * than 13 characters are copies already: engines cut no shorter slices out of a larger string (V8's
 * minimum is 13, SpiderMonkey inlines up to 23 Latin-1 characters).
 */
export function kept(c: CapturedSighting, token: string): CapturedSighting {
  c.token = token;
  const name = c.sighting.name;
  if (name !== undefined && name.length >= 13) c.sighting.name = ownCopy(name);
  if (c.field !== undefined && c.field.length >= 13) c.field = ownCopy(c.field);
  return c;
}

/** The dedupe scope of a sighting without an exchange: storage by the page's origin, a URL by itself. */
export function storageScope(s: Sighting): string {
  const url = s.url ?? '';
  return STORAGE_WHERES.has(s.where) ? `\u0000${originOf(url)}` : `\u0000${url}`;
}

/** The timeline's word for storage the watch no longer found. */
export function removalEvent(r: StorageRemoval, token: string): StoreTimelineEvent {
  const label = STORAGE_LABEL[r.where] ?? r.where;
  const name = r.name.length > 60 ? `${r.name.slice(0, 59)}…` : r.name;
  return { time: r.time, token, kind: 'removed', detail: `Removed from ${label} ("${name}") of ${originOf(r.url)}.` };
}
