// The capture file: what the panel's Export writes and Import reads (README, the panel's *Export* / *Import*).
//
// Decisions:
// - JSON with `format` and `version`. Stripping replaces the last part of each token (the JWS signature, the
//   JWE tag) with an empty string, in the tokens and in every URL or name that holds them, and marks such
//   tokens `signatureStripped`, so an import does not report the empty signature it caused. A stripped token
//   still decodes (the header and claims stay readable) but can no longer be replayed.
// - Verdicts go out only with signatures, and only as status, alg and kid: the key that verified (its label,
//   kid, thumbprint) and the reason texts name the user's keys and JWKS URLs, which a shared file must not.
//   Weak secrets never (they are keys).
// - A file is untrusted (SECURITY.md): anything malformed is reported and skipped, and a verdict in it is
//   never read. Anyone can write `"status": "valid"` into a file; imported tokens are verified afresh.

import { MAX_TOKEN_BYTES } from '../../core/decode';
import { findTokens } from '../../core/find';
import { WHERES, type CookieAttributes, type Sighting, type Verification, type Where } from '../../core/types';
import type { CapturedSighting } from '../../capture/sightings-from-entry';
import type { TokenRecord } from './token-record';
import type { TokenStore } from './token-store';

export interface ExportOptions {
  stripSignatures?: boolean;
}

export interface ImportResult {
  imported: number;
  errors: string[];
}

/** What a file holds once checked: sightings oldest first, and which tokens came with a stripped signature. */
export interface CaptureFileContents {
  sightings: CapturedSighting[];
  tokens: { token: string; stripped: boolean }[];
  /** At most MAX_IMPORT_ERRORS, then a count of the rest. */
  errors: string[];
}

export const CAPTURE_FORMAT = 'jwt-inspector-capture';
export const CAPTURE_FORMAT_VERSION = 1;
export const MAX_IMPORT_CHARS = 64 * 1024 * 1024;
export const MAX_IMPORT_TOKENS = 20_000;
const MAX_IMPORT_ERRORS = 50;
const MAX_URL_CHARS = 64 * 1024;
const MAX_NAME_CHARS = 4096;

/** Every place a sighting can be: the store checks what capture gives it against the same list. */
export const WHERE_VALUES: ReadonlySet<string> = new Set<Where>(WHERES);

/** The part of a verdict a file carries. */
type ExportedVerdict = Pick<Verification, 'status' | 'alg' | 'kid'>;

/** The records as a capture file. */
export function writeCaptureFile(records: readonly TokenRecord[], options: ExportOptions, exportedAt: number): string {
  const strip = options.stripSignatures === true;
  const tokens = new Map<string, ExportedToken>();
  for (const record of records) {
    const token = strip ? stripSignature(record.token) : record.token;
    let out = tokens.get(token);
    if (!out) {
      out = { token, sightings: [] };
      if (strip && token !== record.token) out.signatureStripped = true;
      if (record.signatureStripped) out.signatureStripped = true;
      if (!strip && record.verification) out.verification = exportedVerdict(record.verification);
      tokens.set(token, out);
    }
    for (const s of record.sightings) out.sightings.push(exportSighting(s, strip));
  }
  const file: ExportFile = {
    format: CAPTURE_FORMAT,
    version: CAPTURE_FORMAT_VERSION,
    exportedAt,
    signatures: strip ? 'stripped' : 'kept',
    tokens: [...tokens.values()],
  };
  return JSON.stringify(file, null, 2);
}

/** Reads a capture file, at most `maxSightings` sightings of it. Never throws. */
export function readCaptureFile(json: string, maxSightings: number): CaptureFileContents {
  const errors: string[] = [];
  let problems = 0;
  const report = (message: string): void => {
    problems++;
    if (errors.length < MAX_IMPORT_ERRORS) errors.push(message);
  };
  const finish = (sightings: CapturedSighting[], tokens: CaptureFileContents['tokens']): CaptureFileContents => {
    if (problems > errors.length) errors.push(`… and ${problems - errors.length} more problems.`);
    return { sightings, tokens, errors };
  };
  const fail = (message: string): CaptureFileContents => {
    report(message);
    return finish([], []);
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
    if (parsed.tokens.length > MAX_IMPORT_TOKENS)
      report(`Only the first ${MAX_IMPORT_TOKENS} of ${parsed.tokens.length} tokens were read.`);

    const batch: CapturedSighting[] = [];
    const tokens: CaptureFileContents['tokens'] = [];
    const n = Math.min(parsed.tokens.length, MAX_IMPORT_TOKENS);
    let budget = maxSightings;
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
      tokens.push({ token, stripped: item.signatureStripped === true });
    }
    if (budget <= 0) report(`Only the first ${maxSightings} sightings were read.`);
    batch.sort((a, b) => a.time - b.time);
    return finish(batch, tokens);
  } catch {
    return fail('The file could not be read.');
  }
}

function exportedVerdict(v: Verification): ExportedVerdict {
  const out: ExportedVerdict = { status: v.status };
  if (v.alg !== undefined) out.alg = v.alg;
  if (v.kid !== undefined) out.kid = v.kid;
  return out;
}

/** A captured sighting flattened for the file: the token is the entry's, the place sits beside the rest. */
type ExportedSighting = Omit<CapturedSighting, 'token' | 'sighting'> & Sighting;

interface ExportedToken {
  token: string;
  signatureStripped?: boolean;
  /** What the verdict was when exported, for a reader of the file; never read back (see the header). */
  verification?: ExportedVerdict;
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

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  return typeof value === 'number' || typeof value === 'string' ? JSON.stringify(value).slice(0, 40) : typeof value;
}

/** The store's capture as a file's JSON. */
export function exportCapture(store: TokenStore, options: ExportOptions = {}): string {
  return writeCaptureFile(store.records(), options, store.limits.now);
}

/** Reads an exported capture (untrusted: what is malformed is reported and skipped) into the store. */
export function importCapture(store: TokenStore, json: string): ImportResult {
  return store.importContents(readCaptureFile(json, store.limits.maxSightings));
}
