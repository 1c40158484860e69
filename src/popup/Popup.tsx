import { useEffect, useState } from 'preact/hooks';
import { Decoder, type VerifyFn } from '../ui/Decoder';
import { PageTokens } from './PageTokens';
import { t } from '../ui/i18n';
import { moduleLoader, useModule } from '../ui/use-module';

// *Seen on this tab* (background capture) comes after the first paint: it needs the worker anyway.
const tabTokens = moduleLoader(() => import('./TabTokens'));
/** The workbench: a chunk of its own, loaded on the click that opens it (not part of the popup's first paint). */
const workbenchModule = moduleLoader(() => import('../ui/workbench/StandaloneWorkbench'));

/** What the popup's buttons do with the browser (src/popup/popup-actions.ts), loaded on first use. */
export type PopupActions = Pick<typeof import('./popup-actions'), 'openDecoderTab' | 'openKeys' | 'takeHandedOverToken'>;

interface Props {
  /** Opened in a tab (?page=1): the full-page decoder of the context menu. */
  fullPage: boolean;
  actions: () => Promise<PopupActions>;
  verify: VerifyFn;
}

function LazyWorkbench({ token }: { token: string }) {
  const loaded = useModule(workbenchModule);
  return loaded ? <loaded.StandaloneWorkbench token={token} /> : <p class="muted">{t('common_loading')}</p>;
}

export function Popup({ fullPage, actions, verify }: Props) {
  // What the decoder is given (Paste, a picked page token, the handed-over token)...
  const [token, setToken] = useState('');
  // ...and what its box holds now, typed or given: what "Open in a tab" takes along.
  const [text, setText] = useState('');
  const [clipboardError, setClipboardError] = useState<string | undefined>();
  const tabs = useModule(tabTokens);
  const [workbenchFor, setWorkbenchFor] = useState<string | undefined>();

  // The decoder tab's token comes through storage.session (src/decoder-page.ts), read once.
  useEffect(() => {
    if (fullPage)
      void actions()
        .then((a) => a.takeHandedOverToken(location.search))
        .then((t) => t !== undefined && setToken(t));
  }, []);

  async function pasteFromClipboard() {
    try {
      setToken(await navigator.clipboard.readText());
      setClipboardError(undefined);
    } catch {
      setClipboardError(t('popup_clipboard_failed'));
    }
  }

  return (
    <main>
      <div class="row">
        <h1>{t('ext_name')}</h1>
        <span class="spacer" />
        <button type="button" data-testid="paste" onClick={pasteFromClipboard}>
          {t('popup_paste')}
        </button>
        {!fullPage && (
          <button type="button" data-testid="open-in-tab" onClick={() => void actions().then((a) => a.openDecoderTab(text))}>
            {t('popup_open_in_tab')}
          </button>
        )}
        <button type="button" onClick={() => void actions().then((a) => a.openKeys())}>
          {t('popup_keys')}
        </button>
      </div>
      {clipboardError && <p class="muted">{clipboardError}</p>}
      <Decoder initial={token} verify={verify} onText={setText} />
      {[3, 5].includes(text.trim().split('.').length) && (
        <button type="button" data-testid="open-workbench" onClick={() => setWorkbenchFor(text.trim())}>
          {workbenchFor === undefined ? t('workbench_open') : t('workbench_take_token')}
        </button>
      )}
      {workbenchFor !== undefined && <LazyWorkbench token={workbenchFor} key={workbenchFor} />}
      {!fullPage && <PageTokens onPick={setToken} />}
      {!fullPage && tabs && <tabs.TabTokens onPick={setToken} />}
    </main>
  );
}
