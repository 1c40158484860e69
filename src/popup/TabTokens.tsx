import { useEffect, useState } from 'preact/hooks';
import type { TabCaptureView, TabToken } from '../messages';
import { findingText, severityText } from '../ui/finding-text';
import { keyPart, t } from '../ui/i18n';
import { relativeDeltaText } from '../ui/time-text';
import { moduleLoader, useModule } from '../ui/use-module';

const tabCapture = moduleLoader(() => import('./tab-capture'));

/** The worst first; the decoder shows them all with their advice. */
const MAX_FINDINGS_SHOWN = 6;

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
      .then(async (active) => {
        setTab(active);
        if (active) setView(await m.seenOnTab(active));
      })
      .catch(() => setNote(t('capture_tab_unreadable')));
  }, [m]);

  function watch() {
    if (!m || !tab || !view?.site) return;
    // No await before this call: the permission prompt needs the click.
    void m.watchSite(view.site).then(
      async (granted) => {
        setNote(t(granted ? 'capture_watch_started' : 'capture_access_refused'));
        setView(await m.seenOnTab(tab));
      },
      () => setNote(t('capture_watch_failed')),
    );
  }

  if (!view) return note ? <p class="muted">{note}</p> : null;
  return (
    <section class="tab-tokens" data-testid="tab-capture" data-watched={String(view.watched)}>
      <div class="row">
        <h2>{t('capture_seen_on_tab')}</h2>
        <span class="spacer" />
        {view.site && !view.watched && (
          <button type="button" data-testid="watch-site" onClick={watch} title={t('capture_watch_this_site_hint', view.site)}>
            {t('capture_watch_this_site')}
          </button>
        )}
      </div>
      {note && <p class="muted">{note}</p>}
      {view.tokens.length === 0 && (
        <p class="muted" data-testid="tab-tokens-empty">
          {t(view.watched ? 'capture_tab_empty' : 'capture_tab_not_watched')}
        </p>
      )}
      {view.tokens.length > 0 && (
        <ul class="tab-token-list">
          {view.tokens.slice(0, 100).map((token) => (
            <li key={token.token}>
              <TabTokenRow token={token} onPick={onPick} />
            </li>
          ))}
        </ul>
      )}
      {view.dropped > 0 && <p class="muted small">{t('capture_dropped', view.dropped.toLocaleString('en-US'))}</p>}
    </section>
  );
}

function TabTokenRow({ token, onPick }: { token: TabToken; onPick(token: string): void }) {
  const issuer = token.issuer && (token.issuer.length > 80 ? `${token.issuer.slice(0, 79)}…` : token.issuer);
  return (
    <button
      type="button"
      class="link tab-token"
      data-testid="tab-token"
      data-token={token.token}
      data-role={token.role}
      onClick={() => onPick(token.token)}
    >
      <strong>{t(`role_${keyPart(token.role)}_token`)}</strong>
      {issuer && <span class="muted">{` ${t('capture_from_issuer', issuer)}`}</span>}
      <span class="muted">{` · ${expiryText(token.expiresAt)}`}</span>
      <code>{` …${token.token.slice(-12)}`}</code>
      {token.findings.length === 0 && <span class="muted">{` · ${t('capture_no_findings')}`}</span>}
      {token.findings.length > 0 && (
        <span class="tab-token-findings">
          {token.findings.slice(0, MAX_FINDINGS_SHOWN).map((f) => (
            <span
              key={f.id}
              class={`finding-chip sev-${f.severity}`}
              data-finding-id={f.id}
              data-severity={f.severity}
              title={t('finding_detail', findingText(f.id, 'why'), findingText(f.id, 'fix'))}
            >
              <span class="badge">{severityText(f.severity)}</span> {findingText(f.id, 'title')}
            </span>
          ))}
        </span>
      )}
    </button>
  );
}

/** Worded as the panel's token list words it (src/devtools/panel/view/record-summary.ts). */
function expiryText(expiresAt: number | undefined): string {
  if (expiresAt === undefined) return t('panel_no_expiry');
  const delta = expiresAt - Date.now() / 1000;
  return t(delta <= 0 ? 'panel_expired_at' : 'panel_expires_at', relativeDeltaText(delta));
}
