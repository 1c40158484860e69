import { useEffect, useState } from 'preact/hooks';
import { INLINE_KEY_POLICY, keyInputFromText } from '../core/key-input';
import type { KeyInput, Verification } from '../core/types';
import type { VerifyFn } from './Decoder';
import { TextArea } from './TextArea';
import { VerificationBadge } from './VerificationBadge';
import { t } from './i18n';

/**
 * How long typing must pause before the inline key goes to the worker. Every key the worker sees is imported
 * and kept in its import cache until keys are forgotten: one import per pause, not one per keystroke.
 */
export const INLINE_KEY_PAUSE_MS = 400;

/** The verdict through the worker's stored keys, or an inline secret / key the user types here. */
export function VerificationView({ token, verify }: { token: string; verify: VerifyFn }) {
  const [keyText, setKeyText] = useState('');
  // The key text last handed to the worker: set after a pause in typing, or at once by Verify.
  const [committedKey, setCommittedKey] = useState('');
  const [result, setResult] = useState<Verification | undefined>();

  useEffect(() => {
    if (keyText === committedKey) return undefined;
    const timer = setTimeout(() => setCommittedKey(keyText), INLINE_KEY_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [keyText, committedKey]);

  useEffect(() => {
    let current = true;
    // A verdict belongs to one token and key: never show the last one while the next is checked.
    setResult(undefined);
    // INLINE_KEY_POLICY never yields a URL entry: an inline key is a key, never something to fetch.
    const inline = keyInputFromText(committedKey, INLINE_KEY_POLICY) as KeyInput | undefined;
    verify(token, inline).then(
      (v) => current && setResult(v),
      (e: unknown) => current && setResult({ status: 'error', reason: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      current = false;
    };
  }, [token, committedKey, verify]);

  return (
    <section>
      <h2>{t('common_signature')}</h2>
      <VerificationBadge result={keyText === committedKey ? result : undefined} />
      <label class="field">
        <span>{t('common_inline_key')}</span>
        <TextArea data-testid="inline-key" rows={2} placeholder={t('common_inline_key_placeholder')} value={keyText} onValue={setKeyText} />
      </label>
      {keyText.trim() !== '' && (
        <button type="button" data-testid="inline-key-verify" onClick={() => setCommittedKey(keyText)}>
          {t('common_verify')}
        </button>
      )}
    </section>
  );
}
