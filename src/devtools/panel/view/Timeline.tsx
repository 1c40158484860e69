import type { StoreTimelineEvent } from '../../model/token-record';
import { keyPart, t } from '../../../ui/i18n';
import { localTimeText } from '../../../ui/local-time-text';

const MAX_EVENTS = 300;

/**
 * Issue, use, refresh and expiry of each token, and its removal from storage, newest first. An opaque token
 * is named by the masked form the tracker gives it (its value never reaches the view); a refresh shows the
 * findings it raised.
 */
export function Timeline({ events, onSelect }: { events: readonly StoreTimelineEvent[]; onSelect(token: string): void }) {
  const shown = events.slice(-MAX_EVENTS).reverse();
  return (
    <section class="timeline" data-testid="timeline">
      <h2>{t('panel_timeline_title')}</h2>
      {shown.length === 0 && <p class="muted">{t('panel_no_events')}</p>}
      <ol>
        {shown.map((e, i) => (
          <li key={i} data-testid="timeline-event" data-kind={e.kind}>
            <span class="muted">{localTimeText(e.time)}</span> <span class={`kind kind-${e.kind}`}>{t(`timeline_${keyPart(e.kind)}`)}</span>{' '}
            <button type="button" class="link" onClick={() => onSelect(e.row ?? e.token)}>
              {e.label ?? `…${e.token.slice(-10)}`}
            </button>{' '}
            {e.detail}
            {e.findings?.map((id) => (
              <span key={id} class="finding-tag" data-finding-id={id}>
                {id}
              </span>
            ))}
          </li>
        ))}
      </ol>
    </section>
  );
}
