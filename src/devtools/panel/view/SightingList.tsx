import type { ComponentChildren } from 'preact';
import { VisibleText } from '../../../ui/VisibleText';
import type { StoredSighting } from '../../model/token-record';

const WHERE_TEXT: Record<string, string> = {
  'authorization-header': 'Authorization header',
  'request-header': 'request header',
  'response-header': 'response header',
  cookie: 'Cookie sent',
  'set-cookie': 'Set-Cookie received',
  url: 'URL',
  'request-body': 'request body',
  'response-body': 'response body',
  'local-storage': 'localStorage',
  'session-storage': 'sessionStorage',
  'document-cookie': 'document.cookie (readable by scripts)',
};

const MAX_SHOWN = 200;

export function SightingList({
  sightings,
  actions,
}: {
  sightings: readonly StoredSighting[];
  /** What a sighting offers besides its description (the workbench's Replay). */
  actions?: (sighting: StoredSighting) => ComponentChildren;
}) {
  const shown = sightings.slice(-MAX_SHOWN).reverse();
  return (
    <ul class="sightings">
      {shown.map((s, i) => {
        const c = s.sighting.cookie;
        return (
          <li
            key={i}
            data-testid="sighting"
            data-where={s.sighting.where}
            data-removed={s.removedAt !== undefined ? 'true' : undefined}
            data-source={s.source}
          >
            <strong>{WHERE_TEXT[s.sighting.where] ?? s.sighting.where}</strong>
            {s.sighting.name && (
              <code class="name">
                {' '}
                <VisibleText text={s.sighting.name} limit={200} />
              </code>
            )}
            {s.field && s.field !== s.sighting.name && (
              <span class="muted">
                {' (field '}
                <VisibleText text={s.field} limit={200} />
                {')'}
              </span>
            )}
            <div class="muted small">
              {s.method && `${s.method} `}
              <span class="url">
                <VisibleText text={s.requestUrl} limit={300} />
              </span>
              {s.status !== undefined && ` → ${s.status}`}
              {` · ${new Date(s.time).toLocaleTimeString()}`}
              {s.lastSeen !== undefined && s.lastSeen > s.time && ` – ${new Date(s.lastSeen).toLocaleTimeString()}`}
              {s.removedAt !== undefined && <span class="warn">{` · removed ${new Date(s.removedAt).toLocaleTimeString()}`}</span>}
              {s.source === 'background' && (
                <span title="Captured by the worker before DevTools was open">{' · before DevTools opened'}</span>
              )}
            </div>
            {c && (
              <div class="cookie-attrs small">
                <span class={c.httpOnly ? 'ok' : 'warn'}>{c.httpOnly ? 'HttpOnly' : 'no HttpOnly'}</span>
                {' · '}
                <span class={c.secure ? 'ok' : 'warn'}>{c.secure ? 'Secure' : 'no Secure'}</span>
                {' · '}
                <span class={c.sameSite === 'none' ? 'warn' : ''}>{`SameSite=${c.sameSite ?? 'unset (Lax by default)'}`}</span>
              </div>
            )}
            {actions?.(s)}
          </li>
        );
      })}
      {sightings.length > MAX_SHOWN && <li class="muted">…and {sightings.length - MAX_SHOWN} earlier sightings</li>}
    </ul>
  );
}
