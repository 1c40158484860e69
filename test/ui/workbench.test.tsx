// The workbench's session and views against the worker's real workbench handler (src/background/
// workbench-handler.ts over in-memory storage; only browser.storage and runtime messaging are left out).
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { SigningKeyStore } from '../../src/background/signing-key-store';
import { makeWorkbenchHandler } from '../../src/background/workbench-handler';
import { verifyToken } from '../../src/core/verify';
import { ATTACK_IDS } from '../../src/core/workbench/attacks';
import { ATTACKS } from '../../src/core/workbench/attack-info';
import { buildMessages } from '../../src/locales/catalogue';
import { keyPart, messageSourceFrom, setMessageSource } from '../../src/ui/i18n';
import type { Request, ResponseFor, WorkbenchRequest } from '../../src/messages';
import { Compare, diffTokens } from '../../src/ui/workbench/Compare';
import { Workbench } from '../../src/ui/workbench/Workbench';
import { WorkbenchSession, type Ask } from '../../src/ui/workbench/workbench-session';
import { memoryArea } from '../background/worker-harness';

afterEach(cleanup);

const ORIGINAL = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsInJvbGUiOiJ1c2VyIn0.c2lnbmF0dXJl';
const part = (t: string, i: number) => JSON.parse(Buffer.from(t.split('.')[i]!, 'base64url').toString());

function worker(): Ask {
  const handle = makeWorkbenchHandler({ signingKeys: new SigningKeyStore(memoryArea(), memoryArea()), verificationKeys: async () => [] });
  return (<R extends Request>(r: R) => {
    if (r.type === 'keys/list') return Promise.resolve([] as unknown as ResponseFor<R>);
    return handle(r as unknown as WorkbenchRequest) as Promise<ResponseFor<R>>;
  }) as Ask;
}

describe('WorkbenchSession', () => {
  it('keeps the signature, strips it, or signs with a worker key as the payload is edited', async () => {
    const ask = worker();
    const s = new WorkbenchSession(ORIGINAL, ask);
    expect(s.token).toBe(ORIGINAL);
    s.setPayloadText('{"sub":"mallory"}');
    expect(part(s.token, 1)).toEqual({ sub: 'mallory' });
    expect(s.token.split('.')[2]).toBe('c2lnbmF0dXJl');
    s.setMode('none');
    expect(s.token.endsWith('.')).toBe(true);
    const key = await ask({ type: 'signing-keys/add', input: { kind: 'secret', value: 'workbench secret' } });
    s.setMode('sign', key.id);
    await waitFor(() => expect(s.token.split('.')[2]).not.toBe(''));
    expect((await verifyToken(s.token, { kind: 'secret', value: 'workbench secret' })).status).toBe('valid');
  });

  it('points at the line of a JSON mistake and keeps the last good token', () => {
    const s = new WorkbenchSession(ORIGINAL, worker());
    s.setPayloadText('{\n  "sub": "a",\n  oops\n}');
    expect(s.payloadError?.line).toBe(3);
    expect(s.token).toBe(ORIGINAL);
  });

  it('claim helpers set exp an hour ahead and remove a claim', () => {
    const s = new WorkbenchSession(ORIGINAL, worker());
    const before = Math.floor(Date.now() / 1000);
    s.setClaim('exp', before + 3600);
    s.setClaim('role', undefined);
    expect(part(s.token, 1)).toEqual({ sub: 'alice', exp: before + 3600 });
  });
});

describe('Workbench view', () => {
  it('applies a preset from its button and labels the token with it', async () => {
    const ask = worker();
    render(<Workbench session={new WorkbenchSession(ORIGINAL, ask)} ask={ask} />);
    expect(screen.getAllByTestId('attack')).toHaveLength(11);
    fireEvent.click(screen.getAllByTestId('attack').find((b) => b.getAttribute('data-attack') === 'psychic-signature')!);
    await waitFor(() => expect(screen.getByTestId('workbench-token').getAttribute('data-label')).toBe('psychic-signature'));
    expect(part(screen.getByTestId('workbench-token').textContent!, 0).alg).toBe('ES256');
  });
});

describe('Workbench in Korean', () => {
  it('words each preset from the catalogue by its id, the references (CVE, RFC) as the core writes them', () => {
    const korean = buildMessages('ko');
    setMessageSource(messageSourceFrom(korean));
    const ask = worker();
    render(<Workbench session={new WorkbenchSession(ORIGINAL, ask)} ask={ask} />);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe(korean.workbench_title!.message);
    for (const id of ATTACK_IDS) {
      const button = screen.getAllByTestId('attack').find((b) => b.getAttribute('data-attack') === id)!;
      const row = button.closest('li')!.textContent!;
      expect(button.textContent).toBe(korean[`workbench_attack_${keyPart(id)}_title`]!.message);
      expect(row).toContain(korean[`workbench_attack_${keyPart(id)}_tests`]!.message);
      expect(row).toContain(korean[`workbench_attack_${keyPart(id)}_vulnerable`]!.message);
      expect(row).toContain(ATTACKS[id].reference);
      // The core's English sentence is not what a Korean reader gets.
      expect(row).not.toContain(ATTACKS[id].tests);
    }
  });
});

describe('Compare', () => {
  it('marks exactly the claims that differ, absent ones included', () => {
    const edited = `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"mallory","role":"user","admin":true}').toString('base64url')}.c2ln`;
    const diff = diffTokens(ORIGINAL, edited)!;
    expect(diff.filter((d) => !d.same).map((d) => d.name)).toEqual(['sub', 'admin']);
    render(<Compare left={ORIGINAL} right={edited} />);
    const differing = screen.getAllByTestId('compare-row').filter((r) => r.getAttribute('data-differs') === 'true');
    expect(differing.map((r) => r.getAttribute('data-claim'))).toEqual(['sub', 'admin']);
  });
});

describe('hostile tokens', () => {
  it('a 10,000-deep payload is refused for editing without throwing', () => {
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const token = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from(deep).toString('base64url')}.c2ln`;
    const s = new WorkbenchSession(token, worker());
    expect(s.tooLarge).toBe(true);
    expect(s.valid).toBe(false);
    expect(s.token).toBe(token);
  });
});
