// What the store keeps beside each record (token-store.ts), and the queue entry that bounds the sightings:
// dedupe keys, the sightings analysis sees, the findings of each source, and what is dirty.
import type { Finding, Sighting } from '../../core/types';
import type { CapturedSighting } from '../../capture/sightings-from-entry';
import type { TimeState } from './time-schedule';
import type { StoredSighting, TokenRecord } from './token-record';

/** A record and what the store keeps beside it. */
export interface Slot extends TimeState {
  record: TokenRecord;
  seq: number;
  removed: boolean;
  /** Dedupe keys: per exchange (or storage URL), the `where + name` already held. */
  keys: Map<string, string[]>;
  names: Set<string>;
  reps: Map<string, Sighting>;
  /** Storage sightings by scope + place, to stamp lastSeen and removal on the one kept. */
  stored?: Map<string, StoredSighting>;
  analysis: Finding[];
  flow: Finding[];
  dirtyRole: boolean;
  dirtyAnalysis: boolean;
  dirtyFlow: boolean;
  dirtyCompose: boolean;
}

export interface Queued {
  slot: Slot;
  scope: string;
  place: string;
  sighting: CapturedSighting;
}

/**
 * Forgets the oldest sighting of the store (the bound was reached): its dedupe keys and its place in the
 * record's list. Returns whether the record has no sighting left.
 */
export function forgetOldest({ slot, scope, place, sighting }: Queued): boolean {
  const places = slot.keys.get(scope);
  if (places) {
    const at = places.indexOf(place);
    if (at >= 0) places.splice(at, 1);
    if (places.length === 0) slot.keys.delete(scope);
  }
  if (sighting.exchange === undefined) slot.stored?.delete(`${scope}\u0001${place}`);
  const sightings = slot.record.sightings;
  // The store's oldest sighting is also its token's oldest.
  if (sightings[0] === sighting) sightings.shift();
  else {
    const index = sightings.indexOf(sighting);
    if (index >= 0) sightings.splice(index, 1);
  }
  return sightings.length === 0;
}
