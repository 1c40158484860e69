import { useState } from 'preact/hooks';
import type { CapturedSighting } from '../capture/sightings-from-entry';
import { t } from '../ui/i18n';

const WHERE_TEXT: Record<string, string> = {
  'local-storage': 'localStorage',
  'session-storage': 'sessionStorage',
  'document-cookie': 'document.cookie',
};

/** "Tokens on this page": read on click, listed with their place; a click decodes one. */
export function PageTokens({ onPick }: { onPick(token: string): void }) {
  const [state, setState] = useState<{ sightings?: CapturedSighting[]; error?: string; loading?: boolean }>({});

  async function scan() {
    setState({ loading: true });
    try {
      const { tokensOnActivePage } = await import('./page-tokens');
      setState({ sightings: await tokensOnActivePage() });
    } catch (e) {
      setState({
        error: t('popup_page_unreadable', e instanceof Error ? e.message : String(e)),
      });
    }
  }

  return (
    <section class="page-tokens">
      <button type="button" data-testid="scan-page" onClick={scan} disabled={state.loading}>
        {state.loading ? t('popup_reading') : t('popup_scan_page')}
      </button>
      {state.error && <p class="error">{state.error}</p>}
      {state.sightings && state.sightings.length === 0 && (
        <p class="muted" data-testid="page-tokens-empty">
          {t('popup_page_tokens_empty')}
        </p>
      )}
      {state.sightings && state.sightings.length > 0 && (
        <ul class="page-token-list" data-testid="page-tokens">
          {state.sightings.slice(0, 100).map((s, i) => (
            <li key={i}>
              <button
                type="button"
                class="link"
                data-testid="page-token"
                data-token={s.token}
                data-where={s.sighting.where}
                onClick={() => onPick(s.token)}
              >
                {WHERE_TEXT[s.sighting.where] ?? s.sighting.where} <code>{s.sighting.name}</code> — {s.token.slice(0, 24)}…
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
