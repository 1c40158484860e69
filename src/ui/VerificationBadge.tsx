import type { Verification } from '../core/types';
import { keyPart, t } from './i18n';

/** The verdict, which key gave it, and for failures what to do: the same words on every surface. */
export function VerificationBadge({ result }: { result: Verification | undefined }) {
  const status = result?.status ?? 'pending';
  const key = result?.key;
  return (
    <p class={`verification status-${status}`} data-testid="verification" data-status={status}>
      {t(`verification_${keyPart(status)}`)}
      {result?.alg && ` (${result.alg})`}
      {key && t('verification_with_key', key.label ?? key.kid ?? key.thumbprint ?? t('verification_key_number', key.index + 1))}
      {key?.kid && key.label && ` / kid ${key.kid}`}
      {result?.reason && <span class="reason">{` — ${result.reason}`}</span>}
    </p>
  );
}
