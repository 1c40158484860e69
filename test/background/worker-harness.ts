// The worker's services as src/background/index.ts wires them, over in-memory storage areas: browser.storage
// cannot run in Node, everything else (key store, JWKS cache, discovery, verification, fetch) is the real code.
import { makeHandler } from '../../src/background/handlers';
import { JwksCache } from '../../src/background/jwks-cache';
import { JwksPersistence } from '../../src/background/jwks-persistence';
import { KeyStore, type StorageAreaLike } from '../../src/background/key-store';
import { VerificationService } from '../../src/background/verification-service';
import { WeakSecretService } from '../../src/background/weak-secret-service';
import type { Request, ResponseFor } from '../../src/messages';

export function memoryArea(initial: Record<string, unknown> = {}): StorageAreaLike & { data: Record<string, unknown> } {
  const data = structuredClone(initial);
  return {
    data,
    async get(key) {
      return key in data ? { [key]: structuredClone(data[key]) } : {};
    },
    async set(items) {
      Object.assign(data, structuredClone(items));
    },
    async remove(key) {
      delete data[key];
    },
  };
}

export function workerHarness(options: { now?: () => number } = {}) {
  const local = memoryArea();
  const session = memoryArea();
  let n = 0;
  const store = new KeyStore(local, session, () => `key-${++n}`);
  const jwks = new JwksCache({ ...(options.now ? { now: options.now } : {}) });
  const verification = new VerificationService(() => store.list(), jwks);
  const weakSecrets = new WeakSecretService(async () => '');
  const jwksStorage = new JwksPersistence(local, session, jwks, async () => (await store.getSettings()).keepSecrets);
  let restored: Promise<void> | undefined;
  const persistJwks = () => jwksStorage.save();
  const handle = makeHandler({
    store,
    jwks,
    verification,
    weakSecrets,
    persistJwks,
    ready: () => (restored ??= jwksStorage.restore()),
    version: 'test',
  });
  const ask = <R extends Request>(request: R) => handle(request) as Promise<ResponseFor<R>>;
  return { local, session, store, jwks, verification, handle, ask, persistJwks, jwksStorage };
}
