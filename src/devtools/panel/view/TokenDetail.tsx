import { useState } from 'preact/hooks';
import type { TokenRecord } from '../../model/token-store';
import { JsonView, jsonText } from '../../../ui/JsonView';
import { FindingList } from '../../../ui/FindingList';
import { CopyButton } from '../../../ui/CopyButton';
import { SightingList } from './SightingList';
import { AddKeyForm } from './AddKeyForm';

const STATUS_TEXT: Record<string, string> = {
  valid: 'Signature verified',
  invalid: 'Signature invalid',
  'no-matching-key': 'Unverified — add a key',
  unsupported: 'Cannot verify',
  error: 'Verification failed',
  pending: 'Checking…',
};

interface Props {
  record: TokenRecord;
  nowSeconds: number;
  onKeyAdded(): void;
}

export function TokenDetail({ record, nowSeconds, onKeyAdded }: Props) {
  const d = record.decoded;
  const v = record.verification;
  const status = v?.status ?? 'pending';
  const [showKeyForm, setShowKeyForm] = useState(false);
  const [secretShown, setSecretShown] = useState(false);

  if (!d.ok) return <p class="error">{d.error.message}</p>;
  const headerText = jsonText(d.header);
  const payloadText = typeof d.payload === 'string' ? d.payload : jsonText(d.payload);

  return (
    <div class="token-detail" data-testid="token-detail">
      <div class="row">
        <span class={`role role-${record.role}`}>{record.role} token</span>
        <span class="spacer" />
        <CopyButton text={record.token} label="Copy token" testId="copy-token" />
        <CopyButton text={headerText} label="Copy header" />
        {payloadText !== undefined && <CopyButton text={payloadText} label="Copy payload" />}
      </div>
      <p class="parts">
        {d.parts.map((p, i) => (
          <span class={`part part-${i}`} key={i}>
            {p.length > 120 ? `${p.slice(0, 120)}…` : p}
            {i < d.parts.length - 1 && '.'}
          </span>
        ))}
      </p>

      <section>
        <h2>Signature</h2>
        <p class={`verification status-${status}`} data-testid="verification" data-status={status}>
          {STATUS_TEXT[status]}
          {v?.alg && ` (${v.alg})`}
          {v?.key && ` with ${v.key.label ?? v.key.kid ?? v.key.thumbprint ?? `key #${v.key.index + 1}`}`}
          {v?.key?.kid && v.key.label && ` / kid ${v.key.kid}`}
          {v?.reason && <span class="reason">{` — ${v.reason}`}</span>}
        </p>
        {record.weakSecret !== undefined && (
          <p class="error" data-testid="weak-secret">
            Signed with a guessable secret:{' '}
            <button class="masked" onClick={() => setSecretShown(!secretShown)} title="Show or hide the secret">
              {secretShown ? JSON.stringify(record.weakSecret) : '•••••••• (click to show)'}
            </button>
          </p>
        )}
        {status !== 'valid' && (
          <button data-testid="add-key" onClick={() => setShowKeyForm(!showKeyForm)}>
            {showKeyForm ? 'Cancel' : 'Add a key'}
          </button>
        )}
        {showKeyForm && (
          <AddKeyForm
            issuer={d.payloadIsJson ? ((d.payload as Record<string, unknown>).iss as string | undefined) : undefined}
            onAdded={() => {
              setShowKeyForm(false);
              onKeyAdded();
            }}
          />
        )}
      </section>

      <section>
        <h2>Findings ({record.findings.length})</h2>
        <FindingList findings={record.findings} />
      </section>

      <section>
        <h2>Header</h2>
        <JsonView value={d.header} catalogue="header" testId="decoded-header" />
      </section>
      <section>
        <h2>Payload</h2>
        {d.kind === 'jwe' ? (
          <p class="muted" data-testid="decoded-payload">
            Encrypted (JWE): only the recipient can read the claims.
          </p>
        ) : (
          <JsonView value={d.payload} catalogue="claims" now={nowSeconds} testId="decoded-payload" />
        )}
      </section>

      <section>
        <h2>Seen {record.sightings.length} time(s)</h2>
        <SightingList sightings={record.sightings} />
      </section>
    </div>
  );
}
