import browser from 'webextension-polyfill';
import type { Envelope, Request, ResponseFor } from '../messages';

/** Sends one request to the worker; the worker may have been stopped (MV3), so one retry wakes it. */
export async function ask<R extends Request>(request: R): Promise<ResponseFor<R>> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const envelope = (await browser.runtime.sendMessage(request)) as Envelope<ResponseFor<R>> | undefined;
      if (!envelope) throw new Error('The background worker did not answer.');
      if (!envelope.ok) throw new Error(envelope.error);
      return envelope.value;
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
