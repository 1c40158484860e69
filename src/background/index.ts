import browser from 'webextension-polyfill';
import { WEAK_SECRET_PORT, type Envelope, type Request, type WeakSecretPortMessage } from '../messages';
import secretsListUrl from './weak-secrets/jwt.secrets.list?url';
import { makeHandler } from './handlers';
import { JwksCache } from './jwks-cache';
import { JwksPersistence } from './jwks-persistence';
import { KeyStore, type StorageAreaLike } from './key-store';
import { VerificationService } from './verification-service';
import { WeakSecretService } from './weak-secret-service';
import { sessionArea } from './storage-areas';
import { registerContextMenu } from './context-menu';
import { isOwnPage, type SenderLike } from './own-pages';
import { errorReply } from './worker-error';
import { startBackgroundCapture } from './capture/tab-capture';
import { SigningKeyStore } from './signing-key-store';
import { isWorkbenchRequest, makeWorkbenchHandler } from './workbench-handler';

const store = new KeyStore(browser.storage.local as unknown as StorageAreaLike, sessionArea());
const jwks = new JwksCache();
// The cache survives a worker restart so a stopped worker does not refetch every JWKS when it wakes; where
// it is kept follows "Keep keys after the browser closes".
const jwksStorage = new JwksPersistence(
  browser.storage.local as unknown as StorageAreaLike,
  sessionArea(),
  jwks,
  async () => (await store.getSettings()).keepSecrets,
);
// Restored on first need, not at start: reading the setting loads the key store, which must happen on the
// first request (test/e2e/chromium/storage-faults.test.ts writes stored data before making one).
let jwksRestored: Promise<void> | undefined;
const restoreJwks = () => (jwksRestored ??= jwksStorage.restore().catch(() => {}));
const verification = new VerificationService(async () => {
  await restoreJwks();
  return store.list();
}, jwks);
const weakSecrets = new WeakSecretService(async () => (await fetch(secretsListUrl)).text());
const persistJwks = async () => {
  // Never write before the stored cache was read: that would replace it with a partial one.
  await restoreJwks();
  await jwksStorage.save();
};
// Its webRequest and tab listeners are added in this first turn, so their events wake a stopped worker.
const capture = startBackgroundCapture({
  local: browser.storage.local as unknown as StorageAreaLike,
  session: sessionArea() ?? (browser.storage.local as unknown as StorageAreaLike),
});
const handleKeys = makeHandler({
  capture,
  store,
  jwks,
  verification,
  weakSecrets,
  persistJwks,
  ready: restoreJwks,
  version: browser.runtime.getManifest().version,
});

// The workbench's messages (signing keys, sign, presets) go to their own handler.
const signingKeys = new SigningKeyStore(browser.storage.local as unknown as StorageAreaLike, sessionArea());
const handleWorkbench = makeWorkbenchHandler({
  signingKeys,
  verificationKeys: () => store.list(),
  fetchedKeySet: (key) => {
    const url =
      key.input.kind === 'jwks-url'
        ? key.input.value
        : key.input.kind === 'issuer'
          ? verification.knownJwksUri(key.input.value)
          : undefined;
    return url ? jwks.peek(url)?.jwks : undefined;
  },
});
const handle = (request: Request) => (isWorkbenchRequest(request) ? handleWorkbench(request) : handleKeys(request));

// Registered synchronously at start so a worker woken by a message or a click sees it (MV3).
registerContextMenu();

const fromOwnPage = (sender: SenderLike | undefined) => isOwnPage(sender, browser.runtime.id, browser.runtime.getURL(''));

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
  if (!fromOwnPage(sender)) return undefined;
  const before = jwks.fetchCount;
  return handle(message as Request)
    .then(async (value) => {
      if (jwks.fetchCount !== before) await persistJwks().catch(() => {});
      return value;
    })
    .then(
      (value): Envelope<unknown> => ({ ok: true, value }),
      (error: unknown): Envelope<unknown> => ({ ok: false, ...errorReply(error) }),
    );
});

browser.runtime.onConnect.addListener((port) => {
  if (port.name !== WEAK_SECRET_PORT || !fromOwnPage(port.sender)) return;
  const controller = new AbortController();
  port.onDisconnect.addListener(() => controller.abort());
  port.onMessage.addListener((message: unknown) => {
    const token = String((message as { token?: unknown })?.token ?? '');
    const send = (m: WeakSecretPortMessage) => {
      if (!controller.signal.aborted) port.postMessage(m);
    };
    weakSecrets
      .check(token, (tried, total) => send({ type: 'progress', tried, total }), controller.signal)
      .then(
        (result) => send({ type: 'done', result }),
        (e: unknown) => send({ type: 'error', ...errorReply(e) }),
      );
  });
});
