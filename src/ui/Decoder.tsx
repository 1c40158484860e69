import { useMemo, useState, useEffect } from 'preact/hooks';
import { analyze } from '../core/analyze';
import { decodeToken } from '../core/decode';
import { normalizeTokenInput } from '../core/normalize';
import type { KeyInput, Verification } from '../core/types';
import { FindingList } from './FindingList';
import { VerificationView } from './VerificationView';
import { DecodedTokenView } from './DecodedToken';

export type VerifyFn = (token: string, inlineKey?: KeyInput) => Promise<Verification>;

interface Props {
  initial?: string;
  verify?: VerifyFn;
}

/** The quick decoder shared by the popup and the full-page decoder. */
export function Decoder({ initial = '', verify }: Props) {
  const [text, setText] = useState(initial);
  const token = useMemo(() => normalizeTokenInput(text), [text]);
  const decoded = useMemo(() => (token ? decodeToken(token) : undefined), [token]);
  const findings = useMemo(() => (decoded?.ok ? analyze(decoded) : []), [decoded]);

  useEffect(() => setText(initial), [initial]);

  return (
    <div class="decoder">
      <label class="field">
        <span>Token</span>
        <textarea
          data-testid="token-input"
          rows={5}
          spellcheck={false}
          placeholder="Paste a JWT (Bearer prefix, quotes and line breaks are fine)"
          value={text}
          onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        />
      </label>
      {decoded && !decoded.ok && (
        <p class="error" role="alert" data-testid="decode-error" data-code={decoded.error.code}>
          {decoded.error.message}
        </p>
      )}
      {decoded?.ok && (
        <>
          <DecodedTokenView token={token} decoded={decoded} />
          {verify && <VerificationView token={token} verify={verify} />}
          <section>
            <h2>Findings</h2>
            <FindingList findings={findings} />
          </section>
        </>
      )}
    </div>
  );
}
