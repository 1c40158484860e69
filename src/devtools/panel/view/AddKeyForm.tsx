import { useState } from 'preact/hooks';
import { detectKeyKind } from '../../../core/key-kind';
import { keyInputFromText, PANEL_KEY_POLICY } from '../../../core/key-input';
import { ask } from '../../../ui/worker-client';
import { TextArea } from '../../../ui/TextArea';
import { t } from '../../../ui/i18n';

/** "Add a key" from a token's detail: the key goes to the worker's store, never stays in the panel. */
export function AddKeyForm({ issuer, onAdded, onCancel }: { issuer: string | undefined; onAdded(): void; onCancel?(): void }) {
  const [value, setValue] = useState('');
  const [bind, setBind] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const detected = value.trim() ? detectKeyKind(value.trim()) : undefined;

  async function submit(e: Event) {
    e.preventDefault();
    const input = keyInputFromText(value, PANEL_KEY_POLICY);
    if (!input) return;
    try {
      await ask({
        type: 'keys/add',
        key: { label: issuer ? t('panel_key_label_for', issuer) : t('panel_key_label'), input, ...(bind && issuer ? { issuer } : {}) },
      });
      setValue('');
      onAdded();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    // Escape closes the form, as it closes what a keyboard opened anywhere in the extension.
    <form class="add-key" onSubmit={submit} data-testid="add-key-form" onKeyDown={(e) => e.key === 'Escape' && onCancel?.()}>
      <TextArea data-testid="add-key-value" rows={3} placeholder={t('panel_add_key_placeholder')} value={value} onValue={setValue} />
      {detected && <p class="muted small">{t('common_looks_like', detected.description)}</p>}
      {issuer && (
        <label class="small">
          <input type="checkbox" checked={bind} onChange={(e) => setBind((e.target as HTMLInputElement).checked)} />{' '}
          {t('panel_bind_issuer', issuer)}
        </label>
      )}
      <button type="submit" data-testid="add-key-submit">
        {t('panel_save_key')}
      </button>
      {error && <p class="error">{error}</p>}
    </form>
  );
}
