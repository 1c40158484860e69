// The demo app (test/demo) inspected in the Chromium DevTools panel, the way README's tour walks through it:
// storage mode, verification against the demo's issuer, expiry, refresh, theft, replay, tampering, cookie
// mode with its CSRF demonstration, careless mode. The demo's own rules are checked from Node first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Frame, Page } from 'puppeteer-core';
import { browserAvailable } from '../harness/browsers';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { openDemoInPanel, screenshotDemoPanel } from '../harness/demo-panel';
import { filterFor as filterPanel, frameRunner } from '../harness/devtools-panel';
import type { PanelHandle } from '../harness/panel-list';
import { pasteInto } from '../harness/page-input';
import { poll } from '../harness/poll';
import { ROOT } from '../harness/paths';
import { detailFindings, detailSeenCount, openToken, type RowView, rowView, sightingWheres, verdict } from '../scenarios/panel-driver';
import { startDemo, type Demo } from '../../demo/server';

const TTL = 4;

describe('the demo server', () => {
  let demo: Demo;
  beforeAll(async () => {
    // exp is whole seconds: a 2 s lifetime leaves each fresh token at least 1 s of validity.
    demo = await startDemo({ accessTtlSeconds: 2 });
  });
  afterAll(() => demo?.close());

  const post = async (path: string, body: Record<string, string>, json = false) => {
    const r = await fetch(demo.origin + path, {
      method: 'POST',
      headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded' },
      body: json ? JSON.stringify(body) : new URLSearchParams(body).toString(),
    });
    return { status: r.status, body: (await r.json()) as Record<string, string> };
  };
  const me = async (token?: string) => {
    const r = await fetch(`${demo.origin}/api/me`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    return { status: r.status, body: (await r.json()) as Record<string, string> };
  };
  const signIn = () => post('/auth/login', { username: 'alice', password: 'alice', mode: 'storage' }, true);

  it('publishes its issuer and keys cross-origin, and refuses wrong passwords', async () => {
    const discovery = await fetch(`${demo.origin}/.well-known/openid-configuration`);
    expect(discovery.headers.get('access-control-allow-origin')).toBe('*');
    expect(await discovery.json()).toMatchObject({ issuer: demo.origin, jwks_uri: demo.jwksUrl });
    const jwks = await fetch(demo.jwksUrl);
    expect(jwks.headers.get('access-control-allow-origin')).toBe('*');
    expect(((await jwks.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid)).toEqual(demo.publishedKids());
    expect((await post('/auth/login', { username: 'alice', password: 'bob' }, true)).status).toBe(401);
  });

  it('says why it refuses an access token: missing, wrong type, bad signature, expired', async () => {
    const { body } = await signIn();
    expect((await me(body.access_token)).body).toMatchObject({ ok: true, user: 'alice' });
    expect((await me()).body.reason).toBe('missing');
    expect((await me(body.refresh_token)).body.reason).toBe('wrong-token-type');
    const [h, p, s] = body.access_token!.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: 'mallory' })).toString(
      'base64url',
    );
    expect((await me(`${h}.${forged}.${s}`)).body.reason).toBe('bad-signature');
    // Expiry is the server's clock: asked until it answers otherwise than "ok", which must be "expired".
    const later = await poll(async () => {
      const answer = (await me(body.access_token)).body;
      return answer.ok ? undefined : answer;
    }, 'the access token to stop being accepted');
    expect(later.reason).toBe('expired');
  });

  it('rotates refresh tokens, and revokes the family when a spent one comes back', async () => {
    const first = (await signIn()).body;
    // A refresh while the access token lives is theft to this server: refreshed once the server says it expired.
    await poll(async () => (await me(first.access_token)).body.reason === 'expired', 'the first access token to expire');
    const second = await post('/auth/refresh', { grant_type: 'refresh_token', refresh_token: first.refresh_token! });
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    const replay = await post('/auth/refresh', { grant_type: 'refresh_token', refresh_token: first.refresh_token! });
    expect(replay).toMatchObject({ status: 401, body: { reason: 'reused', revoked: true } });
    // The family is gone: the access token issued by the good refresh too.
    expect((await me(second.body.access_token)).body.reason).toBe('revoked');
  });

  it('keeps a rotated-out key in the JWKS while tokens it signed live', async () => {
    // Its own server with a long lifetime: the token must still be live after the rotation however busy the
    // machine is (the 2 s server above is for the expiry cases).
    const longLived = await startDemo({ accessTtlSeconds: 600 });
    try {
      const signInThere = async () =>
        (await (
          await fetch(`${longLived.origin}/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: 'alice', password: 'alice', mode: 'storage' }),
          })
        ).json()) as Record<string, string>;
      const body = await signInThere();
      const oldKids = longLived.publishedKids();
      const kid = await longLived.rotateKey();
      expect(longLived.publishedKids()).toEqual([...oldKids, kid]);
      const answer = await fetch(`${longLived.origin}/api/me`, { headers: { authorization: `Bearer ${body.access_token}` } });
      expect(answer.status).toBe(200);
      const fresh = await signInThere();
      expect(JSON.parse(Buffer.from(fresh.access_token!.split('.')[0]!, 'base64url').toString()).kid).toBe(kid);
    } finally {
      await longLived.close();
    }
  });
});

describe.runIf(browserAvailable('chromium'))('the demo app in the Chromium DevTools panel', () => {
  let demo: Demo;
  let session: ChromiumSession;
  let page: Page;
  let devtools: Page;
  let panel: Frame;
  /** Tokens by name, filled in as the flow goes. */
  const t: Record<string, string> = {};

  beforeAll(async () => {
    demo = await startDemo({ accessTtlSeconds: TTL });
    session = await launchChromium({ devtools: true });
    ({ page, devtools, panel } = await openDemoInPanel(session, demo, demo.url));
    handle = frameRunner(panel);
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });

  // --- the demo page -----------------------------------------------------------------------------------
  const answer = () => page.$eval('[data-testid=answer]', (el) => el.textContent ?? '');
  /**
   * Clicks in the demo page with the DOM's click(). Two runs on a loaded machine hung for the whole test
   * timeout while this used page.click() (mouse input, DevTools open); none since. The buttons need no
   * trusted input.
   */
  const clickInPage = (testId: string) => page.$eval(`[data-testid=${testId}]`, (el) => (el as HTMLElement).click());
  /** Clicks a demo button and waits for the server's answer shown on the page to match. */
  async function act(testId: string, expected: RegExp): Promise<string> {
    await page.$eval('[data-testid=answer]', (el) => void (el.textContent = ''));
    await clickInPage(testId);
    let last = '';
    return poll(async () => {
      last = await answer();
      return expected.test(last) && last;
    }, `the page's answer to ${testId}`).catch(() => {
      throw new Error(`The page's answer to ${testId} does not match ${expected}: ${last || '(none)'}`);
    });
  }
  async function signIn(mode: 'cookie' | 'storage' | 'careless') {
    await clickInPage(`mode-${mode}`);
    await act('sign-in', /POST \/auth\/login\s+→\s+200/);
  }
  const storedTokens = () =>
    page.evaluate(() => ({ access: localStorage.getItem('access_token') ?? '', refresh: localStorage.getItem('refresh_token') ?? '' }));
  const browserCookies = async () => {
    const cookies = await page.cookies(`${demo.origin}/`, `${demo.origin}/auth/refresh`);
    return Object.fromEntries(cookies.map((c) => [c.name, c]));
  };

  // --- the panel, through the scenario layer's helpers (test/e2e/scenarios/panel-driver.ts) ---------------------
  let handle: PanelHandle;
  const filterFor = (text: string) => filterPanel(panel, text);
  const open = (token: string) => openToken(handle, token);
  const wheres = () => sightingWheres(handle);
  const findingIds = async () => (await detailFindings(handle)).ids;
  const verification = () => verdict(handle);

  async function expectSeen(token: string, where: string[]) {
    await open(token);
    await poll(
      async () => {
        const ws = await wheres();
        return where.every((w) => ws.includes(w));
      },
      `sightings ${where.join(',')}`,
    ).catch(() => undefined);
    const got = await wheres();
    for (const w of where) expect(got, `…${token.slice(-12)} seen in ${w}`).toContain(w);
  }
  /**
   * The open detail lists every id of `present` and none of `absent`. "None of" is judged only on a findings
   * section that is drawn and complete: its "Findings (n)" heading is there and lists n ids.
   */
  async function expectFindings(token: string, present: string[], absent: string[] = [], timeoutMs = 15_000) {
    await open(token);
    await poll(
      async () => {
        const { heading, ids } = await detailFindings(handle);
        return heading >= 0 && heading === ids.length && present.every((p) => ids.includes(p)) && absent.every((a) => !ids.includes(a));
      },
      `findings ${present.join(',')} without ${absent.join(',')} on …${token.slice(-12)}`,
      timeoutMs,
    ).catch(async (e) => {
      throw new Error(`${(e as Error).message}; got ${(await findingIds()).join(',')}`);
    });
  }
  async function expectVerification(token: string, status: string) {
    await open(token);
    await poll(async () => (await verification()) === status, `verification ${status}`).catch(async (e) => {
      throw new Error(`${(e as Error).message}; got ${await verification()}`);
    });
  }
  /** Clicks a panel control the way the row clicks do (DevTools frames do not always pass puppeteer's actionability checks). */
  async function clickInPanel(selector: string) {
    await panel.waitForSelector(selector);
    await panel.$eval(selector, (el) => (el as HTMLElement).click());
  }
  const readStorage = () => clickInPanel('[data-testid=read-storage]');

  it('storage mode: the tokens in the JSON answer, localStorage and the Authorization header, readable by any script', async () => {
    await signIn('storage');
    ({ access: t.access1, refresh: t.refresh1 } = await storedTokens());
    expect(t.access1).toMatch(/^eyJ/);
    expect(await act('call-api', /GET \/api\/me[\s\S]*→\s+200[\s\S]*Authorization: Bearer header/)).toContain('"user": "alice"');
    await act('script-read', /2 token\(s\) readable/);
    await readStorage();
    await expectSeen(t.access1!, ['authorization-header', 'local-storage', 'response-body']);
    await expectFindings(t.access1!, ['web-storage'], ['cookie-not-httponly', 'long-lifetime']);
    await expectSeen(t.refresh1!, ['local-storage', 'response-body']);
    await expectFindings(t.refresh1!, ['web-storage']);
    await expectVerification(t.access1!, 'no-matching-key');
  });

  it("verifies the tokens against the demo's JWKS once its issuer is on the options page (and Re-verify is pressed)", async () => {
    const options = await session.extensionPage('src/options/index.html');
    await options.waitForSelector('[data-testid=options-ready]');
    await pasteInto(options, '[data-testid=key-value]', demo.issuer);
    await options.click('[data-testid=key-add]');
    await options.waitForSelector('[data-testid=jwks-key]', { timeout: 15_000 });
    expect(await options.$eval('[data-testid=jwks-key]', (el) => (el as HTMLElement).innerText)).toContain(demo.publishedKids()[0]);
    await options.close();
    await page.bringToFront();
    // The panel does not watch the key store: tokens seen before are checked again on Re-verify.
    await clickInPanel('[data-testid=reverify]');
    await expectVerification(t.access1!, 'valid');
    await expectVerification(t.refresh1!, 'valid');
  });

  it('sees the access token expire; a refresh after expiry rotates, a refresh while valid is theft', async () => {
    await expectFindings(t.access1!, ['expired'], [], (TTL + 6) * 1000);
    await act('call-api', /→\s+401[\s\S]*"reason": "expired"/);

    await act('refresh', /POST \/auth\/refresh\s+→\s+200/);
    ({ access: t.access2, refresh: t.refresh2 } = await storedTokens());
    expect(t.refresh2).not.toBe(t.refresh1);
    // At once, while the new access token is valid: what the source notes call a stolen refresh token.
    const theft = await act('refresh-now', /POST \/auth\/refresh\s+→\s+401/);
    expect(theft).toContain('"reason": "refresh-while-access-valid"');
    expect(theft).toContain('"revoked": true');
    expect(theft).toMatch(/revoked, with its whole family/);
    await act('call-api', /→\s+401[\s\S]*"reason": "revoked"/);

    await expectSeen(t.refresh1!, ['request-body']);
    await expectFindings(t.refresh1!, [], ['refresh-while-access-valid', 'refresh-token-not-rotated']);
    await expectSeen(t.refresh2!, ['request-body', 'response-body']);
    await expectFindings(t.refresh2!, ['refresh-while-access-valid']);
    await expectVerification(t.access2!, 'valid');
  });

  it('refuses a replayed refresh token, and the panel calls it reused', async () => {
    const replay = await act('replay-refresh', /POST \/auth\/refresh\s+→\s+401/);
    expect(replay).toContain('"reason": "reused"');
    await expectFindings(t.refresh1!, ['refresh-token-reused']);
  });

  it('refuses a tampered token with a bad signature, and the panel calls its signature invalid', async () => {
    await act('tamper', /→\s+401[\s\S]*"reason": "bad-signature"/);
    const [h, p, s] = t.access2!.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    claims.sub = 'mallory';
    const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    await expectVerification(forged, 'invalid');
    await expectFindings(forged, ['signature-invalid']);
  });

  it('cookie mode: HttpOnly + Secure + SameSite=Strict cookies the page cannot read; the browser sends them; SameSite stops the cross-site form', async () => {
    await signIn('cookie');
    const cookies = await browserCookies();
    // Chromium keeps Secure cookies on http://127.0.0.1 (a secure context).
    expect(cookies.access_token).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
    expect(cookies.refresh_token).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/auth' });
    t.cookieAccess = cookies.access_token!.value;
    t.cookieRefresh = cookies.refresh_token!.value;
    expect(await storedTokens()).toEqual({ access: '', refresh: '' });

    await act('call-api', /→\s+200[\s\S]*access_token cookie/);
    await act('script-read', /0 token\(s\) readable/);

    // The same-site form POST: the cookie rides along, nothing else is checked.
    await clickInPage('csrf-submit');
    const frameText = () =>
      page
        .frames()
        .find((f) => f.name() === 'csrf-result')
        ?.evaluate(() => document.body?.innerText ?? '');
    expect(
      await poll(async () => (await frameText())?.match(/^DONE: 100 coins moved from alice to mallory/)?.[0], 'the transfer answer'),
    ).toBeTruthy();

    // The cross-site one (localhost is another site than 127.0.0.1): no cookie, refused.
    const attacker = await session.browser.newPage();
    await attacker.goto(`${demo.attackerUrl}?target=${encodeURIComponent(demo.origin)}`, { waitUntil: 'load' });
    const refused = await poll(
      async () =>
        attacker.url().startsWith(`${demo.origin}/api/transfer`) ? attacker.evaluate(() => document.body?.innerText ?? '') : undefined,
      'the attacker page to post',
    );
    expect(refused).toMatch(/^REFUSED \(missing\)/);
    await attacker.close();
    await page.bringToFront();

    await expectSeen(t.cookieAccess, ['set-cookie', 'cookie']);
    await expectFindings(
      t.cookieAccess,
      [],
      ['cookie-not-httponly', 'cookie-not-secure', 'cookie-samesite-none', 'web-storage', 'token-in-url'],
    );
    await expectSeen(t.cookieRefresh, ['set-cookie']);
    await expectFindings(t.cookieRefresh, [], ['cookie-not-httponly', 'cookie-samesite-none', 'web-storage']);
    await expectVerification(t.cookieAccess, 'valid');
    // Signing out of storage mode sent refresh2 once more, to /auth/logout: a revocation, not a refresh.
    await expectFindings(t.refresh2!, ['refresh-while-access-valid'], ['refresh-token-reused']);
  });

  it('careless mode: a guessable HS256 secret, the token in the URL, a script-readable cookie, 30 days of life', async () => {
    await signIn('careless');
    const cookies = await browserCookies();
    expect(cookies.access_token).toMatchObject({ httpOnly: false, sameSite: 'None' });
    t.careless = cookies.access_token!.value;
    await act('call-api', /→\s+200[\s\S]*access_token URL parameter/);
    await act('script-read', /2 token\(s\) readable/);
    await readStorage();
    await expectSeen(t.careless, ['set-cookie', 'url', 'document-cookie']);
    await expectFindings(
      t.careless,
      ['weak-hmac-secret', 'token-in-url', 'cookie-not-httponly', 'long-lifetime', 'cookie-samesite-none'],
      [],
      30_000,
    );

    // SameSite=None: the attacker's form now carries the cookie.
    const attacker = await session.browser.newPage();
    await attacker.goto(`${demo.attackerUrl}?target=${encodeURIComponent(demo.origin)}`, { waitUntil: 'load' });
    const done = await poll(
      async () =>
        attacker.url().startsWith(`${demo.origin}/api/transfer`) ? attacker.evaluate(() => document.body?.innerText ?? '') : undefined,
      'the attacker page to post',
    );
    expect(done).toMatch(/^DONE: 100 coins moved from alice to mallory\. Request started by http:\/\/localhost:/);
    await attacker.close();
    await page.bringToFront();
  });

  it('shows in each row its role, alg, issuer and subject, expiry, verdict, worst finding and sightings', async () => {
    // README.md's titles, written out so a change in the product shows here. The access tokens live TTL
    // seconds, so by now the panel's clock shows them expired.
    const expected: Record<string, { [K in keyof Omit<RowView, 'seen'>]: string | RegExp } & { minSeen: number }> = {
      careless: {
        role: 'access',
        alg: 'HS256',
        who: `${demo.issuer} · alice`,
        verdict: 'unverified',
        expiry: 'expires in 30 d',
        worst: 'HMAC secret is guessable',
        worstSeverity: 'critical',
        minSeen: 4,
      },
      cookieAccess: {
        role: 'access',
        alg: 'RS256',
        who: `${demo.issuer} · alice`,
        verdict: 'verified',
        expiry: /^expired (just now|\d+ s ago)$/,
        worst: 'Expired',
        worstSeverity: 'low',
        minSeen: 2,
      },
      // Its session's refresh token was replayed: the reuse is the family's, and the worst thing about it.
      access1: {
        role: 'access',
        alg: 'RS256',
        who: `${demo.issuer} · alice`,
        verdict: 'verified',
        expiry: /^expired \d+ s ago$/,
        worst: 'A rotated refresh token was used again',
        worstSeverity: 'high',
        minSeen: 3,
      },
    };
    const problems: string[] = [];
    for (const [name, { minSeen, ...want }] of Object.entries(expected)) {
      const token = t[name]!;
      await open(token);
      const matches = (v: RowView) =>
        Object.entries(want).every(([k, w]) => (typeof w === 'string' ? v[k as keyof RowView] === w : w.test(v[k as keyof RowView])));
      const view = await poll(async () => {
        const v = await rowView(handle, token);
        return v && matches(v) ? v : undefined;
      }, `the row of ${name}`).catch(() => rowView(handle, token));
      const detailSeen = await detailSeenCount(handle);
      if (!view || !matches(view)) problems.push(`${name}: shows ${JSON.stringify(view)}`);
      if (view?.seen !== `${detailSeen} seen` || detailSeen < minSeen)
        problems.push(`${name}: "${view?.seen}" where the detail counts ${detailSeen}, at least ${minSeen}`);
    }
    expect(problems).toEqual([]);
  });

  it('shows the flow on the timeline: issued, used, refreshed, expired', async () => {
    await clickInPanel('[data-testid=tab-timeline]');
    const kinds = await poll(async () => {
      const k = await panel.$$eval('[data-testid=timeline-event]', (els) => [...new Set(els.map((e) => e.getAttribute('data-kind')))]);
      return ['issued', 'used', 'refreshed', 'expired'].every((x) => k.includes(x)) ? k : undefined;
    }, 'every kind of timeline event');
    expect(kinds).toEqual(expect.arrayContaining(['issued', 'used', 'refreshed', 'expired']));
    await clickInPanel('[data-testid=tab-details]');
  });

  it('saves a screenshot of the panel on the demo app', async () => {
    await open(t.careless!);
    await filterFor('');
    const shot = await screenshotDemoPanel(devtools, panel, 'demo-panel');
    // What the case claims: a PNG of the panel as DevTools lays it out (IHDR: width and height at bytes 16–23).
    expect(shot.png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(shot.png.readUInt32BE(16)).toBe(shot.width);
    expect(shot.png.readUInt32BE(20)).toBe(shot.height);
    // The README's picture is refreshed on request only, so a test run leaves the tree clean.
    if (process.env.UPDATE_DEMO_SCREENSHOT === '1') copyFileSync(shot.path, resolve(ROOT, 'test/demo/screenshot-panel.png'));
  });
});
