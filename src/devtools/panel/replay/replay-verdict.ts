// Did the server take the replayed token as it took the original? Pure. `accepted`: the same status class
// and, when the original body is known, a similar body (JSON with the same top-level members, or text of a
// comparable length) — a server that answers 200 with an error message is not fooled by status alone.
// `error`: no answer (network failure, timeout, refused). Anything else is `rejected`.
export type ReplayVerdict = 'accepted' | 'rejected' | 'error';

export interface Answer {
  status: number;
  body?: string;
}

function jsonKeys(text: string): string | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    return Array.isArray(value) ? '[array]' : Object.keys(value).sort().join('\u0000');
  } catch {
    return undefined;
  }
}

export function similarBodies(a: string, b: string): boolean {
  const ka = jsonKeys(a);
  const kb = jsonKeys(b);
  if (ka !== undefined || kb !== undefined) return ka === kb;
  const longer = Math.max(a.length, b.length);
  return longer === 0 || Math.min(a.length, b.length) / longer >= 0.5;
}

export function replayVerdict(original: Answer, replay: Answer | undefined): ReplayVerdict {
  if (!replay || replay.status <= 0) return 'error';
  if (original.status <= 0) return 'error';
  if (Math.floor(original.status / 100) !== Math.floor(replay.status / 100)) return 'rejected';
  if (original.body === undefined || replay.body === undefined) return 'accepted';
  return similarBodies(original.body, replay.body) ? 'accepted' : 'rejected';
}
