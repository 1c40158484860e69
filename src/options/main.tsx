import { render } from 'preact';
import '../ui/styles.css';
import { KeyStoreView } from './KeyStoreView';
import { WatchedSitesView } from './WatchedSitesView';
import { applyTheme } from '../ui/theme';
import { applyLanguage } from '../ui/i18n';

applyTheme();
applyLanguage('options_title');
render(
  <>
    <KeyStoreView />
    <WatchedSitesView />
  </>,
  document.getElementById('app')!,
);
