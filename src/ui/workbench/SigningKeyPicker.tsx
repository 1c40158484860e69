// The signing key: a pick from the worker's signing keys (listed masked: a label and an algorithm, never a
// value), a new one pasted (sent to the worker at once and cleared here), or a pair generated on the spot.
import { useEffect, useState } from 'preact/hooks';
import { INLINE_KEY_POLICY, keyInputFromText } from '../../core/key-input';
import type { KeyInput } from '../../core/types';
import type { GeneratedKeyKind, SigningKeySummary } from '../../messages';
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
      <select data-testid="sign-key" value={value ?? ''} onChange={(e) => onPick((e.target as HTMLSelectElement).value || undefined)}>
        <option value="">— signing key —</option>
        {keys.map((k) => (
          <option key={k.id} value={k.id}>
            {`${k.label} · ${k.alg} · •••••• · ${k.kept ? 'kept' : 'this session'}`}
          </option>
        ))}
      </select>
      <details>
        <summary class="small">Add or generate a signing key</summary>
        <TextArea
          data-testid="sign-key-value"
          rows={3}
          placeholder="HMAC secret, or a private key (PEM PKCS#8 / PKCS#1 / SEC1, or JWK)"
          value={text}
          onValue={setText}
        />
        <div class="row small">
          <button type="button" data-testid="sign-key-add" onClick={() => void add()} disabled={!text.trim()}>
            Add signing key
          </button>
          {(['RSA', 'P-256', 'Ed25519'] as const).map((t) => (
            <button type="button" key={t} data-testid={`sign-key-generate-${t}`} onClick={() => void generate(t)}>
              Generate {t}
            </button>
          ))}
          <label>
            <input type="checkbox" checked={keep} onChange={(e) => setKeep((e.target as HTMLInputElement).checked)} /> keep after the
            browser closes
          </label>
        </div>
        <p class="muted small">
          Signing keys stay in the extension's worker, apart from verification keys, and are never shown again or exported.
        </p>
      </details>
      {error && <p class="error small">{error}</p>}
    </div>
  );
}
