import { describe, expect, it } from 'vitest';
import { SignJWT, UnsecuredJWT } from 'jose';
import {
  sightingsOfRequestHeaders,
  sightingsOfRequestStart,
  sightingsOfResponseHeaders,
} from '../../../src/background/capture/request-entry';
import { MAX_KEPT_TOKEN_CHARS, MAX_SIGHTINGS_PER_TAB, MAX_TABS, TabStore } from '../../../src/background/capture/tab-store';
import type { CapturedSighting } from '../../../src/capture/sightings-from-entry';

const NOW = 1_800_000_000_000;
const unsigned = (claims: Record<string, unknown>) => new UnsecuredJWT(claims).encode();
const bearer = (token: string, requestId: string, url = 'https://app.example/api'): CapturedSighting[] =>
  sightingsOfRequestHeaders({
    requestId,
    url,
    method: 'GET',
    tabId: 7,
    timeStamp: NOW,
    requestHeaders: [{ name: 'Authorization', value: `Bearer ${token}` }],
  });

describe('the per-tab store', () => {
  it('keeps at most MAX_SIGHTINGS_PER_TAB sightings a tab: the oldest go first, counted', () => {
    const store = new TabStore({ now: () => NOW });
    const total = MAX_SIGHTINGS_PER_TAB + 250;
    for (let i = 0; i < total; i++) store.add(7, bearer(unsigned({ n: i }), `r${i}`));
    const kept = store.sightings(7);
    expect(kept).toHaveLength(MAX_SIGHTINGS_PER_TAB);
    expect(store.dropped(7)).toBe(250);
    // The newest stay: the first kept is request 250, the last request total-1.
    expect(kept[0]!.exchange).toContain(' r250 ');
    expect(kept.at(-1)!.exchange).toContain(` r${total - 1} `);
    // A token whose last sighting was dropped is gone from the list too.
    expect(store.tokens(7)).toHaveLength(MAX_SIGHTINGS_PER_TAB);
    expect(store.tokens(7).some((t) => t.token === unsigned({ n: 0 }))).toBe(false);
  });

  it('counts one request once although three webRequest events report its URL', () => {
    const store = new TabStore({ now: () => NOW });
    const token = unsigned({ sub: 'q' });
    const d = { requestId: '1', url: `https://app.example/cb?access_token=${token}`, method: 'GET', tabId: 7, timeStamp: NOW };
    store.add(7, sightingsOfRequestStart(d));
    store.add(7, sightingsOfRequestHeaders({ ...d, requestHeaders: [] }));
    store.add(7, sightingsOfResponseHeaders({ ...d, statusCode: 200, responseHeaders: [] }));
    expect(store.sightings(7).map((c) => [c.sighting.where, c.sighting.name, c.source])).toEqual([['url', 'access_token', 'background']]);
    // The same token in a second request is a second sighting.
    store.add(7, sightingsOfRequestStart({ ...d, requestId: '2' }));
    expect(store.tokens(7)[0]!.sightings).toBe(2);
  });

  it('keeps tabs apart, forgets a closed one, and forgets the oldest tab past MAX_TABS', () => {
    const store = new TabStore({ now: () => NOW });
    for (let tab = 1; tab <= MAX_TABS + 1; tab++) store.add(tab, bearer(unsigned({ tab }), `t${tab}`));
    expect(store.has(1)).toBe(false);
    expect(store.has(2)).toBe(true);
    expect(store.tokens(2).map((t) => t.token)).toEqual([unsigned({ tab: 2 })]);
    expect(store.clear(2)).toBe(true);
    expect(store.sightings(2)).toEqual([]);
  });

  it('does not keep a token longer than MAX_KEPT_TOKEN_CHARS, and counts it', () => {
    const store = new TabStore({ now: () => NOW });
    const long = unsigned({ pad: 'x'.repeat(MAX_KEPT_TOKEN_CHARS) });
    store.add(7, bearer(long, 'long'));
    expect(store.sightings(7)).toEqual([]);
    expect(store.dropped(7)).toBe(1);
  });

  it('judges each token with the core: role, issuer, expiry and findings of where it was seen', async () => {
    const store = new TabStore({ now: () => NOW });
    const token = await new SignJWT({ sub: 'alice', scope: 'api' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('https://issuer.example')
      .setExpirationTime(NOW / 1000 - 60)
      .sign(new TextEncoder().encode('k'.repeat(32)));
    store.add(
      7,
      sightingsOfResponseHeaders({
        requestId: '9',
        url: 'http://app.example/login',
        method: 'POST',
        tabId: 7,
        timeStamp: NOW,
        statusCode: 200,
        responseHeaders: [{ name: 'Set-Cookie', value: `sid=${token}; Path=/; SameSite=None` }],
      }),
    );
    const [t] = store.tokens(7);
    expect(t).toMatchObject({
      token,
      role: 'access',
      issuer: 'https://issuer.example',
      expiresAt: NOW / 1000 - 60,
      wheres: ['set-cookie'],
    });
    expect(t!.findings.map((f) => f.id)).toEqual(
      expect.arrayContaining(['expired', 'cookie-not-httponly', 'cookie-not-secure', 'cleartext-http']),
    );
  });

  it('comes back whole from what it stored (a worker restart), and skips what is not of its shape', () => {
    const store = new TabStore({ now: () => NOW });
    const a = unsigned({ n: 'a' });
    store.add(7, bearer(a, '1'));
    store.add(7, bearer(a, '2'));
    store.add(7, bearer(unsigned({ n: 'b' }), '3'));
    const stored = JSON.parse(JSON.stringify(store.toStored(7)));
    // Each token is written once however often it was seen.
    expect(stored.tokens).toHaveLength(2);
    stored.sightings.push([99, { sighting: { where: 'url' } }], 'junk');
    const again = new TabStore({ now: () => NOW });
    again.restore(7, stored);
    expect(again.sightings(7)).toEqual(store.sightings(7));
    again.restore(8, { v: 2 });
    expect(again.has(8)).toBe(false);
  });

  it('forgets what came from a site that is no longer watched, keeps the rest', () => {
    const store = new TabStore({ now: () => NOW });
    store.add(7, bearer(unsigned({ n: 1 }), '1', 'https://a.example/x'));
    store.add(7, bearer(unsigned({ n: 2 }), '2', 'https://b.example/x'));
    expect(store.forgetOrigin('https://a.example')).toEqual([7]);
    expect(store.sightings(7).map((c) => c.requestUrl)).toEqual(['https://b.example/x']);
  });
});
