import browser from 'webextension-polyfill';
import type { Envelope, Request, ResponseFor } from '../messages';

/**
 * Waits before each retry when the worker could not be reached. An MV3 worker that was stopped (idle, or
 * killed mid-request) is started again by the next message; one that is still shutting down refuses
 * messages for a moment, so the retries back off. About 1.5 s in all.
 */
export const RETRY_DELAYS_MS: readonly number[] = [100, 200, 400, 800];

// What Chrome and Firefox say when the message never reached a live worker or its answer was lost with it.
// webextension-polyfill turns Chrome's "The message port closed before a response was received." into an
// undefined answer, handled below as "did not answer".
const TRANSPORT_FAILURE =
  /Could not establish connection|Receiving end does not exist|message port closed|message channel (?:is )?closed|Extension context invalidated|Message manager disconnected|went out of scope|disconnected port/i;

/**
 * The worker could not be reached, or died before answering; the request may or may not have run. Pages and
 * the panel tell it from an error the worker returned by `transport`, a plain property so code that must not
 * import this module (the panel's controller) can check it.
 */
export class WorkerUnreachable extends Error {
  readonly transport = true;
  constructor(message: string) {
    super(message);
    this.name = 'WorkerUnreachable';
  }
}

export function isTransportFailure(error: unknown): boolean {
  if (error instanceof WorkerUnreachable) return true;
  return TRANSPORT_FAILURE.test(error instanceof Error ? error.message : String(error));
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Sends one request to the worker. Transport failures (the worker stopped, is restarting, died mid-request)
 * are retried with backoff; an error the worker returned is the answer and is thrown at once.
 */
export async function ask<R extends Request>(request: R): Promise<ResponseFor<R>> {
  for (let attempt = 0; ; attempt++) {
    let envelope: Envelope<ResponseFor<R>> | undefined;
    let failure: string;
    try {
      envelope = (await browser.runtime.sendMessage(request)) as Envelope<ResponseFor<R>> | undefined;
      failure = 'The background worker did not answer.';
    } catch (error) {
      if (!isTransportFailure(error)) throw error instanceof Error ? error : new Error(String(error));
      failure = error instanceof Error ? error.message : String(error);
    }
    if (envelope) {
      if (!envelope.ok) throw new Error(envelope.error);
      return envelope.value;
    }
    if (attempt >= RETRY_DELAYS_MS.length) throw new WorkerUnreachable(failure);
    await sleep(RETRY_DELAYS_MS[attempt]!);
  }
}
