// The panel controller on an OpenID sign-in: DevTools' entries in, the flow model loaded on the first step,
// the flow listed for the Flows tab and its token findings on the rows, from a recorded log
// (./recorded-panel.ts says what stands in for DevTools).
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PanelController } from '../../src/devtools/panel/panel-controller';
import { tokenHash } from '../../src/core/oauth';
import { entry, sign } from './har-fixtures';
import { controllerOn } from './recorded-panel';

const ISSUER = 'http://127.0.0.1:3000';
const APP = 'http://127.0.0.1:4000';

let controller: PanelController | undefined;
afterEach(() => controller?.stop());

describe('PanelController: OAuth flows', () => {
  it('lists the flow, and puts id-token-as-bearer on the ID token’s row once the page sends it to an API', async () => {
    const now = Math.floor(Date.now() / 1000);
    const access = await sign({ iss: ISSUER, sub: 'alice', scope: 'api', iat: now, exp: now + 600 });
    const id = await sign({
      iss: ISSUER,
      sub: 'alice',
      aud: 'spa',
      nonce: 'n1',
      at_hash: tokenHash(access, 'HS256'),
      iat: now,
      exp: now + 600,
    });
    const answer = JSON.stringify({ access_token: access, id_token: id, token_type: 'Bearer', expires_in: 600 });
    const exchange = entry({
      method: 'POST',
      url: `${ISSUER}/token`,
      time: now - 5,
      postData: {
        mimeType: 'application/x-www-form-urlencoded',
        text: `grant_type=authorization_code&code=abc123&code_verifier=${'v'.repeat(43)}&client_id=spa&redirect_uri=${encodeURIComponent(`${APP}/cb`)}`,
      },
      responseHeaders: [['cache-control', 'no-store']],
    });
    exchange.response.content = { size: answer.length, mimeType: 'application/json' };
    const calls = [
      {
        request: entry({
          url: `${ISSUER}/auth?client_id=spa&response_type=code&redirect_uri=${encodeURIComponent(`${APP}/cb`)}&state=s1&nonce=n1&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGjSstw-cM&code_challenge_method=S256`,
          time: now - 9,
          mimeType: 'text/html',
        }),
      },
      { request: entry({ url: `${APP}/cb?code=abc123&state=s1&iss=${encodeURIComponent(ISSUER)}`, time: now - 6, mimeType: 'text/html' }) },
      { request: exchange, body: answer },
    ];
    controller = controllerOn(calls);
    await controller.start();
    await vi.waitFor(() => expect(controller!.flowViews()[0]?.tokens.map((t) => t.token)).toContain(id));
    expect(controller.flowViews()).toEqual([
      expect.objectContaining({ clientId: 'spa', responseType: 'code', pkce: 'S256', findings: [], state: { sent: 's1', returned: 's1' } }),
    ]);
    await vi.waitFor(() => expect(controller!.store.get(id)).toBeDefined());
    expect(controller.store.get(id)!.findings.map((f) => f.id)).not.toContain('id-token-as-bearer');

    controller.takeEntries([entry({ url: `${APP}/api/me`, time: now, requestHeaders: [['authorization', `Bearer ${id}`]] })], 'event');
    await vi.waitFor(() => expect(controller!.store.get(id)!.findings.map((f) => f.id)).toContain('id-token-as-bearer'));
    expect(controller.store.get(access)!.findings.map((f) => f.id)).not.toContain('id-token-as-bearer');
    expect(controller.flowViews()[0]!.findings.map((f) => f.id)).toEqual(['id-token-as-bearer']);

    controller.clear();
    expect(controller.flowViews()).toEqual([]);
  });
});
