// Where the JWKS cache survives a worker restart: storage.local while the user keeps keys after the browser
// closes, storage.session (memory) otherwise — never on disk then. Empty, it is removed from both.
import type { JwksCache, JwksEntry } from './jwks-cache';
import type { StorageAreaLike } from './key-store';

export const JWKS_CACHE_KEY = 'jwti:jwks-cache';

export class JwksPersistence {
  constructor(
    private readonly local: StorageAreaLike,
    private readonly session: StorageAreaLike | undefined,
    private readonly cache: JwksCache,
    /** The user's "Keep keys after the browser closes". */
    private readonly keepKeys: () => Promise<boolean>,
  ) {}

  async restore(): Promise<void> {
    const area = (await this.keepKeys()) ? this.local : this.session;
    if (!area) return;
    const got = (await area.get(JWKS_CACHE_KEY))[JWKS_CACHE_KEY];
    this.cache.restore(Array.isArray(got) ? (got as JwksEntry[]) : []);
  }

  async save(): Promise<void> {
    const entries = this.cache.snapshot();
    const keep = await this.keepKeys();
    // Without storage.session (older browsers) and keys not kept, the cache lives in the worker's memory only.
    const target = keep ? this.local : this.session;
    const other = keep ? this.session : this.local;
    if (target && entries.length) await target.set({ [JWKS_CACHE_KEY]: entries });
    else await target?.remove(JWKS_CACHE_KEY);
    await other?.remove(JWKS_CACHE_KEY);
  }
}
