// How every page talks to the worker: ask (one message, one answer), the weak-secret check (a port with
// progress), and one retry schedule for a worker that is stopped or restarting (MV3). The browser comes in as
// `sendMessage`, `connect` and `setTimeout` (src/ui/worker-client.ts binds the real ones), so this runs and is
// tested without a browser (test/ui/transport.test.ts).
import {
  WEAK_SECRET_PORT,
  type Envelope,
  type ErrorCode,
  type Request,
  type ResponseFor,
  type WeakSecretPortMessage,
  type WeakSecretResult,
} from '../messages';

/**
 * Waits before each new attempt when the worker could not be reached. A stopped worker is started again by
 * the next message; one still shutting down refuses messages for a moment, and under load a restart can
 * take seconds: about 13 s in all, after which the call fails with code `transport`.
 */
export const TRANSPORT_RETRY_DELAYS_MS: readonly number[] = [100, 200, 400, 800, 1600, 3200, 6400];

/** An error from the worker, or from trying to reach it; pages tell errors apart by `code` alone. */
export class WorkerRequestError extends Error {
  override name = 'WorkerRequestError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The code of an error a page got from its worker calls, if it has one. */
export function errorCode(error: unknown): ErrorCode | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? (code as ErrorCode) : undefined;
}

/** The worker was not reached, or stopped before answering: the request may or may not have run. */
export function isTransportFailure(error: unknown): boolean {
  return errorCode(error) === 'transport';
}

// What Chrome and Firefox say when a message or port never reached a live worker, or its answer was lost with
// it. The only place the browser's words are read: everything past this point goes by the code.
const BROWSER_TRANSPORT_FAILURE =
  /Could not establish connection|Receiving end does not exist|message port closed|message channel (?:is )?closed|Extension context invalidated|Message manager disconnected|went out of scope|disconnected port/i;

/** An error thrown by the browser's `sendMessage` or `connect`, with its code. */
export function fromBrowserError(error: unknown): WorkerRequestError {
  const message = error instanceof Error ? error.message : String(error);
  return new WorkerRequestError(BROWSER_TRANSPORT_FAILURE.test(message) ? 'transport' : 'internal', message);
}

/** The part of `runtime.Port` used here. */
export interface PortLike {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

export interface TransportDeps {
  sendMessage(message: unknown): Promise<unknown>;
  connect(name: string): PortLike;
  setTimeout(run: () => void, ms: number): unknown;
  /** TRANSPORT_RETRY_DELAYS_MS unless given. */
  retryDelaysMs?: readonly number[];
}

export interface WeakSecretRun {
  result: Promise<WeakSecretResult>;
  /** Closing the port is the cancel signal the worker listens for; `result` then never settles. */
  cancel(): void;
}

export interface WorkerTransport {
  /** One request; an error the worker returned is thrown at once, transport failures are retried. */
  ask<R extends Request>(request: R): Promise<ResponseFor<R>>;
  /** The weak-secret check over its port, with progress; started again if the worker stops under it. */
  checkWeakSecret(token: string, onProgress?: (tried: number, total: number) => void): WeakSecretRun;
}

export function createTransport(deps: TransportDeps): WorkerTransport {
  const delays = deps.retryDelaysMs ?? TRANSPORT_RETRY_DELAYS_MS;
  const sleep = (ms: number) => new Promise<void>((resolve) => deps.setTimeout(resolve, ms));

  async function withRetries<T>(attempt: () => Promise<T>, abandoned: () => boolean = () => false): Promise<T> {
    for (let i = 0; ; i++) {
      try {
        return await attempt();
      } catch (error) {
        if (!isTransportFailure(error) || i >= delays.length || abandoned()) throw error;
        await sleep(delays[i]!);
      }
    }
  }

  async function askOnce<R extends Request>(request: R): Promise<ResponseFor<R>> {
    let answer: Envelope<ResponseFor<R>> | undefined;
    try {
      answer = (await deps.sendMessage(request)) as Envelope<ResponseFor<R>> | undefined;
    } catch (error) {
      throw fromBrowserError(error);
    }
    // webextension-polyfill turns Chrome's "The message port closed before a response was received." into an
    // undefined answer; a worker that ignores the sender answers nothing either.
    if (typeof answer !== 'object' || answer === null) throw new WorkerRequestError('transport', 'The background worker did not answer.');
    if (!answer.ok) throw new WorkerRequestError(answer.code ?? 'internal', answer.message);
    return answer.value;
  }

  function weakSecretOnce(
    token: string,
    onProgress: ((tried: number, total: number) => void) | undefined,
    onPort: (port: PortLike) => void,
  ) {
    return new Promise<WeakSecretResult>((resolve, reject) => {
      let port: PortLike;
      try {
        port = deps.connect(WEAK_SECRET_PORT);
      } catch (error) {
        reject(fromBrowserError(error));
        return;
      }
      onPort(port);
      let settled = false;
      port.onMessage.addListener((raw: unknown) => {
        const message = raw as WeakSecretPortMessage;
        if (message.type === 'progress') onProgress?.(message.tried, message.total);
        else {
          settled = true;
          port.disconnect();
          if (message.type === 'done') resolve(message.result);
          else reject(new WorkerRequestError(message.code ?? 'internal', message.message));
        }
      });
      port.onDisconnect.addListener(() => {
        if (!settled) reject(new WorkerRequestError('transport', 'The background worker stopped during the weak-secret check.'));
      });
      try {
        port.postMessage({ token });
      } catch (error) {
        reject(fromBrowserError(error));
      }
    });
  }

  return {
    ask: (request) => withRetries(() => askOnce(request)),
    checkWeakSecret(token, onProgress) {
      let cancelled = false;
      let current: PortLike | undefined;
      const result = withRetries(
        () => weakSecretOnce(token, onProgress, (port) => (current = port)),
        () => cancelled,
      );
      return {
        result: result.then(
          (value) => (cancelled ? never<WeakSecretResult>() : value),
          (error: unknown) => (cancelled ? never<WeakSecretResult>() : Promise.reject(error)),
        ),
        cancel() {
          if (cancelled) return;
          cancelled = true;
          current?.disconnect();
        },
      };
    },
  };
}

function never<T>(): Promise<T> {
  return new Promise<T>(() => {});
}
