import { useState } from 'preact/hooks';
import type { Verification } from '../core/types';
import { normalizeTokenInput } from '../core/normalize';
import { ask } from '../ui/worker-client';
import { TextArea } from '../ui/TextArea';
import { keyPart, t } from '../ui/i18n';

/** Checks the stored keys against a token, so a user knows a key works before relying on it. */
export function TestToken() {
  const [token, setToken] = useState('');
  const [result, setResult] = useState<Verification | undefined>();

  async function test(e: Event) {
    e.preventDefault();
    const raw = normalizeTokenInput(token);
    if (!raw) return;
    try {
      setResult(await ask({ type: 'verify', token: raw }));
    } catch (err) {
      setResult({ status: 'error', reason: err instanceof Error ? err.message : String(err) });
    }
  }

  return (
    <section>
      <h2>{t('options_test_title')}</h2>
      <form class="row" onSubmit={test}>
        <TextArea data-testid="test-token" rows={2} placeholder={t('options_test_placeholder')} value={token} onValue={setToken} />
        <button type="submit" data-testid="test-token-run">
          {t('options_test_run')}
        </button>
      </form>
      {result && (
        <p class={`verification status-${result.status}`} data-testid="test-token-result" data-status={result.status}>
          {t(`verification_${keyPart(result.status)}`)}
          {result.key && ` — ${result.key.label ?? result.key.kid ?? t('verification_key_number', result.key.index + 1)}`}
          {result.reason && ` — ${result.reason}`}
        </p>
      )}
    </section>
  );
}
