// The parts of a HAR 1.2 entry (http://www.softwareishard.com/blog/har-12-spec/) that capture reads, as
// `devtools.network` hands them over: `onRequestFinished` gives one entry (plus `getContent`), `getHAR()`
// a whole log. Every field is optional or loosely typed on purpose: entries come from the inspected page's
// traffic and from HAR files users import, so nothing here is trusted until har-normalize has read it.
//
// Browser differences worth knowing (all absorbed by har-normalize.ts, nowhere else):
// - Header names keep the case they were sent in: HTTP/1.1 "Authorization", HTTP/2 and HTTP/3
//   "authorization". Chrome also lists HTTP/2 pseudo-headers (":path", ":authority").
// - Firefox joins repeated Set-Cookie headers into one header whose value holds them separated by "\n".
// - `response.cookies`: Chrome writes `httpOnly` and `secure` as booleans on every cookie; Firefox writes
//   them only when true (and `sameSite` when the header had one), so a missing flag there means "not set".
// - Chrome adds `_resourceType` ("fetch", "xhr", "document", …); Firefox has none.
// - `startedDateTime` is ISO 8601: Chrome in UTC ("…Z"), Firefox with the local offset ("…+01:00").

export interface HarNameValue {
  name: string;
  value: string;
  comment?: string;
}

export type HarHeader = HarNameValue;
export type HarQueryParam = HarNameValue;

export interface HarCookie {
  name: string;
  value: string;
  path?: string;
  domain?: string;
  /** ISO 8601; Chrome writes null or "1969-12-31T23:59:59.000Z" for session cookies. */
  expires?: string | null;
  httpOnly?: boolean;
  secure?: boolean;
  /** "Strict" | "Lax" | "None" in either browser's spelling; absent when the header had none. */
  sameSite?: string;
}

export interface HarPostParam {
  name: string;
  value?: string;
  fileName?: string;
  contentType?: string;
}

export interface HarPostData {
  mimeType: string;
  text?: string;
  /** Parsed form fields; both browsers fill it for application/x-www-form-urlencoded bodies. */
  params?: HarPostParam[];
}

export interface HarRequest {
  method: string;
  url: string;
  httpVersion?: string;
  headers: HarHeader[];
  queryString?: HarQueryParam[];
  cookies?: HarCookie[];
  postData?: HarPostData;
  headersSize?: number;
  bodySize?: number;
}

export interface HarContent {
  /** Decoded body size in bytes; 0 when unknown or empty, -1 in some exports. */
  size: number;
  mimeType: string;
  /** Present in exported HAR files, absent in `getHAR()` and events (read it with `getContent`). */
  text?: string;
  /** "base64" for binary bodies in exported files. */
  encoding?: string;
  compression?: number;
}

export interface HarResponse {
  /** 0 while a request is pending, blocked or failed. */
  status: number;
  statusText?: string;
  httpVersion?: string;
  headers: HarHeader[];
  cookies?: HarCookie[];
  content: HarContent;
  /** The Location header's value for redirects, else "". */
  redirectURL: string;
  headersSize?: number;
  bodySize?: number;
  /** Chrome: bytes on the wire. */
  _transferSize?: number;
}

export interface HarEntry {
  /** ISO 8601 start time; with method and URL the only identity an entry has (no request id). */
  startedDateTime: string;
  /** Total elapsed milliseconds. */
  time: number;
  request: HarRequest;
  response: HarResponse;
  pageref?: string;
  serverIPAddress?: string;
  connection?: string;
  timings?: Record<string, number | undefined>;
  /** Chrome only. */
  _resourceType?: string;
}

export interface HarLog {
  log: {
    version?: string;
    creator?: { name: string; version?: string };
    entries: HarEntry[];
  };
}

/**
 * The least an object must look like for the reconciler: `onRequestFinished`'s Request objects (which add
 * `getContent`) and plain `getHAR()` entries both fit, so callers get back the very object they passed.
 */
export interface HarEntryLike {
  startedDateTime?: unknown;
  request?: unknown;
  response?: unknown;
}
