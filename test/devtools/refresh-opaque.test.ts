// The refresh flow when tokens are opaque, on entries shaped like what the npm `oidc-provider` answers at its
// token endpoint (`/token`): form bodies with `client_id`, a `no-store` JSON answer with access_token,
// expires_in, id_token, refresh_token, scope and token_type, 43-character opaque refresh tokens rotated for
// public clients. Bodies reach the tracker the way the panel reads them (getContent), not in the entry.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { FlowTracker, MAX_TRACKED_TOKENS } from '../../src/devtools/model/flow-tracker';
import { TokenStore } from '../../src/devtools/model/token-store';
import { sightingsFromEntry } from '../../src/capture/sightings-from-entry';
import { grantFromEntry, maskOpaque, type TokenGrant } from '../../src/capture/token-grant';
import type { HarEntry, HarPostData } from '../../src/capture/har-types';
import { T0, T0_MS, entry, sign } from './har-fixtures';
import { exportCapture } from '../../src/devtools/model/capture-file';

const ISSUER = 'http://127.0.0.1:3000';
const TOKEN_URL = `${ISSUER}/token`;
const CLIENT = 'spa-client';

/** oidc-provider's opaque tokens: 32 random bytes, base64url, 43 characters. */
const opaque = (): string => randomBytes(32).toString('base64url');

interface Call {
  entry: HarEntry;
  /** The response body as getContent gives it; undefined when never read. */
  body?: string;
}

function form(fields: Record<string, string>): HarPostData {
  const params = Object.entries(fields).map(([name, value]) => ({ name, value }));
  return { mimeType: 'application/x-www-form-urlencoded', text: new URLSearchParams(fields).toString(), params };
}

/** A call to the token endpoint; `answer` undefined means the body was never read. */
function tokenCall(
  time: number,
  postData: HarPostData,
  answer?: Record<string, unknown>,
  options: { url?: string; durationMs?: number } = {},
): Call {
  const e = entry({
    method: 'POST',
    url: options.url ?? TOKEN_URL,
    time,
    postData,
    status: answer && 'error' in answer ? 400 : 200,
    responseHeaders: [
      ['cache-control', 'no-store'],
      ['pragma', 'no-cache'],
      ['content-type', 'application/json; charset=utf-8'],
    ],
  });
  if (options.durationMs !== undefined) e.time = options.durationMs;
  // DevTools lists unread no-store bodies with size 0 and no text.
  e.response.content = { size: 0, mimeType: 'application/json' };
  return answer ? { entry: e, body: JSON.stringify(answer) } : { entry: e };
}

function tokenAnswer(tokens: { access: string; refresh?: string; id?: string; expiresIn?: number }): Record<string, unknown> {
  const out: Record<string, unknown> = { access_token: tokens.access, expires_in: tokens.expiresIn ?? 600 };
  if (tokens.id) out.id_token = tokens.id;
  if (tokens.refresh) out.refresh_token = tokens.refresh;
  out.scope = 'openid offline_access';
  out.token_type = 'Bearer';
  return out;
}

const signIn = (time: number, tokens: Parameters<typeof tokenAnswer>[0], durationMs?: number): Call =>
  tokenCall(
    time,
    form({
      grant_type: 'authorization_code',
      code: opaque(),
      redirect_uri: 'http://127.0.0.1:8080/cb',
      code_verifier: opaque(),
      client_id: CLIENT,
    }),
    tokenAnswer(tokens),
    durationMs === undefined ? {} : { durationMs },
  );

const refresh = (time: number, token: string, answer?: Record<string, unknown>, url?: string): Call =>
  tokenCall(time, form({ grant_type: 'refresh_token', refresh_token: token, client_id: CLIENT }), answer, url ? { url } : {});

const jsonRefresh = (time: number, token: string, answer?: Record<string, unknown>): Call =>
  tokenCall(
    time,
    { mimeType: 'application/json', text: JSON.stringify({ grant_type: 'refresh_token', refresh_token: token, client_id: CLIENT }) },
    answer,
  );

/** What the panel controller hands over for one call: the entry when it finishes, then its body. */
function feed(flow: FlowTracker, call: Call): Set<string> {
  const changed = flow.observe(
    sightingsFromEntry(call.entry),
    [grantFromEntry(call.entry)].filter((g) => g !== undefined),
  );
  if (call.body === undefined) return changed;
  for (const token of flow.observe(sightingsFromEntry(call.entry, call.body), [grantFromEntry(call.entry, call.body)!])) changed.add(token);
  return changed;
}

function track(calls: Call[], options?: ConstructorParameters<typeof FlowTracker>[0]): FlowTracker {
  const flow = new FlowTracker(options);
  for (const call of calls) feed(flow, call);
  return flow;
}

const ids = (flow: FlowTracker, token: string): string[] => flow.findingsFor(token).map((f) => f.id);

let A1: string, A2: string, A3: string, B1: string, ID1: string, ID2: string, SESSION: string;
let R1: string, R2: string, R3: string, S1: string, S2: string;

beforeAll(async () => {
  // JWT access tokens (oidc-provider's resource-server format "jwt"), 10 minutes each.
  [A1, A2, A3, B1, ID1, ID2, SESSION] = await Promise.all([
    sign({ iss: ISSUER, sub: 'alice', client_id: CLIENT, scope: 'openid', iat: T0, exp: T0 + 600 }),
    sign({ iss: ISSUER, sub: 'alice', client_id: CLIENT, scope: 'openid', iat: T0 + 300, exp: T0 + 900 }),
    sign({ iss: ISSUER, sub: 'alice', client_id: CLIENT, scope: 'openid', iat: T0 + 1000, exp: T0 + 1600 }),
    sign({ iss: ISSUER, sub: 'bob', client_id: CLIENT, scope: 'openid', iat: T0 + 10, exp: T0 + 610 }),
    sign({ iss: ISSUER, sub: 'alice', aud: CLIENT, nonce: 'n1', iat: T0, exp: T0 + 3600 }),
    sign({ iss: ISSUER, sub: 'alice', aud: CLIENT, iat: T0 + 300, exp: T0 + 3900 }),
    sign({ iss: ISSUER, sub: 'alice', scope: 'session', iat: T0, exp: T0 + 3 * 86400 }),
  ]);
  [R1, R2, R3, S1, S2] = [opaque(), opaque(), opaque(), opaque(), opaque()];
});

/** No opaque value anywhere in what the tracker hands out, only its masked form. */
function expectNoOpaqueValue(flow: FlowTracker, tokens: string[]): void {
  const out = JSON.stringify([
    flow.timeline(T0_MS + 10_000_000),
    ...[A1, A2, A3, B1, ID1, ID2].map((t) => flow.findingsFor(t)),
    flow.refreshTokens(),
  ]);
  for (const t of tokens) expect(out).not.toContain(t);
}

describe('an opaque refresh token (oidc-provider shape)', () => {
  it('refresh-while-access-valid sits on the access token issued with it, naming the refresh token masked', () => {
    const flow = new FlowTracker();
    feed(flow, signIn(T0, { access: A1, refresh: R1, id: ID1 }));
    const changed = feed(flow, refresh(T0 + 300, R1, tokenAnswer({ access: A2, refresh: R2, id: ID2 })));
    expect(changed.has(A1)).toBe(true);
    expect([...changed]).not.toContain(R1);
    const found = flow.findingsFor(A1);
    expect(found.map((f) => f.id)).toEqual(['refresh-while-access-valid']);
    expect(found[0]!.detail).toContain(`Its refresh token (${maskOpaque(R1)}) was exchanged`);
    expect(found[0]!.detail).toContain('while this access token still had 5 min left');
    expect(found[0]!.detail).toContain(TOKEN_URL);
    // The new pair is fine, and the ID token is not the access token.
    expect(ids(flow, A2)).toEqual([]);
    expect(ids(flow, ID1)).toEqual([]);
    expect(flow.refreshTokens()).toEqual([]);
    expectNoOpaqueValue(flow, [R1, R2]);
  });

  it('is detected from a JSON-bodied refresh request too', () => {
    const flow = track([signIn(T0, { access: A1, refresh: R1 }), jsonRefresh(T0 + 300, R1, tokenAnswer({ access: A2, refresh: R2 }))]);
    expect(ids(flow, A1)).toEqual(['refresh-while-access-valid']);
  });

  it('is detected by the body wherever the token endpoint lives, and nothing else counts', () => {
    const anywhere = track([
      signIn(T0, { access: A1, refresh: R1 }),
      refresh(T0 + 300, R1, tokenAnswer({ access: A2, refresh: R2 }), `${ISSUER}/oauth2/v1/issue`),
    ]);
    expect(ids(anywhere, A1)).toEqual(['refresh-while-access-valid']);
    // Revocation (RFC 7009) sends the refresh token without the refresh grant.
    const revoke = tokenCall(T0 + 300, form({ token: R1, token_type_hint: 'refresh_token', client_id: CLIENT }), undefined, {
      url: `${ISSUER}/token/revocation`,
    });
    const notARefresh = track([signIn(T0, { access: A1, refresh: R1 }), revoke]);
    expect(ids(notARefresh, A1)).toEqual([]);
  });

  it('is not reported when the access token had expired (refresh after expiry)', () => {
    const flow = track([signIn(T0, { access: A1, refresh: R1 }), refresh(T0 + 601, R1, tokenAnswer({ access: A2, refresh: R2 }))]);
    expect(ids(flow, A1)).toEqual([]);
    expect(ids(flow, A2)).toEqual([]);
    const events = flow.timeline(T0_MS + 700_000).filter((e) => e.kind === 'refreshed');
    expect(events).toHaveLength(1);
    expect(events[0]!.findings).toBeUndefined();
  });

  it('is judged from the request alone when the answer was never read (no-store, body unread)', () => {
    const flow = track([signIn(T0, { access: A1, refresh: R1 }), refresh(T0 + 300, R1)]);
    expect(ids(flow, A1)).toEqual(['refresh-while-access-valid']);
  });

  it('holds whatever order the entries arrive in (a poll after the event)', () => {
    const flow = new FlowTracker();
    feed(flow, refresh(T0 + 300, R1, tokenAnswer({ access: A2, refresh: R2 })));
    expect(ids(flow, A1)).toEqual([]);
    const changed = feed(flow, signIn(T0, { access: A1, refresh: R1 }));
    expect(changed.has(A1)).toBe(true);
    expect(ids(flow, A1)).toEqual(['refresh-while-access-valid']);
  });
});

describe('an opaque access token too (oidc-provider defaults)', () => {
  it('counts expires_in from the answer and puts the finding on the ID token issued with it', () => {
    const [a1, a2] = [opaque(), opaque()];
    // The token endpoint took 5 s to answer: expires_in 600 runs to T0 + 605.
    const slowSignIn = signIn(T0, { access: a1, refresh: R1, id: ID1, expiresIn: 600 }, 5000);
    const early = track([slowSignIn, refresh(T0 + 603, R1, tokenAnswer({ access: a2, refresh: R2, id: ID2 }))]);
    const found = early.findingsFor(ID1);
    expect(found.map((f) => f.id)).toEqual(['refresh-while-access-valid']);
    expect(found[0]!.detail).toContain(`while the access token issued with this token (${maskOpaque(a1)}) still had 2 s left`);
    expect(ids(early, ID2)).toEqual([]);
    expectNoOpaqueValue(early, [a1, a2, R1, R2]);

    const late = track([slowSignIn, refresh(T0 + 606, R1, tokenAnswer({ access: a2, refresh: R2, id: ID2 }))]);
    expect(ids(late, ID1)).toEqual([]);
    // The opaque access token's expiry is on the timeline, masked.
    const expired = late.timeline(T0_MS + 700_000).filter((e) => e.kind === 'expired' && e.label === maskOpaque(a1));
    expect(expired.map((e) => e.time)).toEqual([T0_MS + 605_000]);
  });
});

describe('refresh-token-not-rotated with an opaque refresh token', () => {
  it('is reported on every access token paired with it when the same refresh token comes back', () => {
    const flow = track([signIn(T0, { access: A1, refresh: R1 }), refresh(T0 + 601, R1, tokenAnswer({ access: A2, refresh: R1 }))]);
    for (const access of [A1, A2]) {
      const found = flow.findingsFor(access);
      expect(found.map((f) => f.id)).toEqual(['refresh-token-not-rotated']);
      expect(found[0]!.detail).toContain(`Its refresh token (${maskOpaque(R1)}) was not rotated`);
      expect(found[0]!.detail).toContain('the same refresh token came back');
    }
    expectNoOpaqueValue(flow, [R1]);
  });

  it('is reported when the answer carries no refresh token (the client keeps the old one)', () => {
    const flow = track([signIn(T0, { access: A1, refresh: R1 }), refresh(T0 + 601, R1, tokenAnswer({ access: A2 }))]);
    expect(flow.findingsFor(A1)[0]!.detail).toContain('new tokens came back but no new refresh token');
    expect(ids(flow, A2)).toEqual(['refresh-token-not-rotated']);
  });

  it('is not reported when it is rotated, nor when the answer was never read', () => {
    expect(
      ids(track([signIn(T0, { access: A1, refresh: R1 }), refresh(T0 + 601, R1, tokenAnswer({ access: A2, refresh: R2 }))]), A1),
    ).toEqual([]);
    expect(ids(track([signIn(T0, { access: A1, refresh: R1 }), refresh(T0 + 601, R1)]), A1)).toEqual([]);
  });

  it('pairs the refresh token with the access_token of the answer, not with a session cookie set beside it', () => {
    const login = signIn(T0, { access: A1, refresh: R1 });
    // The same answer also sets a session cookie holding a JWT (the capture app's login does).
    login.entry.response.headers.unshift({ name: 'set-cookie', value: `session=${SESSION}; Path=/; HttpOnly; Secure; SameSite=Strict` });
    const flow = track([login, refresh(T0 + 601, R1, tokenAnswer({ access: A2, refresh: R1 }))]);
    expect(ids(flow, A1)).toEqual(['refresh-token-not-rotated']);
    expect(ids(flow, SESSION)).toEqual([]);
  });

  it('pairs the next access token with the unrotated refresh token: a second early refresh is on it', () => {
    const flow = track([
      signIn(T0, { access: A1, refresh: R1 }),
      refresh(T0 + 601, R1, tokenAnswer({ access: A2 })),
      // A2 expires at T0 + 900.
      refresh(T0 + 800, R1, tokenAnswer({ access: A3 })),
    ]);
    // Reusing an unrotated refresh token is the server's design: not-rotated says it, not reused.
    expect(ids(flow, A2)).toEqual(['refresh-while-access-valid', 'refresh-token-not-rotated']);
    expect(ids(flow, A1)).toEqual(['refresh-token-not-rotated']);
  });
});

describe('refresh-token-reused with an opaque refresh token', () => {
  it('is reported on the access token of the sign-in when a rotated refresh token comes back', () => {
    const flow = track([
      signIn(T0, { access: A1, refresh: R1 }),
      refresh(T0 + 601, R1, tokenAnswer({ access: A2, refresh: R2 })),
      refresh(T0 + 700, R1, { error: 'invalid_grant', error_description: 'grant request is invalid' }),
    ]);
    const reused = flow.findingsFor(A1).find((f) => f.id === 'refresh-token-reused');
    expect(reused?.detail).toContain(`Its refresh token (${maskOpaque(R1)}) was sent in 2 refresh requests`);
    expect(reused?.detail).toContain('already replaced it with a new refresh token at 2023-11-14T22:23:21.000Z');
    // The rotated pair is not part of it.
    expect(ids(flow, A2)).toEqual([]);
    const replay = flow.timeline(T0_MS + 800_000).filter((e) => e.kind === 'refreshed');
    expect(replay.map((e) => e.findings ?? [])).toEqual([[], ['refresh-token-reused']]);
    expectNoOpaqueValue(flow, [R1, R2]);
  });

  it('follows a rotation chain: R1 → R2 → R3, then R2 again', () => {
    const flow = track([
      signIn(T0, { access: A1, refresh: R1 }),
      refresh(T0 + 601, R1, tokenAnswer({ access: A2, refresh: R2 })),
      refresh(T0 + 1000, R2, tokenAnswer({ access: A3, refresh: R3 })),
      refresh(T0 + 1100, R2, { error: 'invalid_grant' }),
    ]);
    expect(ids(flow, A1)).toEqual([]);
    expect(ids(flow, A2)).toEqual(['refresh-token-reused']);
    expect(ids(flow, A3)).toEqual([]);
  });
});

describe('two sign-ins interleaved', () => {
  it('keeps each refresh token with its own access token', () => {
    const flow = track([
      signIn(T0, { access: A1, refresh: R1, id: ID1 }),
      signIn(T0 + 10, { access: B1, refresh: S1 }),
      // Bob refreshes early, Alice after expiry.
      refresh(T0 + 100, S1, tokenAnswer({ access: A3, refresh: S2 })),
      refresh(T0 + 601, R1, tokenAnswer({ access: A2, refresh: R2 })),
    ]);
    expect(ids(flow, B1)).toEqual(['refresh-while-access-valid']);
    expect(flow.findingsFor(B1)[0]!.detail).toContain(maskOpaque(S1));
    expect(ids(flow, A1)).toEqual([]);
    expect(ids(flow, ID1)).toEqual([]);
    expect(ids(flow, A2)).toEqual([]);
    expectNoOpaqueValue(flow, [R1, R2, S1, S2]);
  });
});

describe('the timeline', () => {
  it('names opaque tokens masked, points their events at the access token, and marks the finding', () => {
    const flow = track([signIn(T0, { access: A1, refresh: R1 }), refresh(T0 + 300, R1, tokenAnswer({ access: A2, refresh: R2 }))]);
    const events = flow.timeline(T0_MS + 400_000);
    const refreshed = events.filter((e) => e.kind === 'refreshed');
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]).toMatchObject({ token: maskOpaque(R1), label: maskOpaque(R1), row: A1, findings: ['refresh-while-access-valid'] });
    expect(refreshed[0]!.detail).toBe(`Exchanged at ${TOKEN_URL}; a new refresh token came back.`);
    const issuedR2 = events.find((e) => e.kind === 'issued' && e.label === maskOpaque(R2));
    expect(issuedR2?.row).toBe(A2);
    expect(maskOpaque(R1)).toMatch(/^.{4}….{4}$/);
    expectNoOpaqueValue(flow, [R1, R2]);
  });
});

describe('through the store', () => {
  it('puts the finding on the access token record; the refresh token never becomes one', () => {
    const store = new TokenStore({ now: () => T0_MS + 400_000 });
    for (const call of [
      signIn(T0, { access: A1, refresh: R1, id: ID1 }),
      refresh(T0 + 300, R1, tokenAnswer({ access: A2, refresh: R2, id: ID2 })),
    ]) {
      store.ingest(
        sightingsFromEntry(call.entry),
        [grantFromEntry(call.entry)].filter((g) => g !== undefined),
      );
      store.ingest(sightingsFromEntry(call.entry, call.body), [grantFromEntry(call.entry, call.body)!]);
    }
    expect(store.get(A1)!.findings.map((f) => f.id)).toContain('refresh-while-access-valid');
    expect(store.get(A2)!.findings.map((f) => f.id)).not.toContain('refresh-while-access-valid');
    expect(
      store
        .records()
        .map((r) => r.token)
        .sort(),
    ).toEqual([A1, A2, ID1, ID2].sort());
    expect(exportCapture(store)).not.toContain(R1);
  });

  it('a token grant that comes before the sightings of its access token still reaches the record', () => {
    const store = new TokenStore({ now: () => T0_MS + 400_000 });
    const login = signIn(T0, { access: A1, refresh: R1 });
    const again = refresh(T0 + 300, R1, tokenAnswer({ access: A2, refresh: R2 }));
    store.ingest([], [grantFromEntry(login.entry, login.body)!, grantFromEntry(again.entry, again.body)!]);
    expect(store.size).toBe(0);
    store.ingest(sightingsFromEntry(login.entry, login.body));
    expect(store.get(A1)!.findings.map((f) => f.id)).toContain('refresh-while-access-valid');
  });
});

describe('bounds', () => {
  it('past the bound of opaque values followed, a grant is dropped rather than its values handed out whole', () => {
    const flow = new FlowTracker();
    const filler: TokenGrant[] = [];
    for (let i = 0; i < MAX_TRACKED_TOKENS / 2; i++) {
      const [a, r] = [`access-${i}-${'x'.repeat(20)}`, `refresh-${i}-${'y'.repeat(20)}`];
      filler.push({
        exchange: `POST /token ${i}`,
        time: T0_MS + i,
        requestUrl: TOKEN_URL,
        issued: { time: T0_MS + i, accessToken: a, refreshToken: r },
        opaque: [a, r],
      });
    }
    flow.observe([], filler);
    const late = [signIn(T0, { access: A1, refresh: R1 }), refresh(T0 + 300, R1, tokenAnswer({ access: A2, refresh: R2 }))];
    for (const call of late) feed(flow, call);
    expect(flow.refreshTokens()).toEqual([]);
    expectNoOpaqueValue(flow, [R1, R2]);
  });
});
