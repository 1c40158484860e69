// Wording shared by the flow tracker and its refresh judgement: times, URLs and evidence lists as a finding's
// detail shows them. URLs are shown without query or fragment, which may hold tokens.

import type { Where } from '../../core/types';

/** Evidence items a finding's detail lists before it says how many more there were. */
export const MAX_EVIDENCE = 3;

export function pathOf(url: string): string {
  const scheme = url.indexOf('://');
  const start = scheme >= 0 ? url.indexOf('/', scheme + 3) : 0;
  if (start < 0) return '/';
  let end = url.length;
  const q = url.indexOf('?', start);
  if (q >= 0) end = q;
  const h = url.indexOf('#', start);
  if (h >= 0 && h < end) end = h;
  return url.slice(start, Math.min(end, start + 2048));
}

/** Origin and path: the query may hold tokens. */
export function display(url: string): string {
  const scheme = url.indexOf('://');
  const hostEnd = scheme >= 0 ? url.indexOf('/', scheme + 3) : -1;
  const origin = hostEnd >= 0 ? url.slice(0, hostEnd) : (url.split(/[?#]/, 1)[0] ?? '');
  const shown = hostEnd >= 0 ? origin + pathOf(url) : origin;
  return shown.length > 120 ? `${shown.slice(0, 119)}…` : shown;
}

export function iso(ms: number): string {
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) ? d.toISOString() : 'an unknown time';
}

export function list(items: string[]): string {
  const shown = items.slice(0, MAX_EVIDENCE).join('; ');
  return items.length > MAX_EVIDENCE ? `${shown}; and ${items.length - MAX_EVIDENCE} more` : shown;
}

export const REQUEST_WHERE_LABEL: Partial<Record<Where, string>> = {
  'authorization-header': 'the Authorization header',
  'request-header': 'a request header',
  cookie: 'a cookie',
  url: 'the URL',
  'request-body': 'the request body',
};

export const RESPONSE_WHERE_LABEL: Partial<Record<Where, string>> = {
  'response-header': 'a response header',
  'set-cookie': 'Set-Cookie',
  url: 'the Location URL',
  'response-body': 'the response body',
};

/** The field or name a token came under, quoted, for a sentence. */
export function nameSuffix(seen: { name?: string; field?: string }): string {
  const name = seen.field ?? seen.name;
  return name ? ` ("${name.length > 60 ? `${name.slice(0, 59)}…` : name}")` : '';
}
