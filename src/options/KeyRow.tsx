import { useState } from 'preact/hooks';
import type { JwksStatus, StoredKey } from '../messages';
import { FindingList } from '../ui/FindingList';
import { keyPart, t } from '../ui/i18n';
import { localDateTimeText } from '../ui/local-time-text';

interface Props {
  storedKey: StoredKey;
  status: JwksStatus | undefined;
  onRefresh(): void;
  onDelete(): void;
  onUpdate(key: StoredKey): void;
  /** Reads the key's value from the worker (keys/reveal): lists carry secrets redacted. */
  onReveal(): Promise<string>;
}

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
        <span class="badge">{t(`key_kind_${keyPart(k.input.kind)}`)}</span>
        {k.issuer && <span class="muted">{t('options_for_issuer', k.issuer)}</span>}
        <span class="spacer" />
        {remote && (
          <button type="button" data-testid="key-refresh" onClick={onRefresh}>
            {t('options_refresh')}
          </button>
        )}
        <button type="button" aria-expanded={editing} onClick={() => setEditing(!editing)}>
          {editing ? t('common_cancel') : t('options_edit')}
        </button>
        <button type="button" data-testid="key-delete" onClick={onDelete}>
          {t('options_delete')}
        </button>
      </div>
      <div class="key-value">
        {k.redacted && revealed === undefined ? (
          <button
            type="button"
            class="masked"
            data-testid="key-reveal"
            onClick={() => void onReveal().then(setRevealed, (e: unknown) => setRevealed(t('options_reveal_failed', String(e))))}
            title={t('options_show_secret')}
          >
            {'•'.repeat(16)}
          </button>
        ) : (
          <code>{value.length > 300 ? `${value.slice(0, 300)}…` : value}</code>
        )}
      </div>
      {k.input.kind === 'issuer' && status?.url && (
        <p class="muted" data-testid="discovered-jwks-url">
          {t('options_discovered')} <code>{status.url}</code>
        </p>
      )}
      {remote && status && (
        <div class="jwks-status" data-testid="jwks-status">
          {status.error && (
            <p class="error" data-testid="jwks-error">
              {status.error}
            </p>
          )}
          {status.fetchedAt && <p class="muted">{t('options_fetched', status.url ?? '', localDateTimeText(status.fetchedAt))}</p>}
          {status.findings?.length ? <FindingList findings={status.findings} /> : null}
          <table>
            <tbody>
              {status.keys.map((key, i) => (
                <tr key={i} data-testid="jwks-key">
                  <td>{key.kid ?? t('options_no_kid')}</td>
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
          onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}
          onSubmit={(e) => {
            e.preventDefault();
            const { issuer: _old, ...rest } = k;
            onUpdate({ ...rest, label: label.trim() || k.label, ...(issuer.trim() ? { issuer: issuer.trim() } : {}) });
            setEditing(false);
          }}
        >
          <label>
            {t('options_label')} <input value={label} onInput={(e) => setLabel((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            {t('options_only_for_issuer')} <input value={issuer} onInput={(e) => setIssuer((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit">{t('options_save')}</button>
        </form>
      )}
    </li>
  );
}
