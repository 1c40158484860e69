import { describe, expect, it } from 'vitest';
import { MAX_RECENT_REQUESTS, RECENT_REQUEST_MS, RecentRequests } from '../../src/capture/recent-requests';
import { entry, T0 } from './har-fixtures';

const at = (url: string, method = 'GET') => entry({ url, method, time: T0 });

describe('RecentRequests (the requests a late navigation must not throw away)', () => {
  it('gives the requests from the new document’s own on, the last load of that URL', () => {
    let now = 0;
    const recent = new RecentRequests(() => now);
    const oldApi = at('https://app.example/api/old');
    const firstDoc = at('https://app.example/next');
    const doc = at('https://app.example/next');
    const script = at('https://app.example/app.js');
    const api = at('https://app.example/api', 'POST');
    for (const r of [firstDoc, oldApi, doc, script, api]) {
      recent.add(r);
      now += 10;
    }
    expect(recent.fromDocument('https://app.example/next#section')).toEqual([doc, script, api]);
  });

  it('gives none when the document is not among them (the news came first), is too old, or was posted', () => {
    let now = 0;
    const recent = new RecentRequests(() => now);
    recent.add(at('https://app.example/page'));
    recent.add(at('https://app.example/form', 'POST'));
    expect(recent.fromDocument('https://app.example/other')).toEqual([]);
    expect(recent.fromDocument('https://app.example/form')).toEqual([]);
    now = RECENT_REQUEST_MS + 1;
    expect(recent.fromDocument('https://app.example/page')).toEqual([]);
  });

  it('keeps at most MAX_RECENT_REQUESTS, and none after clear()', () => {
    const recent = new RecentRequests(() => 0);
    recent.add(at('https://app.example/doc'));
    for (let i = 0; i < MAX_RECENT_REQUESTS; i++) recent.add(at(`https://app.example/r${i}`));
    expect(recent.fromDocument('https://app.example/doc'), 'the oldest fell out').toEqual([]);
    recent.add(at('https://app.example/doc'));
    expect(recent.fromDocument('https://app.example/doc')).toHaveLength(1);
    recent.clear();
    expect(recent.fromDocument('https://app.example/doc')).toEqual([]);
  });
});
