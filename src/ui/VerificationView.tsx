import { useEffect, useState } from 'preact/hooks';
import { detectKeyKind } from '../core/key-kind';
import type { KeyInput, Verification } from '../core/types';
import type { VerifyFn } from './Decoder';
import { TextArea } from './TextArea';
import { VerificationBadge } from './VerificationBadge';

/** The verdict through the worker's stored keys, or an inline secret / key the user types here. */
export function VerificationView({ token, verify }: { token: string; verify: VerifyFn }) {
  const [keyText, setKeyText] = useState('');
  const [result, setResult] = useState<Verification | undefined>();

  useEffect(() => {
    let current = true;
    // A verdict belongs to one token and key: never show the last one while the next is checked.
    setResult(undefined);
    const trimmed = keyText.trim();
    const inline: KeyInput | undefined = trimmed ? guessKeyInput(trimmed) : undefined;
    verify(token, inline).then(
      (v) => current && setResult(v),
      (e: unknown) => current && setResult({ status: 'error', reason: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      current = false;
    };
  }, [token, keyText, verify]);

  return (
    <section>
      <h2>Signature</h2>
      <VerificationBadge result={result} />
      <label class="field">
        <span>Secret or public key (optional; stays in this page)</span>
        <TextArea data-testid="inline-key" rows={2} placeholder="HMAC secret, PEM, JWK or JWKS" value={keyText} onValue={setKeyText} />
      </label>
    </section>
  );
}

// Typed secrets are taken as text: guessing hex or base64 for an inline secret surprises more than it helps.
function guessKeyInput(text: string): KeyInput {
  const { kind } = detectKeyKind(text);
  if (kind === 'pem' || kind === 'jwk' || kind === 'jwks') return { kind, value: text };
  return { kind: 'secret', value: text, encoding: 'utf8' };
}
