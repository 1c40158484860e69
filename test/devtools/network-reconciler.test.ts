import { describe, it, expect } from 'vitest';
import { NetworkReconciler } from '../../src/capture/network-reconciler';
import { ingestKey, MAX_KEY_URL_CHARS } from '../../src/capture/ingest-key';
import type { HarEntry } from '../../src/capture/har-types';
import { entry, harEntries } from './har-fixtures';

/** A structural copy: events and polls hand over different objects for the same request. */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function pending(e: HarEntry): HarEntry {
  const p = copy(e);
  p.response.status = 0;
  p.response.headers = [];
  return p;
}

describe('NetworkReconciler.ingest', () => {
  it('passes on a request once, whether it comes from the event or a poll first', () => {
    const r = new NetworkReconciler();
    const [a, b] = harEntries('chrome');
    expect(r.ingest(a!, 'event')).toEqual([a]);
    expect(r.ingest([copy(a!), copy(b!)], 'poll')).toEqual([b]);
    expect(r.ingest([copy(a!), copy(b!)], 'poll')).toEqual([]);
    expect(r.ingest(copy(b!), 'event')).toEqual([]);
    expect(r.stats).toMatchObject({ received: 6, fresh: 2, freshFromPoll: 1, updated: 0, duplicates: 4 });
  });

  it('returns the very objects it was given, in input order', () => {
    const r = new NetworkReconciler<HarEntry & { getContent?: () => void }>();
    const entries = harEntries('firefox').map((e) => Object.assign(e, { getContent: () => undefined }));
    const out = r.ingest(entries, 'poll');
    expect(out).toHaveLength(entries.length);
    for (const [i, e] of out.entries()) expect(e).toBe(entries[i]);
  });

  it('re-reads a request when it finishes (status or header count changes), not when an older state comes back', () => {
    const r = new NetworkReconciler();
    const done = harEntries('chrome')[3]!;
    const early = pending(done);
    expect(r.ingest(early, 'poll')).toEqual([early]);
    expect(r.ingest(done, 'event')).toEqual([done]);
    // A poll answered after the event can still hold the pending state.
    expect(r.ingest(pending(done), 'poll')).toEqual([]);
    const moreHeaders = copy(done);
    moreHeaders.response.headers.push({ name: 'x-late', value: '1' });
    expect(r.ingest(moreHeaders, 'poll')).toEqual([moreHeaders]);
    expect(r.stats).toMatchObject({ fresh: 1, updated: 2, duplicates: 1 });
  });

  it('takes a request again when a later poll carries the body the earlier one lacked (Firefox getHAR under load)', () => {
    const r = new NetworkReconciler();
    const withoutBody = copy(harEntries('firefox')[0]!);
    delete withoutBody.response.content.text;
    const withBody = copy(withoutBody);
    withBody.response.content.text = '{"id_token":"…"}';
    expect(r.ingest([withoutBody], 'poll')).toEqual([withoutBody]);
    expect(r.ingest([withBody], 'poll')).toEqual([withBody]);
    // The body does not go away in DevTools' log; an entry without it again is an older view, not news.
    expect(r.ingest([copy(withoutBody)], 'poll')).toEqual([]);
    expect(r.ingest([copy(withBody)], 'poll')).toEqual([]);
    expect(r.stats).toMatchObject({ fresh: 1, updated: 1, duplicates: 2 });
  });

  it('takes a POST again when a later poll carries the request body the earlier one lacked (Firefox fills postData late)', () => {
    const r = new NetworkReconciler();
    const withoutBody = copy(harEntries('firefox')[0]!);
    withoutBody.request.method = 'POST';
    delete withoutBody.request.postData;
    const withBody = copy(withoutBody);
    withBody.request.postData = { mimeType: 'application/x-www-form-urlencoded', text: 'grant_type=authorization_code&code=abc' };
    expect(r.ingest([withoutBody], 'poll')).toEqual([withoutBody]);
    expect(r.ingest([withBody], 'poll')).toEqual([withBody]);
    expect(r.ingest([copy(withoutBody)], 'poll')).toEqual([]);
    expect(r.ingest([copy(withBody)], 'poll')).toEqual([]);
    expect(r.stats).toMatchObject({ fresh: 1, updated: 1, duplicates: 2 });
  });

  it('keys by method, URL and startedDateTime', () => {
    const r = new NetworkReconciler();
    const a = entry({ url: 'https://a.example/x', time: 100 });
    const laterSameUrl = entry({ url: 'https://a.example/x', time: 101 });
    const otherMethod = entry({ method: 'POST', url: 'https://a.example/x', time: 100 });
    expect(r.ingest([a, laterSameUrl, otherMethod])).toHaveLength(3);
    expect(ingestKey(a)).toBe(`GET https://a.example/x ${a.startedDateTime}`);
    expect(ingestKey({ request: { method: 'get', url: 'u' } })).toBe('GET u ');
    expect(ingestKey({ request: {} })).toBeUndefined();
  });

  it('keys long URLs (data: URLs) by head, length and tail', () => {
    const head = `data:text/plain,${'a'.repeat(MAX_KEY_URL_CHARS)}`;
    const one = ingestKey(entry({ url: `${head}1`, time: 1 }))!;
    const two = ingestKey(entry({ url: `${head}2`, time: 1 }))!;
    const longer = ingestKey(entry({ url: `${head}a1`, time: 1 }))!;
    expect(one.length).toBeLessThan(MAX_KEY_URL_CHARS);
    expect(new Set([one, two, longer]).size).toBe(3);
  });

  it('counts entries without a request URL as invalid and skips them', () => {
    const r = new NetworkReconciler();
    expect(r.ingest([{ request: {} } as unknown as HarEntry, null as unknown as HarEntry])).toEqual([]);
    expect(r.stats.invalid).toBe(2);
  });

  it('with events for only some requests, polling catches the rest without duplicates (the no-store trap)', () => {
    // 11 requests, as measured (ARCHITECTURE.md, "The no-store trap"): events fired for the 4 without no-store.
    const all = Array.from({ length: 11 }, (_, i) => entry({ url: `https://api.example/r${i}`, time: 1000 + i }));
    const r = new NetworkReconciler();
    const processed: HarEntry[] = [];
    for (const i of [0, 3, 6, 9]) processed.push(...r.ingest(all[i]!, 'event'));
    // Polls every second see a growing log, the events' requests included.
    processed.push(...r.ingest(all.slice(0, 5).map(copy), 'poll'));
    processed.push(...r.ingest(all.map(copy), 'poll'));
    processed.push(...r.ingest(all.map(copy), 'poll'));
    expect(processed.map((e) => e.request.url).sort()).toEqual(all.map((e) => e.request.url).sort());
    expect(r.stats).toMatchObject({ fresh: 11, freshFromPoll: 7, updated: 0 });
  });

  it('forgets requests on reset (navigation) and beyond maxTracked', () => {
    const r = new NetworkReconciler({ maxTracked: 2 });
    const [a, b, c] = [1, 2, 3].map((t) => entry({ url: `https://a.example/${t}`, time: t }));
    r.ingest([a!, b!, c!]);
    expect(r.stats.evicted).toBe(1);
    // Tracked: b, c. a was forgotten, so it counts as new (and pushes b out).
    expect(r.ingest(copy(a!))).toHaveLength(1);
    expect(r.ingest(copy(c!))).toHaveLength(0);
    expect(r.ingest(copy(b!))).toHaveLength(1);
    r.reset();
    expect(r.ingest(copy(c!))).toHaveLength(1);
  });
});

describe('NetworkReconciler: a poll like the last one', () => {
  const log = (n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => entry({ url: `https://a.example/items?page=${from + i}`, time: 100 + (from + i) / 10 }));

  it('passes on only what changed when DevTools lists the same log again, in new objects', () => {
    const r = new NetworkReconciler();
    const first = log(50);
    expect(r.ingest(first, 'poll')).toHaveLength(50);
    expect(r.ingest(copy(first), 'poll')).toEqual([]);
    const again = copy(first);
    const finished = again[17]!;
    finished.response.headers.push({ name: 'x-late', value: '1' });
    expect(r.ingest(again, 'poll')).toEqual([finished]);
    // The earlier state of that entry, listed again, is not news.
    expect(r.ingest(copy(first), 'poll')).toEqual([]);
    expect(r.stats).toMatchObject({ fresh: 50, updated: 1, duplicates: 149 });
  });

  it('finds requests that moved to other positions, and tells a different request at a known position apart', () => {
    const r = new NetworkReconciler();
    const [a, b, c, d] = log(4);
    r.ingest([a!, b!, c!], 'poll');
    // d where b stood: a new request (by start time, URL and method), b still known further on.
    expect(r.ingest(copy([a!, d!, b!, c!]), 'poll')).toEqual([expect.objectContaining({ startedDateTime: d!.startedDateTime })]);
    const post = copy(a!);
    post.request.method = 'POST';
    expect(r.ingest([post, ...copy([d!, b!, c!])], 'poll')).toEqual([post]);
    const otherUrl = copy(d!);
    otherUrl.request.url += '&x=1';
    expect(r.ingest(copy([a!, otherUrl, b!, c!]), 'poll')).toEqual([otherUrl]);
  });

  it('answers as events would: the same entries one by one give the same results, poll after poll', () => {
    const polled = new NetworkReconciler({ maxTracked: 30 });
    const evented = new NetworkReconciler({ maxTracked: 30 });
    const all = log(40);
    const polls = [
      all.slice(0, 10),
      all.slice(0, 25),
      all.slice(5, 40),
      all.slice(5, 40),
      [...all.slice(0, 3), { request: {} } as HarEntry, ...all.slice(20, 30)],
    ];
    for (const p of polls) {
      const entries = copy(p);
      const fromPoll = polled.ingest(entries, 'poll').map((e) => e.startedDateTime);
      const fromEvents = entries.flatMap((e) => evented.ingest(e, 'event')).map((e) => e.startedDateTime);
      expect(fromPoll).toEqual(fromEvents);
    }
    expect(polled.stats.evicted).toBeGreaterThan(0);
  });

  it('forgets the last poll on reset', () => {
    const r = new NetworkReconciler();
    const first = log(5);
    r.ingest(first, 'poll');
    r.reset();
    expect(r.ingest(copy(first), 'poll')).toHaveLength(5);
  });
});

describe('NetworkReconciler.shouldReadBody', () => {
  const withContent = (mimeType: string, size: number, status = 200, method = 'GET'): HarEntry => {
    const e = entry({ method, url: `https://a.example/${mimeType}/${size}/${status}/${method}`, time: 1, status, mimeType });
    e.response.content.size = size;
    return e;
  };

  it('does not read a body the entry carries (content.text of an exported HAR): it is scanned with the entry', () => {
    const r = new NetworkReconciler();
    const e = withContent('application/json', 500);
    e.response.content.text = '{"access_token":"…"}';
    r.ingest(e);
    expect(r.shouldReadBody(e)).toBe(false);
    expect(r.stats).toMatchObject({ bodiesRead: 0, bodiesSkipped: 0 });
    e.response.content.text = '';
    expect(r.shouldReadBody(e)).toBe(true);
  });

  it('reads a textual body under the cap once', () => {
    const r = new NetworkReconciler();
    const e = withContent('application/json; charset=utf-8', 500);
    r.ingest(e);
    expect(r.shouldReadBody(e)).toBe(true);
    expect(r.shouldReadBody(e)).toBe(false);
    expect(r.shouldReadBody(copy(e))).toBe(false);
    expect(r.stats.bodiesRead).toBe(1);
  });

  it.each([
    'application/json',
    'application/problem+json',
    'application/ld+json',
    'text/html',
    'text/plain',
    'text/javascript',
    'application/javascript',
    'application/xml',
    'application/soap+xml',
    'application/x-www-form-urlencoded',
    'application/jwt',
    'application/at+jwt',
    'application/jose',
  ])('reads %s', (mime) => {
    expect(new NetworkReconciler().shouldReadBody(withContent(mime, 10))).toBe(true);
  });

  it.each(['image/png', 'application/octet-stream', 'font/woff2', 'video/mp4', 'application/pdf', ''])(
    'skips %s and counts it once',
    (mime) => {
      const r = new NetworkReconciler();
      const e = withContent(mime, 10);
      expect(r.shouldReadBody(e)).toBe(false);
      expect(r.shouldReadBody(e)).toBe(false);
      expect(r.stats.bodiesSkipped).toBe(1);
    },
  );

  it('skips bodies over the cap (default 1 MiB, configurable)', () => {
    const r = new NetworkReconciler();
    // README: "textual response bodies up to 1 MiB".
    expect(r.shouldReadBody(withContent('application/json', 1_048_576))).toBe(true);
    expect(r.shouldReadBody(withContent('application/json', 1_048_577))).toBe(false);
    expect(r.stats.bodiesSkipped).toBe(1);
    const small = new NetworkReconciler({ maxBodyBytes: 100 });
    expect(small.shouldReadBody(withContent('text/plain', 101))).toBe(false);
    expect(small.maxBody).toBe(100);
  });

  it('decides nothing for pending requests, bodiless statuses, HEAD and size 0; reads unknown sizes', () => {
    const r = new NetworkReconciler();
    expect(r.shouldReadBody(withContent('application/json', 10, 0))).toBe(false);
    expect(r.shouldReadBody(withContent('application/json', 10, 204))).toBe(false);
    expect(r.shouldReadBody(withContent('application/json', 10, 304))).toBe(false);
    expect(r.shouldReadBody(withContent('application/json', 10, 200, 'HEAD'))).toBe(false);
    const unread = withContent('application/json', 0);
    expect(r.shouldReadBody(unread)).toBe(false);
    expect(r.stats).toMatchObject({ bodiesRead: 0, bodiesSkipped: 0 });
    // The same request once its size is known (an unread no-store body that the page then read).
    const read = copy(unread);
    read.response.content.size = 42;
    expect(r.shouldReadBody(read)).toBe(true);
    expect(r.shouldReadBody(withContent('application/json', -1))).toBe(true);
  });

  it('never throws on odd entries', () => {
    const r = new NetworkReconciler();
    for (const odd of [null, {}, { request: { url: 'x' }, response: { status: 200, content: null } }, { request: { url: 1 } }]) {
      expect(r.shouldReadBody(odd as unknown as HarEntry)).toBe(false);
    }
  });
});
