import { render } from 'preact';
import '../ui/styles.css';

function Panel() {
  return (
    <main>
      <p class="muted" data-testid="panel-ready">JWT Inspector: waiting for tokens…</p>
    </main>
  );
}

render(<Panel />, document.getElementById('app')!);
