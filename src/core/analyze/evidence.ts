import { finding } from '../findings';
import type { Finding, FindingId } from '../types';

/** A finding names a few pieces of evidence, not thousands. */
const MAX_EVIDENCE_SHOWN = 5;

/** Collects evidence per finding id: one finding per id, naming a few pieces of evidence. */
export class Evidence {
  private readonly byId = new Map<FindingId, { lead?: string; items: Set<string> }>();

  add(id: FindingId, item: string, lead?: string): void {
    let entry = this.byId.get(id);
    if (!entry) {
      entry = { items: new Set() };
      if (lead !== undefined) entry.lead = lead;
      this.byId.set(id, entry);
    }
    entry.items.add(item);
  }

  build(): Finding[] {
    const out: Finding[] = [];
    for (const [id, { lead, items }] of this.byId) {
      const shown = [...items].slice(0, MAX_EVIDENCE_SHOWN);
      const more = items.size > shown.length ? ` and ${items.size - shown.length} more` : '';
      const text = lead ? `${lead}: ${shown.join('; ')}${more}.` : `${shown.join(' ')}${more}`;
      out.push(finding(id, text));
    }
    return out;
  }
}
