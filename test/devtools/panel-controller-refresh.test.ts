// The panel controller on an OpenID sign-in with an opaque, rotated refresh token: from DevTools' entries and
// bodies to the finding on the access token's record, from a recorded log (./recorded-panel.ts says what stands
// in for DevTools).
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PanelController } from '../../src/devtools/panel/panel-controller';
import type { NetworkRequest } from '../../src/devtools/panel/devtools-api';
import { maskOpaque } from '../../src/capture/token-grant';
import { entry, sign } from './har-fixtures';
import { controllerOn } from './recorded-panel';
import { exportCapture } from '../../src/devtools/model/capture-file';

const ISSUER = 'http://127.0.0.1:3000';

function tokenCall(
  seconds: number,
  form: Record<string, string>,
  answer: Record<string, unknown>,
): { request: NetworkRequest; body: string } {
  const body = JSON.stringify(answer);
  const request = entry({
    method: 'POST',
    url: `${ISSUER}/token`,
    time: seconds,
    postData: { mimeType: 'application/x-www-form-urlencoded', text: new URLSearchParams(form).toString() },
    responseHeaders: [['cache-control', 'no-store']],
  });
  // As getHAR() lists it: the body is not in the entry, only its size.
  request.response.content = { size: body.length, mimeType: 'application/json' };
  return { request, body };
}

let controller: PanelController | undefined;
afterEach(() => controller?.stop());

describe('PanelController: refresh flow with an opaque refresh token', () => {
  it('puts refresh-while-access-valid on the first access token record and shows the refresh masked on the timeline', async () => {
    const now = Math.floor(Date.now() / 1000);
    const [access1, access2, id1] = await Promise.all([
      sign({ iss: ISSUER, sub: 'alice', scope: 'openid', iat: now - 60, exp: now + 540 }),
      sign({ iss: ISSUER, sub: 'alice', scope: 'openid', iat: now - 10, exp: now + 590 }),
      sign({ iss: ISSUER, sub: 'alice', aud: 'spa', nonce: 'n', iat: now - 60, exp: now + 3540 }),
    ]);
    const [refresh1, refresh2] = [randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')];
    const answer = (access: string, refresh: string, id?: string) => ({
      access_token: access,
      expires_in: 600,
      ...(id ? { id_token: id } : {}),
      refresh_token: refresh,
      scope: 'openid offline_access',
      token_type: 'Bearer',
    });
    controller = controllerOn([
      tokenCall(
        now - 60,
        { grant_type: 'authorization_code', code: 'c0de', code_verifier: 'v'.repeat(43), client_id: 'spa' },
        answer(access1, refresh1, id1),
      ),
      tokenCall(now - 10, { grant_type: 'refresh_token', refresh_token: refresh1, client_id: 'spa' }, answer(access2, refresh2)),
    ]);
    await controller.start();
    const store = controller.store;
    await vi.waitFor(() => expect(store.get(access2)).toBeDefined());

    const findings = (token: string) => store.get(token)!.findings.map((f) => f.id);
    expect(findings(access1)).toContain('refresh-while-access-valid');
    expect(findings(access2)).not.toContain('refresh-while-access-valid');
    expect(store.get(access1)!.findings.find((f) => f.id === 'refresh-while-access-valid')!.detail).toContain(maskOpaque(refresh1));
    // Rows are the JWTs only; the opaque refresh tokens are nowhere in what the view reads.
    expect(
      store
        .records()
        .map((r) => r.token)
        .sort(),
    ).toEqual([access1, access2, id1].sort());
    const refreshed = store.timeline().filter((e) => e.kind === 'refreshed');
    expect(refreshed).toEqual([
      expect.objectContaining({ label: maskOpaque(refresh1), row: access1, findings: ['refresh-while-access-valid'] }),
    ]);
    const shown = JSON.stringify([store.records().map((r) => r.findings), store.timeline(), exportCapture(store)]);
    expect(shown).not.toContain(refresh1);
    expect(shown).not.toContain(refresh2);
  });
});
