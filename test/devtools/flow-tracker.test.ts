import { describe, it, expect, beforeAll } from 'vitest';
import { FlowTracker } from '../../src/devtools/model/flow-tracker';
import { sightingsFromEntry } from '../../src/capture/sightings-from-entry';
import type { HarEntry } from '../../src/capture/har-types';
import { T0, T0_MS, TOKENS, entry, harEntries, sign } from './har-fixtures';

const TOKEN_URL = 'https://auth.example.com/oauth/token';

/** A token endpoint exchange; `body` undefined means the response body was never read (no-store). */
function tokenCall(time: number, form: string, body?: Record<string, unknown>, extra: Partial<Parameters<typeof entry>[0]> = {}): HarEntry {
  const spec: Parameters<typeof entry>[0] = {
    method: 'POST',
    url: TOKEN_URL,
    time,
    postData: { mimeType: 'application/x-www-form-urlencoded', text: form },
    ...extra,
  };
  if (body) spec.body = JSON.stringify(body);
  return entry(spec);
}

const login = (time: number, body: Record<string, unknown>): HarEntry => tokenCall(time, 'grant_type=password&username=a&password=b', body);
const refreshWith = (time: number, refresh: string, body?: Record<string, unknown>): HarEntry =>
  tokenCall(time, `grant_type=refresh_token&refresh_token=${refresh}`, body);

function track(entries: HarEntry[], options?: ConstructorParameters<typeof FlowTracker>[0]): FlowTracker {
  const flow = new FlowTracker(options);
  for (const e of entries) flow.observe(sightingsFromEntry(e));
  return flow;
}

const ids = (flow: FlowTracker, token: string): string[] => flow.findingsFor(token).map((f) => f.id);

let A1: string, R1: string, A2: string, R2: string, A3: string, ID: string;

beforeAll(async () => {
  // Nothing in these tokens says "refresh": the tracker learns roles from the fields they came in.
  [A1, R1, A2, R2, A3, ID] = await Promise.all([
    sign({ sub: 'u', scope: 'read', iat: T0, exp: T0 + 900 }),
    sign({ sub: 'u', iat: T0, exp: T0 + 86400 }),
    sign({ sub: 'u', scope: 'read', iat: T0 + 600, exp: T0 + 1500 }),
    sign({ sub: 'u', iat: T0 + 600, exp: T0 + 86400 }),
    sign({ sub: 'u', scope: 'read', iat: T0 + 1200, exp: T0 + 2100 }),
    sign({ sub: 'u', nonce: 'n', iat: T0, exp: T0 + 900 }),
  ]);
});

describe('refresh-while-access-valid', () => {
  it('is reported on the refresh token when it is exchanged while its access token is still valid (Chrome fixture)', () => {
    const flow = track(harEntries('chrome'));
    const found = flow.findingsFor(TOKENS.refresh1);
    expect(found.map((f) => f.id)).toEqual(['refresh-while-access-valid']);
    // Access token exp T0+900, refresh at T0+600.
    expect(found[0]!.detail).toContain('still had 5 min left');
    expect(found[0]!.detail).toContain('2023-11-14T22:23:20.000Z');
    // And on the access token it was paired with, the one that was still valid; not on the next pair.
    const onAccess = flow.findingsFor(TOKENS.access1);
    expect(onAccess.map((f) => f.id)).toEqual(['refresh-while-access-valid']);
    expect(onAccess[0]!.detail).toContain(`Its refresh token (…${TOKENS.refresh1.slice(-10)}) was exchanged at 2023-11-14T22:23:20.000Z`);
    expect(onAccess[0]!.detail).toContain('while this access token still had 5 min left');
    expect(flow.findingsFor(TOKENS.refresh2)).toEqual([]);
    expect(flow.findingsFor(TOKENS.access2)).toEqual([]);
  });

  it('is not reported when the access token had expired', () => {
    const flow = track([
      login(T0, { access_token: A1, refresh_token: R1 }),
      refreshWith(T0 + 901, R1, { access_token: A2, refresh_token: R2 }),
    ]);
    expect(ids(flow, R1)).toEqual([]);
  });

  it('allows early refreshes within the configured tolerance', () => {
    const entries = [
      login(T0, { access_token: A1, refresh_token: R1 }),
      refreshWith(T0 + 840, R1, { access_token: A2, refresh_token: R2 }),
    ];
    expect(ids(track(entries), R1)).toEqual(['refresh-while-access-valid']);
    expect(ids(track(entries, { earlyRefreshToleranceSeconds: 120 }), R1)).toEqual([]);
  });

  it('pairs the access token issued by the previous refresh when the refresh token is not rotated', () => {
    const flow = track([
      login(T0, { access_token: A1, refresh_token: R1 }),
      refreshWith(T0 + 901, R1, { access_token: A2 }),
      // A2 expires at T0+1500: this second refresh is early.
      refreshWith(T0 + 1200, R1, { access_token: A3 }),
    ]);
    const early = flow.findingsFor(R1).find((f) => f.id === 'refresh-while-access-valid');
    expect(early?.detail).toContain('still had 5 min left');
  });

  it('uses an ID token as the pair when no access token came back', () => {
    const flow = track([login(T0, { id_token: ID, refresh_token: R1 }), refreshWith(T0 + 100, R1, { id_token: A2, refresh_token: R2 })]);
    expect(ids(flow, R1)).toEqual(['refresh-while-access-valid']);
  });
});

describe('refresh-token-not-rotated', () => {
  it('is reported when the same refresh token comes back', () => {
    const flow = track([
      login(T0, { access_token: A1, refresh_token: R1 }),
      refreshWith(T0 + 901, R1, { access_token: A2, refresh_token: R1 }),
    ]);
    const found = flow.findingsFor(R1);
    expect(found.map((f) => f.id)).toEqual(['refresh-token-not-rotated']);
    expect(found[0]!.detail).toContain('the same refresh token came back');
  });

  it('sits on the access_token of the answer, not on a JWT session cookie set with it', async () => {
    // The cookie comes first in the answer and looks like an access token; the body names its access token.
    const session = await sign({ sub: 'u', scope: 'session', iat: T0, exp: T0 + 3 * 86400 });
    const signIn = tokenCall(
      T0,
      'grant_type=password&username=a&password=b',
      { access_token: A1, refresh_token: R1 },
      { responseHeaders: [['set-cookie', `session=${session}; Path=/; HttpOnly; Secure; SameSite=Strict`]] },
    );
    const flow = track([signIn, refreshWith(T0 + 901, R1, { access_token: A2, refresh_token: R1 })]);
    expect(ids(flow, R1)).toEqual(['refresh-token-not-rotated']);
    expect(ids(flow, A1)).toEqual(['refresh-token-not-rotated']);
    expect(ids(flow, session)).toEqual([]);
  });

  it('is reported when tokens come back without a new refresh token', () => {
    const flow = track([
      login(T0, { access_token: A1, refresh_token: R1 }),
      refreshWith(T0 + 901, R1, { access_token: A2, token_type: 'Bearer' }),
    ]);
    expect(flow.findingsFor(R1)[0]!.detail).toContain('no new refresh token');
  });

  it('is not reported when a new refresh token comes back, in the body or in Set-Cookie', () => {
    expect(
      ids(
        track([login(T0, { access_token: A1, refresh_token: R1 }), refreshWith(T0 + 901, R1, { access_token: A2, refresh_token: R2 })]),
        R1,
      ),
    ).toEqual([]);
    const viaCookie = tokenCall(
      T0 + 901,
      `grant_type=refresh_token&refresh_token=${R1}`,
      { access_token: A2 },
      {
        responseHeaders: [['set-cookie', `refresh_token=${R2}; Path=/oauth; HttpOnly; Secure`]],
      },
    );
    expect(ids(track([login(T0, { access_token: A1, refresh_token: R1 }), viaCookie]), R1)).toEqual([]);
  });

  it('is not decided when the response body was never read', () => {
    expect(ids(track([login(T0, { access_token: A1, refresh_token: R1 }), refreshWith(T0 + 901, R1)]), R1)).toEqual([]);
  });

  it('appears once the body of a request seen earlier without it arrives', () => {
    const flow = new FlowTracker();
    flow.observe(sightingsFromEntry(login(T0, { access_token: A1, refresh_token: R1 })));
    const withoutBody = refreshWith(T0 + 901, R1);
    flow.observe(sightingsFromEntry(withoutBody));
    expect(ids(flow, R1)).toEqual([]);
    const changed = flow.observe(sightingsFromEntry(withoutBody, JSON.stringify({ access_token: A2 })));
    expect(changed.has(R1)).toBe(true);
    expect(ids(flow, R1)).toEqual(['refresh-token-not-rotated']);
  });
});

describe('refresh-token-reused', () => {
  it('is reported when a refresh token that was already rotated is exchanged again', () => {
    const flow = track([
      login(T0, { access_token: A1, refresh_token: R1 }),
      refreshWith(T0 + 901, R1, { access_token: A2, refresh_token: R2 }),
      refreshWith(T0 + 1000, R1, { error: 'invalid_grant' }),
    ]);
    const reused = flow.findingsFor(R1).find((f) => f.id === 'refresh-token-reused');
    expect(reused?.detail).toContain('Sent in 2 refresh requests');
    expect(reused?.detail).toContain('already replaced it with a new refresh token at 2023-11-14T22:28:21.000Z');
    expect(ids(flow, R2)).toEqual([]);
  });

  it('is reported when whether it was rotated could not be seen', () => {
    const flow = track([refreshWith(T0 + 100, R1), refreshWith(T0 + 200, R1)]);
    const reused = flow.findingsFor(R1).find((f) => f.id === 'refresh-token-reused');
    expect(reused?.detail).toContain('could not be seen');
  });

  it('is not reported for a single use, nor when the server never rotates (that is not-rotated)', () => {
    expect(
      ids(
        track([login(T0, { access_token: A1, refresh_token: R1 }), refreshWith(T0 + 901, R1, { access_token: A2, refresh_token: R2 })]),
        R1,
      ),
    ).not.toContain('refresh-token-reused');
    const flow = track([
      login(T0, { access_token: A1, refresh_token: R1 }),
      refreshWith(T0 + 901, R1, { access_token: A2, refresh_token: R1 }),
      refreshWith(T0 + 1600, R1, { access_token: A3, refresh_token: R1 }),
    ]);
    expect(ids(flow, R1)).toEqual(['refresh-token-not-rotated']);
  });

  it('does not count the same request twice (event and poll)', () => {
    const e = refreshWith(T0 + 100, R1);
    const flow = track([e, JSON.parse(JSON.stringify(e)) as HarEntry]);
    expect(ids(flow, R1)).toEqual([]);
  });
});

describe('what counts as a refresh request', () => {
  it('not a refresh cookie riding along on API calls', () => {
    const api = (time: number): HarEntry =>
      entry({
        url: 'https://api.example.com/v1/items',
        time,
        requestHeaders: [
          ['authorization', `Bearer ${A1}`],
          ['cookie', `refresh_token=${R1}`],
        ],
      });
    const flow = track([login(T0, { access_token: A1, refresh_token: R1 }), api(T0 + 10), api(T0 + 20)]);
    expect(flow.refreshTokens()).toEqual([]);
    expect(ids(flow, R1)).toEqual([]);
  });

  it('a known refresh token in a cookie to a token endpoint (Firefox fixture: cookie and JSON body to /auth/refresh)', () => {
    const flow = track(harEntries('firefox'));
    expect(flow.refreshTokens()).toEqual([TOKENS.ffRefresh]);
    // The response rotated it through Set-Cookie; the access token it replaced was never seen.
    expect(ids(flow, TOKENS.ffRefresh)).toEqual([]);
  });

  it('a cookie-only refresh seen before the response that issued the refresh token (poll order)', () => {
    const cookieRefresh = entry({ method: 'POST', url: TOKEN_URL, time: T0 + 100, requestHeaders: [['cookie', `rt=${R1}`]] });
    const flow = new FlowTracker();
    flow.observe(sightingsFromEntry(cookieRefresh));
    expect(flow.refreshTokens()).toEqual([]);
    const changed = flow.observe(sightingsFromEntry(login(T0, { access_token: A1, refresh_token: R1 })));
    expect(flow.refreshTokens()).toEqual([R1]);
    expect(changed.has(R1)).toBe(true);
    expect(ids(flow, R1)).toEqual(['refresh-while-access-valid']);
  });

  it('not a revocation or logout', () => {
    const revoke = entry({
      method: 'POST',
      url: 'https://auth.example.com/oauth/revoke',
      time: T0 + 100,
      requestHeaders: [['cookie', `rt=${R1}`]],
    });
    const flow = track([login(T0, { access_token: A1, refresh_token: R1 }), revoke]);
    expect(flow.refreshTokens()).toEqual([]);
  });
});

describe('timeline', () => {
  it('lists issued, first used, refreshed and expired events in time order', () => {
    const flow = track([
      login(T0, { access_token: A1, refresh_token: R1 }),
      entry({ url: 'https://api.example.com/v1/me', time: T0 + 10, requestHeaders: [['authorization', `Bearer ${A1}`]] }),
      refreshWith(T0 + 901, R1, { access_token: A2, refresh_token: R2 }),
    ]);
    const events = flow
      .timeline(T0_MS + 2_000_000)
      .map((e) => [
        e.time - T0_MS,
        e.kind,
        e.token === A1 ? 'A1' : e.token === R1 ? 'R1' : e.token === A2 ? 'A2' : e.token === R2 ? 'R2' : '?',
      ]);
    expect(events).toEqual([
      [0, 'issued', 'A1'],
      [0, 'issued', 'R1'],
      [10_000, 'used', 'A1'],
      [900_000, 'expired', 'A1'],
      [901_000, 'issued', 'A2'],
      [901_000, 'issued', 'R2'],
      [901_000, 'used', 'R1'],
      [901_000, 'refreshed', 'R1'],
      [1_500_000, 'expired', 'A2'],
    ]);
    const refreshed = flow.timeline(T0_MS).find((e) => e.kind === 'refreshed')!;
    expect(refreshed.detail).toBe('Exchanged at https://auth.example.com/oauth/token; a new refresh token came back.');
    expect(flow.timeline(T0_MS).some((e) => e.kind === 'expired')).toBe(false);
  });

  it('clear() forgets everything', () => {
    const flow = track(harEntries('chrome'));
    flow.clear();
    expect(flow.timeline()).toEqual([]);
    expect(flow.findingsFor(TOKENS.refresh1)).toEqual([]);
  });
});

describe('FlowTracker: signing out is not a refresh', () => {
  it('a refresh_token field sent to /logout or /revoke raises no flow finding', async () => {
    const { FlowTracker } = await import('../../src/devtools/model/flow-tracker');
    const tracker = new FlowTracker({ info: { role: () => 'refresh', expiresAt: () => Number.MAX_SAFE_INTEGER } });
    const refresh = 'eyJhbGciOiJIUzI1NiJ9.eyJ0eXAiOiJyZWZyZXNoIn0.c2ln';
    for (const [i, path] of ['/auth/logout', '/oauth/revoke', '/oauth/revoke'].entries()) {
      tracker.observe([
        {
          token: refresh,
          sighting: { where: 'request-body', name: 'refresh_token', url: `https://app.example${path}` },
          field: 'refresh_token',
          time: 1000 + i,
          requestUrl: `https://app.example${path}`,
          exchange: `POST ${path} ${i}`,
          side: 'request',
        },
      ]);
    }
    expect(tracker.findingsFor(refresh)).toEqual([]);
    expect(tracker.refreshTokens()).toEqual([]);
  });
});
