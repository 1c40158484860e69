// A JWE in the workbench: decrypted by the worker with a key of the signing list (a secret, a PBES2
// password, a private PEM or JWK), its plaintext shown as text and a nested JWT decoded like any other.
import { useState } from 'preact/hooks';
import { decodeToken } from '../../core/decode';
import type { DecryptedJwe } from '../../messages';
import { t } from '../i18n';
import { VisibleText } from '../VisibleText';
import { SigningKeyPicker } from './SigningKeyPicker';
import type { Ask } from './workbench-session';

const MAX_SHOWN = 20_000;

export function JweDecrypt({ token, ask }: { token: string; ask: Ask }) {
  const [keyId, setKeyId] = useState<string | undefined>();
  const [result, setResult] = useState<DecryptedJwe | undefined>();
  const [error, setError] = useState<string | undefined>();
  const nested = result?.nested ? decodeToken(result.nested) : undefined;

  async function decrypt() {
    if (!keyId) return;
    setError(undefined);
    try {
      setResult(await ask({ type: 'workbench/decrypt', token, keyId }));
    } catch (e) {
      setResult(undefined);
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <div class="wb-jwe">
      <p class="small">{t('workbench_jwe_intro')}</p>
      <SigningKeyPicker ask={ask} value={keyId} onPick={setKeyId} />
      <button type="button" data-testid="jwe-decrypt" disabled={!keyId} onClick={() => void decrypt()}>
        {t('workbench_jwe_decrypt')}
      </button>
      {error && (
        <p class="error small" data-testid="jwe-error">
          <VisibleText text={error} limit={500} />
        </p>
      )}
      {result && (
        <>
          <h3>{result.truncated ? t('workbench_jwe_plaintext_cut') : t('workbench_jwe_plaintext')}</h3>
          <pre class="wb-plaintext" data-testid="jwe-plaintext">
            {result.plaintext.slice(0, MAX_SHOWN)}
          </pre>
          {result.nested && nested?.ok && (
            <div data-testid="jwe-nested" data-token={result.nested}>
              <h3>{t('workbench_jwe_nested', String((nested.header as Record<string, unknown>).alg))}</h3>
              <pre data-testid="decoded-header">{JSON.stringify(nested.header, null, 2)}</pre>
              {nested.kind !== 'jwe' && <pre data-testid="decoded-payload">{JSON.stringify(nested.payload, null, 2)}</pre>}
            </div>
          )}
        </>
      )}
    </div>
  );
}
