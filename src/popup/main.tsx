import { render } from 'preact';
import '../ui/styles.css';
import type { VerifyFn } from '../ui/Decoder';
import { Popup } from './Popup';
import { applyTheme } from '../ui/theme';
import { applyLanguage } from '../ui/i18n';

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
applyLanguage('ext_name');

render(<Popup fullPage={fullPage} actions={actions} verify={verifyThroughWorker} />, document.getElementById('app')!);
