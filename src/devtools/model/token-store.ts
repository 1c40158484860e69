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
// - Export and import: capture-file.ts.

import { decodeToken } from '../../core/decode';
import { ownCopy } from '../../core/find';
import { analyze, guessTokenRole, timeFindings, DEFAULT_SKEW_SECONDS } from '../../core/analyze';
import { finding, sortFindings } from '../../core/findings';
import type { Finding, FindingId, Sighting, Verification } from '../../core/types';
import type { CapturedSighting } from '../../capture/sightings-from-entry';
import type { TokenGrant } from '../../capture/token-grant';
import type { StorageRemoval } from '../../capture/storage-watch';
import type { CaptureFileContents, ImportResult } from './capture-file';
import { FlowTracker } from './flow-tracker';
import { forgetOldest, type Queued, type Slot } from './slot';
import { analysisKey, isCapturedShape, kept, removalEvent, STORAGE_WHERES, storageScope } from './sighting-keys';
import { nextTimeChange, readTimeClaims, sameFindings, TIME_IDS, timeDue } from './time-schedule';
import type { StoreTimelineEvent, TokenRecord } from './token-record';

export interface TokenStoreOptions {
  maxSightings?: number;
  /** Clock in epoch ms; tests set it. */
  now?: () => number;
  skewSeconds?: number;
  earlyRefreshToleranceSeconds?: number;
}

export const DEFAULT_MAX_SIGHTINGS = 10_000;
/** Distinct sighting kinds per token that feed analyze; evidence shows a handful anyway. */
export const MAX_ANALYSIS_SIGHTINGS = 64;
const MAX_NAMES = 64;
const MAX_REMOVAL_EVENTS = 1000;

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
  private external: (token: string) => readonly Finding[] = () => [];

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
   * would double what the garbage collector carries. `grants` (token-grant.ts) go to the refresh flow only:
   * the opaque tokens they may hold never become records.
   */
  ingest(captured: readonly CapturedSighting[], grants: readonly TokenGrant[] = []): void {
    if (!Array.isArray(captured) || !Array.isArray(grants) || (captured.length === 0 && grants.length === 0)) return;
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
      const places = slot.keys.get(scope);
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
    for (const token of this.flowTracker.observe(accepted, grants)) {
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
      this.removals.push(removalEvent(r, slot.record.token));
    }
    return changed;
  }

  /**
   * Findings kept outside the store, by token: the OAuth flows' (src/devtools/model/oauth-flows.ts). They are
   * composed into each row's findings; externalFindingsChanged says which rows to compose again.
   */
  setExternalFindings(source: (token: string) => readonly Finding[]): void {
    this.external = source;
  }

  /** Marks the rows of these tokens for composing again; true when one of them is in the store. */
  externalFindingsChanged(tokens: Iterable<string>): boolean {
    let any = false;
    for (const token of tokens) {
      const slot = this.slots.get(token);
      if (!slot) continue;
      slot.dirtyCompose = true;
      this.touch(slot);
      any = true;
    }
    return any;
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
      if (!slot.time || !timeDue(slot, slot.analysis, nowSeconds)) continue;
      const before = slot.analysis.filter((f) => TIME_IDS.has(f.id));
      const fresh = this.clockFindings(slot, nowSeconds);
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

  /** The store's bound and clock, for the capture file (capture-file.ts, loaded only when a file is made or read). */
  get limits(): { maxSightings: number; now: number } {
    return { maxSightings: this.maxSightings, now: this.clock() };
  }

  /**
   * Adds what capture-file.ts read from an exported capture (untrusted: it reported and skipped anything
   * malformed, and read no verdict); the caller verifies the imported tokens afresh.
   */
  importContents(contents: CaptureFileContents): ImportResult {
    this.ingest(contents.sightings);
    const imported = new Set<string>();
    for (const { token, stripped } of contents.tokens) {
      const slot = this.slots.get(token);
      if (!slot) continue;
      imported.add(token);
      if (stripped) {
        slot.record.signatureStripped = true;
        slot.dirtyCompose = true;
        this.touch(slot);
      }
    }
    return { imported: imported.size, errors: contents.errors };
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
      // The refresh flow may know the token already: a token grant can come before its sightings.
      dirtyFlow: true,
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
      const { slot } = oldest;
      if (slot.removed) continue;
      if (forgetOldest(oldest)) {
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
        slot.nextTimeChange = nextTimeChange(slot.time, nowSeconds, this.skew);
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

  /** Only the clock findings, from the time claims: the rest of the analysis stays as it was. */
  private clockFindings(slot: Slot, now: number): Finding[] {
    if (!slot.record.decoded.ok || !slot.time) return [];
    const fresh = timeFindings(slot.time.raw, now, this.skew);
    slot.timeCheckedAt = now;
    slot.nextTimeChange = nextTimeChange(slot.time, now, this.skew);
    return fresh;
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
      extra.push(
        finding('weak-hmac-secret', `It verifies with a ${n}-character secret that anyone can guess (see Signature to reveal it).`),
      );
    }
    const seen = new Set<FindingId>();
    const all: Finding[] = [];
    for (const f of [...extra, ...slot.analysis, ...slot.flow, ...this.external(record.token)]) {
      if (seen.has(f.id)) continue;
      // The export emptied this signature; the token as captured had one.
      if (record.signatureStripped && f.id === 'empty-signature') continue;
      seen.add(f.id);
      all.push(f);
    }
    record.findings = sortFindings(all);
    slot.dirtyCompose = false;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Helpers
