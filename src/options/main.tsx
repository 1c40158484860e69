import { render } from 'preact';
import '../ui/styles.css';
import { KeyStoreView } from './KeyStoreView';
import { WatchedSitesView } from './WatchedSitesView';
import { applyTheme } from '../ui/theme';

applyTheme();
render(
  <>
    <KeyStoreView />
    <WatchedSitesView />
  </>,
  document.getElementById('app')!,
);
