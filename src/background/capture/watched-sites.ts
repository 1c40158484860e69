// Which sites background capture watches: the user's list, opt-in per site (the popup's "Watch this site",
// the options page). Kept in storage.local; read once per worker start and held in memory, because the
// webRequest listeners ask on every request and must answer without awaiting anything.
// A site is an origin (scheme, host, port); its host access is the match pattern of its scheme and host
// (patterns carry no port). ALL_SITES stands for every site the manifest's optional host access covers.
import type { StorageAreaLike } from '../key-store';

export const WATCHED_SITES_KEY = 'capture.watchedSites';
export const ALL_SITES = '*';
/** More sites than anyone watches by hand; the list is read on every worker start. */
export const MAX_WATCHED_SITES = 200;

/**
 * The origin of a URL as the browser writes it (lower-case scheme and host, default port left out), cut out
 * of the string without parsing: the listeners run this on every request of every tab.
 */
export function originOf(url: string): string {
  const scheme = url.indexOf('://');
  if (scheme <= 0) return '';
  let end = url.length;
  for (let i = scheme + 3; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 0x2f || c === 0x3f || c === 0x23) {
      end = i;
      break;
    }
  }
  return url.slice(0, end);
}

/** The origin of a URL a user or a tab gives, checked; undefined for anything but http(s). */
export function siteOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return u.origin;
  } catch {
    return undefined;
  }
}

/**
 * The match pattern of a URL's host access: its scheme and host, any port (Firefox refuses a port in a
 * pattern: http://127.0.0.1/* covers every port). Undefined when the URL does not parse. The pages ask for
 * access with it (src/options/host-permission.ts), the worker gives it back with it.
 */
export function permissionPattern(url: string): string | undefined {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}/*`;
  } catch {
    return undefined;
  }
}

export class WatchedSites {
  private sites = new Set<string>();
  private loaded: Promise<void> | undefined;

  constructor(private readonly area: StorageAreaLike) {}

  load(): Promise<void> {
    this.loaded ??= this.area
      .get(WATCHED_SITES_KEY)
      .then((got) => {
        const list = (got as Record<string, unknown>)[WATCHED_SITES_KEY];
        if (Array.isArray(list)) {
          for (const s of list.slice(0, MAX_WATCHED_SITES))
            if (typeof s === 'string' && (s === ALL_SITES || siteOf(s) === s)) this.sites.add(s);
        }
      })
      .catch(() => {});
    return this.loaded;
  }

  /** Synchronous, for the listeners: whether requests to this URL are captured. Call after load(). */
  watches(url: string): boolean {
    if (this.sites.size === 0) return false;
    if (this.sites.has(ALL_SITES)) return url.startsWith('https://') || url.startsWith('http://');
    return this.sites.has(originOf(url));
  }

  list(): string[] {
    return [...this.sites].sort();
  }

  async add(site: string): Promise<void> {
    await this.load();
    if (this.sites.size >= MAX_WATCHED_SITES) return;
    this.sites.add(site);
    await this.save();
  }

  async remove(site: string): Promise<void> {
    await this.load();
    this.sites.delete(site);
    await this.save();
  }

  private save(): Promise<void> {
    return this.area.set({ [WATCHED_SITES_KEY]: this.list() });
  }
}
