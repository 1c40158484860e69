// The signing key: a pick from the worker's signing keys (listed masked: a label and an algorithm, never a
// value), a new one pasted (sent to the worker at once and cleared here), or a pair generated on the spot.
import { useEffect, useState } from 'preact/hooks';
import { INLINE_KEY_POLICY, keyInputFromText } from '../../core/key-input';
import type { KeyInput } from '../../core/types';
import type { GeneratedKeyKind, SigningKeySummary } from '../../messages';
import { t } from '../i18n';
import { TextArea } from '../TextArea';
import type { Ask } from './workbench-session';

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function SigningKeyPicker({ ask, value, onPick }: { ask: Ask; value: string | undefined; onPick(id: string | undefined): void }) {
  const [keys, setKeys] = useState<SigningKeySummary[]>([]);
  const [text, setText] = useState('');
  const [keep, setKeep] = useState(false);
  const [error, setError] = useState<string | undefined>();

  const reload = async (pick?: string) => {
    try {
      const list = await ask({ type: 'signing-keys/list' });
      setKeys(list);
      if (pick) onPick(pick);
    } catch (e) {
      setError(errorText(e));
    }
  };
  useEffect(() => void reload(), []);

  async function add() {
    const typed = keyInputFromText(text, INLINE_KEY_POLICY);
    if (!typed || typed.kind === 'jwks-url' || typed.kind === 'issuer') return;
    const input = typed as KeyInput;
    setError(undefined);
    try {
      const added = await ask({ type: 'signing-keys/add', input, keep });
      // The key now lives in the worker only.
      setText('');
      await reload(added.id);
    } catch (e) {
      setError(errorText(e));
    }
  }

  async function generate(keyType: GeneratedKeyKind) {
    setError(undefined);
    try {
      const made = await ask({ type: 'signing-keys/generate', keyType, keep });
      await reload(made.id);
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <div class="wb-signing">
      <select
        data-testid="sign-key"
        aria-label={t('workbench_key_label')}
        value={value ?? ''}
        onChange={(e) => onPick((e.target as HTMLSelectElement).value || undefined)}
      >
        <option value="">{t('workbench_key_none')}</option>
        {keys.map((k) => (
          <option key={k.id} value={k.id}>
            {`${k.label} · ${k.alg} · •••••• · ${k.kept ? t('workbench_key_kept') : t('workbench_key_session')}`}
          </option>
        ))}
      </select>
      <details>
        <summary class="small">{t('workbench_key_add_or_generate')}</summary>
        <TextArea data-testid="sign-key-value" rows={3} placeholder={t('workbench_key_placeholder')} value={text} onValue={setText} />
        <div class="row small">
          <button type="button" data-testid="sign-key-add" onClick={() => void add()} disabled={!text.trim()}>
            {t('workbench_key_add')}
          </button>
          {(['RSA', 'P-256', 'Ed25519'] as const).map((kind) => (
            <button type="button" key={kind} data-testid={`sign-key-generate-${kind}`} onClick={() => void generate(kind)}>
              {t('workbench_key_generate', kind)}
            </button>
          ))}
          <label>
            <input type="checkbox" checked={keep} onChange={(e) => setKeep((e.target as HTMLInputElement).checked)} />{' '}
            {t('workbench_key_keep')}
          </label>
        </div>
        <p class="muted small">{t('workbench_key_note')}</p>
      </details>
      {error && <p class="error small">{error}</p>}
    </div>
  );
}
