// What one network entry says about the OAuth token exchange, token values included whatever their format:
// the refresh token a refresh request sent, and the tokens a token response returned. Sightings
// (sightings-from-entry.ts) carry only JWTs, since only JWTs become rows; the refresh flow needs more, because
// most providers issue opaque refresh tokens (and some opaque access tokens), and pairing them is done by
// value. These values go to the flow tracker only; nothing renders them.
//
// Decisions:
// - A refresh request is told by its body, never its URL: `grant_type=refresh_token` with a `refresh_token`,
//   form-urlencoded (RFC 6749 §6) or JSON (what many SPA back ends accept).
// - A token response is the JSON object body, answering a POST, with a string `access_token` (RFC 6749 §5.1),
//   optionally `refresh_token`, `id_token` and `expires_in` (a number, or a digit string as some providers
//   send it). Only POSTs are read at all: the token endpoint takes no other method (RFC 6749 §3.2).
// - The response's time is the entry's start plus its duration: `expires_in` counts from when the server
//   answered, and a HAR entry states no other end time.
// - Bounded: bodies above MAX_GRANT_BODY_CHARS are not parsed (token requests and responses are a few KiB),
//   values above MAX_GRANT_VALUE_CHARS (JWTs) or MAX_OPAQUE_CHARS (anything else) are not followed. Never
//   throws.

import { findTokens } from '../core/find';
import { normalizeEntry, type NormalizedPostData } from './har-normalize';
import { ingestKey } from './ingest-key';

export interface IssuedTokens {
  /** Epoch ms: when the response came back. */
  time: number;
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  /** Seconds, as the response states it. */
  expiresIn?: number;
}

export interface TokenGrant {
  /** The entry's ingest key, the same as its sightings' `exchange`. */
  exchange: string;
  /** Epoch ms: the request's start. */
  time: number;
  requestUrl: string;
  /** A refresh request: the refresh token its body sent. */
  refreshSent?: string;
  /** A token response: what it returned (absent while the body is unread). */
  issued?: IssuedTokens;
  /** The values above that are not JWTs. */
  opaque: string[];
}

export const MAX_GRANT_BODY_CHARS = 256 * 1024;
export const MAX_GRANT_VALUE_CHARS = 64 * 1024;
/** Opaque tokens are short (oidc-provider's 43 characters, Entra ID's refresh tokens a few KiB). */
export const MAX_OPAQUE_CHARS = 8 * 1024;
/** A day: longer is not an entry's duration but a broken one. */
const MAX_DURATION_MS = 86_400_000;
/** Ten years: a larger expires_in is no expiry worth comparing with. */
const MAX_EXPIRES_IN = 10 * 365 * 86400;

/** The refresh request and token response in one entry, or undefined when it has neither. */
export function grantFromEntry(entry: unknown, responseBody?: string): TokenGrant | undefined {
  try {
    if (!mayHoldGrant(entry, responseBody)) return undefined;
    const e = normalizeEntry(entry);
    const exchange = ingestKey(entry);
    if (!e || exchange === undefined) return undefined;
    const refreshSent = e.postData ? refreshTokenSent(e.postData) : undefined;
    const body = typeof responseBody === 'string' ? responseBody : e.responseText;
    const issued = body ? issuedTokens(body, e.time + durationOf(entry)) : undefined;
    if (refreshSent === undefined && issued === undefined) return undefined;
    const grant: TokenGrant = { exchange, time: e.time, requestUrl: e.url, opaque: [] };
    if (refreshSent !== undefined) grant.refreshSent = refreshSent;
    if (issued) grant.issued = issued;
    for (const value of [refreshSent, issued?.accessToken, issued?.refreshToken, issued?.idToken]) {
      if (value === undefined || isJwt(value) || grant.opaque.includes(value)) continue;
      // Kept for pairing only, so an absurd one is not worth its memory: the grant goes without it.
      if (value.length > MAX_OPAQUE_CHARS) return undefined;
      grant.opaque.push(value);
    }
    return grant;
  } catch {
    return undefined;
  }
}

/** A short form that names an opaque value without giving it away: its ends, never its middle. */
export function maskOpaque(value: string): string {
  if (value.length >= 16) return `${value.slice(0, 4)}…${value.slice(-4)}`;
  if (value.length >= 8) return `${value.slice(0, 2)}…${value.slice(-2)}`;
  return '…';
}

// ---------------------------------------------------------------------------------------------------------

/**
 * Most entries are turned away here, before any body is searched or the entry normalised: the token endpoint
 * takes POST only (RFC 6749 §3.2), and most POSTs send no refresh grant and get no access_token back.
 */
function mayHoldGrant(entry: unknown, responseBody: string | undefined): boolean {
  if (!isObject(entry) || !isObject(entry.request)) return false;
  const method = entry.request.method;
  if (typeof method !== 'string' || method.length !== 4 || method.toUpperCase() !== 'POST') return false;
  const post = entry.request.postData;
  if (isObject(post)) {
    const text = post.text;
    if (typeof text === 'string' && text !== '' ? text.includes('refresh_token') : Array.isArray(post.params)) return true;
  }
  if (typeof responseBody === 'string') return responseBody.includes('access_token');
  const content = isObject(entry.response) && isObject(entry.response.content) ? entry.response.content : undefined;
  if (typeof content?.text !== 'string' || content.text === '') return false;
  // An exported file's base64 body is decoded by normalising.
  return content.encoding === 'base64' || content.text.includes('access_token');
}

function refreshTokenSent(post: NormalizedPostData): string | undefined {
  let grantType: unknown;
  let refresh: unknown;
  const text = post.text;
  if (text !== '') {
    // The text is the body as sent; browsers differ on whether `params` are percent-decoded.
    if (text.length > MAX_GRANT_BODY_CHARS || !text.includes('refresh_token')) return undefined;
    const json = firstNonWhitespace(text) === '{' ? parseObject(text) : undefined;
    if (json) {
      grantType = json.grant_type;
      refresh = json.refresh_token;
    } else {
      const form = new URLSearchParams(text.trim());
      grantType = form.get('grant_type');
      refresh = form.get('refresh_token');
    }
  } else {
    grantType = post.params.find((p) => p.name === 'grant_type')?.value;
    refresh = post.params.find((p) => p.name === 'refresh_token')?.value;
  }
  return grantType === 'refresh_token' && isValue(refresh) ? refresh : undefined;
}

function issuedTokens(body: string, time: number): IssuedTokens | undefined {
  if (body.length > MAX_GRANT_BODY_CHARS || firstNonWhitespace(body) !== '{' || !body.includes('access_token')) return undefined;
  const json = parseObject(body);
  if (!json || !isValue(json.access_token)) return undefined;
  const issued: IssuedTokens = { time, accessToken: json.access_token };
  if (isValue(json.refresh_token)) issued.refreshToken = json.refresh_token;
  if (isValue(json.id_token)) issued.idToken = json.id_token;
  const expiresIn = seconds(json.expires_in);
  if (expiresIn !== undefined) issued.expiresIn = expiresIn;
  return issued;
}

function seconds(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d{1,12}\s*$/.test(value) ? Number(value) : Number.NaN;
  return Number.isFinite(n) && n >= 0 && n <= MAX_EXPIRES_IN ? n : undefined;
}

function durationOf(entry: unknown): number {
  const ms = isObject(entry) ? entry.time : undefined;
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 && ms < MAX_DURATION_MS ? ms : 0;
}

function isValue(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_GRANT_VALUE_CHARS;
}

function isJwt(value: string): boolean {
  const found = findTokens(value);
  return found.length === 1 && found[0]!.start === 0 && found[0]!.end === value.length;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function firstNonWhitespace(text: string): string | undefined {
  const n = Math.min(text.length, 1024);
  for (let i = 0; i < n; i++) {
    const c = text[i]!;
    if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r' && c !== '\ufeff') return c;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
