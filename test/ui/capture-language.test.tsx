// Background capture's popup section and options list in English and in Korean: every word from the catalogue
// (src/locales/<lang>/capture.json, and the shared role, severity, finding and time words). No extension runtime
// runs here, so the two modules that talk to the browser are stood in for: the popup's tab-capture.ts and the
// options page's worker-client.ts / host-permission.ts. The real browser paths are
// test/e2e/scenarios/background-capture-scenarios.ts (Chromium and Firefox).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import type { TabCaptureView, WatchedSite } from '../../src/messages';
import { buildMessages } from '../../src/locales/catalogue';
import { messageSourceFrom, setMessageSource } from '../../src/ui/i18n';

const fake = vi.hoisted(() => ({
  view: undefined as unknown as TabCaptureView,
  sites: [] as WatchedSite[],
  granted: true,
}));

vi.mock('../../src/popup/tab-capture', () => ({
  activeTab: async () => ({ id: 7, url: 'https://app.example.com/home' }),
  seenOnTab: async () => fake.view,
  watchSite: async () => fake.granted,
}));
vi.mock('../../src/ui/worker-client', () => ({
  ask: async (request: { type: string; site?: string }) => {
    if (request.type === 'capture/watch' && request.site) fake.sites = [...fake.sites, { site: request.site, granted: true }];
    if (request.type === 'capture/unwatch') fake.sites = fake.sites.filter((s) => s.site !== request.site);
    return fake.sites;
  },
}));
vi.mock('../../src/options/host-permission', () => ({
  requestOriginAccess: async () => fake.granted,
  requestAllSitesAccess: async () => fake.granted,
}));

const { TabTokens } = await import('../../src/popup/TabTokens');
const { WatchedSitesView } = await import('../../src/options/WatchedSitesView');

afterEach(cleanup);

const useLanguage = (lang: string) => setMessageSource(messageSourceFrom(buildMessages(lang)));
const now = () => Math.floor(Date.now() / 1000);

function watchedTab(): TabCaptureView {
  return {
    site: 'https://app.example.com',
    watched: true,
    dropped: 1200,
    tokens: [
      {
        token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.',
        role: 'access',
        issuer: 'https://id.example.com',
        expiresAt: now() + 300,
        findings: [{ id: 'alg-none', severity: 'critical', title: 'core English', detail: 'core English' }],
        wheres: ['authorization-header'],
        sightings: 2,
        firstSeen: 0,
        lastSeen: 0,
      },
      {
        token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiIn0.c2ln',
        role: 'refresh',
        findings: [],
        wheres: ['cookie'],
        sightings: 1,
        firstSeen: 0,
        lastSeen: 0,
      },
    ],
  };
}

async function rows(): Promise<string[]> {
  await waitFor(() => expect(screen.getAllByTestId('tab-token')).toHaveLength(2));
  return screen.getAllByTestId('tab-token').map((el) => el.textContent ?? '');
}

describe('Seen on this tab', () => {
  it('words roles, issuer, expiry and findings in English', async () => {
    fake.view = watchedTab();
    render(<TabTokens onPick={() => {}} />);
    const [access, refresh] = await rows();
    expect(access).toMatch(/^access token from https:\/\/id\.example\.com · expires in [45] min …/);
    expect(access).toContain('critical Unsigned token (alg "none")');
    expect(refresh).toMatch(/^refresh token · no expiry …\S+ · no findings$/);
    expect(screen.getByText('Seen on this tab')).toBeTruthy();
    expect(screen.getByText('1,200 older sightings were dropped (1,000 are kept per tab).')).toBeTruthy();
    const chip = document.querySelector('[data-finding-id=alg-none]')!;
    expect(chip.getAttribute('title')).toMatch(/^Anyone can write a token with alg "none".* Reject "none"/);
  });

  it("words them in Korean, the finding by its id rather than the core's English", async () => {
    useLanguage('ko');
    fake.view = watchedTab();
    render(<TabTokens onPick={() => {}} />);
    const [access, refresh] = await rows();
    expect(access).toMatch(/^액세스 토큰 발급자 https:\/\/id\.example\.com · 만료 [45]분 후 …/);
    expect(access).toContain('치명 서명 없는 토큰 (alg "none")');
    expect(access).not.toContain('core English');
    expect(refresh).toMatch(/^리프레시 토큰 · 만료 없음 …\S+ · 문제 없음$/);
    expect(screen.getByRole('heading').textContent).toBe('이 탭에서 발견된 토큰');
    expect(screen.getByText('오래된 발견 기록 1,200건을 삭제했습니다(탭당 1,000건까지 보관).')).toBeTruthy();
  });

  it('offers to watch a site that is not watched, and says what happened, in Korean', async () => {
    useLanguage('ko');
    fake.view = { site: 'https://app.example.com', watched: false, dropped: 0, tokens: [] };
    render(<TabTokens onPick={() => {}} />);
    const button = await screen.findByTestId('watch-site');
    expect(button.textContent).toBe('이 사이트 감시');
    expect(button.getAttribute('title')).toBe('DevTools가 닫혀 있어도 https://app.example.com의 토큰을 수집합니다');
    expect(screen.getByTestId('tab-tokens-empty').textContent).toBe(
      '감시하지 않는 사이트입니다. 토큰은 감시 중인 사이트에서만 수집됩니다.',
    );
    fake.granted = false;
    fireEvent.click(button);
    expect(await screen.findByText('호스트 접근 권한이 허용되지 않았습니다.')).toBeTruthy();
    fake.granted = true;
  });
});

describe('the watched sites on the options page', () => {
  it('lists them and answers Watch and Stop watching in Korean', async () => {
    useLanguage('ko');
    fake.sites = [{ site: '*', granted: false }];
    render(<WatchedSitesView />);
    const row = await screen.findByTestId('watched-site');
    expect(row.textContent).toBe('모든 사이트 · 호스트 접근 권한 없음: 아무것도 수집되지 않습니다 감시 중지');
    expect(screen.getByRole('heading').textContent).toBe('백그라운드 수집');

    // Submitted as Enter would (a click on Watch stops at the url input's own check first).
    fireEvent.input(screen.getByTestId('watch-site-url'), { target: { value: 'not a url' } });
    fireEvent.submit(screen.getByTestId('watch-site-url').closest('form')!);
    expect(await screen.findByText('https://app.example.com 같은 사이트 주소를 입력하세요.')).toBeTruthy();

    fireEvent.input(screen.getByTestId('watch-site-url'), { target: { value: 'https://app.example.com/login' } });
    fireEvent.click(screen.getByTestId('watch-site-add'));
    expect(await screen.findByText('https://app.example.com을(를) 감시합니다.')).toBeTruthy();

    fireEvent.click(screen.getAllByTestId('unwatch-site')[0]!);
    expect(await screen.findByText('모든 사이트: 더 이상 감시하지 않으며, 보관된 내용은 삭제했습니다.')).toBeTruthy();
  });

  it('says in English that nothing is watched', async () => {
    fake.sites = [];
    render(<WatchedSitesView />);
    expect(await screen.findByText('No site is watched.')).toBeTruthy();
    expect(screen.getByTestId('watch-all-sites').textContent).toBe('Watch every site');
  });
});
