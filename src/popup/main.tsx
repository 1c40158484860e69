import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import '../ui/styles.css';
import { Decoder, type VerifyFn } from '../ui/Decoder';
import { PageTokens } from './PageTokens';
import { applyTheme } from '../ui/theme';

// The popup paints its input before anything else loads: the browser API and the worker client come in
// when first used (they are needed for a verdict or a button, never for the first paint).
const actions = () => import('./popup-actions');
const verifyThroughWorker: VerifyFn = (token, inlineKey) =>
  import('../ui/verify-through-worker').then((m) => m.verifyThroughWorker(token, inlineKey));

// The same page is the popup and, opened in a tab (?page=1), the full-page decoder of the context menu.
const params = new URLSearchParams(location.search);
const fullPage = params.get('page') === '1';
if (fullPage) document.body.classList.replace('popup', 'full-page');
applyTheme();

function Popup() {
  const [token, setToken] = useState('');
  const [clipboardError, setClipboardError] = useState<string | undefined>();

  // The decoder tab's token comes through storage.session (src/decoder-page.ts), read once.
  useEffect(() => {
    if (fullPage) void actions().then((a) => a.takeHandedOverToken(location.search)).then((t) => t !== undefined && setToken(t));
  }, []);

  async function pasteFromClipboard() {
    try {
      setToken(await navigator.clipboard.readText());
      setClipboardError(undefined);
    } catch {
      setClipboardError('The clipboard could not be read here: paste with Ctrl+V (⌘V) into the box.');
    }
  }

  return (
    <main>
      <div class="row">
        <h1>JWT Inspector</h1>
        <span class="spacer" />
        <button data-testid="paste" onClick={pasteFromClipboard}>
          Paste
        </button>
        {!fullPage && (
          <button onClick={() => void actions().then((a) => a.openDecoderTab(token))}>
            Open in a tab
          </button>
        )}
        <button onClick={() => void actions().then((a) => a.openKeys())}>Keys</button>
      </div>
      {clipboardError && <p class="muted">{clipboardError}</p>}
      <Decoder initial={token} verify={verifyThroughWorker} />
      {!fullPage && <PageTokens onPick={setToken} />}
    </main>
  );
}

render(<Popup />, document.getElementById('app')!);
