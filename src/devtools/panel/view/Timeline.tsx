import type { StoreTimelineEvent } from '../../model/token-store';

const MAX_EVENTS = 300;

/** Issue, use, refresh and expiry of each token, and its removal from storage, newest first. */
export function Timeline({ events, onSelect }: { events: readonly StoreTimelineEvent[]; onSelect(token: string): void }) {
  const shown = events.slice(-MAX_EVENTS).reverse();
  return (
    <section class="timeline" data-testid="timeline">
      <h2>Timeline</h2>
      {shown.length === 0 && <p class="muted">No token events yet.</p>}
      <ol>
        {shown.map((e, i) => (
          <li key={i} data-testid="timeline-event" data-kind={e.kind}>
            <span class="muted">{new Date(e.time).toLocaleTimeString()}</span> <span class={`kind kind-${e.kind}`}>{e.kind}</span>{' '}
            <button class="link" onClick={() => onSelect(e.token)}>
              …{e.token.slice(-10)}
            </button>{' '}
            {e.detail}
          </li>
        ))}
      </ol>
    </section>
  );
}
