import { useMemo, useRef, useState } from 'preact/hooks';
import { moduleLoader, useModule } from '../../../ui/use-module';
import type { DevtoolsApi } from '../devtools-api';
import type { TokenRecord } from '../../model/token-record';
import { DecodedTokenView } from '../../../ui/DecodedToken';
import { VerificationBadge } from '../../../ui/VerificationBadge';
import { FindingList } from '../../../ui/FindingList';
import { SightingList } from './SightingList';
import { AddKeyForm } from './AddKeyForm';
import { keyPart, t } from '../../../ui/i18n';

interface Props {
  record: TokenRecord;
  nowSeconds: number;
  onKeyAdded(): void;
  /** What the workbench's Replay goes through (the panel's DevTools connection). */
  devtools?: Pick<DevtoolsApi, 'getHAR' | 'getContent' | 'eval'>;
}

/** The workbench: its own chunk, loaded once a detail is open. */
const workbenchViews = moduleLoader(() => import('./workbench-views'));

export function TokenDetail({ record, nowSeconds, onKeyAdded, devtools }: Props) {
  const wb = useModule(workbenchViews);
  const session = useMemo(() => wb?.createSession(record.token, record.weakSecret), [wb, record.token]);
  if (session) session.weakSecret = record.weakSecret;
  const replayer = wb && devtools ? wb.replayerFor(devtools) : undefined;
  const d = record.decoded;
  const v = record.verification;
  const status = v?.status ?? 'pending';
  const [showKeyForm, setShowKeyForm] = useState(false);
  const [secretShown, setSecretShown] = useState(false);
  const addKeyButton = useRef<HTMLButtonElement>(null);

  if (!d.ok) return <p class="error">{d.error.message}</p>;

  return (
    <div class="token-detail" data-testid="token-detail">
      <div class="row">
        <span class={`role role-${record.role}`}>{t(`role_${keyPart(record.role)}_token`)}</span>
        <span class="spacer" />
      </div>
      <section>
        <h2>{t('common_signature')}</h2>
        <VerificationBadge result={v} />
        {record.weakSecret !== undefined && (
          <p class="error" data-testid="weak-secret">
            {t('panel_weak_secret')}{' '}
            <button type="button" class="masked" onClick={() => setSecretShown(!secretShown)} title={t('panel_weak_secret_toggle')}>
              {secretShown ? JSON.stringify(record.weakSecret) : `•••••••• ${t('panel_click_to_show')}`}
            </button>
          </p>
        )}
        {status !== 'valid' && (
          <button
            type="button"
            data-testid="add-key"
            ref={addKeyButton}
            aria-expanded={showKeyForm}
            onClick={() => setShowKeyForm(!showKeyForm)}
          >
            {showKeyForm ? t('common_cancel') : t('panel_add_key')}
          </button>
        )}
        {showKeyForm && (
          <AddKeyForm
            issuer={d.payloadIsJson ? ((d.payload as Record<string, unknown>).iss as string | undefined) : undefined}
            onAdded={() => {
              setShowKeyForm(false);
              onKeyAdded();
            }}
            onCancel={() => {
              setShowKeyForm(false);
              addKeyButton.current?.focus();
            }}
          />
        )}
      </section>

      <section>
        <h2>{t('panel_findings_count', record.findings.length)}</h2>
        <FindingList findings={record.findings} />
      </section>

      <DecodedTokenView token={record.token} decoded={d} nowSeconds={nowSeconds} />

      <section>
        <h2>{t('panel_seen_count', record.sightings.length)}</h2>
        <SightingList
          sightings={record.sightings}
          {...(wb && session && replayer
            ? { actions: (s) => <wb.ReplayControls session={session} sighting={s} replayer={replayer} /> }
            : {})}
        />
      </section>

      {wb && session && <wb.Workbench session={session} ask={wb.ask} />}
    </div>
  );
}
