// Replay and Replay all presets on one sighting the page sent: the captured request sent again from the
// inspected page with the workbench token, each answer a row with its verdict. Nothing is sent but on a
// click, and the line above the buttons says where requests go.
import { useReducer, useState } from 'preact/hooks';
import { ATTACK_IDS } from '../../../core/workbench/attacks';
import { t } from '../../../ui/i18n';
import { VisibleText } from '../../../ui/VisibleText';
import { useSession } from '../../../ui/workbench/Workbench';
import type { WorkbenchSession } from '../../../ui/workbench/workbench-session';
import type { StoredSighting } from '../../model/token-record';
import { failedReplay, type ReplayOutcome, type Replayer } from '../replay/replayer';
import type { ReplayVerdict } from '../replay/replay-verdict';
import { REPLAYABLE_WHERES } from '../replay/replay-request';

/** Answers per sighting, kept with the session so a re-render of the list does not lose them. */
const answers = new WeakMap<WorkbenchSession, Map<string, ReplayOutcome[]>>();
const MAX_SHOWN_BODY = 2000;

function answersOf(session: WorkbenchSession, key: string): ReplayOutcome[] {
  let bySighting = answers.get(session);
  if (!bySighting) answers.set(session, (bySighting = new Map()));
  return bySighting.get(key) ?? [];
}

/** Verdicts in words (data-verdict keeps the id, for tests and styles). */
const VERDICT_WORDS: Record<ReplayVerdict, () => string> = {
  accepted: () => t('workbench_replay_accepted'),
  rejected: () => t('workbench_replay_rejected'),
  error: () => t('workbench_replay_error'),
};

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

export function replayable(s: StoredSighting): boolean {
  return s.side === 'request' && s.exchange !== undefined && REPLAYABLE_WHERES.includes(s.sighting.where);
}

export function ReplayControls({
  session,
  sighting,
  replayer,
}: {
  session: WorkbenchSession;
  sighting: StoredSighting;
  replayer: Replayer;
}) {
  useSession(session);
  const [, tick] = useReducer((n: number) => n + 1, 0);
  const [running, setRunning] = useState(false);
  const key = `${sighting.exchange} ${sighting.sighting.where} ${sighting.sighting.name ?? ''}`;
  const results = answersOf(session, key);
  if (!replayable(sighting) || !sighting.exchange) return null;
  const target = { exchange: sighting.exchange, where: sighting.sighting.where, original: session.original };
  const origin = originOf(sighting.requestUrl) ?? t('workbench_replay_original_origin');

  const put = (outcome: ReplayOutcome) => {
    answers.get(session)?.set(key, [...answersOf(session, key), outcome]);
    tick(undefined);
  };
  const clear = () => {
    answers.get(session)?.set(key, []);
    tick(undefined);
  };

  async function replayOne() {
    setRunning(true);
    clear();
    try {
      put(await replayer.replay(target, session.token, session.label));
    } finally {
      setRunning(false);
    }
  }

  async function replayAll() {
    setRunning(true);
    clear();
    try {
      for (const attack of ATTACK_IDS) {
        let token: string;
        try {
          token = await session.presetToken(attack);
        } catch (e) {
          // No token to send: the preset failed before any request.
          put(failedReplay(attack, '', e instanceof Error ? e.message : String(e)));
          continue;
        }
        put(await replayer.replay(target, token, attack));
      }
    } finally {
      setRunning(false);
    }
  }

  return (
    <div class="replay">
      <p class="muted small" data-testid="replay-notice">
        {t('workbench_replay_notice', origin)}
      </p>
      <button type="button" data-testid="replay" disabled={running || !session.valid} onClick={() => void replayOne()}>
        {t('workbench_replay')}
      </button>{' '}
      <button type="button" data-testid="replay-all" disabled={running || !session.valid} onClick={() => void replayAll()}>
        {t('workbench_replay_all')}
      </button>
      {running && <span class="muted small"> {t('workbench_replay_sending')}</span>}
      {results.length > 0 && (
        <table class="replay-results">
          <thead>
            <tr>
              <th>{t('workbench_replay_col_token')}</th>
              <th>{t('workbench_replay_col_status')}</th>
              <th>{t('workbench_replay_col_verdict')}</th>
              <th>{t('workbench_replay_col_time')}</th>
              <th>{t('workbench_replay_col_answer')}</th>
            </tr>
          </thead>
          <tbody>
            {results.map((r, i) => (
              <tr key={i} data-testid="replay-result" data-attack={r.label} data-http-status={String(r.status)} data-verdict={r.verdict}>
                <td>{r.label}</td>
                <td>{r.status || '—'}</td>
                <td class={`verdict-${r.verdict}`}>{VERDICT_WORDS[r.verdict]()}</td>
                <td>{r.ms ? t('workbench_replay_ms', Math.round(r.ms)) : ''}</td>
                <td>
                  {r.error !== undefined ? (
                    <span class="error">
                      <VisibleText text={r.error} limit={300} />
                    </span>
                  ) : (
                    <details>
                      <summary>
                        <VisibleText text={r.body.slice(0, 80)} limit={80} />
                      </summary>
                      <pre>
                        {r.headers.map(([n, v]) => `${n}: ${v}`).join('\n')}
                        {'\n\n'}
                        {r.body.slice(0, MAX_SHOWN_BODY)}
                        {r.truncated || r.body.length > MAX_SHOWN_BODY ? `\n${t('workbench_replay_cut')}` : ''}
                      </pre>
                      <code class="small">{r.token}</code>
                    </details>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
