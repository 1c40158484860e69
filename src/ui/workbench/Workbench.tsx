// The token workbench: header and payload as editable JSON, the token they make (kept, stripped or signed
// by the worker), claim helpers and the attack presets. Shared by the panel's detail and the popup; loaded
// on demand, never before a surface's first paint.
import { useEffect, useReducer, useState } from 'preact/hooks';
import { ATTACK_IDS, type AttackId } from '../../core/workbench/attacks';
import { ATTACKS } from '../../core/workbench/attack-info';
import type { PemVariant } from '../../core/workbench/pem-variants';
import type { StoredKey } from '../../messages';
import { CopyButton } from '../CopyButton';
import { keyPart, t } from '../i18n';
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
        {t('workbench_public_key_label')}{' '}
        <select
          data-testid="preset-public-key"
          onFocus={() => void reload()}
          value={session.publicKeyId ?? ''}
          onChange={(e) => session.setPresetOptions({ publicKeyId: (e.target as HTMLSelectElement).value || undefined })}
        >
          <option value="">{t('workbench_public_key_first')}</option>
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
        placeholder={t('workbench_public_key_placeholder')}
        value={session.publicKeyText}
        onValue={(v) => session.setPresetOptions({ publicKeyText: v })}
      />
      <label>
        {t('workbench_url_label')}{' '}
        <input
          type="url"
          data-testid="preset-url"
          placeholder={t('workbench_url_placeholder')}
          value={session.url}
          onInput={(e) => session.setPresetOptions({ url: (e.target as HTMLInputElement).value })}
        />
      </label>
      <p class="muted">{t('workbench_url_note')}</p>
    </div>
  );
}

// The core's attack-info.ts keeps each preset's English (and its references, which are ids: CVEs, RFC
// sections); what a person reads is looked up by the preset id, as the finding texts are.
type AttackTextPart = 'title' | 'tests' | 'vulnerable';
const attackText = (id: AttackId, part: AttackTextPart) => t(`workbench_attack_${keyPart(id)}_${part}`);

/** hs-rs-confusion's PEM armours in words; the other variants are ids (alg names, jku / x5u, dev-null, sql). */
const PEM_VARIANT_WORDS: Record<PemVariant, () => string> = {
  'spki-lf': () => t('workbench_pem_spki_lf'),
  spki: () => t('workbench_pem_spki'),
  'spki-crlf': () => t('workbench_pem_spki_crlf'),
  'pkcs1-lf': () => t('workbench_pem_pkcs1_lf'),
  pkcs1: () => t('workbench_pem_pkcs1'),
};

function variantText(id: AttackId, variant: string): string {
  if (id === 'hs-rs-confusion' && Object.hasOwn(PEM_VARIANT_WORDS, variant)) return PEM_VARIANT_WORDS[variant as PemVariant]();
  if (id === 'claim-tamper' && variant === 'edited') return t('workbench_variant_claim_tamper_edited');
  return variant;
}

function PresetRow({ id, session }: { id: AttackId; session: WorkbenchSession }) {
  const info = ATTACKS[id];
  const title = attackText(id, 'title');
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
        {title}
      </button>
      {info.variants.length > 1 && (
        <select
          class="small"
          aria-label={t('workbench_variant_label', title)}
          value={session.variants[id] ?? ''}
          onChange={(e) => session.setVariant(id, (e.target as HTMLSelectElement).value)}
        >
          <option value="">
            {id === 'claim-tamper' ? t('workbench_variant_claim_tamper_default') : variantText(id, info.variants[0] ?? '')}
          </option>
          {info.variants.map((v) => (
            <option key={v} value={v}>
              {variantText(id, v)}
            </option>
          ))}
        </select>
      )}
      <span class="small">
        {attackText(id, 'tests')} {attackText(id, 'vulnerable')} <span class="muted">{info.reference}</span>
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
        <h2>{t('workbench_title')}</h2>
        <JweDecrypt token={session.original} ask={ask} />
      </section>
    );
  }

  if (session.tooLarge) {
    return (
      <section class="workbench" data-testid="workbench">
        <h2>{t('workbench_title')}</h2>
        <JsonError error={session.headerError} />
      </section>
    );
  }

  return (
    <section class="workbench" data-testid="workbench">
      <h2>{t('workbench_title')}</h2>
      <div class="wb-editors">
        <label>
          {t('common_header')}
          <TextArea data-testid="workbench-header" rows={6} value={session.headerText} onValue={(v) => session.setHeaderText(v)} />
          <JsonError error={session.headerError} />
        </label>
        <label>
          {t('common_payload')}
          <TextArea data-testid="workbench-payload" rows={10} value={session.payloadText} onValue={(v) => session.setPayloadText(v)} />
          <JsonError error={session.payloadError} />
        </label>
      </div>
      <div class="row small wb-claims">
        <button type="button" data-testid="claim-exp-1h" onClick={() => session.setClaim('exp', now() + 3600)}>
          {t('workbench_claim_exp_1h')}
        </button>
        <button type="button" data-testid="claim-iat-now" onClick={() => session.setClaim('iat', now())}>
          {t('workbench_claim_iat_now')}
        </button>
        <button type="button" data-testid="claim-nbf-now" onClick={() => session.setClaim('nbf', now())}>
          {t('workbench_claim_nbf_now')}
        </button>
        <input
          type="text"
          placeholder={t('workbench_claim_placeholder')}
          value={claim}
          onInput={(e) => setClaim((e.target as HTMLInputElement).value)}
          aria-label={t('workbench_claim_remove_label')}
        />
        <button type="button" data-testid="claim-remove" disabled={!claim} onClick={() => session.setClaim(claim, undefined)}>
          {t('workbench_claim_remove')}
        </button>
      </div>
      <fieldset class="wb-mode small">
        <label>
          <input type="radio" name="wb-mode" data-testid="mode-keep" checked={mode === 'keep'} onChange={() => setMode('keep')} />{' '}
          {t('workbench_mode_keep')}
        </label>
        <label>
          <input type="radio" name="wb-mode" data-testid="mode-none" checked={mode === 'none'} onChange={() => setMode('none')} />{' '}
          {t('workbench_mode_none')}
        </label>
        <label>
          <input type="radio" name="wb-mode" data-testid="mode-sign" checked={mode === 'sign'} onChange={() => setMode('sign')} />{' '}
          {t('workbench_mode_sign')}
        </label>
        <SigningKeyPicker ask={ask} value={session.signKeyId} onPick={(id) => session.setMode('sign', id ?? '')} />
      </fieldset>
      <p class="small">
        {session.label !== 'edited' ? t('workbench_token_preset', session.label) : t('workbench_token')}{' '}
        <CopyButton text={session.token} label={t('workbench_copy')} />
      </p>
      <code class="wb-token" data-testid="workbench-token" data-label={session.label}>
        {session.token}
      </code>
      {session.problem && (
        <p class="error small" data-testid="workbench-problem">
          <VisibleText text={session.problem} limit={500} />
        </p>
      )}
      <h3>{t('workbench_presets')}</h3>
      <PresetOptions session={session} ask={ask} />
      <ul class="wb-presets">
        {ATTACK_IDS.map((id) => (
          <PresetRow key={id} id={id} session={session} />
        ))}
      </ul>
      <h3>{t('workbench_compare')}</h3>
      <p class="muted small">{t('workbench_compare_note')}</p>
      <Compare left={session.token} right={session.original} />
    </section>
  );
}
