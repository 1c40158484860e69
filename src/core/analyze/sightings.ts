// Where the token was seen: cookies without their protections, web storage, URLs, plain HTTP.
import { isJsonObject } from '../is-json-object';
import { isLoopbackHost } from '../is-loopback';
import type { Sighting } from '../types';
import type { Evidence } from './evidence';
import { isString, MAX_SHOWN_TEXT, quote, shorten } from './text';

// Where a sighting can raise nothing but cleartext-http: in a header or a body.
const TRANSIT_ONLY: ReadonlySet<string> = new Set([
  'authorization-header',
  'request-header',
  'response-header',
  'request-body',
  'response-body',
]);
const SECURE_SCHEME = /^\s*(?:https|wss):/i;

export function checkSighting(sighting: Sighting, found: Evidence): void {
  const where = sighting.where;
  // The common case, a header or body sent over TLS, raises nothing: decided without parsing the URL
  // (readUrl trims the same whitespace, and a URL that starts with its scheme keeps it).
  if (TRANSIT_ONLY.has(where) && typeof sighting.url === 'string' && SECURE_SCHEME.test(sighting.url)) return;
  const url = readUrl(sighting.url);
  const name = isString(sighting.name) ? quote(sighting.name) : undefined;
  const at = url ? ` on ${url.display}` : '';
  const cookie = isJsonObject(sighting.cookie) ? (sighting.cookie as Sighting['cookie']) : undefined;
  const cookieLabel = `cookie ${name ?? '(unnamed)'}${at}`;

  if (where === 'document-cookie') {
    // Only cookies without HttpOnly are visible to document.cookie: seeing it there proves the flag is off.
    found.add('cookie-not-httponly', `${cookieLabel}, read from document.cookie`, COOKIE_LEAD);
  } else if ((where === 'set-cookie' || where === 'cookie') && cookie?.httpOnly === false) {
    found.add('cookie-not-httponly', cookieLabel, COOKIE_LEAD);
  }
  const cookieWhere = where === 'set-cookie' || where === 'cookie' || where === 'document-cookie';
  // Browsers treat localhost as a secure context, so a dev server's cookie without Secure is no exposure.
  if (cookieWhere && cookie?.secure === false && !url?.local) {
    found.add('cookie-not-secure', cookieLabel, COOKIE_LEAD);
  }
  if (cookieWhere && cookie?.sameSite === 'none') {
    found.add('cookie-samesite-none', cookieLabel, COOKIE_LEAD);
  }

  if (where === 'local-storage' || where === 'session-storage') {
    const store = where === 'local-storage' ? 'localStorage' : 'sessionStorage';
    found.add('web-storage', `${store}[${name ?? '?'}]${url ? ` of ${url.origin}` : ''}`, 'Kept in');
  }
  if (where === 'url') {
    found.add('token-in-url', `${name ? `parameter ${name} of ` : ''}${url ? url.display : 'a URL'}`, 'Seen in');
  }
  if (url?.cleartext && !url.local) {
    found.add(
      'cleartext-http',
      `${WHERE_LABEL[where] ?? 'seen'}${name ? ` ${name}` : ''} on ${url.display}`,
      'Sent or stored over plain HTTP',
    );
  }
}

const COOKIE_LEAD = 'Token in';

const WHERE_LABEL: Record<string, string> = {
  'authorization-header': 'Authorization header',
  'request-header': 'request header',
  'response-header': 'response header',
  cookie: 'cookie',
  'set-cookie': 'Set-Cookie',
  url: 'URL',
  'request-body': 'request body',
  'response-body': 'response body',
  'local-storage': 'localStorage',
  'session-storage': 'sessionStorage',
  'document-cookie': 'document.cookie',
};

interface UrlInfo {
  origin: string;
  /** Origin and path only: the query or fragment may hold this token or other secrets. */
  display: string;
  cleartext: boolean;
  local: boolean;
}

function readUrl(raw: unknown): UrlInfo | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const text = raw.trim().slice(0, 8192);
  try {
    const url = new URL(text);
    const host = url.hostname.toLowerCase();
    const origin = url.origin !== 'null' ? url.origin : `${url.protocol}//${url.host}`;
    return {
      origin,
      display: shorten(`${origin}${url.pathname}`, MAX_SHOWN_TEXT),
      cleartext: url.protocol === 'http:' || url.protocol === 'ws:',
      local: isLoopbackHost(host),
    };
  } catch {
    const bare = text.split(/[?#]/, 1)[0] ?? '';
    const cleartext = /^(?:http|ws):\/\//i.test(bare);
    const host = /^[a-z]+:\/\/([^/:]+)/i.exec(bare)?.[1]?.toLowerCase() ?? '';
    return { origin: shorten(bare, MAX_SHOWN_TEXT), display: shorten(bare, MAX_SHOWN_TEXT), cleartext, local: isLoopbackHost(host) };
  }
}
