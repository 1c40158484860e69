import { useEffect, useState } from 'preact/hooks';
import { formatTime } from '../core/time-format';
import type { TabCaptureView, TabToken } from '../messages';
import { moduleLoader, useModule } from '../ui/use-module';

const tabCapture = moduleLoader(() => import('./tab-capture'));

/** The worst first; the decoder shows them all with their advice. */
const MAX_FINDINGS_SHOWN = 6;

const ROLE_TEXT: Record<TabToken['role'], string> = { access: 'access token', refresh: 'refresh token', id: 'ID token', unknown: 'token' };

/**
 * *Seen on this tab*: the tokens the worker's background capture kept for the active tab (README,
 * "Background capture"), and *Watch this site* while its site is not watched. A click decodes a token.
 */
export function TabTokens({ onPick }: { onPick(token: string): void }) {
  const m = useModule(tabCapture);
  const [tab, setTab] = useState<import('./tab-capture').ActiveTab | undefined>();
  const [view, setView] = useState<TabCaptureView | undefined>();
  const [note, setNote] = useState<string | undefined>();

  useEffect(() => {
    if (!m) return;
    void m
      .activeTab()
      .then(async (t) => {
        setTab(t);
        if (t) setView(await m.seenOnTab(t));
      })
      .catch(() => setNote('What was seen on this tab could not be read.'));
  }, [m]);

  function watch() {
    if (!m || !tab || !view?.site) return;
    // No await before this call: the permission prompt needs the click.
    void m.watchSite(view.site).then(
      async (granted) => {
        setNote(granted ? 'Watching this site: reload the page to capture its sign-in from the start.' : 'Host access was not granted.');
        setView(await m.seenOnTab(tab));
      },
      () => setNote('The site could not be watched.'),
    );
  }

  if (!view) return note ? <p class="muted">{note}</p> : null;
  return (
    <section class="tab-tokens" data-testid="tab-capture" data-watched={String(view.watched)}>
      <div class="row">
        <h2>Seen on this tab</h2>
        <span class="spacer" />
        {view.site && !view.watched && (
          <button type="button" data-testid="watch-site" onClick={watch} title={`Capture tokens of ${view.site} while DevTools is closed`}>
            Watch this site
          </button>
        )}
      </div>
      {note && <p class="muted">{note}</p>}
      {view.tokens.length === 0 && (
        <p class="muted" data-testid="tab-tokens-empty">
          {view.watched ? 'No token seen on this tab yet.' : 'Not watched: tokens are captured only on sites you watch.'}
        </p>
      )}
      {view.tokens.length > 0 && (
        <ul class="tab-token-list">
          {view.tokens.slice(0, 100).map((t) => (
            <li key={t.token}>
              <TabTokenRow token={t} onPick={onPick} />
            </li>
          ))}
        </ul>
      )}
      {view.dropped > 0 && <p class="muted small">{`${view.dropped} older sightings were dropped (1,000 are kept per tab).`}</p>}
    </section>
  );
}

function TabTokenRow({ token: t, onPick }: { token: TabToken; onPick(token: string): void }) {
  const expiry = t.expiresAt !== undefined ? formatTime(t.expiresAt) : undefined;
  const expired = t.expiresAt !== undefined && t.expiresAt * 1000 < Date.now();
  return (
    <button
      type="button"
      class="link tab-token"
      data-testid="tab-token"
      data-token={t.token}
      data-role={t.role}
      onClick={() => onPick(t.token)}
    >
      <strong>{ROLE_TEXT[t.role]}</strong>
      {t.issuer && <span class="muted">{` from ${t.issuer.length > 80 ? `${t.issuer.slice(0, 79)}…` : t.issuer}`}</span>}
      <span class="muted">{expiry ? ` · ${expired ? 'expired' : 'expires'} ${expiry.relative}` : ' · no expiry'}</span>
      <code>{` …${t.token.slice(-12)}`}</code>
      {t.findings.length === 0 && <span class="muted"> · no findings</span>}
      {t.findings.length > 0 && (
        <span class="tab-token-findings">
          {t.findings.slice(0, MAX_FINDINGS_SHOWN).map((f) => (
            <span key={f.id} class={`finding-chip sev-${f.severity}`} data-finding-id={f.id} data-severity={f.severity} title={f.detail}>
              <span class="badge">{f.severity}</span> {f.title}
            </span>
          ))}
        </span>
      )}
    </button>
  );
}
