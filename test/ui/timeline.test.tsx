import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { Timeline } from '../../src/devtools/panel/view/Timeline';
import { FlowTracker } from '../../src/devtools/model/flow-tracker';
import { grantFromEntry, maskOpaque } from '../../src/capture/token-grant';
import { entry, sign, T0, T0_MS } from '../devtools/har-fixtures';

afterEach(cleanup);

describe('the timeline view', () => {
  it('names an opaque refresh token masked, shows the finding its refresh raised, and opens the access token', async () => {
    const access = await sign({ sub: 'u', iat: T0, exp: T0 + 600 });
    const refresh = 'Qk3cUMa2jd9PZ3c_rY0v8Lk1x-7hTq2wVb6NfGe4sXo';
    const call = (time: number, form: string, answer: Record<string, unknown>) => {
      const e = entry({
        method: 'POST',
        url: 'http://127.0.0.1:3000/token',
        time,
        postData: { mimeType: 'application/x-www-form-urlencoded', text: form },
      });
      return grantFromEntry(e, JSON.stringify(answer))!;
    };
    const flow = new FlowTracker();
    flow.observe(
      [],
      [
        call(T0, 'grant_type=authorization_code&code=c', { access_token: access, refresh_token: refresh, expires_in: 600 }),
        call(T0 + 60, `grant_type=refresh_token&refresh_token=${refresh}`, {
          access_token: 'opaque-access-token-0123456789',
          expires_in: 600,
        }),
      ],
    );
    const selected: string[] = [];
    render(<Timeline events={flow.timeline(T0_MS + 120_000)} onSelect={(t) => selected.push(t)} />);

    const refreshed = screen.getAllByTestId('timeline-event').find((e) => e.getAttribute('data-kind') === 'refreshed')!;
    expect(refreshed.querySelector('button')!.textContent).toBe(maskOpaque(refresh));
    expect([...refreshed.querySelectorAll('[data-finding-id]')].map((e) => e.getAttribute('data-finding-id'))).toEqual([
      'refresh-while-access-valid',
      'refresh-token-not-rotated',
    ]);
    fireEvent.click(refreshed.querySelector('button')!);
    expect(selected).toEqual([access]);
    expect(document.body.innerHTML).not.toContain(refresh);
    expect(document.body.innerHTML).not.toContain('opaque-access-token-0123456789');
  });
});
