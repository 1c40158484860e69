// From an issuer to its JWKS: OpenID Connect discovery first, RFC 8414 authorization-server metadata second.
import { checkFetchableUrl, fetchJsonLimited, FetchRefused, type JsonFetchResult } from './safe-fetch';

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
  const failures: string[] = [];
  for (const candidate of discoveryUrls(issuer)) {
    try {
      const { json } = await fetchJson(candidate);
      const doc = json as { jwks_uri?: unknown; issuer?: unknown };
      if (typeof doc?.jwks_uri !== 'string') {
        failures.push(`${candidate} has no jwks_uri`);
        continue;
      }
      // OIDC Discovery §4.3: the document must name the issuer it was fetched for.
      if (typeof doc.issuer === 'string' && doc.issuer.replace(/\/+$/, '') !== issuer.replace(/\/+$/, '')) {
        failures.push(`${candidate} names issuer ${doc.issuer}, not ${issuer}`);
        continue;
      }
      return checkFetchableUrl(doc.jwks_uri).href;
    } catch (e) {
      failures.push(e instanceof Error ? e.message : String(e));
    }
  }
  throw new FetchRefused('http-status', `No discovery document for ${issuer}: ${failures.join('; ')}`);
}
