// The pages' transport with its browser parts replaced: a mock, because no real worker can be stopped on
// cue here. The real thing is driven by test/e2e/chromium/worker-restart.test.ts (the worker stopped while
// the panel verifies and checks weak secrets).
import { describe, expect, it } from 'vitest';
import { createTransport, errorCode, TRANSPORT_RETRY_DELAYS_MS, type PortLike, type TransportDeps } from '../../src/ui/transport';
import type { WeakSecretPortMessage } from '../../src/messages';

/** Timers that fire at once (on the next microtask), remembering each delay asked for. */
function instantTimers() {
  const delays: number[] = [];
  return {
    delays,
    setTimeout(run: () => void, ms: number) {
      delays.push(ms);
      void Promise.resolve().then(run);
    },
  };
}

/** sendMessage answering from a script: each entry a value to resolve with, or an Error to reject with. */
function scriptedSend(script: unknown[]) {
  const sent: unknown[] = [];
  return {
    sent,
    sendMessage(message: unknown): Promise<unknown> {
      sent.push(message);
      const next = script.length > 1 ? script.shift() : script[0];
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
  };
}

const noConnect = (): PortLike => {
  throw new Error('not used');
};

function transportWith(
  send: { sendMessage: TransportDeps['sendMessage'] },
  timers = instantTimers(),
  connect: TransportDeps['connect'] = noConnect,
) {
  return { timers, transport: createTransport({ sendMessage: send.sendMessage, connect, setTimeout: timers.setTimeout }) };
}

const chromeNoReceiver = () => new Error('Could not establish connection. Receiving end does not exist.');

describe('ask', () => {
  it("returns the worker's answer, without waiting", async () => {
    const send = scriptedSend([{ ok: true, value: { ok: true, version: '1.2.3' } }]);
    const { transport, timers } = transportWith(send);
    await expect(transport.ask({ type: 'ping' })).resolves.toEqual({ ok: true, version: '1.2.3' });
    expect(send.sent).toEqual([{ type: 'ping' }]);
    expect(timers.delays).toEqual([]);
  });

  it('asks again while the worker is stopped, and gets the answer once it is back', async () => {
    // Refused while stopped, then the answer lost with a worker that died mid-request (the polyfill's
    // undefined), then answered.
    const send = scriptedSend([chromeNoReceiver(), undefined, { ok: true, value: [] }]);
    const { transport, timers } = transportWith(send);
    await expect(transport.ask({ type: 'keys/list' })).resolves.toEqual([]);
    expect(send.sent).toHaveLength(3);
    expect(timers.delays).toEqual(TRANSPORT_RETRY_DELAYS_MS.slice(0, 2));
  });

  it('ends with a transport error after the whole schedule when the worker never comes back', async () => {
    const send = scriptedSend([chromeNoReceiver()]);
    const { transport, timers } = transportWith(send);
    const error = await transport.ask({ type: 'ping' }).catch((e: unknown) => e);
    expect(errorCode(error)).toBe('transport');
    expect((error as Error).message).toMatch(/Receiving end does not exist/);
    expect(timers.delays).toEqual([...TRANSPORT_RETRY_DELAYS_MS]);
    expect(send.sent).toHaveLength(TRANSPORT_RETRY_DELAYS_MS.length + 1);
  });

  it('does not retry an error the worker returned: it is the answer, with its code', async () => {
    const send = scriptedSend([{ ok: false, code: 'key-not-found', message: 'That key is no longer in the store.' }]);
    const { transport, timers } = transportWith(send);
    const error = await transport.ask({ type: 'keys/reveal', id: 'x' }).catch((e: unknown) => e);
    expect(errorCode(error)).toBe('key-not-found');
    expect((error as Error).message).toBe('That key is no longer in the store.');
    expect(send.sent).toHaveLength(1);
    expect(timers.delays).toEqual([]);
  });

  it('does not retry a browser error that is not about reaching the worker', async () => {
    const send = scriptedSend([new Error('Could not serialize message.')]);
    const { transport, timers } = transportWith(send);
    const error = await transport.ask({ type: 'ping' }).catch((e: unknown) => e);
    expect(errorCode(error)).toBe('internal');
    expect(send.sent).toHaveLength(1);
    expect(timers.delays).toEqual([]);
  });
});

/** A port to a scripted worker: `behave` decides what the worker does with each connection. */
function fakeConnect(behave: (port: { send(m: WeakSecretPortMessage): void; die(): void }, attempt: number) => void) {
  let attempts = 0;
  const disconnectedByPage: number[] = [];
  const connect = (name: string): PortLike => {
    expect(name).toBe('weak-secret');
    const attempt = attempts++;
    const onMessage: ((m: unknown) => void)[] = [];
    const onDisconnect: (() => void)[] = [];
    const worker = {
      send: (m: WeakSecretPortMessage) => {
        for (const l of onMessage) l(m);
      },
      die: () => {
        for (const l of onDisconnect) l();
      },
    };
    return {
      postMessage: () => void Promise.resolve().then(() => behave(worker, attempt)),
      disconnect: () => disconnectedByPage.push(attempt),
      onMessage: { addListener: (l) => onMessage.push(l) },
      onDisconnect: { addListener: (l) => onDisconnect.push(l) },
    };
  };
  return { connect, disconnectedByPage, attempts: () => attempts };
}

describe('checkWeakSecret', () => {
  const unusedSend = { sendMessage: () => Promise.reject(new Error('not used')) };

  it('reports progress and the result', async () => {
    const worker = fakeConnect((p) => {
      p.send({ type: 'progress', tried: 5, total: 10 });
      p.send({ type: 'done', result: { found: true, secret: 'secret', source: 'list', tried: 7 } });
    });
    const { transport } = transportWith(unusedSend, instantTimers(), worker.connect);
    const progress: number[] = [];
    const run = transport.checkWeakSecret('t', (tried) => progress.push(tried));
    await expect(run.result).resolves.toMatchObject({ found: true, secret: 'secret' });
    expect(progress).toEqual([5]);
  });

  it('starts the check again when the worker stops under it', async () => {
    const worker = fakeConnect((p, attempt) => {
      if (attempt === 0) {
        p.send({ type: 'progress', tried: 1, total: 10 });
        p.die();
      } else p.send({ type: 'done', result: { found: false, tried: 10 } });
    });
    const timers = instantTimers();
    const { transport } = transportWith(unusedSend, timers, worker.connect);
    await expect(transport.checkWeakSecret('t').result).resolves.toEqual({ found: false, tried: 10 });
    expect(worker.attempts()).toBe(2);
    expect(timers.delays).toEqual([TRANSPORT_RETRY_DELAYS_MS[0]]);
  });

  it('gives up with a transport error when the worker never stays up', async () => {
    const worker = fakeConnect((p) => p.die());
    const { transport } = transportWith(unusedSend, instantTimers(), worker.connect);
    expect(errorCode(await transport.checkWeakSecret('t').result.catch((e: unknown) => e))).toBe('transport');
    expect(worker.attempts()).toBe(TRANSPORT_RETRY_DELAYS_MS.length + 1);
  });

  it("passes on the worker's own error with its code, once", async () => {
    const worker = fakeConnect((p) => p.send({ type: 'error', code: 'internal', message: 'the list could not be read' }));
    const { transport } = transportWith(unusedSend, instantTimers(), worker.connect);
    const error = await transport.checkWeakSecret('t').result.catch((e: unknown) => e);
    expect(errorCode(error)).toBe('internal');
    expect((error as Error).message).toBe('the list could not be read');
    expect(worker.attempts()).toBe(1);
  });

  it('closes the port on cancel and does not start again', async () => {
    let dieLater: (() => void) | undefined;
    const worker = fakeConnect((p) => (dieLater = p.die));
    const { transport } = transportWith(unusedSend, instantTimers(), worker.connect);
    const run = transport.checkWeakSecret('t');
    await new Promise((r) => setTimeout(r, 0));
    run.cancel();
    expect(worker.disconnectedByPage).toEqual([0]);
    dieLater?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(worker.attempts()).toBe(1);
  });
});
