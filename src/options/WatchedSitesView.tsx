import { useEffect, useState } from 'preact/hooks';
import type { WatchedSite } from '../messages';
import { t } from '../ui/i18n';
import { ask } from '../ui/worker-client';
import { requestAllSitesAccess, requestOriginAccess } from './host-permission';

const ALL_SITES = '*';

/**
 * The sites background capture watches (README, "Background capture"). Adding one asks for its host access
 * in the click; removing one revokes the access no other watched site needs and deletes what was kept.
 */
export function WatchedSitesView() {
  const [sites, setSites] = useState<WatchedSite[] | undefined>();
  const [text, setText] = useState('');
  const [message, setMessage] = useState<{ text: string; error?: boolean } | undefined>();

  useEffect(() => {
    ask({ type: 'capture/watched' }).then(setSites, (e: unknown) =>
      setMessage({ text: t('capture_sites_unreadable', reason(e)), error: true }),
    );
  }, []);

  function add(site: string) {
    // The permission prompt needs the click's user gesture: ask before anything is awaited.
    const access = site === ALL_SITES ? requestAllSitesAccess() : requestOriginAccess(site);
    void (async () => {
      try {
        setSites(await ask({ type: 'capture/watch', site }));
        if (!(await access)) {
          setSites(await ask({ type: 'capture/unwatch', site }));
          setMessage({ text: t('capture_access_refused_not_watched'), error: true });
          return;
        }
        setText('');
        setMessage({ text: site === ALL_SITES ? t('capture_watching_every_site') : t('capture_watching_site', site) });
        setSites(await ask({ type: 'capture/watched' }));
      } catch (e) {
        setMessage({ text: t('capture_change_failed', reason(e)), error: true });
      }
    })();
  }

  function onAdd(e: Event) {
    e.preventDefault();
    let site: string;
    try {
      site = new URL(text.trim()).origin;
    } catch {
      setMessage({ text: t('capture_bad_site'), error: true });
      return;
    }
    add(site);
  }

  async function remove(site: string) {
    setSites(await ask({ type: 'capture/unwatch', site }));
    setMessage({ text: site === ALL_SITES ? t('capture_unwatched_every_site') : t('capture_unwatched_site', site) });
  }

  return (
    <section class="watched-sites" data-testid="watched-sites">
      <h2>{t('capture_title')}</h2>
      <p class="muted">{t('capture_intro')}</p>
      {sites && sites.length === 0 && <p class="muted">{t('capture_no_site')}</p>}
      {sites && sites.length > 0 && (
        <ul class="watched-site-list">
          {sites.map((s) => (
            <li key={s.site} data-testid="watched-site" data-site={s.site} data-granted={String(s.granted)}>
              <code>{s.site === ALL_SITES ? t('capture_every_site') : s.site}</code>
              {!s.granted && <span class="warn">{` · ${t('capture_not_granted')}`}</span>}{' '}
              <button type="button" data-testid="unwatch-site" onClick={() => void remove(s.site)}>
                {t('capture_stop_watching')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="row" onSubmit={onAdd}>
        <input
          type="url"
          data-testid="watch-site-url"
          placeholder={t('capture_site_placeholder')}
          value={text}
          onInput={(e) => setText((e.target as HTMLInputElement).value)}
        />
        <button type="submit" data-testid="watch-site-add">
          {t('capture_watch')}
        </button>
        <button type="button" data-testid="watch-all-sites" onClick={() => add(ALL_SITES)}>
          {t('capture_watch_every_site')}
        </button>
      </form>
      {message && <p class={message.error ? 'error' : 'muted'}>{message.text}</p>}
    </section>
  );
}

/** The worker's or the transport's own words (English): what went wrong, after the catalogue's sentence. */
function reason(e: unknown): string {
  return String(e instanceof Error ? e.message : e);
}
