// The toolbar badge of a watched tab: how many of its tokens have findings, coloured by the worst of them.
// Unwatched tabs get no badge at all (tab-capture.ts never sets one there).
import type { Severity } from '../../core/types';
import { severityRank } from '../../core/findings';
// The catalogue's reader only (the i18n chunk, vite.config.ts): the worker must not load the UI's chunk.
import { keyPart, t } from '../../ui/i18n';
import { worstSeverity, type TabToken } from './tab-store';

/** The badge colours, most severe first; info-only findings count but read as neutral grey. */
export const BADGE_COLOURS: Readonly<Record<Severity, string>> = {
  critical: '#8b0000',
  high: '#d93025',
  medium: '#e37400',
  low: '#1a73e8',
  info: '#5f6368',
};

export interface Badge {
  /** "" clears the badge. */
  text: string;
  color: string;
  /** The tooltip: what the number means. */
  title: string;
}

export function badgeFor(tokens: readonly TabToken[]): Badge {
  let count = 0;
  let worst: Severity | undefined;
  for (const t of tokens) {
    const w = worstSeverity(t.findings);
    if (w === undefined) continue;
    count++;
    if (worst === undefined || severityRank(w) < severityRank(worst)) worst = w;
  }
  if (count === 0 || worst === undefined) {
    const title = tokens.length ? t('capture_badge_no_findings', tokens.length) : t('ext_name');
    return { text: '', color: BADGE_COLOURS.info, title };
  }
  return {
    text: count > 99 ? '99+' : String(count),
    color: BADGE_COLOURS[worst],
    title: t('capture_badge_findings', count, t(`severity_${keyPart(worst)}`)),
  };
}
