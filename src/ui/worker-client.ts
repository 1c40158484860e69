// The pages' transport (src/ui/transport.ts) bound to the browser. Pages import `ask` and `checkWeakSecret`
// from here; everything they decide about a failure goes by its `code`.
import browser from 'webextension-polyfill';
import { createTransport } from './transport';

const transport = createTransport({
  sendMessage: (message) => browser.runtime.sendMessage(message),
  connect: (name) => browser.runtime.connect({ name }),
  setTimeout: (run, ms) => setTimeout(run, ms),
});

export const ask = transport.ask;
export const checkWeakSecret = transport.checkWeakSecret;
