// The page's own address as sightings: a token in its query or fragment is a `url` sighting named
// `location` (ARCHITECTURE.md, "DOM hooks"), like a token in any URL the page requested; `field` is the
// parameter it came in. The panel's storage snapshot (storage-snapshot.ts) and the worker's background
// capture (src/background/capture, from tabs.onUpdated) both make them here; the worker does not load the
// page-storage reader.
import { tokensInText, type CapturedSighting, type TokenHit } from './sightings-from-entry';

/** The name of a sighting in the page's own address. */
export const LOCATION_NAME = 'location';
/** The longest address read; the page-storage reader cuts it there too. */
export const MAX_LOCATION_CHARS = 8192;

/** The tokens in the address, each once, with the parameter each came in. */
export function locationHits(url: string): TokenHit[] {
  return tokensInText(url.length > MAX_LOCATION_CHARS ? url.slice(0, MAX_LOCATION_CHARS) : url, MAX_LOCATION_CHARS);
}

/** The address's sightings at `time` (epoch ms). Never throws. */
export function locationSightings(url: string, time: number): CapturedSighting[] {
  const out: CapturedSighting[] = [];
  const seen = new Set<string>();
  const at = url.length > MAX_LOCATION_CHARS ? url.slice(0, MAX_LOCATION_CHARS) : url;
  for (const hit of locationHits(at)) {
    if (seen.has(hit.token)) continue;
    seen.add(hit.token);
    const c: CapturedSighting = { token: hit.token, sighting: { where: 'url', url: at, name: LOCATION_NAME }, time, requestUrl: at };
    if (hit.field !== undefined) c.field = hit.field;
    out.push(c);
  }
  return out;
}
