// The replay's pure parts: which request is sent again (same method, URL, headers and body, the token
// swapped, the browser's own headers left to it, never another origin), the verdict, and how a request
// crosses into the page (a JSON argument, never code).
import { describe, expect, it } from 'vitest';
import { runInNewContext } from 'node:vm';
import { normalizeEntry } from '../../src/capture/har-normalize';
import { evalWith } from '../../src/devtools/panel/devtools-api';
import { planReplay } from '../../src/devtools/panel/replay/replay-request';
import { replayVerdict } from '../../src/devtools/panel/replay/replay-verdict';

const OLD = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.sig';
const NEW = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.';

function entry(request: Record<string, unknown>) {
  const e = normalizeEntry({
    startedDateTime: '2026-01-01T00:00:00.000Z',
    request: { method: 'POST', headers: [], ...request },
    response: { status: 200, headers: [] },
  });
  if (!e) throw new Error('no entry');
  return e;
}

describe('planReplay', () => {
  it('swaps the token in headers, URL and body and leaves the browser its own headers', () => {
    const plan = planReplay(
      entry({
        url: `https://api.example/x?t=${OLD}`,
        headers: [
          { name: 'Authorization', value: `Bearer ${OLD}` },
          { name: 'X-Trace', value: '1' },
          { name: 'Cookie', value: 'a=b' },
          { name: 'Host', value: 'api.example' },
          { name: 'Content-Length', value: '10' },
          { name: 'Sec-Fetch-Mode', value: 'cors' },
        ],
        postData: { mimeType: 'application/json', text: JSON.stringify({ token: OLD }) },
      }),
      'authorization-header',
      OLD,
      NEW,
    );
    expect(plan).toEqual({
      ok: true,
      origin: 'https://api.example',
      request: {
        method: 'POST',
        url: `https://api.example/x?t=${NEW}`,
        headers: [
          ['authorization', `Bearer ${NEW}`],
          ['x-trace', '1'],
        ],
        body: JSON.stringify({ token: NEW }),
      },
    });
  });
  it('refuses what cannot be replayed as the page sent it', () => {
    const e = entry({ url: 'https://api.example/x' });
    expect(planReplay(e, 'response-body', OLD, NEW)).toMatchObject({ ok: false });
    expect(planReplay(e, 'cookie', OLD, NEW)).toMatchObject({ ok: false, reason: expect.stringContaining('cookie') });
    expect(planReplay(entry({ url: 'ftp://x/y' }), 'url', OLD, NEW)).toMatchObject({ ok: false });
  });
  it('never sends a body with GET', () => {
    const plan = planReplay(
      entry({ method: 'GET', url: 'https://a.example/', postData: { mimeType: 'text/plain', text: OLD } }),
      'request-body',
      OLD,
      NEW,
    );
    expect(plan).toMatchObject({ ok: true });
    expect(plan.ok && 'body' in plan.request).toBe(false);
  });
});

describe('replayVerdict', () => {
  it('accepted: same status class and the same JSON shape', () => {
    expect(replayVerdict({ status: 200, body: '{"user":"alice"}' }, { status: 200, body: '{"user":"mallory"}' })).toBe('accepted');
    expect(replayVerdict({ status: 200 }, { status: 204, body: '' })).toBe('accepted');
  });
  it('rejected: another status class, or a 200 that says something else', () => {
    expect(replayVerdict({ status: 200, body: '{"user":"a"}' }, { status: 401, body: '{"error":"x"}' })).toBe('rejected');
    expect(replayVerdict({ status: 200, body: '{"user":"a"}' }, { status: 200, body: '{"error":"invalid token"}' })).toBe('rejected');
  });
  it('error: no answer', () => {
    expect(replayVerdict({ status: 200 }, undefined)).toBe('error');
    expect(replayVerdict({ status: 200 }, { status: 0 })).toBe('error');
  });
});

describe('evalWith', () => {
  it('passes the argument as a JSON literal, line separators escaped, and runs the constant function', async () => {
    let seen = '';
    const api = {
      eval: async <T>(expression: string) => {
        seen = expression;
        return runInNewContext(expression) as T;
      },
    };
    const hostile = '"); alert(1); ("\u2028</script>';
    expect(await evalWith<string>(api, 'function (a) { return a.text; }', { text: hostile })).toBe(hostile);
    expect(seen).not.toContain('\u2028');
    expect(seen.startsWith('(function (a) { return a.text; })(')).toBe(true);
  });
});
