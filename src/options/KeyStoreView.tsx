import { useEffect, useState } from 'preact/hooks';
import { detectKeyKind } from '../core/key-kind';
import { keyInputFromText, type ChosenKeyKind } from '../core/key-input';
import type { JwksStatus, Settings, StoredKey } from '../messages';
import { ask } from '../ui/worker-client';
import { isTransportFailure } from '../ui/transport';
import { TextArea } from '../ui/TextArea';
import { requestOriginAccess } from './host-permission';
import { KeyRow } from './KeyRow';
import { TestToken } from './TestToken';
import { t } from '../ui/i18n';
import { localDateTimeText } from '../ui/local-time-text';

export function KeyStoreView() {
  const [keys, setKeys] = useState<StoredKey[]>([]);
  const [statuses, setStatuses] = useState<Record<string, JwksStatus>>({});
  const [settings, setSettings] = useState<Settings | undefined>();
  const [problems, setProblems] = useState<string[]>([]);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | undefined>();
  const [value, setValue] = useState('');
  const [label, setLabel] = useState('');
  const [issuer, setIssuer] = useState('');
  const [kind, setKind] = useState<ChosenKeyKind>('auto');
  const [encoding, setEncoding] = useState<'utf8' | 'base64' | 'base64url' | 'hex'>('utf8');
  const [ready, setReady] = useState(false);

  const detected = value.trim() ? detectKeyKind(value.trim()) : undefined;

  async function reload() {
    const [k, s, p, st] = await Promise.all([
      ask({ type: 'keys/list' }),
      ask({ type: 'settings/get' }),
      ask({ type: 'store/problems' }),
      ask({ type: 'jwks/status' }),
    ]);
    setKeys(k);
    setSettings(s);
    setProblems(p);
    setStatuses((prev) => ({ ...Object.fromEntries(st.map((x) => [x.keyId, x])), ...keepFetched(prev, st) }));
    setReady(true);
  }

  useEffect(() => {
    reload().catch((e: unknown) => {
      const text = e instanceof Error ? e.message : String(e);
      setMessage({
        text: isTransportFailure(e) ? t('options_worker_silent', text) : t('options_load_failed', text),
        error: true,
      });
    });
  }, []);

  function onAdd(e: Event) {
    e.preventDefault();
    const text = value.trim();
    const input = keyInputFromText(value, { acceptUrls: true, kind, secretEncoding: kind === 'auto' ? 'detected' : encoding });
    if (!input) return;
    const chosen = input.kind;
    // The permission prompt needs the click's user gesture: ask before anything is awaited.
    const access = chosen === 'jwks-url' || chosen === 'issuer' ? requestOriginAccess(text) : Promise.resolve(true);
    void (async () => {
      try {
        const added = await ask({
          type: 'keys/add',
          key: { label: label.trim() || defaultLabel(chosen, text), input, ...(issuer.trim() ? { issuer: issuer.trim() } : {}) },
        });
        setValue('');
        setLabel('');
        setIssuer('');
        setMessage({ text: added.notice ? t('options_added_notice', added.notice) : t('options_added') });
        await reload();
        if (chosen === 'jwks-url' || chosen === 'issuer') {
          // Servers that allow cross-origin reads answer without host access; the rest once access is granted.
          await refresh(added.id);
          if (await access) await refresh(added.id);
        }
      } catch (err) {
        setMessage({ text: String(err instanceof Error ? err.message : err), error: true });
      }
    })();
  }

  async function refresh(id: string) {
    const status = await ask({ type: 'jwks/refresh', id });
    setStatuses((s) => ({ ...s, [id]: status }));
    setMessage(
      status.error
        ? { text: status.error, error: true }
        : { text: t('options_fetched_keys', status.keys.length, status.url ?? t('options_the_server')) },
    );
  }

  /** The Refresh button is a user gesture: the moment to ask again for access to the key's origin. */
  function refreshAsking(key: StoredKey) {
    const access = requestOriginAccess(key.input.value);
    void refresh(key.id).then(async () => {
      if (await access) await refresh(key.id);
    });
  }

  async function remove(id: string) {
    await ask({ type: 'keys/delete', id });
    await reload();
  }

  async function update(key: StoredKey) {
    await ask({ type: 'keys/update', key });
    await reload();
  }

  async function forgetAll() {
    if (!confirm(t('options_forget_confirm'))) return;
    await ask({ type: 'keys/clear' });
    await reload();
  }

  async function toggleKeepSecrets(keepSecrets: boolean) {
    setSettings(await ask({ type: 'settings/set', settings: { keepSecrets } }));
  }

  return (
    <main class="options-page" data-testid={ready ? 'options-ready' : 'options-loading'}>
      <h1>{t('options_title')}</h1>
      <p class="muted">{t('options_intro')}</p>
      {problems.length > 0 && (
        <div class="error" role="alert" data-testid="store-problems">
          {problems.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </div>
      )}
      {message && (
        <p class={message.error ? 'error' : 'ok'} role="status" data-testid="options-message">
          {message.text}
        </p>
      )}

      <section>
        <h2>{t('panel_add_key')}</h2>
        <form onSubmit={onAdd} class="add-key">
          <label class="field">
            <span>{t('options_key_value')}</span>
            <TextArea data-testid="key-value" rows={4} value={value} onValue={setValue} />
          </label>
          {detected && (
            <p class="muted" data-testid="key-detected">
              {t('common_looks_like', detected.description)}
            </p>
          )}
          <div class="row">
            <label>
              {t('options_kind')}{' '}
              <select data-testid="key-kind" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as ChosenKeyKind)}>
                <option value="auto">{t('options_kind_auto')}</option>
                <option value="secret">{t('key_kind_secret')}</option>
                <option value="pem">{t('key_kind_pem')}</option>
                <option value="jwk">{t('key_kind_jwk')}</option>
                <option value="jwks">{t('key_kind_jwks')}</option>
                <option value="jwks-url">{t('key_kind_jwks_url')}</option>
                <option value="issuer">{t('options_kind_issuer')}</option>
              </select>
            </label>
            {(kind === 'secret' || (kind === 'auto' && detected?.kind === 'secret')) && (
              <label>
                {t('options_encoding')}{' '}
                <select
                  data-testid="key-encoding"
                  value={encoding}
                  onChange={(e) => setEncoding((e.target as HTMLSelectElement).value as typeof encoding)}
                >
                  <option value="utf8">{t('options_encoding_utf8')}</option>
                  <option value="base64">base64</option>
                  <option value="base64url">base64url</option>
                  <option value="hex">hex</option>
                </select>
              </label>
            )}
            <label>
              {t('options_label')}{' '}
              <input data-testid="key-label" value={label} onInput={(e) => setLabel((e.target as HTMLInputElement).value)} />
            </label>
            <label>
              {t('options_only_for_issuer')}{' '}
              <input
                data-testid="key-issuer"
                placeholder="https://issuer.example"
                value={issuer}
                onInput={(e) => setIssuer((e.target as HTMLInputElement).value)}
              />
            </label>
            <button type="submit" data-testid="key-add">
              {t('options_add')}
            </button>
          </div>
        </form>
      </section>

      <section>
        <h2>{t('options_stored_keys', keys.length)}</h2>
        {keys.length === 0 && <p class="muted">{t('options_no_keys', t('verification_no_matching_key'))}</p>}
        <ul class="key-list">
          {keys.map((k) => (
            <KeyRow
              key={k.id}
              storedKey={k}
              status={statuses[k.id]}
              onRefresh={() => refreshAsking(k)}
              onDelete={() => remove(k.id)}
              onUpdate={update}
              onReveal={async () => (await ask({ type: 'keys/reveal', id: k.id })).value}
            />
          ))}
        </ul>
        {keys.length > 0 && (
          <button type="button" data-testid="forget-all" onClick={forgetAll}>
            {t('options_forget_all')}
          </button>
        )}
      </section>

      <TestToken />

      <section>
        <h2>{t('options_settings')}</h2>
        <label>
          <input
            type="checkbox"
            data-testid="keep-secrets"
            checked={settings?.keepSecrets ?? true}
            onChange={(e) => toggleKeepSecrets((e.target as HTMLInputElement).checked)}
          />{' '}
          {t('options_keep_secrets')}
        </label>
      </section>
    </main>
  );
}

function keepFetched(prev: Record<string, JwksStatus>, fresh: JwksStatus[]): Record<string, JwksStatus> {
  // A status with keys (from a refresh) is more informative than the worker's cache peek without them.
  const out: Record<string, JwksStatus> = {};
  for (const s of fresh) {
    const before = prev[s.keyId];
    if (before?.keys.length && !s.keys.length) out[s.keyId] = before;
  }
  return out;
}

function defaultLabel(kind: ChosenKeyKind, text: string): string {
  if (kind === 'jwks-url' || kind === 'issuer') return safeOrigin(text);
  return t('options_default_label', kind, localDateTimeText(Date.now()));
}

function safeOrigin(text: string): string {
  try {
    return new URL(text).host;
  } catch {
    return text.slice(0, 40);
  }
}
