import type { Finding } from '../core/types';
import { findingText, severityText } from './finding-text';
import { t } from './i18n';

export function FindingList({ findings }: { findings: Finding[] }) {
  if (findings.length === 0)
    return (
      <p class="muted" data-testid="no-findings">
        {t('common_no_findings')}
      </p>
    );
  return (
    <ul class="findings" data-testid="findings">
      {findings.map((f) => (
        <li class={`finding sev-${f.severity}`} data-finding-id={f.id} data-severity={f.severity} key={f.id}>
          <span class="badge">{severityText(f.severity)}</span> <strong>{findingText(f.id, 'title')}</strong>
          <p>{findingDetail(f)}</p>
          {f.reference && <p class="muted">{f.reference}</p>}
        </li>
      ))}
    </ul>
  );
}

/**
 * Why and what to do, in the catalogue's language, after the evidence for this token. The evidence (which
 * claim, which cookie, which URL) comes from the core in English; a finding without it, or one from an
 * older capture file, still reads whole.
 */
function findingDetail(f: Finding): string {
  const evidence = (f as { evidence?: unknown }).evidence;
  const advice = t('finding_detail', findingText(f.id, 'why'), findingText(f.id, 'fix'));
  return typeof evidence === 'string' && evidence !== '' ? t('finding_detail_with_evidence', evidence, advice) : advice;
}
