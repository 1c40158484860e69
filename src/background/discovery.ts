// From an issuer to its JWKS: OpenID Connect discovery first, RFC 8414 authorization-server metadata second.
// The document names the next URL the worker fetches, so an issuer out on the network may not point it at
// the user's own machine or network (SECURITY.md).
import type { FetchErrorCode } from '../messages';
import { checkFetchableUrl, fetchJsonLimited, FetchRefused, isLoopbackHost, type JsonFetchResult } from './safe-fetch';

function ipv4Private(parts: number[]): boolean {
  const [a, b] = parts as [number, number];
  return (
    a === 0 || // "this network" (RFC 1122 §3.2.1.3): 0.0.0.0 reaches the machine itself
    a === 127 ||
    a === 10 || // RFC 1918
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) // link-local (RFC 3927), cloud metadata services
  );
}

/** The eight 16-bit groups of an IPv6 address as the URL parser writes it (compressed, lower case). */
function ipv6Groups(address: string): number[] | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === '' ? [] : h.split(':').map((g) => parseInt(g, 16)));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const all = halves.length === 2 ? [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail] : head;
  return all.length === 8 && all.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? all : undefined;
}

/**
 * Loopback (localhost, *.localhost, 127/8, ::1), RFC 1918, link-local (169.254/16, fe80::/10), unique local
 * (fc00::/7), 0/8 and IPv4-mapped forms of these. A host name is judged by its name only: the browser does
 * not tell an extension where a name resolves.
 */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (isLoopbackHost(host)) return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) return ipv4Private(v4.slice(1).map(Number));
  if (!host.startsWith('[') || !host.endsWith(']')) return false;
  const g = ipv6Groups(host.slice(1, -1));
  if (!g) return false;
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0) {
    if (g5 === 0 && g6 === 0 && (g7 === 0 || g7 === 1)) return true; // :: and ::1
    if (g5 === 0xffff) return ipv4Private([g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff]); // ::ffff:a.b.c.d
  }
  return (g0 & 0xffc0) === 0xfe80 || (g0 & 0xfe00) === 0xfc00;
}

export function discoveryUrls(issuer: string): string[] {
  const url = checkFetchableUrl(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  return [
    // OIDC Discovery §4: the well-known path is appended to the issuer.
    `${url.origin}${path}/.well-known/openid-configuration`,
    // RFC 8414 §3: the well-known path goes between the host and the issuer's path.
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
  ];
}

export async function resolveJwksUri(
  issuer: string,
  fetchJson: (url: string) => Promise<JsonFetchResult> = (u) => fetchJsonLimited(u),
): Promise<string> {
  const failures: FetchRefused[] = [];
  for (const candidate of discoveryUrls(issuer)) {
    try {
      const { json } = await fetchJson(candidate);
      const doc = json as { jwks_uri?: unknown; issuer?: unknown };
      if (typeof doc?.jwks_uri !== 'string') {
        failures.push(new FetchRefused('discovery-no-jwks-uri', `${candidate} has no jwks_uri`));
        continue;
      }
      // OIDC Discovery §4.3: the document must name the issuer it was fetched for.
      if (typeof doc.issuer === 'string' && doc.issuer.replace(/\/+$/, '') !== issuer.replace(/\/+$/, '')) {
        failures.push(new FetchRefused('discovery-issuer-mismatch', `${candidate} names issuer ${doc.issuer}, not ${issuer}`));
        continue;
      }
      const jwksUri = checkFetchableUrl(doc.jwks_uri);
      if (isPrivateHost(jwksUri.hostname) && !isPrivateHost(new URL(issuer).hostname)) {
        failures.push(
          new FetchRefused(
            'discovery-private-jwks-uri',
            `${candidate} names a jwks_uri on a loopback or private address (${jwksUri.host}) for an issuer that is not on one; it was refused.`,
          ),
        );
        continue;
      }
      return jwksUri.href;
    } catch (e) {
      failures.push(e instanceof FetchRefused ? e : new FetchRefused('network', e instanceof Error ? e.message : String(e)));
    }
  }
  throw new FetchRefused(
    discoveryFailureCode(failures),
    `No discovery document for ${issuer}: ${failures.map((f) => f.message).join('; ')}`,
  );
}

/**
 * One code for failures at both well-known paths. An issuer usually serves one of the two, so the other's
 * HTTP 404 says little: any other failure (a refused document, a timeout) is the one that tells.
 */
function discoveryFailureCode(failures: readonly FetchRefused[]): FetchErrorCode {
  return (failures.find((f) => f.code !== 'http-status') ?? failures[0])?.code ?? 'http-status';
}
