import type { ComponentChildren } from 'preact';
import { VisibleText } from '../../../ui/VisibleText';
import type { StoredSighting } from '../../model/token-record';
import { keyPart, t } from '../../../ui/i18n';
import { localTimeText } from '../../../ui/local-time-text';

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
            <strong>{t(`where_${keyPart(s.sighting.where)}`)}</strong>
            {s.sighting.name && (
              <code class="name">
                {' '}
                <VisibleText text={s.sighting.name} limit={200} />
              </code>
            )}
            {s.field && s.field !== s.sighting.name && (
              <span class="muted">
                {` (${t('panel_field')} `}
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
              {` · ${localTimeText(s.time)}`}
              {s.lastSeen !== undefined && s.lastSeen > s.time && ` – ${localTimeText(s.lastSeen)}`}
              {s.removedAt !== undefined && <span class="warn">{` · ${t('panel_removed_at', localTimeText(s.removedAt))}`}</span>}
              {s.source === 'background' && <span title={t('panel_background_title')}>{` · ${t('panel_background')}`}</span>}
            </div>
            {c && (
              <div class="cookie-attrs small">
                <span class={c.httpOnly ? 'ok' : 'warn'}>{c.httpOnly ? 'HttpOnly' : t('panel_no_httponly')}</span>
                {' · '}
                <span class={c.secure ? 'ok' : 'warn'}>{c.secure ? 'Secure' : t('panel_no_secure')}</span>
                {' · '}
                <span class={c.sameSite === 'none' ? 'warn' : ''}>{`SameSite=${c.sameSite ?? t('panel_samesite_unset')}`}</span>
              </div>
            )}
            {actions?.(s)}
          </li>
        );
      })}
      {sightings.length > MAX_SHOWN && <li class="muted">{t('panel_earlier_sightings', sightings.length - MAX_SHOWN)}</li>}
    </ul>
  );
}
