// Replays a captured request with another token, from the inspected page (so cookies, CORS and the page's
// session behave as they did for the original), through the one DevTools gateway (devtools-api.ts). Only on
// the user's click, only to the request's own origin (replay-request.ts). The answer is page-made data:
// checked field by field and bounded before anything shows it.
import { normalizeEntry, type NormalizedEntry } from '../../../capture/har-normalize';
import { ingestKey } from '../../../capture/ingest-key';
import type { Where } from '../../../core/types';
import { evalWith, type DevtoolsApi } from '../devtools-api';
import { MAX_ANSWER_BODY_CHARS, REPLAY_COLLECT, REPLAY_START, REPLAY_TIMEOUT_MS } from './replay-expression';
import { planReplay } from './replay-request';
import { replayVerdict, type ReplayVerdict } from './replay-verdict';

export interface ReplayTarget {
  /** The sighting's request (its ingest key, `exchange`). */
  exchange: string;
  where: Where;
  /** The token the page sent. */
  original: string;
}

export interface ReplayOutcome {
  /** The preset, or `edited` for the editor's token. */
  label: string;
  token: string;
  verdict: ReplayVerdict;
  status: number;
  headers: [string, string][];
  body: string;
  /** The body was longer than what is kept. */
  truncated: boolean;
  ms: number;
  /** Why there is no answer (verdict `error`). */
  error?: string;
  url?: string;
  originalStatus?: number;
}

/** An outcome without an answer: the request was never sent, or nothing came back. */
export function failedReplay(label: string, token: string, error: string, extra: Partial<ReplayOutcome> = {}): ReplayOutcome {
  return { label, token, verdict: 'error', status: 0, headers: [], body: '', truncated: false, ms: 0, error, ...extra };
}

const POLL_MS = 100;
const MAX_HEADER_PAIRS = 50;

type DevtoolsForReplay = Pick<DevtoolsApi, 'getHAR' | 'getContent' | 'eval'>;

interface Captured {
  entry: NormalizedEntry;
  body?: string;
}

function parseAnswer(
  text: unknown,
): { status: number; headers: [string, string][]; body: string; size: number; ms: number; error?: string } | undefined {
  if (typeof text !== 'string') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const a = raw as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const headers = Array.isArray(a.headers)
    ? a.headers
        .filter((h): h is [string, string] => Array.isArray(h) && typeof h[0] === 'string' && typeof h[1] === 'string')
        .slice(0, MAX_HEADER_PAIRS)
        .map(([n, v]) => [n.slice(0, 200), v.slice(0, 1000)] as [string, string])
    : [];
  const body = typeof a.body === 'string' ? a.body.slice(0, MAX_ANSWER_BODY_CHARS) : '';
  return {
    status: Math.trunc(num(a.status)),
    headers,
    body,
    size: num(a.size),
    ms: num(a.ms),
    ...(typeof a.error === 'string' ? { error: a.error.slice(0, 300) } : {}),
  };
}

export class Replayer {
  private seq = 0;
  private readonly captured = new Map<string, Captured>();

  constructor(
    private readonly devtools: DevtoolsForReplay,
    private readonly wait: (ms: number) => Promise<void> = (ms) => new Promise((ok) => setTimeout(ok, ms)),
  ) {}

  /** The captured request of a sighting, from DevTools' log (kept once found: a navigation empties the log). */
  private async find(exchange: string): Promise<Captured | undefined> {
    const known = this.captured.get(exchange);
    if (known) return known;
    for (const request of await this.devtools.getHAR().catch(() => [])) {
      if (ingestKey(request) !== exchange) continue;
      const entry = normalizeEntry(request);
      if (!entry) return undefined;
      const body = await this.devtools.getContent(request).catch(() => undefined);
      const found: Captured = { entry, ...(typeof body === 'string' ? { body: body.slice(0, MAX_ANSWER_BODY_CHARS) } : {}) };
      this.captured.set(exchange, found);
      return found;
    }
    return undefined;
  }

  /** Where a replay of this sighting would go, or why it cannot be replayed. */
  async destination(target: ReplayTarget): Promise<{ origin: string } | { reason: string }> {
    const captured = await this.find(target.exchange);
    if (!captured) return { reason: "the request is no longer in DevTools' network log (turn on Preserve log to keep it)" };
    const plan = planReplay(captured.entry, target.where, target.original, target.original);
    return plan.ok ? { origin: plan.origin } : { reason: plan.reason };
  }

  async replay(target: ReplayTarget, token: string, label: string): Promise<ReplayOutcome> {
    const fail = (error: string, extra: Partial<ReplayOutcome> = {}) => failedReplay(label, token, error, extra);
    const captured = await this.find(target.exchange);
    if (!captured) return fail("the request is no longer in DevTools' network log");
    const plan = planReplay(captured.entry, target.where, target.original, token);
    if (!plan.ok) return fail(plan.reason);
    const id = `r${Date.now().toString(36)}-${++this.seq}`;
    const started = await evalWith<boolean>(this.devtools, REPLAY_START, {
      id,
      ...plan.request,
      maxBody: MAX_ANSWER_BODY_CHARS,
      timeout: REPLAY_TIMEOUT_MS,
    });
    if (started !== true) return fail('the inspected page did not run the request (it may have navigated away)');
    const deadline = Date.now() + REPLAY_TIMEOUT_MS + 2000;
    let text: unknown = 'pending';
    while (text === 'pending' && Date.now() < deadline) {
      await this.wait(POLL_MS);
      text = await evalWith<string>(this.devtools, REPLAY_COLLECT, id);
    }
    const answer = parseAnswer(text);
    const originalStatus = captured.entry.status;
    if (!answer)
      return fail(text === 'pending' ? 'no answer in time' : 'the page lost the answer (did it navigate?)', { url: plan.request.url });
    if (answer.error !== undefined) return fail(answer.error, { url: plan.request.url, ms: answer.ms });
    return {
      label,
      token,
      verdict: replayVerdict(
        { status: originalStatus, ...(captured.body !== undefined ? { body: captured.body } : {}) },
        { status: answer.status, body: answer.body },
      ),
      status: answer.status,
      headers: answer.headers,
      body: answer.body,
      truncated: answer.size > answer.body.length,
      ms: answer.ms,
      url: plan.request.url,
      originalStatus,
    };
  }
}
