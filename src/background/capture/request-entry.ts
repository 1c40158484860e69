// What webRequest reports about one request, read into the HAR entry shape the rest of capture already takes
// (src/capture/har-normalize.ts), so background capture finds tokens exactly as the panel does:
// sightingsFromEntry, one way. Each event becomes its own partial entry; the per-tab store (tab-store.ts)
// folds the sightings of one request together by its exchange key.
import { sightingsFromEntry, type CapturedSighting } from '../../capture/sightings-from-entry';

/** Request bodies read as text (JSON, or raw bytes of a form); a longer body is read to this many bytes. */
export const MAX_REQUEST_BODY_BYTES = 256 * 1024;
/** Form fields read from requestBody.formData, and values per field. */
export const MAX_FORM_FIELDS = 256;
const MAX_FORM_VALUES = 16;

/** The fields of a webRequest event this module reads (Chrome and Firefox send the same names). */
export interface RequestDetails {
  requestId: string;
  url: string;
  method: string;
  tabId: number;
  /** Epoch ms. */
  timeStamp: number;
  statusCode?: number;
  requestHeaders?: { name: string; value?: string }[];
  responseHeaders?: { name: string; value?: string }[];
  requestBody?: { formData?: Record<string, unknown>; raw?: { bytes?: ArrayBuffer }[] } | null;
}

/** The key that groups the sightings of one request (and of each hop of a redirect). */
export function exchangeOf(d: RequestDetails): string {
  return `bg ${d.requestId} ${d.method} ${d.url.length > 2048 ? d.url.slice(0, 2048) : d.url}`;
}

/** Sightings of the request line and body (onBeforeRequest). */
export function sightingsOfRequestStart(d: RequestDetails): CapturedSighting[] {
  const postData = postDataOf(d.requestBody);
  return mark(sightingsFromEntry({ ...base(d), request: { method: d.method, url: d.url, ...(postData ? { postData } : {}) } }), d);
}

/** Sightings of the headers as sent, cookies included (onSendHeaders). */
export function sightingsOfRequestHeaders(d: RequestDetails): CapturedSighting[] {
  return mark(sightingsFromEntry({ ...base(d), request: { method: d.method, url: d.url, headers: headersOf(d.requestHeaders) } }), d);
}

/** Sightings of the response headers: Set-Cookie with its attributes, Location, any other header (onHeadersReceived). */
export function sightingsOfResponseHeaders(d: RequestDetails): CapturedSighting[] {
  return mark(
    sightingsFromEntry({
      ...base(d),
      request: { method: d.method, url: d.url },
      response: { status: typeof d.statusCode === 'number' ? d.statusCode : 0, headers: headersOf(d.responseHeaders) },
    }),
    d,
  );
}

function base(d: RequestDetails) {
  return { startedDateTime: new Date(Number.isFinite(d.timeStamp) ? d.timeStamp : Date.now()).toISOString() };
}

function mark(list: CapturedSighting[], d: RequestDetails): CapturedSighting[] {
  const exchange = exchangeOf(d);
  for (const c of list) {
    c.exchange = exchange;
    c.source = 'background';
  }
  return list;
}

function headersOf(list: RequestDetails['requestHeaders']): { name: string; value: string }[] {
  if (!Array.isArray(list)) return [];
  const out: { name: string; value: string }[] = [];
  for (const h of list) if (h && typeof h.name === 'string' && typeof h.value === 'string') out.push({ name: h.name, value: h.value });
  return out;
}

function postDataOf(body: RequestDetails['requestBody']): { text: string; params: { name: string; value: string }[] } | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const form = body.formData;
  if (form && typeof form === 'object') {
    const params: { name: string; value: string }[] = [];
    for (const name of Object.keys(form).slice(0, MAX_FORM_FIELDS)) {
      const values = form[name];
      if (!Array.isArray(values)) continue;
      for (const v of values.slice(0, MAX_FORM_VALUES)) if (typeof v === 'string') params.push({ name, value: v });
    }
    return params.length ? { text: '', params } : undefined;
  }
  if (!Array.isArray(body.raw)) return undefined;
  let text = '';
  let left = MAX_REQUEST_BODY_BYTES;
  const decoder = new TextDecoder('utf-8', { fatal: false });
  for (const part of body.raw) {
    const bytes = part?.bytes;
    // Not instanceof: Firefox hands over an ArrayBuffer of another compartment.
    if (!bytes || typeof bytes.byteLength !== 'number' || left <= 0) continue;
    const take = Math.min(bytes.byteLength, left);
    text += decoder.decode(new Uint8Array(bytes, 0, take), { stream: true });
    left -= take;
  }
  text += decoder.decode();
  return text ? { text, params: [] } : undefined;
}
