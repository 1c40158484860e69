// The panel's backfill from background capture (src/background/capture): what the worker saw on the
// inspected tab before the panel opened comes first, marked source "background", so a sign-in made before
// DevTools opened is there. DevTools' own log starts when DevTools opens, so the two overlap only for the
// requests made between DevTools opening and the panel asking: such a request reaches the panel twice, once
// from webRequest and once as a HAR entry, under different exchange keys (webRequest's request id is not
// DevTools'). The HAR copy of a sighting the backfill already holds is dropped: same token, place, name,
// method and URL, started within MATCH_WINDOW_MS of it. Each background sighting stands in for one HAR
// sighting only, so a request repeated later is still counted.
import type { CapturedSighting } from '../../capture/sightings-from-entry';

/** webRequest's timeStamp and DevTools' startedDateTime of one request differ by a few milliseconds. */
export const MATCH_WINDOW_MS = 3000;

export class BackgroundBackfill {
  private readonly waiting = new Map<string, number[]>();

  /** Notes the background sightings taken into the panel. */
  take(sightings: readonly CapturedSighting[]): void {
    for (const c of sightings) {
      if (c.exchange === undefined) continue;
      const key = keyOf(c);
      const times = this.waiting.get(key);
      if (times) times.push(c.time);
      else this.waiting.set(key, [c.time]);
    }
  }

  /** Whether a sighting from DevTools' log repeats one the backfill brought; the match is used up. */
  repeats(c: CapturedSighting): boolean {
    if (this.waiting.size === 0 || c.exchange === undefined || c.source === 'background') return false;
    const key = keyOf(c);
    const times = this.waiting.get(key);
    if (!times) return false;
    const i = times.findIndex((t) => Math.abs(t - c.time) <= MATCH_WINDOW_MS);
    if (i < 0) return false;
    times.splice(i, 1);
    if (times.length === 0) this.waiting.delete(key);
    return true;
  }

  clear(): void {
    this.waiting.clear();
  }
}

function keyOf(c: CapturedSighting): string {
  return `${c.token}\u0000${c.sighting.where}\u0000${c.sighting.name ?? ''}\u0000${c.method ?? ''}\u0000${c.requestUrl}`;
}
