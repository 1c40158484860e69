import type { Finding } from '../core/types';

export function FindingList({ findings }: { findings: Finding[] }) {
  if (findings.length === 0)
    return (
      <p class="muted" data-testid="no-findings">
        No findings.
      </p>
    );
  return (
    <ul class="findings" data-testid="findings">
      {findings.map((f) => (
        <li class={`finding sev-${f.severity}`} data-finding-id={f.id} data-severity={f.severity} key={f.id}>
          <span class="badge">{f.severity}</span> <strong>{f.title}</strong>
          <p>{f.detail}</p>
          {f.reference && <p class="muted">{f.reference}</p>}
        </li>
      ))}
    </ul>
  );
}
