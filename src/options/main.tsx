import { render } from 'preact';
import '../ui/styles.css';
import { KeyStoreView } from './KeyStoreView';
import { applyTheme } from '../ui/theme';

applyTheme();
render(<KeyStoreView />, document.getElementById('app')!);
