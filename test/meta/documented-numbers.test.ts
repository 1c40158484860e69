// Every limit and threshold README.md and SECURITY.md state, tied to the constant that enforces it. Each row
// checks both sides: the constant equals the documented literal, and the document still says the sentence
// with that number. So neither the code nor the text can change alone. The behavioural tests that cross each
// limit (a JWKS of 101 keys, a body of 1 MiB + 1 byte, …) write the number out too, never the constant.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FETCH_TIMEOUT_MS, MAX_BODY_BYTES } from '../../src/background/safe-fetch';
import { FAILURE_BACKOFF_MAX_S, FAILURE_BACKOFF_S } from '../../src/background/fetch-backoff';
import { MAX_JWKS_KEYS, MAX_MAX_AGE_S, MIN_MAX_AGE_S, REFETCH_COOLDOWN_S } from '../../src/background/jwks-cache';
import { DEFAULT_SKEW_SECONDS, EXPIRES_SOON_SECONDS, LONG_LIFETIME_SECONDS, REFRESH_LONG_LIFETIME_SECONDS } from '../../src/core/analyze';
import { MAX_WEAK_SECRET_TOKEN_CHARS } from '../../src/core/weak-secret-bounds';
import { parseSecretList } from '../../src/core/weak-secret';
import { DEFAULT_MAX_SIGHTINGS } from '../../src/devtools/model/token-store';
import { DEFAULT_MAX_BODY_BYTES } from '../../src/capture/network-reconciler';
import { HAR_POLL_POLICY } from '../../src/capture/har-poll-schedule';
import { MAX_AUTO_WEAK_SECRET_CHARS, STORAGE_SNAPSHOT_WAIT_MS } from '../../src/devtools/panel/panel-controller';
import { INLINE_KEY_PAUSE_MS } from '../../src/ui/VerificationView';
import { FULL_PASS_RUNS, SHORT_PASS_RUNS } from '../fuzz/config';
import { MAX_KEPT_TOKEN_CHARS, MAX_SIGHTINGS_PER_TAB, MAX_TABS } from '../../src/background/capture/tab-store';
import { MAX_REQUEST_BODY_BYTES } from '../../src/background/capture/request-entry';
import { MATCH_WINDOW_MS } from '../../src/devtools/panel/background-backfill';
import { CAPTURE_BUDGET_MS } from '../bench/capture';

const root = resolve(import.meta.dirname, '../..');
// Whitespace-normalised, so re-wrapping a paragraph does not matter but rewording the number does.
const normalised = (file: string) => readFileSync(resolve(root, file), 'utf8').replace(/\s+/g, ' ');
const DOCS = { 'README.md': normalised('README.md'), 'SECURITY.md': normalised('SECURITY.md') } as const;
type Doc = keyof typeof DOCS;

const weakSecretCount = parseSecretList(readFileSync(resolve(root, 'src/background/weak-secrets/jwt.secrets.list'), 'utf8')).length;

interface Pin {
  doc: Doc;
  /** The sentence as the document says it (whitespace-normalised before the search). */
  says: string;
  /** Each constant behind the sentence, with the literal the sentence implies. */
  values: [name: string, actual: number, documented: number][];
}

const PINS: Pin[] = [
  // README.md, "Background capture"; SECURITY.md, "Where it keeps things"
  {
    doc: 'README.md',
    says: 'at most 1,000 sightings a tab, the oldest dropped and counted (the popup says how many), tokens longer than 16 KiB not kept, at most 64 tabs',
    values: [
      ['MAX_SIGHTINGS_PER_TAB', MAX_SIGHTINGS_PER_TAB, 1000],
      ['MAX_KEPT_TOKEN_CHARS', MAX_KEPT_TOKEN_CHARS, 16 * 1024],
      ['MAX_TABS', MAX_TABS, 64],
    ],
  },
  {
    doc: 'README.md',
    says: 'form and raw request bodies (up to 256 KiB)',
    values: [['MAX_REQUEST_BODY_BYTES', MAX_REQUEST_BODY_BYTES, 256 * 1024]],
  },
  { doc: 'README.md', says: 'same token, place, method and URL, started within 3 s', values: [['MATCH_WINDOW_MS', MATCH_WINDOW_MS, 3000]] },
  {
    doc: 'README.md',
    says: "Budget: the issue's 0.2 ms. Two runs: 0.041 ms and 0.029 ms.",
    values: [['CAPTURE_BUDGET_MS', CAPTURE_BUDGET_MS, 0.2]],
  },
  {
    doc: 'SECURITY.md',
    says: 'at most 1,000 sightings a tab (the oldest dropped)',
    values: [['MAX_SIGHTINGS_PER_TAB', MAX_SIGHTINGS_PER_TAB, 1000]],
  },
  {
    doc: 'SECURITY.md',
    says: 'per tab at most 1,000 sightings and no token over 16 KiB',
    values: [
      ['MAX_SIGHTINGS_PER_TAB', MAX_SIGHTINGS_PER_TAB, 1000],
      ['MAX_KEPT_TOKEN_CHARS', MAX_KEPT_TOKEN_CHARS, 16 * 1024],
    ],
  },
  // README.md, "DevTools panel"
  {
    doc: 'README.md',
    says: 'textual response bodies up to 1 MiB',
    values: [['DEFAULT_MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES, 1_048_576]],
  },
  { doc: 'README.md', says: "every second while DevTools' log is small", values: [['HAR_POLL_POLICY.minMs', HAR_POLL_POLICY.minMs, 1000]] },
  { doc: 'README.md', says: 'At most 10,000 sightings are kept', values: [['DEFAULT_MAX_SIGHTINGS', DEFAULT_MAX_SIGHTINGS, 10_000]] },
  // README.md, "Background worker"
  {
    doc: 'README.md',
    says: '(`max-age` within 1 min–24 h, one refetch per 30 s when a `kid` is unknown, one fetch in flight per URL, 30 s to 10 min of rest after a failure;',
    values: [
      ['MIN_MAX_AGE_S', MIN_MAX_AGE_S, 60],
      ['MAX_MAX_AGE_S', MAX_MAX_AGE_S, 24 * 3600],
      ['REFETCH_COOLDOWN_S', REFETCH_COOLDOWN_S, 30],
      ['FAILURE_BACKOFF_S', FAILURE_BACKOFF_S, 30],
      ['FAILURE_BACKOFF_MAX_S', FAILURE_BACKOFF_MAX_S, 10 * 60],
    ],
  },
  {
    doc: 'README.md',
    says: 'then 104k known secrets',
    values: [['weak-secret list length, in thousands', Math.round(weakSecretCount / 1000), 104]],
  },
  {
    doc: 'README.md',
    says: 'tokens over 8 KiB are skipped',
    values: [
      ['MAX_WEAK_SECRET_TOKEN_CHARS', MAX_WEAK_SECRET_TOKEN_CHARS, 8192],
      ['MAX_AUTO_WEAK_SECRET_CHARS', MAX_AUTO_WEAK_SECRET_CHARS, 8192],
    ],
  },
  // README.md, "Findings"
  {
    doc: 'README.md',
    says: 'Thresholds: `expires-soon` within 5 minutes, `long-lifetime` over 24 hours (90 days for a token recognised as a refresh token), 60 s of clock skew for `nbf` / `iat`.',
    values: [
      ['EXPIRES_SOON_SECONDS', EXPIRES_SOON_SECONDS, 5 * 60],
      ['LONG_LIFETIME_SECONDS', LONG_LIFETIME_SECONDS, 24 * 3600],
      ['REFRESH_LONG_LIFETIME_SECONDS', REFRESH_LONG_LIFETIME_SECONDS, 90 * 86_400],
      ['DEFAULT_SKEW_SECONDS', DEFAULT_SKEW_SECONDS, 60],
    ],
  },
  {
    doc: 'README.md',
    says: 'carries **`expires-soon`** from the start (within 5 minutes)',
    values: [['EXPIRES_SOON_SECONDS', EXPIRES_SOON_SECONDS, 300]],
  },
  {
    doc: 'README.md',
    says: 'refetches a JWKS when a token names a `kid` it lacks (at most every 30 s)',
    values: [['REFETCH_COOLDOWN_S', REFETCH_COOLDOWN_S, 30]],
  },
  // README.md, "Security"
  {
    doc: 'README.md',
    says: '5 s timeout, 1 MiB, JSON only',
    values: [
      ['FETCH_TIMEOUT_MS', FETCH_TIMEOUT_MS, 5000],
      ['MAX_BODY_BYTES', MAX_BODY_BYTES, 1_048_576],
    ],
  },
  {
    doc: 'README.md',
    says: '`npm run fuzz` runs a million generated hostile inputs',
    values: [['FULL_PASS_RUNS', FULL_PASS_RUNS, 1_000_000]],
  },
  { doc: 'README.md', says: '`npm test` runs a 20,000-case pass', values: [['SHORT_PASS_RUNS', SHORT_PASS_RUNS, 20_000]] },
  // README.md, "Idle cost in a long session"
  {
    doc: 'README.md',
    says: "The next call waits for the last one's cost (wall time) × 50, at least 1 s and at most 60 s",
    values: [
      ['HAR_POLL_POLICY.costFactor', HAR_POLL_POLICY.costFactor, 50],
      ['HAR_POLL_POLICY.minMs', HAR_POLL_POLICY.minMs, 1000],
      ['HAR_POLL_POLICY.maxMs', HAR_POLL_POLICY.maxMs, 60_000],
    ],
  },
  {
    doc: 'README.md',
    says: 'the wait is the cost × 200, at most 120 s',
    values: [
      ['HAR_POLL_POLICY.quietCostFactor', HAR_POLL_POLICY.quietCostFactor, 200],
      ['HAR_POLL_POLICY.quietMaxMs', HAR_POLL_POLICY.quietMaxMs, 120_000],
    ],
  },
  { doc: 'README.md', says: 'A navigation resets the wait to 1 s', values: [['HAR_POLL_POLICY.minMs', HAR_POLL_POLICY.minMs, 1000]] },
  {
    doc: 'README.md',
    says: 'A call unanswered after 120 s counts as failed',
    values: [['HAR_POLL_POLICY.giveUpMs', HAR_POLL_POLICY.giveUpMs, 120_000]],
  },
  // SECURITY.md, "Where it keeps things"
  {
    doc: 'SECURITY.md',
    says: 'once you stop typing for 400 ms or press *Verify*',
    values: [['INLINE_KEY_PAUSE_MS', INLINE_KEY_PAUSE_MS, 400]],
  },
  {
    doc: 'SECURITY.md',
    says: '5 s timeout, 1 MiB body, a JSON content type',
    values: [
      ['FETCH_TIMEOUT_MS', FETCH_TIMEOUT_MS, 5000],
      ['MAX_BODY_BYTES', MAX_BODY_BYTES, 1_048_576],
    ],
  },
  { doc: 'SECURITY.md', says: 'at most 100 keys per JWKS, no duplicate `kid`', values: [['MAX_JWKS_KEYS', MAX_JWKS_KEYS, 100]] },
  {
    doc: 'SECURITY.md',
    says: 'a set is refetched at most every 30 s when a token names a `kid` it lacks',
    values: [['REFETCH_COOLDOWN_S', REFETCH_COOLDOWN_S, 30]],
  },
  {
    doc: 'SECURITY.md',
    says: 'the URL rests 30 s before the next try, doubling with each further failure up to 10 min',
    values: [
      ['FAILURE_BACKOFF_S', FAILURE_BACKOFF_S, 30],
      ['FAILURE_BACKOFF_MAX_S', FAILURE_BACKOFF_MAX_S, 600],
    ],
  },
  // SECURITY.md, the mitigation table
  {
    doc: 'SECURITY.md',
    says: 'a 30 s cooldown for unknown `kid`s, a failure backoff of 30 s doubling to 10 min',
    values: [
      ['REFETCH_COOLDOWN_S', REFETCH_COOLDOWN_S, 30],
      ['FAILURE_BACKOFF_S', FAILURE_BACKOFF_S, 30],
      ['FAILURE_BACKOFF_MAX_S', FAILURE_BACKOFF_MAX_S, 600],
    ],
  },
  {
    doc: 'SECURITY.md',
    says: 'waits at most 2 s for the storage snapshot',
    values: [['STORAGE_SNAPSHOT_WAIT_MS', STORAGE_SNAPSHOT_WAIT_MS, 2000]],
  },
  {
    doc: 'SECURITY.md',
    says: '20,000 cases in `npm test`, a million in `npm run fuzz`',
    values: [
      ['FULL_PASS_RUNS', FULL_PASS_RUNS, 1_000_000],
      ['SHORT_PASS_RUNS', SHORT_PASS_RUNS, 20_000],
    ],
  },
];

describe('the numbers README.md and SECURITY.md state are the code’s', () => {
  it.each(PINS.map((p) => [`${p.doc}: "${p.says}"`, p] as const))('%s', (_name, pin) => {
    // A boolean, not toContain: a miss would otherwise print the whole document.
    expect(DOCS[pin.doc].includes(pin.says), `${pin.doc} no longer says this; change the row here with the text`).toBe(true);
    for (const [name, actual, documented] of pin.values) {
      expect(actual, `${name} is ${actual}, ${pin.doc} says ${documented}`).toBe(documented);
    }
  });
});
