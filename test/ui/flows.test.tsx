import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render } from '@testing-library/preact';
import { Flows } from '../../src/devtools/panel/view/Flows';
import type { FlowView } from '../../src/devtools/model/oauth-flows';
import { finding } from '../../src/core/findings';
import { buildMessages } from '../../src/locales/catalogue';
import { messageSourceFrom, setMessageSource } from '../../src/ui/i18n';

afterEach(cleanup);

const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLW9mLWEtdG9rZW4';

function flow(over: Partial<FlowView> = {}): FlowView {
  return {
    id: 1,
    clientId: 'spa',
    issuer: 'http://127.0.0.1:3000',
    responseType: 'id_token token',
    pkce: 'none',
    redirectUri: 'http://127.0.0.1:4000/cb',
    state: { sent: 's1', returned: 's2' },
    nonce: { sent: 'n1', returned: 'n1' },
    tokens: [{ token: jwt, label: `…${jwt.slice(-10)}` }, { label: 'opaq…6789' }],
    steps: [{ time: 0, kind: 'authorization-request', url: 'http://127.0.0.1:3000/auth?client_id=spa&state=s1' }],
    findings: [finding('oauth-implicit-flow', 'The authorization request asked for response_type "id_token token".')],
    ...over,
  };
}

describe('the Flows view', () => {
  it('shows each flow with the contract’s attributes, its findings, state and nonce verdicts, and the tokens', () => {
    const opened: string[] = [];
    const { container } = render(<Flows flows={[flow()]} isRow={(t) => t === jwt} onSelect={(t) => opened.push(t)} />);
    const el = container.querySelector('[data-testid=flow]')!;
    expect(el.getAttribute('data-client-id')).toBe('spa');
    expect(el.getAttribute('data-response-type')).toBe('id_token token');
    expect(el.getAttribute('data-pkce')).toBe('none');
    expect([...el.querySelectorAll('[data-finding-id]')].map((f) => f.getAttribute('data-finding-id'))).toEqual(['oauth-implicit-flow']);
    expect(el.textContent).toContain('sent s1, returned s2 — differs');
    expect(el.textContent).toContain('sent n1, returned n1 — matched');
    // The opaque value comes named by its ends only; the JWT is a link to its row.
    expect(el.textContent).toContain('opaq…6789');
    fireEvent.click(el.querySelector('[data-testid=flow-token]')!);
    expect(opened).toEqual([jwt]);
    // The step shows where, not the query (a code or state in it).
    expect(el.querySelector('[data-testid=flow-step]')!.textContent).not.toContain('state=s1');
  });

  it('takes every word from the catalogue in use: the flow, its steps and its findings in Korean', () => {
    setMessageSource(messageSourceFrom(buildMessages('ko')));
    const { container } = render(<Flows flows={[flow({ clientId: undefined })]} isRow={() => false} onSelect={() => {}} />);
    const el = container.querySelector('[data-testid=flow]')!;
    expect(el.querySelector('h3')!.textContent).toBe('알 수 없는 클라이언트 · 발급자 http://127.0.0.1:3000');
    expect(el.textContent).toContain('보낸 값 s1, 돌아온 값 s2 — 불일치');
    expect(el.textContent).toContain('보낸 값 n1, 돌아온 값 n1 — 일치');
    expect(el.querySelector('[data-testid=flow-step]')!.textContent).toContain('인가 요청');
    expect(el.querySelector('[data-finding-id=oauth-implicit-flow] strong')!.textContent).toBe('Implicit 플로우: 인가 응답에 토큰이 담김');
    // The English of the view is gone; the protocol's own words (response_type values, PKCE) stay, and so does
    // the evidence the core writes for one flow (in the findings, English by design: src/ui/FindingList.tsx).
    const view = [...el.children].filter((child) => child.getAttribute('data-testid') !== 'findings');
    expect(view.map((child) => child.textContent).join(' ')).not.toMatch(
      /\b(sent|returned|differs|authorization request|Unknown client|Tokens)\b/,
    );
  });

  it('says so when no flow was seen, and renders hostile values as text', () => {
    const { container, rerender } = render(<Flows flows={[]} isRow={() => false} onSelect={() => {}} />);
    expect(container.querySelector('[data-testid=flow]')).toBeNull();
    expect(container.textContent).toContain('No OAuth 2.0');
    rerender(<Flows flows={[flow({ clientId: '<img src=x onerror=alert(1)>' })]} isRow={() => false} onSelect={() => {}} />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror=alert(1)>');
  });
});
