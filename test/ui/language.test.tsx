// The same components in English and in Korean: the catalogue in use decides every word (src/ui/i18n.ts).
// Outside a browser the catalogues are read from src/locales through the browser's substitution rules.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { UnsecuredJWT } from 'jose';
import { Decoder } from '../../src/ui/Decoder';
import { buildMessages } from '../../src/locales/catalogue';
import { messageSourceFrom, setMessageSource, t } from '../../src/ui/i18n';
import { relativeDeltaText } from '../../src/ui/time-text';

afterEach(cleanup);

const useLanguage = (lang: string) => setMessageSource(messageSourceFrom(buildMessages(lang)));

async function decode(token: string) {
  render(<Decoder />);
  fireEvent.input(screen.getByTestId('token-input'), { target: { value: token } });
  await screen.findByTestId('decoded-payload');
}

const token = () =>
  new UnsecuredJWT({ sub: 'mallory', password: 'hunter2' })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + 300)
    .encode();

describe('switching the language', () => {
  it('renders the decoder in English, then in Korean', async () => {
    await decode(token());
    expect(document.querySelector('[data-finding-id=alg-none] strong')?.textContent).toBe('Unsigned token (alg "none")');
    expect(screen.getByTestId('decoded-payload').textContent).toContain('Subject: whom the token is about');
    expect(screen.getByTestId('decoded-payload').textContent).toMatch(/\(in [45] min\)/);
    cleanup();

    useLanguage('ko');
    await decode(token());
    expect(document.querySelector('[data-finding-id=alg-none] strong')?.textContent).toBe('서명 없는 토큰 (alg "none")');
    expect(document.querySelector('[data-finding-id=alg-none] .badge')?.textContent).toBe('치명');
    const payload = screen.getByTestId('decoded-payload').textContent!;
    expect(payload).toContain('주체(Subject)');
    expect(payload).toMatch(/\([45]분 후\)/);
    expect(screen.getByText('진단 결과')).toBeTruthy();
  });

  it('says why a string is not a token in the language in use, naming the part', async () => {
    useLanguage('ko');
    render(<Decoder />);
    fireEvent.input(screen.getByTestId('token-input'), { target: { value: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0+.sig' } });
    const error = await screen.findByTestId('decode-error');
    expect(error.getAttribute('data-code')).toBe('invalid-base64url');
    expect(error.textContent).toBe('페이로드(파트 2)이(가) 올바른 base64url이 아닙니다.');
  });

  it('words relative times without plurals in both languages', () => {
    expect([relativeDeltaText(300), relativeDeltaText(-7200), relativeDeltaText(3 * 86400), relativeDeltaText(2)]).toEqual([
      'in 5 min',
      '2 h ago',
      'in 3 d',
      'just now',
    ]);
    useLanguage('ko');
    expect([relativeDeltaText(300), relativeDeltaText(-7200), relativeDeltaText(3 * 86400), relativeDeltaText(2)]).toEqual([
      '5분 후',
      '2시간 전',
      '3일 후',
      '방금',
    ]);
  });

  it('names its own language, which pages put in <html lang>', () => {
    expect(t('lang')).toBe('en');
    useLanguage('ko');
    expect(t('lang')).toBe('ko');
  });
});
