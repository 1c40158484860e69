import browser from 'webextension-polyfill';
import { WEAK_SECRET_PORT, type WeakSecretPortMessage, type WeakSecretResult } from '../messages';

export interface WeakSecretRun {
  result: Promise<WeakSecretResult>;
  /** Closing the port is the cancel signal the worker listens for. */
  cancel(): void;
}

/** Runs the worker's weak-secret check over a port, reporting progress as it goes. */
export function checkWeakSecret(token: string, onProgress?: (tried: number, total: number) => void): WeakSecretRun {
  const port = browser.runtime.connect({ name: WEAK_SECRET_PORT });
  let settled = false;
  const result = new Promise<WeakSecretResult>((resolve, reject) => {
    port.onMessage.addListener((raw: unknown) => {
      const message = raw as WeakSecretPortMessage;
      if (message.type === 'progress') onProgress?.(message.tried, message.total);
      else {
        settled = true;
        port.disconnect();
        if (message.type === 'done') resolve(message.result);
        else reject(new Error(message.error));
      }
    });
    port.onDisconnect.addListener(() => {
      if (!settled) reject(new Error('The background worker stopped during the weak-secret check.'));
    });
  });
  port.postMessage({ token });
  return {
    result,
    cancel() {
      if (!settled) {
        settled = true;
        port.disconnect();
      }
    },
  };
}
