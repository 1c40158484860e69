import { describe, expect, it } from 'vitest';
import { BADGE_COLOURS, badgeFor } from '../../../src/background/capture/badge';
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
});
