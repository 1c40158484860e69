import type { FlowStepKind, FlowView } from '../../model/oauth-flows';
import { FindingList } from '../../../ui/FindingList';
import { t } from '../../../ui/i18n';
import { localTimeText } from '../../../ui/local-time-text';

const MAX_FLOWS_SHOWN = 100;

// Functions, not strings: the catalogue is read when a step renders, and each key stays a literal t('…')
// that test/meta/locales.test.ts can find.
const STEP_LABEL: Record<FlowStepKind, () => string> = {
  'authorization-request': () => t('flows_step_authorization_request'),
  'authorization-response': () => t('flows_step_authorization_response'),
  'code-exchange': () => t('flows_step_code_exchange'),
  refresh: () => t('flows_step_refresh'),
  bearer: () => t('flows_step_bearer'),
};

interface Props {
  flows: readonly FlowView[];
  /** Whether a token is a row of the list (a JWT); other values are named by their ends only. */
  isRow(token: string): boolean;
  onSelect(token: string): void;
}

/**
 * Each OAuth 2.0 / OpenID Connect sign-in as one flow, newest first: who asked, how (response type, PKCE),
 * state and nonce as sent and returned, its steps, the tokens it produced and its findings.
 */
export function Flows({ flows, isRow, onSelect }: Props) {
  const shown = flows.slice(-MAX_FLOWS_SHOWN).reverse();
  return (
    <section class="flows" data-testid="flows">
      <h2>{t('flows_title')}</h2>
      {shown.length === 0 && <p class="muted">{t('flows_empty')}</p>}
      {shown.map((flow) => (
        <article
          key={flow.id}
          class="flow"
          data-testid="flow"
          data-client-id={flow.clientId ?? ''}
          data-response-type={flow.responseType ?? ''}
          data-pkce={flow.pkce}
        >
          <h3>
            {flow.clientId ?? t('flows_unknown_client')}
            {flow.issuer && <span class="muted"> {t('flows_at_issuer', flow.issuer)}</span>}
          </h3>
          <dl class="flow-facts">
            <dt>{t('flows_response_type')}</dt>
            <dd>{flow.responseType ?? t('flows_not_seen')}</dd>
            <dt>{t('flows_pkce')}</dt>
            <dd>{pkceText(flow.pkce)}</dd>
            <dt>{t('flows_state')}</dt>
            <dd>{pair(flow.state)}</dd>
            <dt>{t('flows_nonce')}</dt>
            <dd>{pair(flow.nonce)}</dd>
            <dt>{t('flows_redirect_uri')}</dt>
            <dd>{flow.redirectUri ?? t('flows_not_seen')}</dd>
          </dl>
          <ol class="flow-steps">
            {flow.steps.map((step, i) => (
              <li key={i} data-testid="flow-step" data-kind={step.kind}>
                <span class="muted">{localTimeText(step.time)}</span> {STEP_LABEL[step.kind]()}{' '}
                <span class="muted">{origin(step.url)}</span>
              </li>
            ))}
          </ol>
          {flow.tokens.length > 0 && (
            <p>
              {t('flows_tokens')}{' '}
              {flow.tokens.map(({ token, label }, i) =>
                token !== undefined && isRow(token) ? (
                  <button type="button" class="link" key={token} data-testid="flow-token" onClick={() => onSelect(token)}>
                    {label}
                  </button>
                ) : (
                  <span key={token ?? `opaque-${i}`} class="muted">
                    {label}{' '}
                  </span>
                ),
              )}
            </p>
          )}
          <FindingList findings={flow.findings} />
        </article>
      ))}
    </section>
  );
}

function pkceText(pkce: FlowView['pkce']): string {
  if (pkce === 'unknown') return t('flows_pkce_unknown');
  return pkce === 'none' ? t('flows_none') : pkce;
}

/** A value as the request sent it and the response returned it, and whether the two match. */
function pair({ sent, returned }: { sent?: string; returned?: string }): string {
  if (sent === undefined && returned === undefined) return t('flows_none');
  const sentText = sent === undefined ? t('flows_value_absent') : short(sent);
  const returnedText = returned === undefined ? t('flows_value_absent') : short(returned);
  if (sent === undefined || returned === undefined) return t('flows_sent_returned', sentText, returnedText);
  return sent === returned
    ? t('flows_sent_returned_matched', sentText, returnedText)
    : t('flows_sent_returned_differs', sentText, returnedText);
}

function short(value: string): string {
  return value.length > 48 ? `${value.slice(0, 44)}…` : value;
}

function origin(url: string): string {
  const cut = url.search(/[?#]/);
  const bare = cut < 0 ? url : url.slice(0, cut);
  return bare.length > 80 ? `${bare.slice(0, 77)}…` : bare;
}
