import type { FlowStepKind, FlowView } from '../../model/oauth-flows';
import { FindingList } from '../../../ui/FindingList';

const MAX_FLOWS_SHOWN = 100;

const STEP_LABEL: Record<FlowStepKind, string> = {
  'authorization-request': 'authorization request',
  'authorization-response': 'authorization response',
  'code-exchange': 'code exchange',
  refresh: 'refresh',
  bearer: 'ID token sent as Bearer',
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
      <h2>Flows</h2>
      {shown.length === 0 && <p class="muted">No OAuth 2.0 / OpenID Connect sign-in seen yet. Sign in on the page with DevTools open.</p>}
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
            {flow.clientId ?? 'Unknown client'}
            {flow.issuer && <span class="muted"> at {flow.issuer}</span>}
          </h3>
          <dl class="flow-facts">
            <dt>response type</dt>
            <dd>{flow.responseType ?? 'not seen'}</dd>
            <dt>PKCE</dt>
            <dd>{flow.pkce === 'unknown' ? 'code_verifier sent (method not seen)' : flow.pkce}</dd>
            <dt>state</dt>
            <dd>{pair(flow.state)}</dd>
            <dt>nonce</dt>
            <dd>{pair(flow.nonce)}</dd>
            <dt>redirect URI</dt>
            <dd>{flow.redirectUri ?? 'not seen'}</dd>
          </dl>
          <ol class="flow-steps">
            {flow.steps.map((step, i) => (
              <li key={i} data-testid="flow-step" data-kind={step.kind}>
                <span class="muted">{new Date(step.time).toLocaleTimeString()}</span> {STEP_LABEL[step.kind]}{' '}
                <span class="muted">{origin(step.url)}</span>
              </li>
            ))}
          </ol>
          {flow.tokens.length > 0 && (
            <p>
              Tokens:{' '}
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

function pair({ sent, returned }: { sent?: string; returned?: string }): string {
  if (sent === undefined && returned === undefined) return 'none';
  const verdict = sent !== undefined && returned !== undefined ? (sent === returned ? ' — matched' : ' — differs') : '';
  return `sent ${sent === undefined ? '(none)' : short(sent)}, returned ${returned === undefined ? '(none)' : short(returned)}${verdict}`;
}

function short(value: string): string {
  return value.length > 48 ? `${value.slice(0, 44)}…` : value;
}

function origin(url: string): string {
  const cut = url.search(/[?#]/);
  const bare = cut < 0 ? url : url.slice(0, cut);
  return bare.length > 80 ? `${bare.slice(0, 77)}…` : bare;
}
