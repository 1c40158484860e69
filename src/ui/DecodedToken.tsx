import type { DecodedTokenSuccess } from '../core/types';
import { CopyButton } from './CopyButton';
import { JsonView, jsonText } from './JsonView';
import { t } from './i18n';

/** Copy buttons, the coloured parts, header and payload: the same in the popup and the panel's detail. */
export function DecodedTokenView({ token, decoded, nowSeconds }: { token: string; decoded: DecodedTokenSuccess; nowSeconds?: number }) {
  const payloadText =
    decoded.kind === 'jwe' ? undefined : typeof decoded.payload === 'string' ? decoded.payload : jsonText(decoded.payload);
  return (
    <>
      <div class="row">
        <CopyButton text={token} label={t('common_copy_token')} testId="copy-token" />
        <CopyButton text={jsonText(decoded.header)} label={t('common_copy_header')} />
        {payloadText !== undefined && <CopyButton text={payloadText} label={t('common_copy_payload')} />}
      </div>
      <p class="parts" data-testid="token-parts">
        {decoded.parts.map((p, i) => (
          <span class={`part part-${i}`} key={i}>
            {p.length > 200 ? `${p.slice(0, 200)}…` : p}
            {i < decoded.parts.length - 1 && <span class="punct">.</span>}
          </span>
        ))}
      </p>
      <section>
        <h2>{t('common_header')}</h2>
        <JsonView value={decoded.header} catalogue="header" testId="decoded-header" />
      </section>
      <section>
        <h2>{t('common_payload')}</h2>
        {decoded.kind === 'jwe' ? (
          <p class="muted" data-testid="decoded-payload">
            {t('common_jwe_payload')}
          </p>
        ) : (
          <JsonView value={decoded.payload} catalogue="claims" now={nowSeconds} testId="decoded-payload" />
        )}
      </section>
    </>
  );
}
