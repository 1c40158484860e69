import type { CaptureRequest, JwksStatus, Request, StoredKey } from '../messages';
import type { JwksCache, JwksEntry } from './jwks-cache';
import type { KeyStore } from './key-store';
import type { VerificationService } from './verification-service';
import type { WeakSecretService } from './weak-secret-service';
import { summarizeJwks } from './jwks-summary';
import { withheldFinding } from './public-jwks';
import { publicHalf, redactedKey } from './key-secrecy';
import { clearKeyCache } from '../core/keys';
import { errorReply, WorkerError } from './worker-error';

export interface Services {
  store: KeyStore;
  jwks: JwksCache;
  verification: VerificationService;
  weakSecrets: WeakSecretService;
  persistJwks(): Promise<void>;
  /** Awaited before every request: the JWKS cache restored from storage (first request only). */
  ready?(): Promise<void>;
  /** The manifest's version (passed in so this module runs in Node tests without a browser). */
  version: string;
  /** Background capture (src/background/capture/tab-capture.ts); absent in tests that do not need it. */
  capture?: { handle(request: CaptureRequest): Promise<unknown> };
}

export function makeHandler(s: Services) {
  async function jwksUrlOf(key: StoredKey): Promise<string | undefined> {
    if (key.input.kind === 'jwks-url') return key.input.value;
    // Only the Refresh button asks: it is the user's say-so to try a resting issuer again.
    if (key.input.kind === 'issuer') return s.verification.jwksUriFor(key.input.value, true);
    return undefined;
  }

  async function statusOf(key: StoredKey, entry: JwksEntry | undefined, error?: unknown): Promise<JwksStatus> {
    const failure = error === undefined ? undefined : errorReply(error);
    const f = entry && withheldFinding(entry.url, entry.withheld);
    return {
      keyId: key.id,
      ...(entry ? { url: entry.url, fetchedAt: entry.fetchedAt } : {}),
      keys: entry ? await summarizeJwks(entry.jwks) : [],
      ...(f
        ? { findings: [{ id: 'jwks-symmetric-key', severity: f.severity, title: f.title, detail: f.detail, reference: f.reference }] }
        : {}),
      ...(failure ? { error: failure.message, errorCode: failure.code } : {}),
    };
  }

  return async function handle(request: Request): Promise<unknown> {
    await s.ready?.();
    switch (request?.type) {
      case 'ping':
        return { ok: true, version: s.version };
      case 'verify':
        return s.verification.verify(String(request.token ?? ''), request.keys);
      case 'keys/list':
        return (await s.store.list()).map(redactedKey);
      case 'keys/reveal': {
        const key = (await s.store.list()).find((k) => k.id === request.id);
        if (!key) throw new WorkerError('key-not-found', 'That key is no longer in the store.');
        return { value: key.input.value };
      }
      case 'keys/add': {
        const { input, notice } = await publicHalf(request.key.input);
        const added = redactedKey(await s.store.add({ ...request.key, input }));
        return notice ? { ...added, notice } : added;
      }
      case 'keys/update': {
        // Pages edit a key's label and issuer only; its value stays the stored one (pages see it redacted).
        const current = (await s.store.list()).find((k) => k.id === request.key?.id);
        if (!current) throw new WorkerError('key-not-found', 'That key is no longer in the store.');
        const { issuer } = request.key;
        const { issuer: _old, ...rest } = current;
        return redactedKey(await s.store.update({ ...rest, label: request.key.label, ...(typeof issuer === 'string' ? { issuer } : {}) }));
      }
      case 'keys/delete': {
        const key = (await s.store.list()).find((k) => k.id === request.id);
        await s.store.remove(request.id);
        // What was derived from the key goes with it: its fetched JWKS, its discovery, and every imported
        // key (the import cache holds secret bytes and inline keys typed in the popup).
        if (key?.input.kind === 'jwks-url') s.jwks.forget(key.input.value);
        if (key?.input.kind === 'issuer') {
          const uri = s.verification.knownJwksUri(key.input.value);
          if (uri) s.jwks.forget(uri);
          s.verification.forgetDiscovery(key.input.value);
        }
        clearKeyCache();
        await s.persistJwks();
        return { ok: true };
      }
      case 'keys/clear':
        await s.store.clear();
        s.jwks.clear();
        s.verification.forgetDiscovery();
        clearKeyCache();
        await s.persistJwks();
        return { ok: true };
      case 'settings/get':
        return s.store.getSettings();
      case 'settings/set': {
        const settings = await s.store.setSettings(request.settings);
        // The JWKS cache moves with the keys: off storage.local when keys are not to be kept.
        await s.persistJwks();
        return settings;
      }
      case 'store/problems':
        await s.store.ready();
        return s.store.problems;
      case 'jwks/refresh': {
        const key = (await s.store.list()).find((k) => k.id === request.id);
        if (!key) throw new WorkerError('key-not-found', 'That key is no longer in the store.');
        try {
          const url = await jwksUrlOf(key);
          if (!url) throw new WorkerError('not-a-key-set', 'This key is not a JWKS URL or an issuer.');
          const entry = await s.jwks.refresh(url);
          await s.persistJwks();
          return statusOf(key, entry);
        } catch (e) {
          return statusOf(key, undefined, e);
        }
      }
      case 'jwks/status': {
        const out: JwksStatus[] = [];
        for (const key of await s.store.list()) {
          if (key.input.kind !== 'jwks-url' && key.input.kind !== 'issuer') continue;
          const url = key.input.kind === 'jwks-url' ? key.input.value : s.verification.knownJwksUri(key.input.value);
          const entry = url ? s.jwks.peek(url) : undefined;
          // An issuer's discovered jwks_uri is shown even before its keys were fetched.
          out.push({ ...(await statusOf(key, entry)), ...(url && !entry ? { url } : {}) });
        }
        return out;
      }
      case 'weak-secret/check':
        return s.weakSecrets.check(String(request.token ?? ''));
      // Background capture: its own module answers (src/background/capture/tab-capture.ts).
      case 'capture/tab':
      case 'capture/sightings':
      case 'capture/watch':
      case 'capture/unwatch':
      case 'capture/watched':
        if (!s.capture) throw new WorkerError('bad-request', 'Background capture is not running.');
        return s.capture.handle(request);
      default:
        throw new WorkerError('bad-request', `Unknown request: ${String((request as { type?: unknown })?.type)}`);
    }
  };
}
