// What every store of sightings (the panel's TokenStore, the worker's per-tab store) asks of a sighting: is
// a value read back from a file or from storage of the captured shape, and which sightings give analyze the
// same evidence.
import { isJsonObject } from '../core/is-json-object';
import { WHERES, type Sighting } from '../core/types';
import type { CapturedSighting } from './sightings-from-entry';

const WHERE_VALUES: ReadonlySet<string> = new Set(WHERES);

export function isCapturedShape(c: unknown): c is CapturedSighting {
  if (!isJsonObject(c) || typeof c.token !== 'string' || typeof c.time !== 'number' || !Number.isFinite(c.time)) return false;
  const s = c.sighting;
  return isJsonObject(s) && typeof s.where === 'string' && WHERE_VALUES.has(s.where) && typeof c.requestUrl === 'string';
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
