// A finding's words by its id, in the catalogue's language (src/locales/<lang>/finding.json). The core keeps
// returning ids and its own English (for Node and exports); what a person reads is looked up here.
import type { Severity } from '../core/types';
import { keyPart, t } from './i18n';

export type FindingTextPart = 'title' | 'why' | 'fix';

export function findingText(id: string, part: FindingTextPart): string {
  return t(`finding_${keyPart(id)}_${part}`);
}

export function severityText(severity: Severity | string): string {
  return t(`severity_${keyPart(severity)}`);
}
