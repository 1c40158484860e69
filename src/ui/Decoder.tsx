import { useMemo, useState, useEffect } from 'preact/hooks';
import type { KeyInput, Verification } from '../core/types';
import { TextArea } from './TextArea';
import { moduleLoader, useModule } from './use-module';
import { decodeErrorText } from './decode-error-text';
import { t } from './i18n';

export type VerifyFn = (token: string, inlineKey?: KeyInput) => Promise<Verification>;

interface Props {
  initial?: string;
  verify?: VerifyFn;
  /** Hears the box's text whenever it changes, typed or given through `initial`. */
  onText?: (text: string) => void;
}

// The decoder paints its input first; decoding and what a token shows (analysis, claim catalogue,
// verification) come in a chunk of their own, fetched right after the first paint, long before anyone
// can paste. The popup's open time is spent on the input alone.
const decoderModule = moduleLoader(() => import('./DecodedDetails'));

/** The quick decoder shared by the popup and the full-page decoder. */
export function Decoder({ initial = '', verify, onText }: Props) {
  const [text, setText] = useState(initial);
  const m = useModule(decoderModule);
  const token = useMemo(() => (m ? m.normalizeTokenInput(text) : ''), [m, text]);
  const decoded = useMemo(() => (m && token ? m.decodeToken(token) : undefined), [m, token]);

  useEffect(() => setText(initial), [initial]);
  useEffect(() => onText?.(text), [text]);

  return (
    <div class="decoder">
      <label class="field">
        <span>{t('common_token')}</span>
        <TextArea data-testid="token-input" rows={5} placeholder={t('common_token_placeholder')} value={text} onValue={setText} />
      </label>
      {decoded && !decoded.ok && (
        <p class="error" role="alert" data-testid="decode-error" data-code={decoded.error.code}>
          {decodeErrorText(decoded.error, token)}
        </p>
      )}
      {!m && text.trim() !== '' && <p class="muted">{t('common_decoding')}</p>}
      {m && decoded?.ok && <m.DecodedDetails token={token} decoded={decoded} verify={verify} />}
    </div>
  );
}
