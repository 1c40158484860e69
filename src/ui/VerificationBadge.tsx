import type { Verification } from '../core/types';

const STATUS_TEXT: Record<Verification['status'] | 'pending', string> = {
  valid: 'Signature verified',
  invalid: 'Signature invalid',
  'no-matching-key': 'Unverified — add a key',
  unsupported: 'Cannot verify',
  error: 'Verification failed',
  pending: 'Checking…',
};

/** The verdict, which key gave it, and for failures what to do: the same words on every surface. */
export function VerificationBadge({ result }: { result: Verification | undefined }) {
  const status = result?.status ?? 'pending';
  const key = result?.key;
  return (
    <p class={`verification status-${status}`} data-testid="verification" data-status={status}>
      {STATUS_TEXT[status]}
      {result?.alg && ` (${result.alg})`}
      {key && ` with ${key.label ?? key.kid ?? key.thumbprint ?? `key #${key.index + 1}`}`}
      {key?.kid && key.label && ` / kid ${key.kid}`}
      {result?.reason && <span class="reason">{` — ${result.reason}`}</span>}
    </p>
  );
}
