import { useEffect, useState } from 'preact/hooks';
import type { WatchedSite } from '../messages';
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
      setMessage({ text: String(e instanceof Error ? e.message : e), error: true }),
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
          setMessage({ text: 'Host access was not granted: the site is not watched.', error: true });
          return;
        }
        setText('');
        setMessage({ text: site === ALL_SITES ? 'Watching every site.' : `Watching ${site}.` });
        setSites(await ask({ type: 'capture/watched' }));
      } catch (e) {
        setMessage({ text: String(e instanceof Error ? e.message : e), error: true });
      }
    })();
  }

  function onAdd(e: Event) {
    e.preventDefault();
    let site: string;
    try {
      site = new URL(text.trim()).origin;
    } catch {
      setMessage({ text: 'Type a site address, such as https://app.example.com.', error: true });
      return;
    }
    add(site);
  }

  async function remove(site: string) {
    setSites(await ask({ type: 'capture/unwatch', site }));
    setMessage({ text: `${site === ALL_SITES ? 'Every site' : site}: no longer watched; what was kept is deleted.` });
  }

  return (
    <section class="watched-sites" data-testid="watched-sites">
      <h2>Background capture</h2>
      <p class="muted">
        Tokens of a watched site are captured while DevTools is closed, kept per tab in memory and in session storage (gone when the tab or
        the browser closes), and shown in the popup and, when it opens, the DevTools panel. Off for every site until you watch it.
      </p>
      {sites && sites.length === 0 && <p class="muted">No site is watched.</p>}
      {sites && sites.length > 0 && (
        <ul class="watched-site-list">
          {sites.map((s) => (
            <li key={s.site} data-testid="watched-site" data-site={s.site} data-granted={String(s.granted)}>
              <code>{s.site === ALL_SITES ? 'every site' : s.site}</code>
              {!s.granted && <span class="warn"> · host access not granted: nothing is captured</span>}{' '}
              <button type="button" data-testid="unwatch-site" onClick={() => void remove(s.site)}>
                Stop watching
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="row" onSubmit={onAdd}>
        <input
          type="url"
          data-testid="watch-site-url"
          placeholder="https://app.example.com"
          value={text}
          onInput={(e) => setText((e.target as HTMLInputElement).value)}
        />
        <button type="submit" data-testid="watch-site-add">
          Watch
        </button>
        <button type="button" data-testid="watch-all-sites" onClick={() => add(ALL_SITES)}>
          Watch every site
        </button>
      </form>
      {message && <p class={message.error ? 'error' : 'muted'}>{message.text}</p>}
    </section>
  );
}
