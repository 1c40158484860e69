// Secrets stay home: every network request the extension makes — from its service worker and from each of
// its pages, recorded over CDP — while it stores keys, decodes, verifies against a stored HMAC secret, a
// stored private PEM (only its public half is used) and a JWKS URL, and runs the weak-secret check. The only
// requests that leave the extension must go to the configured JWKS URL, and none may carry key material.
// Tokens naming a `jku` / `x5u` on a second server must not make the extension contact that server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, exportPKCS8, generateKeyPair, SignJWT, type JWK } from 'jose';
import type { Browser, CDPSession, Page, Target } from 'puppeteer-core';
import { browserAvailable } from '../harness/browsers';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { pasteInto } from '../harness/page-input';
import { poll } from '../harness/poll';
import { quietPeriod } from '../harness/quiet';
import { startServer, type TestServer } from '../harness/server';

/** Stored as an HMAC secret on the options page; must never appear in any request. */
const STORED_SECRET = 'no-leaks stored HMAC secret, 7c1f0e9a-42d3: correct horse battery staple';
const WEAK_SECRET = 'secret';

interface Recorded {
  /** The target that made the request: service_worker or page, and its URL when recorded. */
  from: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  postData?: string;
}

interface NetworkRecorder {
  requests: Recorded[];
  /** Headers of requests whose requestWillBeSent never came (none expected): checked for key material too. */
  orphanHeaders(): Record<string, string>[];
  /** Resolves once `target` is being recorded (Network.enable answered). */
  recording(target: Target): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Records every request of the extension's targets, present and future, over CDP: its service worker, and
 * every page or frame target showing one of its pages (plus pages the test hands to `recording` before it
 * navigates them). Chrome's own WebUI targets (chrome://…) are not the extension's and are left alone.
 */
async function recordNetwork(browser: Browser, extensionId: string): Promise<NetworkRecorder> {
  const ours = (t: Target) => t.url().startsWith(`chrome-extension://${extensionId}/`);
  const requests: Recorded[] = [];
  const byId = new Map<string, Recorded>();
  // requestWillBeSentExtraInfo may arrive before or after requestWillBeSent: held until both are in.
  const extraById = new Map<string, Record<string, string>>();
  const sessions: CDPSession[] = [];
  const attached = new Map<Target, Promise<void>>();

  function recording(target: Target): Promise<void> {
    let ready = attached.get(target);
    if (ready) return ready;
    ready = (async () => {
      const type = target.type();
      if (type !== 'page' && type !== 'service_worker' && type !== 'background_page' && type !== 'shared_worker' && type !== 'other')
        return;
      const cdp = await target.createCDPSession();
      sessions.push(cdp);
      cdp.on('Network.requestWillBeSent', (e) => {
        const r: Recorded = {
          from: `${type} ${target.url()}`,
          method: e.request.method,
          url: e.request.url,
          headers: { ...e.request.headers },
        };
        if (e.request.postData !== undefined) r.postData = e.request.postData;
        requests.push(r);
        const id = `${cdp.id()}/${e.requestId}`;
        byId.set(id, r);
        const extra = extraById.get(id);
        if (extra) {
          Object.assign(r.headers, extra);
          extraById.delete(id);
        }
        if (e.request.hasPostData && e.request.postData === undefined) {
          void cdp.send('Network.getRequestPostData', { requestId: e.requestId }).then(
            (p) => (r.postData = p.postData),
            () => (r.postData = '(unreadable post data)'),
          );
        }
      });
      // The headers actually sent (cookies and all), which requestWillBeSent does not always list.
      cdp.on('Network.requestWillBeSentExtraInfo', (e) => {
        const id = `${cdp.id()}/${e.requestId}`;
        const r = byId.get(id);
        if (r) Object.assign(r.headers, e.headers);
        else extraById.set(id, { ...extraById.get(id), ...e.headers });
      });
      await cdp.send('Network.enable');
    })().catch(() => {});
    attached.set(target, ready);
    return ready;
  }

  const onTarget = (t: Target) => void (ours(t) && recording(t));
  browser.on('targetcreated', onTarget);
  browser.on('targetchanged', onTarget);
  await Promise.all(browser.targets().filter(ours).map(recording));
  return {
    requests,
    orphanHeaders: () => [...extraById.values()],
    recording,
    stop: async () => {
      browser.off('targetcreated', onTarget);
      browser.off('targetchanged', onTarget);
      await Promise.all(sessions.map((s) => s.detach().catch(() => {})));
    },
  };
}

describe.runIf(browserAvailable('chromium'))('secrets stay home (Chromium)', () => {
  let session: ChromiumSession;
  let recorder: NetworkRecorder;
  let jwksServer: TestServer;
  let attacker: TestServer;
  let jwksPrivate: JWK;
  let pemPrivate: string;
  const tokens: Record<'hsStored' | 'hsWeak' | 'rsJwks' | 'rsPem' | 'jku' | 'x5u', string> = {} as never;

  /** Opens an extension page with its requests recorded from the first one. */
  async function extensionPage(path: string): Promise<Page> {
    const page = await session.browser.newPage();
    await recorder.recording(page.target());
    await page.goto(`chrome-extension://${session.extensionId}/${path}`, { waitUntil: 'load' });
    return page;
  }

  beforeAll(async () => {
    const jwksPair = await generateKeyPair('RS256', { extractable: true });
    const pemPair = await generateKeyPair('RS256', { extractable: true });
    const attackerPair = await generateKeyPair('RS256', { extractable: true });
    jwksPrivate = await exportJWK(jwksPair.privateKey);
    pemPrivate = await exportPKCS8(pemPair.privateKey);
    const publicJwk = { ...(await exportJWK(jwksPair.publicKey)), kid: 'no-leaks-1', alg: 'RS256', use: 'sig' };
    jwksServer = await startServer({
      '/jwks.json': (_q, r) =>
        void r
          .writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'cache-control': 'max-age=600' })
          .end(JSON.stringify({ keys: [publicJwk] })),
    });
    // What a forged token points at. Any request here is the bug this test exists for.
    const attackerJwk = { ...(await exportJWK(attackerPair.publicKey)), kid: 'attacker-1', alg: 'RS256' };
    attacker = await startServer({
      '/jwks.json': (_q, r) =>
        void r
          .writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' })
          .end(JSON.stringify({ keys: [attackerJwk] })),
      '/cert.pem': (_q, r) =>
        void r
          .writeHead(200, { 'content-type': 'application/x-pem-file', 'access-control-allow-origin': '*' })
          .end('-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n'),
    });

    const claims = { iss: 'https://no-leaks.example', sub: 'alice', scope: 'orders' };
    const hs = (secret: string) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(new TextEncoder().encode(secret));
    tokens.hsStored = await hs(STORED_SECRET);
    tokens.hsWeak = await hs(WEAK_SECRET);
    tokens.rsJwks = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'no-leaks-1' })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(jwksPair.privateKey);
    tokens.rsPem = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(pemPair.privateKey);
    tokens.jku = await new SignJWT({ ...claims, admin: true })
      .setProtectedHeader({ alg: 'RS256', kid: 'attacker-1', jku: `${attacker.origin}/jwks.json` })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(attackerPair.privateKey);
    tokens.x5u = await new SignJWT({ ...claims, admin: true })
      .setProtectedHeader({ alg: 'RS256', x5u: `${attacker.origin}/cert.pem` })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(attackerPair.privateKey);

    session = await launchChromium();
    await session.worker();
    recorder = await recordNetwork(session.browser, session.extensionId);
  });
  afterAll(async () => {
    await recorder?.stop();
    await session?.close();
    await jwksServer?.close();
    await attacker?.close();
  });

  it('stores an HMAC secret, a private PEM and a JWKS URL on the options page', async () => {
    const options = await extensionPage('src/options/index.html');
    await options.waitForSelector('[data-testid=options-ready]');
    const rows = () => options.$$eval('[data-testid=key-row]', (els) => els.length);
    async function add(value: string, kind: string) {
      const before = await rows();
      await pasteInto(options, '[data-testid=key-value]', value);
      await options.select('[data-testid=key-kind]', kind);
      await options.click('[data-testid=key-add]');
      await poll(async () => (await rows()) === before + 1, `the key row of ${kind}`);
    }
    await add(STORED_SECRET, 'secret');
    await add(pemPrivate, 'pem');
    await add(`${jwksServer.origin}/jwks.json`, 'jwks-url');
    const kinds = await options.$$eval('[data-testid=key-row]', (els) => els.map((e) => e.getAttribute('data-key-kind')).sort());
    // A private PEM is kept as the public JWK of its public half (SECURITY.md, "Private keys are not stored").
    expect(kinds).toEqual(['jwk', 'jwks-url', 'secret']);
    await options.waitForSelector('[data-testid=jwks-key]', { timeout: 15_000 });
    expect(await options.$eval('[data-testid=jwks-key]', (el) => (el as HTMLElement).innerText)).toContain('no-leaks-1');
    await options.close();
  });

  it('verifies with the stored keys in the popup, and never trusts a jku or x5u', async () => {
    const popup = await extensionPage('src/popup/index.html');
    const status = () => popup.$eval('[data-testid=verification]', (el) => el.getAttribute('data-status')).catch(() => undefined);
    async function verdictOf(token: string) {
      // The verdict shown stays the previous token's until the new one's arrives: emptying the box first
      // starts each token from "pending", so a stale verdict is never read as this token's.
      await pasteInto(popup, '[data-testid=token-input]', '');
      await poll(async () => (await popup.$('[data-testid=verification]')) === null, 'the previous verdict gone');
      await pasteInto(popup, '[data-testid=token-input]', token);
      // A new token starts as pending; wait for its own verdict.
      const parts = () => popup.$eval('[data-testid=token-parts]', (el) => (el as HTMLElement).innerText).catch(() => '');
      return poll(
        async () => {
          const s = await status();
          return (await parts()).includes(`.${token.split('.')[2]!.slice(0, 40)}`) && s !== 'pending' && s;
        },
        `a verdict on …${token.slice(-8)}`,
      ).catch(async (e) => {
        const why = await popup
          .$eval(
            '[data-testid=verification], [data-testid=decode-error]',
            (el) => `${el.getAttribute('data-testid')}: ${(el as HTMLElement).innerText}`,
          )
          .catch(() => '(neither a verification nor a decode error)');
        throw new Error(`${(e as Error).message}; status ${await status()}: ${why}; parts …${(await parts()).slice(-30)}`);
      });
    }
    expect(await verdictOf(tokens.hsStored)).toBe('valid');
    expect(await verdictOf(tokens.rsJwks)).toBe('valid');
    expect(await verdictOf(tokens.rsPem)).toBe('valid');
    expect(await verdictOf(tokens.hsWeak)).toBe('invalid');
    for (const forged of [tokens.jku, tokens.x5u]) {
      expect(await verdictOf(forged)).not.toBe('valid');
      const ids = await popup.$$eval('[data-finding-id]', (els) => els.map((e) => e.getAttribute('data-finding-id')));
      expect(ids).toContain('remote-key-header');
    }
    await popup.close();
  });

  it('runs the weak-secret check in the worker: finds "secret", not the stored secret', async () => {
    const page = await extensionPage('src/popup/index.html');
    const check = (token: string) =>
      page.evaluate(
        (t) =>
          new Promise<{ found: boolean; secret?: string; tried: number }>((resolve, reject) => {
            const chrome = (globalThis as unknown as { chrome: { runtime: { connect(o: { name: string }): any } } }).chrome;
            const port = chrome.runtime.connect({ name: 'weak-secret' });
            port.onMessage.addListener(
              (m: { type: string; result?: { found: boolean; secret?: string; tried: number }; error?: string }) => {
                if (m.type === 'done') {
                  port.disconnect();
                  resolve(m.result!);
                } else if (m.type === 'error') reject(new Error(m.error));
              },
            );
            port.onDisconnect.addListener(() => reject(new Error('the worker closed the port')));
            port.postMessage({ token: t });
          }),
        token,
      );
    const weak = await check(tokens.hsWeak);
    expect(weak).toMatchObject({ found: true, secret: WEAK_SECRET });
    // The whole list, about 104k secrets: the stored secret is not among them.
    const strong = await check(tokens.hsStored);
    expect(strong.found).toBe(false);
    expect(strong.tried).toBeGreaterThan(100_000);
    await page.close();
  });

  it('made no request but to the configured JWKS URL, none carrying key material, none to the jku / x5u server', async () => {
    // Requests still in flight are recorded as they start: wait until the recorder itself has been quiet.
    await quietPeriod(() => recorder.requests.length, 'the request recorder');
    const all = recorder.requests;
    const outside = all.filter((r) => !r.url.startsWith(`chrome-extension://${session.extensionId}/`));
    console.log(
      `Recorded ${all.length} request(s): ${all.length - outside.length} to the extension's own files, ${outside.length} outside:\n` +
        outside.map((r) => `  ${r.method} ${r.url}  (from ${r.from})`).join('\n') +
        `\nOwn files: ${[...new Set(all.filter((r) => !outside.includes(r)).map((r) => new URL(r.url).pathname))].join(', ')}`,
    );

    expect(attacker.requests).toEqual([]);
    expect(all.filter((r) => r.url.startsWith(attacker.origin))).toEqual([]);
    expect(outside.length).toBeGreaterThan(0);
    for (const r of outside) {
      expect(`${r.method} ${r.url}`).toBe(`GET ${jwksServer.origin}/jwks.json`);
      expect(r.from).toMatch(/^service_worker /);
    }

    // Key material: the stored secret, the private PEM's body, the JWKS key's private members; and, outside
    // the extension, the weak secret the check found.
    const pemBody = pemPrivate.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    const material: [string, string][] = [
      ['stored secret', STORED_SECRET],
      ['stored secret (URL-encoded)', encodeURIComponent(STORED_SECRET)],
      ...[0, 1, 2, 3].map((i): [string, string] => [`private PEM chunk ${i}`, pemBody.slice(200 + i * 300, 240 + i * 300)]),
      ...(['d', 'p', 'q', 'dp', 'dq', 'qi'] as const).map((k): [string, string] => [
        `JWKS private ${k}`,
        String(jwksPrivate[k]).slice(0, 40),
      ]),
    ];
    const text = (r: Recorded) => `${r.url}\n${JSON.stringify(r.headers)}\n${r.postData ?? ''}`;
    for (const r of all) {
      for (const [what, value] of material) expect(text(r).includes(value), `${what} in ${r.method} ${r.url}`).toBe(false);
    }
    for (const r of outside) expect(text(r).includes(WEAK_SECRET), `the weak secret in ${r.url}`).toBe(false);
    for (const headers of recorder.orphanHeaders()) {
      for (const [what, value] of material) expect(JSON.stringify(headers).includes(value), `${what} in request headers`).toBe(false);
    }

    // The JWKS server's side of it: plain GETs of the configured URL, no credentials, no key material.
    expect(jwksServer.requests.length).toBeGreaterThan(0);
    for (const r of jwksServer.requests) {
      expect(`${r.method} ${r.url}`).toBe('GET /jwks.json');
      expect(r.headers.cookie).toBeUndefined();
      expect(r.headers.authorization).toBeUndefined();
      for (const [what, value] of material)
        expect(JSON.stringify(r.headers).includes(value), `${what} sent to the JWKS server`).toBe(false);
    }
  });
});
