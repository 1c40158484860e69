import { useMemo, useState, useEffect } from 'preact/hooks';
import { decodeToken } from '../core/decode';
import { normalizeTokenInput } from '../core/normalize';
import type { KeyInput, Verification } from '../core/types';
import { moduleLoader, useModule } from './use-module';

export type VerifyFn = (token: string, inlineKey?: KeyInput) => Promise<Verification>;

interface Props {
  initial?: string;
  verify?: VerifyFn;
}

// Decoding is here, so a bad paste is explained at once; what a good token shows comes in its own chunk,
// fetched right after the first paint (the popup's open time is spent on the input, not on analysis).
export const decodedDetails = moduleLoader(() => import('./DecodedDetails'));

/** The quick decoder shared by the popup and the full-page decoder. */
export function Decoder({ initial = '', verify }: Props) {
  const [text, setText] = useState(initial);
  const token = useMemo(() => normalizeTokenInput(text), [text]);
  const decoded = useMemo(() => (token ? decodeToken(token) : undefined), [token]);
  const details = useModule(decodedDetails);

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
      {decoded?.ok && (details ? <details.DecodedDetails token={token} decoded={decoded} verify={verify} /> : <p class="muted">Decoding…</p>)}
    </div>
  );
}
