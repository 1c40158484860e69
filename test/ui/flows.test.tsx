import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render } from '@testing-library/preact';
import { Flows } from '../../src/devtools/panel/view/Flows';
import type { FlowView } from '../../src/devtools/model/oauth-flows';
import { finding } from '../../src/core/findings';

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

  it('says so when no flow was seen, and renders hostile values as text', () => {
    const { container, rerender } = render(<Flows flows={[]} isRow={() => false} onSelect={() => {}} />);
    expect(container.querySelector('[data-testid=flow]')).toBeNull();
    expect(container.textContent).toContain('No OAuth 2.0');
    rerender(<Flows flows={[flow({ clientId: '<img src=x onerror=alert(1)>' })]} isRow={() => false} onSelect={() => {}} />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror=alert(1)>');
  });
});
