import { describe, expect, it } from 'vitest';
import {
  ALL_SITES,
  originOf,
  permissionPattern,
  siteOf,
  WATCHED_SITES_KEY,
  WatchedSites,
} from '../../../src/background/capture/watched-sites';
import { memoryArea } from '../worker-harness';

describe('the watched sites', () => {
  it('cuts the origin out of a URL as the browser writes it', () => {
    expect(originOf('https://app.example/a?b#c')).toBe('https://app.example');
    expect(originOf('http://127.0.0.1:8080?x=1')).toBe('http://127.0.0.1:8080');
    expect(originOf('http://[::1]:3000#frag')).toBe('http://[::1]:3000');
    expect(originOf('https://app.example')).toBe('https://app.example');
    expect(originOf('not a url')).toBe('');
  });

  it('asks for host access by scheme and host, any port', () => {
    expect(permissionPattern('http://127.0.0.1:8080')).toBe('http://127.0.0.1/*');
    expect(permissionPattern('https://app.example')).toBe('https://app.example/*');
    expect(siteOf('chrome-extension://abc/page.html')).toBeUndefined();
  });

  it('captures only the origins on the list (another port is another site), or every http(s) site', async () => {
    const area = memoryArea();
    const sites = new WatchedSites(area);
    await sites.load();
    expect(sites.watches('https://app.example/x')).toBe(false);
    await sites.add('https://app.example');
    expect(sites.watches('https://app.example/api?t=1')).toBe(true);
    expect(sites.watches('https://app.example:8443/api')).toBe(false);
    expect(sites.watches('https://other.example/api')).toBe(false);
    // Kept in storage.local and read back by the next worker.
    const again = new WatchedSites(area);
    await again.load();
    expect(again.list()).toEqual(['https://app.example']);
    await again.add(ALL_SITES);
    expect(again.watches('https://other.example/')).toBe(true);
    expect(again.watches('ftp://other.example/')).toBe(false);
    await again.remove(ALL_SITES);
    await again.remove('https://app.example');
    expect(again.watches('https://app.example/')).toBe(false);
    expect(area.data[WATCHED_SITES_KEY]).toEqual([]);
  });

  it('ignores stored entries that are not sites', async () => {
    const sites = new WatchedSites(
      memoryArea({ [WATCHED_SITES_KEY]: ['https://ok.example', 'javascript:alert(1)', 42, 'https://x.example/path'] }),
    );
    await sites.load();
    expect(sites.list()).toEqual(['https://ok.example']);
  });
});
