import { describe, expect, it } from 'vitest';
import { epochMs, normalizeEntry } from '../../src/capture/har-normalize';

describe('epochMs', () => {
  it('agrees with Date.parse on the form Chrome writes, across four centuries', () => {
    let t = Date.UTC(1900, 0, 1);
    const end = Date.UTC(2300, 0, 1);
    let checked = 0;
    // A step that is not a whole number of seconds, days or years visits every field's values.
    while (t < end) {
      const text = new Date(t).toISOString();
      expect(epochMs(text), text).toBe(Date.parse(text));
      t += 86_400_000 * 7 + 3_723_457;
      checked++;
    }
    expect(checked).toBeGreaterThan(20_000);
  });

  it.each([
    '2023-11-14T22:13:20.037+01:00', // Firefox writes a local offset
    '2023-11-14T22:13:20Z',
    '0099-01-01T00:00:00.000Z', // Date.UTC would read the year as 1999
    '2023-13-01T00:00:00.000Z',
    '2023-11-14T24:00:00.000Z',
    '2023-11-14T22:13:60.000Z',
    '2023-11-14T22:13:20.0a7Z',
    '2023-11-14 22:13:20.037Z',
    'not a date at all, 24 ch',
  ])('%s: as Date.parse reads it', (text) => {
    expect(epochMs(text)).toBe(Date.parse(text));
  });

  it('gives an entry its time', () => {
    const e = normalizeEntry({ startedDateTime: '2023-11-14T22:13:20.037Z', request: { url: 'https://a.example/' } });
    expect(e?.time).toBe(1_700_000_000_037);
  });
});
