import { useState } from 'preact/hooks';
import type { JwksStatus, StoredKey } from '../messages';
import { FindingList } from '../ui/FindingList';

interface Props {
  storedKey: StoredKey;
  status: JwksStatus | undefined;
  onRefresh(): void;
  onDelete(): void;
  onUpdate(key: StoredKey): void;
  /** Reads the key's value from the worker (keys/reveal): lists carry secrets redacted. */
  onReveal(): Promise<string>;
}

const KIND_TEXT: Record<StoredKey['input']['kind'], string> = {
  secret: 'HMAC secret',
  pem: 'PEM',
  jwk: 'JWK',
  jwks: 'JWKS',
  'jwks-url': 'JWKS URL',
  issuer: 'Issuer',
};

export function KeyRow({ storedKey: k, status, onRefresh, onDelete, onUpdate, onReveal }: Props) {
  const [revealed, setRevealed] = useState<string | undefined>();
  const [editing, setEditing] = useState(false);
  const [label, setLabel] = useState(k.label);
  const [issuer, setIssuer] = useState(k.issuer ?? '');
  const remote = k.input.kind === 'jwks-url' || k.input.kind === 'issuer';
  const value = revealed ?? k.input.value;

  return (
    <li class="key-row" data-testid="key-row" data-key-kind={k.input.kind}>
      <div class="row">
        <strong data-testid="key-row-label">{k.label}</strong>
        <span class="badge">{KIND_TEXT[k.input.kind]}</span>
        {k.issuer && <span class="muted">for {k.issuer}</span>}
        <span class="spacer" />
        {remote && (
          <button type="button" data-testid="key-refresh" onClick={onRefresh}>
            Refresh
          </button>
        )}
        <button type="button" onClick={() => setEditing(!editing)}>
          {editing ? 'Cancel' : 'Edit'}
        </button>
        <button type="button" data-testid="key-delete" onClick={onDelete}>
          Delete
        </button>
      </div>
      <div class="key-value">
        {k.redacted && revealed === undefined ? (
          <button
            type="button"
            class="masked"
            data-testid="key-reveal"
            onClick={() => void onReveal().then(setRevealed, (e: unknown) => setRevealed(`(could not read it: ${String(e)})`))}
            title="Show the secret"
          >
            {'•'.repeat(16)}
          </button>
        ) : (
          <code>{value.length > 300 ? `${value.slice(0, 300)}…` : value}</code>
        )}
      </div>
      {k.input.kind === 'issuer' && status?.url && (
        <p class="muted" data-testid="discovered-jwks-url">
          JWKS found by discovery: <code>{status.url}</code>
        </p>
      )}
      {remote && status && (
        <div class="jwks-status" data-testid="jwks-status">
          {status.error && (
            <p class="error" data-testid="jwks-error">
              {status.error}
            </p>
          )}
          {status.fetchedAt && (
            <p class="muted">
              {status.url} — fetched {new Date(status.fetchedAt).toLocaleString()}
            </p>
          )}
          {status.findings?.length ? <FindingList findings={status.findings} /> : null}
          <table>
            <tbody>
              {status.keys.map((key, i) => (
                <tr key={i} data-testid="jwks-key">
                  <td>{key.kid ?? '(no kid)'}</td>
                  <td>{key.kty}</td>
                  <td>{key.alg ?? ''}</td>
                  <td>
                    <code>{key.thumbprint}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && (
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            const { issuer: _old, ...rest } = k;
            onUpdate({ ...rest, label: label.trim() || k.label, ...(issuer.trim() ? { issuer: issuer.trim() } : {}) });
            setEditing(false);
          }}
        >
          <label>
            Label <input value={label} onInput={(e) => setLabel((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            Only for issuer <input value={issuer} onInput={(e) => setIssuer((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit">Save</button>
        </form>
      )}
    </li>
  );
}
