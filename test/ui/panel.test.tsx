import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// webextension-polyfill refuses to load outside an extension. The views talk to the worker only through
// the controller's port here, so an empty extension global is enough to import them.
vi.hoisted(() => {
  const extension = { runtime: { id: 'component-test' } };
  Object.assign(globalThis, { chrome: extension, browser: extension });
});
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { PanelApp } from '../../src/devtools/panel/view/PanelApp';
import { PanelController } from '../../src/devtools/panel/panel-controller';
import type { DevtoolsApi, NetworkRequest } from '../../src/devtools/panel/devtools-api';
import { verifyToken } from '../../src/core/verify';
import { harEntries, TOKENS } from '../devtools/har-fixtures';

// No DevTools runs inside happy-dom: this DevtoolsApi stands in for browser.devtools, serving recorded
// HAR entries and a storage snapshot. The real one is exercised by the Chromium and Firefox panel tests.
function fakeApi(entries: NetworkRequest[], snapshot: unknown): DevtoolsApi & { finish(r: NetworkRequest): void } {
  let onFinished: ((r: NetworkRequest) => void) | undefined;
  return {
    tabId: 1,
    themeName: 'dark',
    onRequestFinished: (l) => (onFinished = l),
    onNavigated: () => {},
    getHAR: async () => entries,
    getContent: async () => undefined,
    eval: async <T,>() => snapshot as T,
    finish: (r) => onFinished?.(r),
  };
}

// The worker is not here, but its verifier is: the port answers with the core's real verifyToken and the
// fixtures' HMAC secret (test/fixtures/har/make-fixtures.mjs), as the worker would with that key stored.
const FIXTURE_SECRET = { kind: 'secret', value: 'har-fixture-secret-not-a-real-key-0123', label: 'auth secret' } as const;

let controller: PanelController;

// happy-dom lays nothing out (every size is 0); the virtual list needs a viewport to put rows in.
Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 400 });

beforeEach(async () => {
  const [first, ...rest] = harEntries('chrome');
  const api = fakeApi([first!], {
    url: 'https://app.example.com/',
    localStorage: [['id_token', TOKENS.id1]],
    sessionStorage: [],
    cookie: '',
  });
  controller = new PanelController(api, { verify: (t) => verifyToken(t, FIXTURE_SECRET) }, { schedule: (run) => run() });
  render(<PanelApp controller={controller} />);
  await controller.start();
  // Requests after the panel opened arrive as events.
  for (const entry of rest) api.finish(entry);
  controller.stop();
});
afterEach(cleanup);

const rowTokens = () => screen.queryAllByTestId('token-row').map((r) => r.getAttribute('data-token'));

describe('the panel view', () => {
  it('lists one row per distinct token, from the HAR on opening, later events and storage', async () => {
    await waitFor(() => expect(rowTokens()).toEqual(expect.arrayContaining([TOKENS.access1, TOKENS.refresh1, TOKENS.id1])));
    expect(new Set(rowTokens()).size).toBe(rowTokens().length);
    expect(screen.getByTestId('panel-ready')).toBeTruthy();
    expect(screen.getByTestId('counts').textContent).toMatch(/\d+ token\(s\)/);
  });

  it('filters by text, claim value and finding id', async () => {
    await waitFor(() => expect(rowTokens().length).toBeGreaterThan(2));
    const all = rowTokens().length;
    const filter = (value: string) => fireEvent.input(screen.getByTestId('filter'), { target: { value } });
    // Part of the raw token: its signature's last characters are in no other token.
    filter(TOKENS.access2.slice(-20));
    await waitFor(() => expect(rowTokens()).toEqual([TOKENS.access2]));
    // A claim value: only the ID token carries this nonce.
    filter('n-0S6_WzA2Mj');
    await waitFor(() => expect(rowTokens()).toEqual([TOKENS.id1]));
    // A finding id: only the ID token was seen in web storage.
    filter('web-storage');
    await waitFor(() => expect(rowTokens()).toEqual([TOKENS.id1]));
    fireEvent.input(screen.getByTestId('filter'), { target: { value: 'no such thing anywhere' } });
    await waitFor(() => expect(rowTokens()).toEqual([]));
    fireEvent.input(screen.getByTestId('filter'), { target: { value: '' } });
    await waitFor(() => expect(rowTokens().length).toBe(all));
  });

  it('opens a token with Enter and the arrow keys, and shows its detail', async () => {
    await waitFor(() => expect(rowTokens().length).toBeGreaterThan(2));
    const list = screen.getByTestId('token-list');
    fireEvent.keyDown(list, { key: 'Enter' });
    await waitFor(() => expect(screen.getByTestId('token-detail')).toBeTruthy());
    const first = document.querySelector('[aria-selected=true][data-testid=token-row]')!.getAttribute('data-token');
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    await waitFor(() =>
      expect(document.querySelector('[aria-selected=true][data-testid=token-row]')!.getAttribute('data-token')).not.toBe(first),
    );
  });

  it('shows the verdict, findings, decoded parts and sightings of the selected token', async () => {
    await waitFor(() => expect(rowTokens()).toContain(TOKENS.access1));
    fireEvent.click(document.querySelector(`[data-token="${TOKENS.access1}"]`)!);
    await waitFor(() => expect(screen.getByTestId('verification').getAttribute('data-status')).toBe('valid'));
    expect(screen.getByTestId('verification').textContent).toContain('auth secret');
    expect(screen.getByTestId('decoded-payload').textContent).toContain('user-42');
    const wheres = screen.getAllByTestId('sighting').map((s) => s.getAttribute('data-where'));
    expect(wheres).toContain('response-body');
    expect(document.querySelectorAll('[data-testid=token-detail] [data-finding-id]').length).toBeGreaterThan(0);
  });

  it('sums up the page posture with evidence', async () => {
    await waitFor(() => expect(rowTokens()).toContain(TOKENS.id1));
    fireEvent.click(screen.getByTestId('tab-posture'));
    expect(screen.getByTestId('posture-readable').textContent).toContain('id_token');
    expect(screen.getByTestId('posture-verdict').textContent).toMatch(/readable by page scripts/);
  });

  it('shows the refresh flow on the timeline and judges it', async () => {
    await waitFor(() => expect(rowTokens()).toContain(TOKENS.refresh1));
    fireEvent.click(document.querySelector(`[data-token="${TOKENS.refresh1}"]`)!);
    // refresh1 was exchanged at T0 + 600 while access1 (valid until T0 + 900) still held: the theft rule.
    await waitFor(() =>
      expect(
        [...document.querySelectorAll('[data-testid=token-detail] [data-finding-id]')].map((e) => e.getAttribute('data-finding-id')),
      ).toContain('refresh-while-access-valid'),
    );
    fireEvent.click(screen.getByTestId('tab-timeline'));
    const kinds = screen.getAllByTestId('timeline-event').map((e) => e.getAttribute('data-kind'));
    expect(kinds).toEqual(expect.arrayContaining(['issued', 'used', 'refreshed']));
  });

  it('moves between the detail tabs with the arrow keys, Home and End, one tab stop', async () => {
    const tab = (name: string) => screen.getByTestId(`tab-${name}`);
    const names = ['details', 'posture', 'timeline', 'flows'];
    const selected = () => names.filter((n) => tab(n).getAttribute('aria-selected') === 'true');
    expect(selected()).toEqual(['details']);
    expect(names.map((n) => tab(n).getAttribute('tabindex'))).toEqual(['0', '-1', '-1', '-1']);
    fireEvent.keyDown(tab('details'), { key: 'ArrowRight' });
    await waitFor(() => expect(selected()).toEqual(['posture']));
    await waitFor(() => expect(document.activeElement).toBe(tab('posture')));
    fireEvent.keyDown(tab('posture'), { key: 'End' });
    await waitFor(() => expect(selected()).toEqual(['flows']));
    fireEvent.keyDown(tab('flows'), { key: 'ArrowRight' });
    await waitFor(() => expect(selected()).toEqual(['details']));
    fireEvent.keyDown(tab('details'), { key: 'ArrowLeft' });
    await waitFor(() => expect(selected()).toEqual(['flows']));
    fireEvent.keyDown(tab('flows'), { key: 'Home' });
    await waitFor(() => expect(selected()).toEqual(['details']));
  });

  it('clears everything', async () => {
    await waitFor(() => expect(rowTokens().length).toBeGreaterThan(0));
    fireEvent.click(screen.getByTestId('clear'));
    await waitFor(() => expect(rowTokens()).toEqual([]));
  });
});
