import { render } from 'preact';
import '../ui/styles.css';
import './panel.css';
import { applyTheme } from '../ui/theme';
import { ask } from '../ui/worker-client';
import { checkWeakSecret } from '../ui/weak-secret-client';
import { browserDevtoolsApi } from './panel/devtools-api';
import { PanelController } from './panel/panel-controller';
import { PanelApp } from './panel/view/PanelApp';

const api = browserDevtoolsApi();
applyTheme(api.themeName === 'dark' ? 'dark' : 'light');
const controller = new PanelController(api, {
  verify: (token) => ask({ type: 'verify', token }),
  weakSecret: (token) => checkWeakSecret(token).result,
});
render(<PanelApp controller={controller} />, document.getElementById('app')!);
void controller.start();
