// Replay and Replay all presets on one sighting the page sent: the captured request sent again from the
// inspected page with the workbench token, each answer a row with its verdict. Nothing is sent but on a
// click, and the line above the buttons says where requests go.
import { useReducer, useState } from 'preact/hooks';
import { ATTACK_IDS } from '../../../core/workbench/attacks';
import { VisibleText } from '../../../ui/VisibleText';
import { useSession } from '../../../ui/workbench/Workbench';
import type { WorkbenchSession } from '../../../ui/workbench/workbench-session';
import type { StoredSighting } from '../../model/token-record';
import type { ReplayOutcome, Replayer } from '../replay/replayer';
import { REPLAYABLE_WHERES } from '../replay/replay-request';

/** Answers per sighting, kept with the session so a re-render of the list does not lose them. */
const answers = new WeakMap<WorkbenchSession, Map<string, ReplayOutcome[]>>();
const MAX_SHOWN_BODY = 2000;

function answersOf(session: WorkbenchSession, key: string): ReplayOutcome[] {
  let bySighting = answers.get(session);
  if (!bySighting) answers.set(session, (bySighting = new Map()));
  return bySighting.get(key) ?? [];
}

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
  const origin = originOf(sighting.requestUrl) ?? 'the original origin';

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
          put({
            label: attack,
            token: '',
            verdict: 'error',
            status: 0,
            headers: [],
            body: '',
            truncated: false,
            ms: 0,
            error: e instanceof Error ? e.message : String(e),
          });
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
        Replay sends the request again to {origin}, from the inspected page (with its cookies), only when you click.
      </p>
      <button type="button" data-testid="replay" disabled={running || !session.valid} onClick={() => void replayOne()}>
        Replay with the workbench token
      </button>{' '}
      <button type="button" data-testid="replay-all" disabled={running || !session.valid} onClick={() => void replayAll()}>
        Replay all presets
      </button>
      {running && <span class="muted small"> sending…</span>}
      {results.length > 0 && (
        <table class="replay-results">
          <thead>
            <tr>
              <th>token</th>
              <th>status</th>
              <th>verdict</th>
              <th>time</th>
              <th>answer</th>
            </tr>
          </thead>
          <tbody>
            {results.map((r, i) => (
              <tr key={i} data-testid="replay-result" data-attack={r.label} data-http-status={String(r.status)} data-verdict={r.verdict}>
                <td>{r.label}</td>
                <td>{r.status || '—'}</td>
                <td class={`verdict-${r.verdict}`}>{r.verdict}</td>
                <td>{r.ms ? `${Math.round(r.ms)} ms` : ''}</td>
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
                        {r.truncated || r.body.length > MAX_SHOWN_BODY ? '\n…(cut)' : ''}
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
