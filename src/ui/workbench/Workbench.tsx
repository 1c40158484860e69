// The token workbench: header and payload as editable JSON, the token they make (kept, stripped or signed
// by the worker), claim helpers and the attack presets. Shared by the panel's detail and the popup; loaded
// on demand, never before a surface's first paint.
import { useEffect, useReducer, useState } from 'preact/hooks';
import { ATTACK_IDS, type AttackId } from '../../core/workbench/attacks';
import { ATTACKS } from '../../core/workbench/attack-info';
import { PEM_VARIANT_TEXT } from '../../core/workbench/pem-variants';
import type { StoredKey } from '../../messages';
import { CopyButton } from '../CopyButton';
import { TextArea } from '../TextArea';
import { VisibleText } from '../VisibleText';
import { Compare } from './Compare';
import { JweDecrypt } from './JweDecrypt';
import { SigningKeyPicker } from './SigningKeyPicker';
import type { Ask, SignMode, WorkbenchSession } from './workbench-session';
import './workbench.css';

export function useSession(session: WorkbenchSession): void {
  const [, tick] = useReducer((n: number) => n + 1, 0);
  useEffect(() => session.subscribe(() => tick(undefined)), [session]);
}

const now = () => Math.floor(Date.now() / 1000);

function JsonError({ error }: { error: { message: string; line?: number } | undefined }) {
  if (!error) return null;
  return (
    <p class="error small" data-testid="workbench-error" data-line={error.line}>
      <VisibleText text={error.message} limit={300} />
    </p>
  );
}

function PresetOptions({ session, ask }: { session: WorkbenchSession; ask: Ask }) {
  const [publicKeys, setPublicKeys] = useState<StoredKey[]>([]);
  const reload = () =>
    ask({ type: 'keys/list' }).then(
      (keys) => {
        // Secrets are no public keys; a JWKS URL or issuer offers its fetched set.
        const usable = keys.filter((k) => k.input.kind !== 'secret');
        setPublicKeys(usable);
      },
      () => {},
    );
  useEffect(() => void reload(), [session]);
  return (
    <div class="wb-preset-options small">
      <label>
        Server public key (hs-rs-confusion){' '}
        <select
          data-testid="preset-public-key"
          onFocus={() => void reload()}
          value={session.publicKeyId ?? ''}
          onChange={(e) => session.setPresetOptions({ publicKeyId: (e.target as HTMLSelectElement).value || undefined })}
        >
          <option value="">the first stored RSA key</option>
          {publicKeys.map((k) => (
            <option key={k.id} value={k.id}>
              {k.label}
            </option>
          ))}
        </select>
      </label>
      <TextArea
        data-testid="preset-public-key-text"
        rows={2}
        placeholder="…or paste the server's RSA public key (PEM or JWK)"
        value={session.publicKeyText}
        onValue={(v) => session.setPresetOptions({ publicKeyText: v })}
      />
      <label>
        Your key set URL (jku-injection){' '}
        <input
          type="url"
          data-testid="preset-url"
          placeholder="https://your-server.example/jwks.json"
          value={session.url}
          onInput={(e) => session.setPresetOptions({ url: (e.target as HTMLInputElement).value })}
        />
      </label>
      <p class="muted">A URL a token names is never used or fetched: only the one you type here goes into the header.</p>
    </div>
  );
}

function PresetRow({ id, session }: { id: AttackId; session: WorkbenchSession }) {
  const info = ATTACKS[id];
  return (
    <li class="wb-preset">
      <button
        type="button"
        data-testid="attack"
        data-attack={id}
        disabled={session.busy}
        class={session.label === id ? 'active' : ''}
        onClick={() => void session.applyPreset(id)}
      >
        {info.title}
      </button>
      {info.variants.length > 1 && (
        <select
          class="small"
          aria-label={`${info.title} variant`}
          value={session.variants[id] ?? ''}
          onChange={(e) => session.setVariant(id, (e.target as HTMLSelectElement).value)}
        >
          <option value="">{id === 'claim-tamper' ? 'your edits, else exp' : info.variants[0]}</option>
          {info.variants.map((v) => (
            <option key={v} value={v}>
              {id === 'hs-rs-confusion' ? PEM_VARIANT_TEXT[v as keyof typeof PEM_VARIANT_TEXT] : v}
            </option>
          ))}
        </select>
      )}
      <span class="small">
        Tests {info.tests}. A vulnerable server {info.vulnerable}. <span class="muted">{info.reference}</span>
      </span>
    </li>
  );
}

export function Workbench({ session, ask }: { session: WorkbenchSession; ask: Ask }) {
  useSession(session);
  const [claim, setClaim] = useState('');
  const mode = session.mode;
  const setMode = (m: SignMode) => session.setMode(m);

  if (session.original.split('.').length === 5) {
    return (
      <section class="workbench" data-testid="workbench">
        <h2>Workbench</h2>
        <JweDecrypt token={session.original} ask={ask} />
      </section>
    );
  }

  if (session.tooLarge) {
    return (
      <section class="workbench" data-testid="workbench">
        <h2>Workbench</h2>
        <JsonError error={session.headerError} />
      </section>
    );
  }

  return (
    <section class="workbench" data-testid="workbench">
      <h2>Workbench</h2>
      <div class="wb-editors">
        <label>
          Header
          <TextArea data-testid="workbench-header" rows={6} value={session.headerText} onValue={(v) => session.setHeaderText(v)} />
          <JsonError error={session.headerError} />
        </label>
        <label>
          Payload
          <TextArea data-testid="workbench-payload" rows={10} value={session.payloadText} onValue={(v) => session.setPayloadText(v)} />
          <JsonError error={session.payloadError} />
        </label>
      </div>
      <div class="row small wb-claims">
        <button type="button" data-testid="claim-exp-1h" onClick={() => session.setClaim('exp', now() + 3600)}>
          exp = now + 1 h
        </button>
        <button type="button" data-testid="claim-iat-now" onClick={() => session.setClaim('iat', now())}>
          iat = now
        </button>
        <button type="button" data-testid="claim-nbf-now" onClick={() => session.setClaim('nbf', now())}>
          nbf = now
        </button>
        <input
          type="text"
          placeholder="claim"
          value={claim}
          onInput={(e) => setClaim((e.target as HTMLInputElement).value)}
          aria-label="Claim to remove"
        />
        <button type="button" data-testid="claim-remove" disabled={!claim} onClick={() => session.setClaim(claim, undefined)}>
          Remove claim
        </button>
      </div>
      <fieldset class="wb-mode small">
        <label>
          <input type="radio" name="wb-mode" data-testid="mode-keep" checked={mode === 'keep'} onChange={() => setMode('keep')} /> Keep the
          signature
        </label>
        <label>
          <input type="radio" name="wb-mode" data-testid="mode-none" checked={mode === 'none'} onChange={() => setMode('none')} /> No
          signature
        </label>
        <label>
          <input type="radio" name="wb-mode" data-testid="mode-sign" checked={mode === 'sign'} onChange={() => setMode('sign')} /> Sign with
        </label>
        <SigningKeyPicker ask={ask} value={session.signKeyId} onPick={(id) => session.setMode('sign', id ?? '')} />
      </fieldset>
      <p class="small">
        Token{session.label !== 'edited' ? ` (preset ${session.label})` : ''}: <CopyButton text={session.token} label="Copy" />
      </p>
      <code class="wb-token" data-testid="workbench-token" data-label={session.label}>
        {session.token}
      </code>
      {session.problem && (
        <p class="error small" data-testid="workbench-problem">
          <VisibleText text={session.problem} limit={500} />
        </p>
      )}
      <h3>Attack presets</h3>
      <PresetOptions session={session} ask={ask} />
      <ul class="wb-presets">
        {ATTACK_IDS.map((id) => (
          <PresetRow key={id} id={id} session={session} />
        ))}
      </ul>
      <h3>Compare</h3>
      <p class="muted small">The workbench token against another (the original, a refreshed one): differing claims are highlighted.</p>
      <Compare left={session.token} right={session.original} />
    </section>
  );
}
