// The devtools page's network journal (src/devtools/network-journal.ts), which the Firefox panel reads instead
// of getHAR(). No DevTools runs in Node: requests are HAR entries from har-fixtures with a getContent the test
// controls; the BroadcastChannel is Node's own, which behaves as the browser's between two pages.
import { afterEach, describe, expect, it } from 'vitest';
import { askJournal, MAX_JOURNAL_ENTRIES, NetworkJournal, serveJournal } from '../../src/devtools/network-journal';
import type { NetworkRequest } from '../../src/devtools/panel/devtools-api';
import { entry, T0 } from './har-fixtures';

const request = (url: string, body?: string): NetworkRequest => {
  const e = entry({ url, time: T0, mimeType: 'application/json' }) as NetworkRequest;
  e.response.content.size = body?.length ?? 0;
  if (body !== undefined) (e as { body?: string }).body = body;
  return e;
};
const readBody = async (r: NetworkRequest) => (r as { body?: string }).body;

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

describe('NetworkJournal', () => {
  it('keeps each finished request as data, with the body it read in content.text', async () => {
    const journal = new NetworkJournal(readBody);
    journal.take([request('https://api.example/token', '{"access_token":"x"}'), request('https://api.example/empty')]);
    const entries = await journal.entries();
    expect(entries.map((e) => e.request.url)).toEqual(['https://api.example/token', 'https://api.example/empty']);
    expect(entries[0]!.response.content.text).toBe('{"access_token":"x"}');
    expect(entries[1]!.response.content.text).toBeUndefined();
    expect(typeof (entries[0] as { getContent?: unknown }).getContent).toBe('undefined');
  });

  it('takes a request once per revision, whether from an event or a read of the log', async () => {
    const journal = new NetworkJournal(readBody);
    const r = request('https://api.example/me');
    journal.take([r]);
    journal.take([r]);
    expect(await journal.entries()).toHaveLength(1);
  });

  it('keeps at most MAX_JOURNAL_ENTRIES, the newest', async () => {
    const journal = new NetworkJournal(readBody);
    journal.take(Array.from({ length: MAX_JOURNAL_ENTRIES + 10 }, (_, i) => request(`https://api.example/r${i}`)));
    const entries = await journal.entries();
    expect(entries).toHaveLength(MAX_JOURNAL_ENTRIES);
    expect(entries[0]!.request.url).toBe('https://api.example/r10');
  });

  it('waits for a body still being read before it answers', async () => {
    let answer: (body: string) => void = () => {};
    const journal = new NetworkJournal(() => new Promise((ok) => (answer = ok)));
    journal.take([request('https://api.example/token', 'later')]);
    const pending = journal.entries();
    answer('{"id_token":"y"}');
    expect((await pending)[0]!.response.content.text).toBe('{"id_token":"y"}');
  });
});

describe('the journal over a BroadcastChannel', () => {
  it('answers the panel of the same tab, and no other', async () => {
    const journal = new NetworkJournal(readBody);
    journal.take([request('https://api.example/login', '{"token":"z"}')]);
    stops.push(serveJournal(7, journal));
    const entries = await askJournal(7, 2000);
    expect(entries?.map((e) => [e.request.url, e.response.content.text])).toEqual([['https://api.example/login', '{"token":"z"}']]);
    expect(await askJournal(8, 200), 'no devtools page serves tab 8').toBeUndefined();
  });
});
