// How the store tells sightings apart and keeps them: the dedupe scope (storage by the page's origin, a URL
// by itself), the key of what analysis sees, the shape a captured sighting must have, and the copy kept.
import { ownCopy } from '../../core/find';
import { isJsonObject } from '../../core/is-json-object';
import { WHERES, type Sighting, type Where } from '../../core/types';
import type { CapturedSighting } from '../../capture/sightings-from-entry';
import { originOf, type StorageRemoval } from '../../capture/storage-watch';
import type { StoreTimelineEvent } from './token-record';

const WHERE_VALUES: ReadonlySet<string> = new Set(WHERES);
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

export function isCapturedShape(c: unknown): c is CapturedSighting {
  if (!isJsonObject(c) || typeof c.token !== 'string' || typeof c.time !== 'number' || !Number.isFinite(c.time)) return false;
  const s = c.sighting;
  return isJsonObject(s) && typeof s.where === 'string' && WHERE_VALUES.has(s.where) && typeof c.requestUrl === 'string';
}

/** The dedupe scope of a sighting without an exchange: storage by the page's origin, a URL by itself. */
export function storageScope(s: Sighting): string {
  const url = s.url ?? '';
  return STORAGE_WHERES.has(s.where) ? `\u0000${originOf(url)}` : `\u0000${url}`;
}

/** Sightings with the same key give analyze the same evidence: URL without query or fragment. */
export function analysisKey(s: Sighting): string {
  const url = s.url ?? '';
  let end = url.length;
  const q = url.indexOf('?');
  if (q >= 0) end = q;
  const h = url.indexOf('#');
  if (h >= 0 && h < end) end = h;
  const c = s.cookie;
  const flags = c ? `${c.httpOnly ?? '?'}${c.secure ?? '?'}${c.sameSite ?? '?'}` : '';
  return `${s.where}\u0000${s.name ?? ''}\u0000${url.slice(0, end)}\u0000${flags}`;
}

/** The timeline's word for storage the watch no longer found. */
export function removalEvent(r: StorageRemoval, token: string): StoreTimelineEvent {
  const label = STORAGE_LABEL[r.where] ?? r.where;
  const name = r.name.length > 60 ? `${r.name.slice(0, 59)}…` : r.name;
  return { time: r.time, token, kind: 'removed', detail: `Removed from ${label} ("${name}") of ${originOf(r.url)}.` };
}
