// The JWKS cache: one fetch per URL at a time, max-age honoured within bounds, a cooldown between refetches,
// one refetch when a token names a kid the cached set lacks (the issuer rotated its keys), and a growing rest
// after a failed fetch (fetch-backoff.ts).
import { fetchJsonLimited, FetchRefused, type JsonFetchResult } from './safe-fetch';
import { publicKeysOnly, type WithheldKey } from './public-jwks';
import { FailureBackoff } from './fetch-backoff';

export const DEFAULT_MAX_AGE_S = 600;
export const MIN_MAX_AGE_S = 60;
export const MAX_MAX_AGE_S = 24 * 3600;
export const REFETCH_COOLDOWN_S = 30;
export const MAX_JWKS_KEYS = 100;

export interface JwksEntry {
  url: string;
  /** The JWKS text as fetched (kept as text so it is handed to verifyToken as a user would paste it). */
  jwks: string;
  kids: string[];
  /** Keys the server published that are never used: symmetric keys and keys with private members. */
  withheld?: WithheldKey[];
  fetchedAt: number;
  expiresAt: number;
}

export interface JwksCacheDeps {
  fetchJson?: (url: string) => Promise<JsonFetchResult>;
  /** Milliseconds since the epoch. */
  now?: () => number;
}

export class JwksCache {
  private readonly entries = new Map<string, JwksEntry>();
  private readonly inflight = new Map<string, Promise<JwksEntry>>();
  private readonly lastAttempt = new Map<string, number>();
  private readonly fetchJson: (url: string) => Promise<JsonFetchResult>;
  private readonly now: () => number;
  private readonly backoff: FailureBackoff;
  /** Counts network fetches; tests and the options page read it. */
  fetchCount = 0;

  constructor(deps: JwksCacheDeps = {}) {
    this.fetchJson = deps.fetchJson ?? ((url) => fetchJsonLimited(url));
    this.now = deps.now ?? Date.now;
    this.backoff = new FailureBackoff(this.now);
  }

  /** Entries restored from storage after a worker restart. */
  restore(entries: JwksEntry[]): void {
    for (const e of entries) {
      // Stored by an older version, or edited on disk: held to the same rule as a fresh fetch.
      try {
        if (typeof e?.url !== 'string' || typeof e.jwks !== 'string') continue;
        const { jwks, kids, withheld } = validateJwks(JSON.parse(e.jwks), e.url);
        this.entries.set(e.url, { ...e, jwks, kids, ...(withheld.length ? { withheld } : {}) });
      } catch {
        // A malformed entry is refetched when needed.
      }
    }
  }

  snapshot(): JwksEntry[] {
    return [...this.entries.values()];
  }

  peek(url: string): JwksEntry | undefined {
    return this.entries.get(url);
  }

  /** The cached set while fresh; otherwise fetched (once, however many callers ask at the same time). */
  async get(url: string, wantKid?: string): Promise<JwksEntry> {
    const cached = this.entries.get(url);
    const now = this.now();
    if (cached && cached.expiresAt > now) {
      const kidMissing = wantKid !== undefined && !cached.kids.includes(wantKid);
      if (!kidMissing || !this.cooledDown(url, now)) return cached;
    } else if (cached && !this.cooledDown(url, now)) {
      return cached;
    }
    const resting = this.backoff.resting(url);
    if (resting) {
      if (cached) return cached;
      throw resting.error;
    }
    return this.fetch(url);
  }

  /** Ignores freshness and the failure backoff, not the single flight: the user pressed "refresh". */
  refresh(url: string): Promise<JwksEntry> {
    return this.fetch(url);
  }

  forget(url: string): void {
    this.entries.delete(url);
    this.lastAttempt.delete(url);
    this.backoff.succeeded(url);
  }

  /** Forget every set (the user forgot all keys). */
  clear(): void {
    this.entries.clear();
    this.lastAttempt.clear();
    this.backoff.clear();
  }

  private cooledDown(url: string, now: number): boolean {
    return now - (this.lastAttempt.get(url) ?? -Infinity) >= REFETCH_COOLDOWN_S * 1000;
  }

  private fetch(url: string): Promise<JwksEntry> {
    const running = this.inflight.get(url);
    if (running) return running;
    const task = (async () => {
      this.lastAttempt.set(url, this.now());
      this.fetchCount++;
      const result = await this.fetchJson(url);
      const { jwks, kids, withheld } = validateJwks(result.json, url);
      const maxAge = clamp(result.maxAge ?? DEFAULT_MAX_AGE_S, MIN_MAX_AGE_S, MAX_MAX_AGE_S);
      const fetchedAt = this.now();
      const entry: JwksEntry = {
        url,
        jwks,
        kids,
        ...(withheld.length ? { withheld } : {}),
        fetchedAt,
        expiresAt: fetchedAt + maxAge * 1000,
      };
      this.entries.set(url, entry);
      return entry;
    })()
      .then(
        (entry) => {
          this.backoff.succeeded(url);
          return entry;
        },
        (error: unknown) => {
          this.backoff.failed(url, error);
          throw error;
        },
      )
      .finally(() => this.inflight.delete(url));
    this.inflight.set(url, task);
    return task;
  }
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}

export function validateJwks(json: unknown, url: string): { jwks: string; kids: string[]; withheld: WithheldKey[] } {
  if (!json || typeof json !== 'object' || !Array.isArray((json as { keys?: unknown }).keys)) {
    throw new FetchRefused('not-json', `${url} is not a JWKS: it has no "keys" array.`);
  }
  const published = (json as { keys: unknown[] }).keys;
  if (published.length > MAX_JWKS_KEYS) {
    throw new FetchRefused('too-large', `${url} lists ${published.length} keys; the limit is ${MAX_JWKS_KEYS}.`);
  }
  const { kept: keys, withheld } = publicKeysOnly(published);
  const seen = new Set<string>();
  const kids: string[] = [];
  for (const k of keys) {
    if (!k || typeof k !== 'object') throw new FetchRefused('not-json', `${url} has a key that is not a JSON object.`);
    const { kid, kty, use } = k as { kid?: unknown; kty?: unknown; use?: unknown };
    if (typeof kid !== 'string') continue;
    // Two signing keys under one kid make key choice ambiguous: an attacker-friendly state, refused outright.
    const slot = `${kid}\u0000${String(kty)}\u0000${String(use ?? 'sig')}`;
    if (seen.has(slot)) throw new FetchRefused('not-json', `${url} lists kid "${kid.slice(0, 80)}" twice for the same key type.`);
    seen.add(slot);
    kids.push(kid);
  }
  return { jwks: JSON.stringify({ keys }), kids, withheld };
}
