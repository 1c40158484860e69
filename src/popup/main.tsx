import { render } from 'preact';
import '../ui/styles.css';
import { Decoder } from '../ui/Decoder';
import { verifyThroughWorker } from '../ui/verify-through-worker';

function Popup() {
  return (
    <main>
      <h1>JWT Inspector</h1>
      <Decoder verify={verifyThroughWorker} />
    </main>
  );
}

render(<Popup />, document.getElementById('app')!);
