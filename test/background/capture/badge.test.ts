import { afterEach, describe, expect, it } from 'vitest';
import { BADGE_COLOURS, badgeFor } from '../../../src/background/capture/badge';
import { buildMessages } from '../../../src/locales/catalogue';
import { messageSourceFrom, setMessageSource } from '../../../src/ui/i18n';
import type { TabToken } from '../../../src/messages';
import type { Severity } from '../../../src/core/types';

const token = (n: number, ...severities: Severity[]): TabToken => ({
  token: `t${n}`,
  role: 'access',
  findings: severities.map((severity) => ({ id: 'expired', severity, title: '', detail: '' })),
  wheres: ['authorization-header'],
  sightings: 1,
  firstSeen: 0,
  lastSeen: 0,
});

describe('the badge of a watched tab', () => {
  it('counts the tokens with findings, coloured by the worst of them', () => {
    expect(badgeFor([token(1, 'low'), token(2), token(3, 'medium', 'info')])).toMatchObject({ text: '2', color: BADGE_COLOURS.medium });
    expect(badgeFor([token(1, 'low'), token(2, 'critical')])).toMatchObject({ text: '2', color: BADGE_COLOURS.critical });
    expect(badgeFor([token(1, 'info')])).toMatchObject({ text: '1', color: BADGE_COLOURS.info });
  });

  it('is empty when no token has a finding, and says 99+ past 99', () => {
    expect(badgeFor([]).text).toBe('');
    expect(badgeFor([token(1), token(2)]).text).toBe('');
    expect(badgeFor(Array.from({ length: 120 }, (_, i) => token(i, 'high')))).toMatchObject({ text: '99+', color: BADGE_COLOURS.high });
  });

  it('gives each severity its own colour', () => {
    expect(new Set(Object.values(BADGE_COLOURS)).size).toBe(5);
  });

  describe("its tooltip, in the catalogue's language (the worker reads it as the pages do)", () => {
    afterEach(() => setMessageSource(undefined));
    const useLanguage = (lang: string) => setMessageSource(messageSourceFrom(buildMessages(lang)));

    it('says how many tokens have findings and names the worst severity', () => {
      useLanguage('en');
      expect(badgeFor([token(1, 'low'), token(2, 'high')]).title).toBe(
        'JWT Inspector — 2 token(s) with findings on this tab (worst: high)',
      );
      useLanguage('ko');
      expect(badgeFor([token(1, 'low'), token(2, 'high')]).title).toBe(
        'JWT Inspector — 이 탭에서 문제가 있는 토큰 2개 (가장 심각한 수준: 높음)',
      );
    });

    it('says how many were seen when none has a finding, and only the name when none was seen', () => {
      useLanguage('en');
      expect(badgeFor([token(1), token(2), token(3)]).title).toBe('JWT Inspector — 3 token(s) seen here, none with findings');
      expect(badgeFor([]).title).toBe('JWT Inspector');
      useLanguage('ko');
      expect(badgeFor([token(1)]).title).toBe('JWT Inspector — 이 탭에서 토큰 1개 발견, 문제 없음');
    });
  });
});
