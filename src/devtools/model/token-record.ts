// What the panel's store holds for each distinct token, and its timeline events: the shapes views and tests
// read. The store itself (token-store.ts) decides how they are built and kept.
import type { TokenRole } from '../../core/analyze';
import type { DecodedToken, Finding, FindingId, Verification } from '../../core/types';
import type { CapturedSighting } from '../../capture/sightings-from-entry';

/** A sighting as the store keeps it: for storage, also when it was last seen and whether it was removed. */
export interface StoredSighting extends CapturedSighting {
  /** Epoch ms of the latest snapshot that still held it (storage sightings). */
  lastSeen?: number;
  /** Epoch ms of the snapshot that no longer held it; absent while it is in storage. */
  removedAt?: number;
}

/** One step of a token's life on the timeline (the flow tracker writes them). */
export type TimelineKind = 'issued' | 'used' | 'refreshed' | 'expired';

export interface TimelineEvent {
  /** Epoch ms. */
  time: number;
  /** The token; for an opaque one (not a JWT) its masked form: the value itself never leaves the tracker. */
  token: string;
  kind: TimelineKind;
  detail: string;
  /** How the view names the token when not by its last characters: the masked form of an opaque one. */
  label?: string;
  /** The row to open for this event, when not `token`'s own: the access token of an opaque refresh token. */
  row?: string;
  /** The flow findings a refresh raised (early, not rotated, a reuse). */
  findings?: FindingId[];
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
