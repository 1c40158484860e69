// What a row shows of a token, derived from its record; cached per record version by the list.
import { base64urlDecodeRange } from '../../../core/base64url';
import { t } from '../../../ui/i18n';
import { relativeDeltaText } from '../../../ui/time-text';
import type { TokenRecord } from '../../model/token-record';

export interface RecordSummary {
  role: string;
  alg: string;
  issuer: string;
  subject: string;
  exp?: number;
  worst?: { id: string; severity: string; title: string };
  /** Lower-cased text the filter box searches besides the token: claims, hosts, finding ids, role. */
  haystack: string;
  /** The triples of the haystack (see below). */
  triples: Uint8Array;
  /** The token's own part of the search. */
  token: TokenText;
}

const MAX_HAYSTACK = 16 * 1024;
const MAX_TOKEN_TEXT = 4096;

// A keystroke in the filter box tests every row. Each searchable text keeps the set of its three-character
// sequences, hashed into a bit set: a term with a triple the text lacks cannot occur in it, which settles
// most rows with a few bit tests instead of scanning their text. Never a false "cannot": every triple of
// the text is in its set. Sized for a few percent of false "may" (claims text: 2048 bits; tokens, whose
// random-looking text has more distinct triples: 4096).
const HAYSTACK_BITS = 2048;
const TOKEN_BITS = 4096;

/** 12 bits of hash; a set of 2^k bits uses the top k. */
function tripleHash(a: number, b: number, c: number): number {
  return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b) ^ Math.imul(c, 0xc2b2ae35)) >>> 20;
}

function triplesOf(text: string, bits: number): Uint8Array {
  const set = new Uint8Array(bits / 8);
  const mask = bits - 1;
  for (let i = 2; i < text.length; i++) {
    const h = tripleHash(text.charCodeAt(i - 2), text.charCodeAt(i - 1), text.charCodeAt(i)) & mask;
    set[h >> 3]! |= 1 << (h & 7);
  }
  return set;
}

/**
 * The term's triples as (byte, bit mask) pairs for a set of `bits`, worked out once per keystroke. Last
 * triple first: the end of what is being typed is what tells the rows apart ("login-12" from "login-1").
 */
function termTriples(term: string, bits: number): Int32Array {
  const n = Math.max(0, term.length - 2);
  const out = new Int32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const j = n - 1 - i;
    const h = tripleHash(term.charCodeAt(j), term.charCodeAt(j + 1), term.charCodeAt(j + 2)) & (bits - 1);
    out[i * 2] = h >> 3;
    out[i * 2 + 1] = 1 << (h & 7);
  }
  return out;
}

/** The lower-cased start of a token and its triples: built once per record (its token never changes). */
interface TokenText {
  lower: string;
  triples: Uint8Array;
}

const tokenTexts = new WeakMap<TokenRecord, TokenText>();

function tokenText(record: TokenRecord): TokenText {
  let t = tokenTexts.get(record);
  if (!t) {
    const lower = record.token.slice(0, MAX_TOKEN_TEXT).toLowerCase();
    t = { lower, triples: triplesOf(lower, TOKEN_BITS) };
    tokenTexts.set(record, t);
  }
  return t;
}

/**
 * The filter box's search over a list of records, with every row's triple sets copied side by side into two
 * arrays: a keystroke reads them in order instead of chasing each row's objects, so testing 10,000 rows
 * costs little more than a memory scan. Rows are refreshed when their record's version moves on; a new list
 * (tokens added or reordered) starts a new index, filled as rows are tested.
 */
export class FilterIndex {
  private records: readonly TokenRecord[] = [];
  private storeVersion = -1;
  private versions = new Float64Array(0);
  private summaries: RecordSummary[] = [];
  private haystackSets = new Uint8Array(0);
  private tokenSets = new Uint8Array(0);

  constructor(private readonly summaryOf: (record: TokenRecord) => RecordSummary) {}

  /**
   * The records whose searchable text (token, claims, hosts, finding ids, role) contains every term;
   * terms are lower-cased and without whitespace (the box splits on it).
   */
  filter(records: readonly TokenRecord[], terms: readonly string[], storeVersion: number): TokenRecord[] {
    if (records !== this.records) this.reset(records);
    // While the store has not changed since the last keystroke, no row can be stale: the rows are then
    // read without touching the records at all.
    const check = storeVersion !== this.storeVersion;
    this.storeVersion = storeVersion;
    const compiled = terms.map((term) => ({ term, inHaystack: termTriples(term, HAYSTACK_BITS), inToken: termTriples(term, TOKEN_BITS) }));
    const out: TokenRecord[] = [];
    const versions = this.versions;
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      if (check && versions[i] !== record.version) this.fill(i, record);
      let all = true;
      for (const c of compiled) {
        if (!this.matches(i, c.term, c.inHaystack, c.inToken)) {
          all = false;
          break;
        }
      }
      if (all) out.push(record);
    }
    return out;
  }

  private reset(records: readonly TokenRecord[]): void {
    this.records = records;
    this.storeVersion = -1;
    this.versions = new Float64Array(records.length).fill(-1);
    this.summaries = new Array<RecordSummary>(records.length);
    this.haystackSets = new Uint8Array(records.length * (HAYSTACK_BITS / 8));
    this.tokenSets = new Uint8Array(records.length * (TOKEN_BITS / 8));
  }

  private fill(i: number, record: TokenRecord): void {
    const summary = this.summaryOf(record);
    this.summaries[i] = summary;
    this.haystackSets.set(summary.triples, i * (HAYSTACK_BITS / 8));
    this.tokenSets.set(summary.token.triples, i * (TOKEN_BITS / 8));
    this.versions[i] = record.version;
  }

  private matches(i: number, term: string, inHaystack: Int32Array, inToken: Int32Array): boolean {
    const h = i * (HAYSTACK_BITS / 8);
    const hs = this.haystackSets;
    let may = true;
    for (let k = 0; k < inHaystack.length; k += 2) {
      if ((hs[h + inHaystack[k]!]! & inHaystack[k + 1]!) === 0) {
        may = false;
        break;
      }
    }
    if (may && this.summaries[i]!.haystack.includes(term)) return true;
    const t = i * (TOKEN_BITS / 8);
    const ts = this.tokenSets;
    for (let k = 0; k < inToken.length; k += 2) if ((ts[t + inToken[k]!]! & inToken[k + 1]!) === 0) return false;
    return this.summaries[i]!.token.lower.includes(term);
  }
}

/** What summarize reads from a record that can change (the token and its decoded parts never do). */
export interface SummaryInputs {
  role: string;
  /** Finding ids in order, with the worst one's title and severity. */
  findings: string;
  sightings: number;
  firstSighting: unknown;
}

export function summaryInputs(record: TokenRecord): SummaryInputs {
  const worst = record.findings[0];
  return {
    role: record.role,
    findings: `${record.findings.map((f) => f.id).join(' ')}\u0000${worst ? `${worst.severity}\u0000${worst.title}` : ''}`,
    sightings: record.sightings.length,
    firstSighting: record.sightings[0],
  };
}

/** Whether summarize would return the same summary for `record` as for the record these inputs came from. */
export function sameSummaryInputs(inputs: SummaryInputs, record: TokenRecord): boolean {
  if (inputs.role !== record.role || inputs.sightings !== record.sightings.length || inputs.firstSighting !== record.sightings[0])
    return false;
  const now = summaryInputs(record);
  return now.findings === inputs.findings;
}

export function summarize(record: TokenRecord): RecordSummary {
  const d = record.decoded;
  const header = d.ok ? d.header : {};
  const claims = d.ok && d.payloadIsJson ? (d.payload as Record<string, unknown>) : {};
  const hosts = new Set<string>();
  for (const s of record.sightings) {
    try {
      hosts.add(new URL(s.requestUrl).host);
    } catch {
      // storage sightings of odd pages have no parsable URL
    }
  }
  const worst = record.findings[0];
  const token = tokenText(record);
  const haystack = [claimsTextOf(d), [...hosts].join(' '), record.findings.map((f) => f.id).join(' '), record.role]
    .join('\n')
    .toLowerCase();
  return {
    role: record.role,
    alg: typeof header.alg === 'string' ? header.alg : '?',
    issuer: typeof claims.iss === 'string' ? claims.iss : '',
    subject: typeof claims.sub === 'string' ? claims.sub : '',
    ...(typeof claims.exp === 'number' ? { exp: claims.exp } : {}),
    ...(worst ? { worst: { id: worst.id, severity: worst.severity, title: worst.title } } : {}),
    haystack,
    triples: triplesOf(haystack, HAYSTACK_BITS),
    token,
  };
}

/**
 * The claims as searchable text, at most MAX_HAYSTACK characters: serialised from the parsed claims (so
 * escapes such as PHP's "https:\/\/" read as the user types them), or, where serialising fails, the payload
 * part's own JSON text. Firefox's JSON.stringify throws "too much recursion" on a claim nested 10,000 deep,
 * which Chromium's serialises; the token must still be found by its other claims.
 */
function claimsTextOf(d: TokenRecord['decoded']): string {
  // A JWE has no readable payload.
  if (!d.ok || d.payload === undefined) return '';
  if (typeof d.payload === 'string') return d.payload.slice(0, MAX_HAYSTACK);
  try {
    return (JSON.stringify(d.payload) ?? '').slice(0, MAX_HAYSTACK);
  } catch {
    const part = d.parts[1] ?? '';
    // Enough base64url for MAX_HAYSTACK bytes, cut at a multiple of 4 so that the prefix decodes strictly.
    const end = Math.min(part.length, PAYLOAD_PREFIX_CHARS);
    const bytes = base64urlDecodeRange(part, 0, end);
    // Not fatal: the cut may split a character, which then reads as U+FFFD.
    return bytes ? new TextDecoder().decode(bytes).slice(0, MAX_HAYSTACK) : '';
  }
}

const PAYLOAD_PREFIX_CHARS = Math.ceil(MAX_HAYSTACK / 3) * 4;

export function expiryText(exp: number | undefined, nowSeconds: number): string {
  if (exp === undefined) return t('panel_no_expiry');
  return t(exp <= nowSeconds ? 'panel_expired_at' : 'panel_expires_at', relativeDeltaText(exp - nowSeconds));
}
