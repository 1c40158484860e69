// The DevTools panel's model: the distinct tokens captured in the inspected tab, each with its sightings, its
// decoded parts, its role and its findings. Views read it; capture feeds it; nothing here touches a browser.
//
// Decisions:
// - One record per raw token. Each token is decoded once, when first seen. Sightings are deduplicated per
//   request (exchange, where, name) and, for storage, per (where, name, URL): a request re-read after a
//   poll, or the same localStorage key in every snapshot, adds nothing but a later lastSeen.
// - Analysis is lazy and batched: ingest only marks records, and the read methods (records, changedSince,
//   get, refreshTimeFindings, exportCapture) analyse the marked ones once. A token re-analyses only when a
//   sighting of a new kind arrives (where, name, URL without query, cookie flags); at most
//   MAX_ANALYSIS_SIGHTINGS such kinds feed analyze, so a token sent with 10,000 requests costs one analysis
//   per distinct place, not one per request.
// - Time: findings that depend on the clock (expired, expires-soon, not-yet-valid, issued-in-future) are
//   redone by refreshTimeFindings on a small stand-in token carrying only the time claims, and only for
//   records whose state flips (a threshold such as exp − 5 min passed) or whose wording ("expired 3 min
//   ago") went stale; the rest of the analysis is not repeated.
// - Storage sightings (localStorage, sessionStorage, document.cookie) are scoped by the page's origin, not
//   its URL: storage belongs to the origin, and an SPA changing its route must not multiply them. Each keeps
//   when it was last seen; when the storage watch reports it gone (noteRemoved) it keeps its history, is
//   marked removed, and the timeline says when it left. Seen again, it is present again.
// - Bounded: at most maxSightings sightings in all; the oldest go first (counted in `dropped`), and a
//   token left with none goes too. Findings keep describing what was seen, dropped sightings included.
// - Versions: every change bumps the store's version and stamps the record with it, so a view re-renders
//   only the rows with `record.version > lastSeenVersion`. records() returns the same array until a token
//   is added, removed or reordered.
// - Export: JSON with `format` and `version`. Stripping replaces the last part of each token (the JWS
//   signature, the JWE tag) with an empty string, in the tokens and in every URL or name that holds them,
//   and marks such tokens `signatureStripped`, so an import does not report the empty signature it caused.
//   A stripped token still decodes (the header and claims stay readable) but can no longer be replayed.
//   Verification verdicts are exported only with signatures; weak secrets never (they are keys).

import { decodeToken, MAX_TOKEN_BYTES } from '../../core/decode';
import { findTokens, ownCopy } from '../../core/find';
import { analyze, guessTokenRole, EXPIRES_SOON_SECONDS, DEFAULT_SKEW_SECONDS, type TokenRole } from '../../core/analyze';
import { finding, sortFindings } from '../../core/findings';
import type {
  CookieAttributes,
  DecodedToken,
  DecodedTokenSuccess,
  Finding,
  FindingId,
  Sighting,
  Verification,
  VerificationStatus,
  Where,
} from '../../core/types';
import type { CapturedSighting } from '../capture/sightings-from-entry';
import { FlowTracker, type TimelineEvent, type TimelineKind } from './flow-tracker';
import { originOf, type StorageRemoval } from '../capture/storage-watch';

/** A sighting as the store keeps it: for storage, also when it was last seen and whether it was removed. */
export interface StoredSighting extends CapturedSighting {
  /** Epoch ms of the latest snapshot that still held it (storage sightings). */
  lastSeen?: number;
  /** Epoch ms of the snapshot that no longer held it; absent while it is in storage. */
  removedAt?: number;
}

/** The store's timeline: the flow tracker's events and storage removals. */
export type StoreTimelineKind = TimelineKind | 'removed';
export interface StoreTimelineEvent extends Omit<TimelineEvent, 'kind'> {
  kind: StoreTimelineKind;
}

export interface TokenRecord {
  token: string;
  /** Computed once. */
  decoded: DecodedToken;
  role: TokenRole;
  /** Oldest first. */
  sightings: StoredSighting[];
  /** Epoch ms. */
  firstSeen: number;
  lastSeen: number;
  /** Analysis, flow and verification findings, most severe first. */
  findings: Finding[];
  verification?: Verification;
  /** The guessable HMAC secret the token verified with. */
  weakSecret?: string;
  /** The record's last change, in store versions. */
  version: number;
  /** Imported from an export whose signatures were stripped. */
  signatureStripped?: boolean;
}

export interface TokenStoreOptions {
  maxSightings?: number;
  /** Clock in epoch ms; tests set it. */
  now?: () => number;
  skewSeconds?: number;
  earlyRefreshToleranceSeconds?: number;
}

export interface ExportOptions {
  stripSignatures?: boolean;
}

export interface ImportResult {
  imported: number;
  errors: string[];
}

export const DEFAULT_MAX_SIGHTINGS = 10_000;
/** Distinct sighting kinds per token that feed analyze; evidence shows a handful anyway. */
export const MAX_ANALYSIS_SIGHTINGS = 64;
export const CAPTURE_FORMAT = 'jwt-inspector-capture';
export const CAPTURE_FORMAT_VERSION = 1;
export const MAX_IMPORT_CHARS = 64 * 1024 * 1024;
export const MAX_IMPORT_TOKENS = 20_000;
const MAX_IMPORT_ERRORS = 50;
const MAX_NAMES = 64;
const MAX_URL_CHARS = 64 * 1024;
const MAX_NAME_CHARS = 4096;
const MAX_REMOVAL_EVENTS = 1000;
const STORAGE_WHERES: ReadonlySet<string> = new Set<Where>(['local-storage', 'session-storage', 'document-cookie']);
const STORAGE_LABEL: Partial<Record<Where, string>> = {
  'local-storage': 'localStorage',
  'session-storage': 'sessionStorage',
  'document-cookie': 'document.cookie',
};
/** Wording of a live time finding is refreshed at most this often. */
const TIME_TEXT_REFRESH_SECONDS = 60;

const TIME_IDS: ReadonlySet<FindingId> = new Set<FindingId>(['expired', 'expires-soon', 'not-yet-valid', 'issued-in-future']);
const WHERE_VALUES: ReadonlySet<string> = new Set<Where>([
  'authorization-header',
  'request-header',
  'response-header',
  'cookie',
  'set-cookie',
  'url',
  'request-body',
  'response-body',
  'local-storage',
  'session-storage',
  'document-cookie',
]);
const VERIFICATION_STATUSES: ReadonlySet<string> = new Set<VerificationStatus>([
  'valid',
  'invalid',
  'no-matching-key',
  'unsupported',
  'error',
]);

interface TimeClaims {
  exp?: number;
  nbf?: number;
  iat?: number;
  /** The claims as the token has them (a string NumericDate gets its own note in the finding). */
  raw: Record<string, unknown>;
}

/** A record and what the store keeps beside it. */
interface Slot {
  record: TokenRecord;
  seq: number;
  removed: boolean;
  /** Dedupe keys: per exchange (or storage URL), the `where + name` already held. */
  keys: Map<string, string[]>;
  names: Set<string>;
  reps: Map<string, Sighting>;
  /** Storage sightings by scope + place, to stamp lastSeen and removal on the one kept. */
  stored?: Map<string, StoredSighting>;
  analysis: Finding[];
  flow: Finding[];
  time?: TimeClaims;
  /** Seconds: when the time findings were last computed, and when they next change state. */
  timeCheckedAt: number;
  nextTimeChange: number;
  dirtyRole: boolean;
  dirtyAnalysis: boolean;
  dirtyFlow: boolean;
  dirtyCompose: boolean;
}

interface Queued {
  slot: Slot;
  scope: string;
  place: string;
  sighting: CapturedSighting;
}

export class TokenStore {
  private readonly maxSightings: number;
  private readonly clock: () => number;
  private readonly skew: number;
  private readonly flowTracker: FlowTracker;
  private slots = new Map<string, Slot>();
  private order: Slot[] = [];
  private orderView: readonly TokenRecord[] = [];
  private orderChanged = false;
  private orderNeedsSort = false;
  private queue: Queued[] = [];
  private queueHead = 0;
  private dirty = new Set<Slot>();
  private currentVersion = 0;
  private droppedCount = 0;
  private seq = 0;
  private removals: StoreTimelineEvent[] = [];

  constructor(options: TokenStoreOptions = {}) {
    const max = options.maxSightings;
    this.maxSightings = typeof max === 'number' && Number.isFinite(max) && max >= 1 ? Math.floor(max) : DEFAULT_MAX_SIGHTINGS;
    this.clock = typeof options.now === 'function' ? options.now : () => Date.now();
    const skew = options.skewSeconds;
    this.skew = typeof skew === 'number' && Number.isFinite(skew) && skew >= 0 ? skew : DEFAULT_SKEW_SECONDS;
    const flowOptions: ConstructorParameters<typeof FlowTracker>[0] = {
      info: {
        role: (token) => this.slots.get(token)?.record.role ?? 'unknown',
        expiresAt: (token) => this.slots.get(token)?.time?.exp,
      },
    };
    if (options.earlyRefreshToleranceSeconds !== undefined) {
      flowOptions.earlyRefreshToleranceSeconds = options.earlyRefreshToleranceSeconds;
    }
    this.flowTracker = new FlowTracker(flowOptions);
  }

  /** The store's version: pass it to changedSince next time. */
  get version(): number {
    return this.currentVersion;
  }

  /** Sightings dropped to stay within maxSightings. */
  get dropped(): number {
    return this.droppedCount;
  }

  get size(): number {
    return this.slots.size;
  }

  get sightingCount(): number {
    return this.queue.length - this.queueHead;
  }

  /**
   * Adds a batch of sightings (one entry's, one poll's, one snapshot's). The store keeps the sighting objects
   * it is given (the capture makes them for it and lets go): a busy app's poll brings thousands, and copies
   * would double what the garbage collector carries.
   */
  ingest(captured: readonly CapturedSighting[]): void {
    if (!Array.isArray(captured) || captured.length === 0) return;
    const accepted: CapturedSighting[] = [];
    for (let c of captured) {
      if (!isCapturedShape(c)) continue;
      let slot = this.slots.get(c.token);
      if (!slot) {
        slot = this.createSlot(c.token, c.time);
        if (!slot) continue;
      }
      const record = slot.record;
      c = kept(c, record.token);
      // The exchange string is shared by an entry's sightings (its hash is computed once); storage
      // sightings are told apart by the page URL.
      const scope = c.exchange ?? storageScope(c.sighting);
      const place = c.sighting.name === undefined ? c.sighting.where : `${c.sighting.where}\u0000${c.sighting.name}`;
      let places = slot.keys.get(scope);
      if (places?.includes(place)) {
        const held = c.exchange === undefined ? slot.stored?.get(`${scope}\u0001${place}`) : undefined;
        if (held && (held.removedAt !== undefined || c.time > (held.lastSeen ?? held.time))) {
          delete held.removedAt;
          held.lastSeen = Math.max(c.time, held.lastSeen ?? held.time);
          this.touch(slot);
        }
        if (c.time > record.lastSeen) {
          record.lastSeen = c.time;
          this.touch(slot);
        }
        continue;
      }
      if (c.exchange === undefined && STORAGE_WHERES.has(c.sighting.where)) {
        slot.stored ??= new Map();
        slot.stored.set(`${scope}\u0001${place}`, c);
      }
      // Most scopes (a request and its response) hold one place: a literal is sized for it, where push
      // would reserve room for seventeen.
      if (places) places.push(place);
      else slot.keys.set(scope, [place]);
      record.sightings.push(c);
      this.queue.push({ slot, scope, place, sighting: c });
      if (c.time < record.firstSeen) {
        record.firstSeen = c.time;
        this.orderNeedsSort = true;
        this.orderChanged = true;
      }
      if (c.time > record.lastSeen) record.lastSeen = c.time;

      const name = c.field ?? c.sighting.name;
      if (name !== undefined && slot.names.size < MAX_NAMES && !slot.names.has(name)) {
        slot.names.add(name);
        slot.dirtyRole = true;
      }
      if (slot.reps.size < MAX_ANALYSIS_SIGHTINGS) {
        const rep = analysisKey(c.sighting);
        if (!slot.reps.has(rep)) {
          slot.reps.set(rep, c.sighting);
          slot.dirtyAnalysis = true;
        }
      }
      this.touch(slot);
      accepted.push(c);
    }
    this.enforceBound();
    // Roles feed the flow tracker: settle them before it asks.
    for (const slot of this.dirty) if (slot.dirtyRole) this.settleRole(slot);
    for (const token of this.flowTracker.observe(accepted)) {
      const slot = this.slots.get(token);
      if (slot) {
        slot.dirtyFlow = true;
        this.touch(slot);
      }
    }
  }

  get(token: string): TokenRecord | undefined {
    this.settle();
    return this.slots.get(token)?.record;
  }

  /** Every record, by firstSeen (ties in arrival order); the same array until the set or order changes. */
  records(): readonly TokenRecord[] {
    this.settle();
    if (this.orderChanged) {
      this.order = this.order.filter((slot) => !slot.removed);
      if (this.orderNeedsSort) {
        this.order.sort((a, b) => a.record.firstSeen - b.record.firstSeen || a.seq - b.seq);
        this.orderNeedsSort = false;
      }
      this.orderView = Object.freeze(this.order.map((slot) => slot.record));
      this.orderChanged = false;
    }
    return this.orderView;
  }

  /** Records changed after `version` (a value of `store.version` read earlier), by firstSeen. */
  changedSince(version: number): TokenRecord[] {
    return this.records().filter((record) => record.version > version);
  }

  /** The refresh flow's events and storage removals, oldest first. */
  timeline(): StoreTimelineEvent[] {
    const flow: StoreTimelineEvent[] = this.flowTracker.timeline(this.clock());
    if (this.removals.length === 0) return flow;
    // Stable: at the same instant the flow's events come first.
    return [...flow, ...this.removals].sort((a, b) => a.time - b.time);
  }

  /**
   * Storage the watch no longer found (StorageWatch): the sighting is kept and marked removed, and the
   * timeline gets a `removed` event. Returns whether anything changed.
   */
  noteRemoved(removals: readonly StorageRemoval[]): boolean {
    let changed = false;
    for (const r of removals) {
      const slot = this.slots.get(r.token);
      if (!slot || !STORAGE_WHERES.has(r.where)) continue;
      const sighting: Sighting = { where: r.where, url: r.url, name: r.name };
      const place = `${r.where}\u0000${r.name}`;
      const held = slot.stored?.get(`${storageScope(sighting)}\u0001${place}`);
      if (!held || held.removedAt !== undefined) continue;
      held.removedAt = r.time;
      this.touch(slot);
      changed = true;
      if (this.removals.length >= MAX_REMOVAL_EVENTS) this.removals.shift();
      const label = STORAGE_LABEL[r.where] ?? r.where;
      const name = r.name.length > 60 ? `${r.name.slice(0, 59)}…` : r.name;
      this.removals.push({ time: r.time, token: slot.record.token, kind: 'removed', detail: `Removed from ${label} ("${name}") of ${originOf(r.url)}.` });
    }
    return changed;
  }

  /** Sets (or, with undefined, clears) the verdict for a token; false when the token is unknown. */
  setVerification(token: string, verification: Verification | undefined): boolean {
    const slot = this.slots.get(token);
    if (!slot) return false;
    if (verification === undefined) delete slot.record.verification;
    else slot.record.verification = { ...verification };
    slot.dirtyCompose = true;
    this.touch(slot);
    return true;
  }

  /** Records the guessable secret a token verified with (or clears it); false when the token is unknown. */
  setWeakSecret(token: string, secret: string | undefined): boolean {
    const slot = this.slots.get(token);
    if (!slot) return false;
    if (secret === undefined) delete slot.record.weakSecret;
    else slot.record.weakSecret = secret;
    slot.dirtyCompose = true;
    this.touch(slot);
    return true;
  }

  /**
   * Redoes the clock-dependent findings at `now` (epoch ms, default the store's clock) where they changed;
   * returns the records that changed. Meant for a timer.
   */
  refreshTimeFindings(now: number = this.clock()): TokenRecord[] {
    this.settle();
    const nowSeconds = now / 1000;
    const changed: TokenRecord[] = [];
    for (const slot of this.slots.values()) {
      if (!slot.time || !this.timeDue(slot, nowSeconds)) continue;
      const before = slot.analysis.filter((f) => TIME_IDS.has(f.id));
      const fresh = this.timeFindings(slot, nowSeconds);
      if (sameFindings(before, fresh)) continue;
      slot.analysis = [...slot.analysis.filter((f) => !TIME_IDS.has(f.id)), ...fresh];
      slot.dirtyCompose = true;
      this.touch(slot);
      this.composeFindings(slot);
      this.dirty.delete(slot);
      changed.push(slot.record);
    }
    return changed;
  }

  clear(): void {
    this.slots = new Map();
    this.order = [];
    this.orderView = Object.freeze([]);
    this.orderChanged = false;
    this.orderNeedsSort = false;
    this.queue = [];
    this.queueHead = 0;
    this.dirty = new Set();
    this.droppedCount = 0;
    this.removals = [];
    this.flowTracker.clear();
    this.currentVersion++;
  }

  /** The capture as JSON, for a file. */
  exportCapture(options: ExportOptions = {}): string {
    const strip = options.stripSignatures === true;
    const tokens = new Map<string, ExportedToken>();
    for (const record of this.records()) {
      const token = strip ? stripSignature(record.token) : record.token;
      let out = tokens.get(token);
      if (!out) {
        out = { token, sightings: [] };
        if (strip && token !== record.token) out.signatureStripped = true;
        if (record.signatureStripped) out.signatureStripped = true;
        if (!strip && record.verification) out.verification = { ...record.verification };
        tokens.set(token, out);
      }
      for (const s of record.sightings) out.sightings.push(exportSighting(s, strip));
    }
    const file: ExportFile = {
      format: CAPTURE_FORMAT,
      version: CAPTURE_FORMAT_VERSION,
      exportedAt: this.clock(),
      signatures: strip ? 'stripped' : 'kept',
      tokens: [...tokens.values()],
    };
    return JSON.stringify(file, null, 2);
  }

  /** Adds an exported capture. The file is untrusted: anything malformed is reported and skipped. */
  importCapture(json: string): ImportResult {
    const errors: string[] = [];
    let problems = 0;
    const report = (message: string): void => {
      problems++;
      if (errors.length < MAX_IMPORT_ERRORS) errors.push(message);
    };
    const finish = (imported: number): ImportResult => {
      if (problems > errors.length) errors.push(`… and ${problems - errors.length} more problems.`);
      return { imported, errors };
    };
    const fail = (message: string): ImportResult => {
      report(message);
      return finish(0);
    };
    try {
      if (typeof json !== 'string') return fail('The file is not text.');
      if (json.length > MAX_IMPORT_CHARS) return fail(`The file is larger than ${MAX_IMPORT_CHARS / 1024 / 1024} MiB.`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(json);
      } catch {
        return fail('The file is not JSON.');
      }
      if (!isObject(parsed) || parsed.format !== CAPTURE_FORMAT) return fail('The file is not a JWT Inspector capture.');
      if (parsed.version !== CAPTURE_FORMAT_VERSION) {
        return fail(`Capture format version ${describe(parsed.version)} is not supported (expected ${CAPTURE_FORMAT_VERSION}).`);
      }
      if (!Array.isArray(parsed.tokens)) return fail('The capture has no token list.');
      if (parsed.tokens.length > MAX_IMPORT_TOKENS) report(`Only the first ${MAX_IMPORT_TOKENS} of ${parsed.tokens.length} tokens were read.`);

      const batch: CapturedSighting[] = [];
      const extras: { token: string; stripped: boolean; verification?: Verification }[] = [];
      const n = Math.min(parsed.tokens.length, MAX_IMPORT_TOKENS);
      let budget = this.maxSightings;
      for (let i = 0; i < n; i++) {
        const item: unknown = parsed.tokens[i];
        const where = `tokens[${i}]`;
        if (!isObject(item)) {
          report(`${where}: not an object.`);
          continue;
        }
        const token = item.token;
        if (!isWholeToken(token)) {
          report(`${where}: "token" is not a JWT.`);
          continue;
        }
        if (!Array.isArray(item.sightings)) {
          report(`${where}: "sightings" is not a list.`);
          continue;
        }
        const valid: CapturedSighting[] = [];
        for (let j = 0; j < item.sightings.length && budget > 0; j++) {
          const read = readSighting(item.sightings[j], token);
          if (typeof read === 'string') report(`${where}.sightings[${j}]: ${read}`);
          else {
            valid.push(read);
            budget--;
          }
        }
        if (valid.length === 0) {
          report(`${where}: no valid sightings.`);
          continue;
        }
        batch.push(...valid);
        const extra: (typeof extras)[number] = { token, stripped: item.signatureStripped === true };
        if (item.verification !== undefined) {
          const verification = readVerification(item.verification);
          if (verification) extra.verification = verification;
          else report(`${where}.verification: not a verification result.`);
        }
        extras.push(extra);
      }
      if (budget <= 0) report(`Only the first ${this.maxSightings} sightings were read.`);

      batch.sort((a, b) => a.time - b.time);
      this.ingest(batch);
      const imported = new Set<string>();
      for (const extra of extras) {
        const slot = this.slots.get(extra.token);
        if (!slot) continue;
        imported.add(extra.token);
        if (extra.stripped) {
          slot.record.signatureStripped = true;
          slot.dirtyCompose = true;
          this.touch(slot);
        }
        if (extra.verification) this.setVerification(extra.token, extra.verification);
      }
      return finish(imported.size);
    } catch {
      report('The file could not be read.');
      return finish(0);
    }
  }

  // -------------------------------------------------------------------------------------------------------

  private createSlot(captured: string, time: number): Slot | undefined {
    // Captured tokens are cut out of headers and bodies, and V8 may keep such a cut as a view of the whole
    // text: the store keeps its own copy, so a token does not hold a response body in memory.
    const token = ownCopy(captured);
    const decoded = decodeToken(token);
    if (!decoded.ok) return undefined;
    const record: TokenRecord = {
      token,
      decoded,
      role: guessTokenRole(decoded, []),
      sightings: [],
      firstSeen: time,
      lastSeen: time,
      findings: [],
      version: 0,
    };
    const slot: Slot = {
      record,
      seq: this.seq++,
      removed: false,
      keys: new Map(),
      names: new Set(),
      reps: new Map(),
      analysis: [],
      flow: [],
      timeCheckedAt: 0,
      nextTimeChange: Number.POSITIVE_INFINITY,
      dirtyRole: false,
      dirtyAnalysis: true,
      dirtyFlow: false,
      dirtyCompose: true,
    };
    const timeClaims = readTimeClaims(decoded);
    if (timeClaims) slot.time = timeClaims;
    this.slots.set(token, slot);
    const last = this.order[this.order.length - 1];
    if (last && last.record.firstSeen > time) this.orderNeedsSort = true;
    this.order.push(slot);
    this.orderChanged = true;
    return slot;
  }

  private touch(slot: Slot): void {
    slot.record.version = ++this.currentVersion;
    this.dirty.add(slot);
  }

  private enforceBound(): void {
    while (this.queue.length - this.queueHead > this.maxSightings) {
      const oldest = this.queue[this.queueHead]!;
      this.queue[this.queueHead] = undefined as unknown as Queued;
      this.queueHead++;
      this.droppedCount++;
      const { slot, scope, place, sighting } = oldest;
      if (slot.removed) continue;
      const places = slot.keys.get(scope);
      if (places) {
        const at = places.indexOf(place);
        if (at >= 0) places.splice(at, 1);
        if (places.length === 0) slot.keys.delete(scope);
      }
      if (sighting.exchange === undefined) slot.stored?.delete(`${scope}\u0001${place}`);
      const sightings = slot.record.sightings;
      // The store's oldest sighting is also its token's oldest.
      if (sightings[0] === sighting) sightings.shift();
      else {
        const index = sightings.indexOf(sighting);
        if (index >= 0) sightings.splice(index, 1);
      }
      if (sightings.length === 0) {
        slot.removed = true;
        this.slots.delete(slot.record.token);
        this.dirty.delete(slot);
        this.orderChanged = true;
        this.currentVersion++;
      } else {
        this.touch(slot);
      }
    }
    if (this.queueHead > 4096 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
  }

  /** Brings every marked record up to date. */
  private settle(): void {
    if (this.dirty.size === 0) return;
    const nowSeconds = this.clock() / 1000;
    for (const slot of this.dirty) {
      if (slot.dirtyRole) this.settleRole(slot);
      if (slot.dirtyAnalysis) {
        slot.analysis = analyze(slot.record.decoded, {
          now: nowSeconds,
          skewSeconds: this.skew,
          sightings: [...slot.reps.values()],
        });
        slot.timeCheckedAt = nowSeconds;
        slot.nextTimeChange = this.nextTimeChange(slot, nowSeconds);
        slot.dirtyAnalysis = false;
        slot.dirtyCompose = true;
      }
      if (slot.dirtyFlow) {
        slot.flow = this.flowTracker.findingsFor(slot.record.token);
        slot.dirtyFlow = false;
        slot.dirtyCompose = true;
      }
      if (slot.dirtyCompose) this.composeFindings(slot);
    }
    this.dirty.clear();
  }

  private settleRole(slot: Slot): void {
    slot.record.role = guessTokenRole(slot.record.decoded, [...slot.names]);
    slot.dirtyRole = false;
  }

  private composeFindings(slot: Slot): void {
    const record = slot.record;
    const extra: Finding[] = [];
    if (record.verification?.status === 'invalid') {
      const reason = record.verification.reason;
      extra.push(finding('signature-invalid', typeof reason === 'string' ? reason : undefined));
    }
    if (typeof record.weakSecret === 'string') {
      // The secret itself stays masked in the signature section until the user clicks it.
      const n = record.weakSecret.length;
      extra.push(finding('weak-hmac-secret', `It verifies with a ${n}-character secret that anyone can guess (see Signature to reveal it).`));
    }
    const seen = new Set<FindingId>();
    const all: Finding[] = [];
    for (const f of [...extra, ...slot.analysis, ...slot.flow]) {
      if (seen.has(f.id)) continue;
      // The export emptied this signature; the token as captured had one.
      if (record.signatureStripped && f.id === 'empty-signature') continue;
      seen.add(f.id);
      all.push(f);
    }
    record.findings = sortFindings(all);
    slot.dirtyCompose = false;
  }

  private timeDue(slot: Slot, now: number): boolean {
    if (now >= slot.nextTimeChange) return true;
    const active = slot.analysis.find((f) => TIME_IDS.has(f.id));
    if (!active || now - slot.timeCheckedAt < TIME_TEXT_REFRESH_SECONDS) return false;
    // "Expired 3 days ago" needs no update every minute; "expires in 4 min" does.
    if (active.id === 'expired' && slot.time?.exp !== undefined) {
      return now - slot.timeCheckedAt >= Math.max(TIME_TEXT_REFRESH_SECONDS, (now - slot.time.exp) / 10);
    }
    return true;
  }

  private timeFindings(slot: Slot, now: number): Finding[] {
    const decoded = slot.record.decoded;
    if (!decoded.ok || !slot.time) return [];
    // A stand-in with only the time claims: the rest of the analysis stays as it was.
    const payload = { ...slot.time.raw };
    const probe: DecodedTokenSuccess = {
      ok: true,
      kind: 'jws',
      raw: '',
      parts: ['', '', 'x'],
      header: { alg: 'HS256' },
      payload,
      payloadIsJson: true,
    };
    const fresh = analyze(probe, { now, skewSeconds: this.skew }).filter((f) => TIME_IDS.has(f.id));
    slot.timeCheckedAt = now;
    slot.nextTimeChange = this.nextTimeChange(slot, now);
    return fresh;
  }

  /** The next instant (seconds) after `now` at which a time finding appears or disappears. */
  private nextTimeChange(slot: Slot, now: number): number {
    const t = slot.time;
    if (!t) return Number.POSITIVE_INFINITY;
    let next = Number.POSITIVE_INFINITY;
    const consider = (at: number): void => {
      if (at > now && at < next) next = at;
    };
    if (t.exp !== undefined) {
      consider(t.exp - EXPIRES_SOON_SECONDS);
      consider(t.exp);
    }
    if (t.nbf !== undefined) consider(t.nbf - this.skew);
    if (t.iat !== undefined) consider(t.iat - this.skew);
    return next;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Export and import

/** A captured sighting flattened for the file: the token is the entry's, the place sits beside the rest. */
type ExportedSighting = Omit<CapturedSighting, 'token' | 'sighting'> & Sighting;

interface ExportedToken {
  token: string;
  signatureStripped?: boolean;
  verification?: Verification;
  sightings: ExportedSighting[];
}

interface ExportFile {
  format: typeof CAPTURE_FORMAT;
  version: number;
  exportedAt: number;
  signatures: 'kept' | 'stripped';
  tokens: ExportedToken[];
}

/** The token with its last part (signature or JWE tag) emptied. */
export function stripSignature(token: string): string {
  const dot = token.lastIndexOf('.');
  return dot >= 0 ? token.slice(0, dot + 1) : token;
}

/** Every token inside `text` (a URL, a name) with its signature emptied. */
function stripTokensIn(text: string): string {
  const found = findTokens(text);
  if (found.length === 0) return text;
  let out = '';
  let at = 0;
  for (const f of found) {
    out += text.slice(at, f.start) + stripSignature(f.token);
    at = f.end;
  }
  return out + text.slice(at);
}

function exportSighting(c: CapturedSighting, strip: boolean): ExportedSighting {
  const s = c.sighting;
  const text = (value: string): string => (strip ? stripTokensIn(value) : value);
  const out: ExportedSighting = { where: s.where, time: c.time, requestUrl: text(c.requestUrl) };
  if (s.url !== undefined) out.url = text(s.url);
  if (s.name !== undefined) out.name = text(s.name);
  if (s.cookie !== undefined) out.cookie = { ...s.cookie };
  if (c.method !== undefined) out.method = c.method;
  if (c.status !== undefined) out.status = c.status;
  if (c.field !== undefined) out.field = text(c.field);
  if (c.exchange !== undefined) out.exchange = text(c.exchange);
  if (c.side !== undefined) out.side = c.side;
  return out;
}

/** A token and nothing else: what findTokens finds in it is exactly it. */
function isWholeToken(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TOKEN_BYTES) return false;
  const found = findTokens(value);
  return found.length === 1 && found[0]!.token === value;
}

function readSighting(value: unknown, token: string): CapturedSighting | string {
  if (!isObject(value)) return 'not an object.';
  const { where, url, name, cookie, method, status, time, field, requestUrl, exchange, side } = value;
  if (typeof where !== 'string' || !WHERE_VALUES.has(where)) return '"where" is not a known place.';
  if (typeof time !== 'number' || !Number.isFinite(time)) return '"time" is not a number.';
  if (typeof requestUrl !== 'string' || requestUrl.length > MAX_URL_CHARS) return '"requestUrl" is not a URL string.';
  const sighting: Sighting = { where: where as Where };
  if (url !== undefined) {
    if (typeof url !== 'string' || url.length > MAX_URL_CHARS) return '"url" is not a URL string.';
    sighting.url = url;
  }
  if (name !== undefined) {
    if (typeof name !== 'string' || name.length > MAX_NAME_CHARS) return '"name" is not a short string.';
    sighting.name = name;
  }
  if (cookie !== undefined) {
    const read = readCookie(cookie);
    if (!read) return '"cookie" is not a set of cookie attributes.';
    sighting.cookie = read;
  }
  const captured: CapturedSighting = { token, sighting, time, requestUrl };
  if (method !== undefined) {
    if (typeof method !== 'string' || !/^[A-Za-z-]{1,32}$/.test(method)) return '"method" is not an HTTP method.';
    captured.method = method;
  }
  if (status !== undefined) {
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 0 || status > 999) return '"status" is not an HTTP status.';
    captured.status = status;
  }
  if (field !== undefined) {
    if (typeof field !== 'string' || field.length > MAX_NAME_CHARS) return '"field" is not a short string.';
    captured.field = field;
  }
  if (exchange !== undefined) {
    if (typeof exchange !== 'string' || exchange.length > MAX_URL_CHARS) return '"exchange" is not a request key.';
    captured.exchange = exchange;
  }
  if (side !== undefined) {
    if (side !== 'request' && side !== 'response') return '"side" is neither request nor response.';
    captured.side = side;
  }
  return captured;
}

function readCookie(value: unknown): CookieAttributes | undefined {
  if (!isObject(value)) return undefined;
  const out: CookieAttributes = {};
  for (const flag of ['httpOnly', 'secure'] as const) {
    const v = value[flag];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') return undefined;
    out[flag] = v;
  }
  const sameSite = value.sameSite;
  if (sameSite !== undefined) {
    if (sameSite !== 'strict' && sameSite !== 'lax' && sameSite !== 'none') return undefined;
    out.sameSite = sameSite;
  }
  return out;
}

function readVerification(value: unknown): Verification | undefined {
  if (!isObject(value) || typeof value.status !== 'string' || !VERIFICATION_STATUSES.has(value.status)) return undefined;
  const out: Verification = { status: value.status as VerificationStatus };
  for (const key of ['alg', 'kid', 'reason'] as const) {
    const v = value[key];
    if (typeof v === 'string' && v.length <= MAX_NAME_CHARS) out[key] = v;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

/**
 * The sighting as the store keeps it: with the record's own token string, and names that may have been cut
 * from a body (a form field's name) copied, so nothing kept refers into the captured text. Strings shorter
 * than 13 characters are copies already: engines cut no shorter slices out of a larger string (V8's
 * minimum is 13, SpiderMonkey inlines up to 23 Latin-1 characters).
 */
function kept(c: CapturedSighting, token: string): CapturedSighting {
  c.token = token;
  const name = c.sighting.name;
  if (name !== undefined && name.length >= 13) c.sighting.name = ownCopy(name);
  if (c.field !== undefined && c.field.length >= 13) c.field = ownCopy(c.field);
  return c;
}

function isCapturedShape(c: unknown): c is CapturedSighting {
  if (!isObject(c) || typeof c.token !== 'string' || typeof c.time !== 'number' || !Number.isFinite(c.time)) return false;
  const s = c.sighting;
  return isObject(s) && typeof s.where === 'string' && WHERE_VALUES.has(s.where) && typeof c.requestUrl === 'string';
}

/** The dedupe scope of a sighting without an exchange: storage by the page's origin, a URL by itself. */
function storageScope(s: Sighting): string {
  const url = s.url ?? '';
  return STORAGE_WHERES.has(s.where) ? `\u0000${originOf(url)}` : `\u0000${url}`;
}

/** Sightings with the same key give analyze the same evidence: URL without query or fragment. */
function analysisKey(s: Sighting): string {
  const url = s.url ?? '';
  let end = url.length;
  const q = url.indexOf('?');
  if (q >= 0) end = q;
  const h = url.indexOf('#');
  if (h >= 0 && h < end) end = h;
  const c = s.cookie;
  const flags = c ? `${c.httpOnly ?? '?'}${c.secure ?? '?'}${c.sameSite ?? '?'}` : '';
  return `${s.where}\u0000${s.name ?? ''}\u0000${url.slice(0, end)}\u0000${flags}`;
}

function readTimeClaims(decoded: DecodedToken): TimeClaims | undefined {
  if (!decoded.ok || !decoded.payloadIsJson || !isObject(decoded.payload)) return undefined;
  const payload = decoded.payload;
  const out: TimeClaims = { raw: {} };
  for (const claim of ['exp', 'nbf', 'iat'] as const) {
    const value = numericDate(payload[claim]);
    if (value === undefined) continue;
    out[claim] = value;
    out.raw[claim] = payload[claim];
  }
  return out.exp === undefined && out.nbf === undefined && out.iat === undefined ? undefined : out;
}

// Mirrors analyze: numbers, and digit strings that lenient libraries read as NumericDates.
function numericDate(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\s*\d{1,15}(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

function sameFindings(a: Finding[], b: Finding[]): boolean {
  if (a.length !== b.length) return false;
  const key = (f: Finding): string => `${f.id}\u0000${f.detail}`;
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.every((k, i) => k === right[i]);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  return typeof value === 'number' || typeof value === 'string' ? JSON.stringify(value).slice(0, 40) : typeof value;
}
