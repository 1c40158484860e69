// The findings catalogue: for every FindingId, how bad it is, why it matters, what to do and who says so.
// The README and the UI read this table; analyze, the verifier and the panel's flow tracker build from it.
import { SEVERITIES, type Finding, type FindingId, type Severity } from './types';

export interface CatalogueEntry {
  id: FindingId;
  severity: Severity;
  title: string;
  /** Why it matters, in plain words. */
  why: string;
  /** What to do about it. */
  fix: string;
  reference: string;
}

/** A finding with the evidence for this token kept apart, so a UI can show it on its own. */
export interface BuiltFinding extends Finding {
  reference: string;
  /** What was seen in this token or its sightings (already part of `detail`). */
  evidence?: string;
}

/** Most severe first; sorting and the UI use this order. */
export const SEVERITY_ORDER: readonly Severity[] = SEVERITIES;

// Severity measures the risk the finding shows, not how interesting it is. Notably `expired` is low: an
// expired token is the system working as designed, and it harms only if some server still accepts it,
// which the inspector cannot see. Developers still find it first, because the UI shows it by the token.
const ENTRIES: CatalogueEntry[] = [
  {
    id: 'alg-none',
    severity: 'critical',
    title: 'Unsigned token (alg "none")',
    why: 'Anyone can write a token with alg "none" and any claims they like. A server that accepts it lets every caller be whoever they claim to be.',
    fix: 'Reject "none" (in any spelling) on every server: verify with an explicit allow-list of algorithms and never take the algorithm from the token.',
    reference: 'RFC 8725 §2.1, §3.1; RFC 7519 §6; OWASP JWT Cheat Sheet ("None hashing algorithm")',
  },
  {
    id: 'weak-hmac-secret',
    severity: 'critical',
    title: 'HMAC secret is guessable',
    why: 'The token verified with a common or short secret. Anyone who guesses it, offline and at leisure from one captured token, can forge tokens for any user.',
    fix: 'Replace the secret with at least 256 random bits (32 bytes from a CSPRNG), or move to an asymmetric algorithm such as ES256 or EdDSA; then revoke tokens signed with the old one.',
    reference: 'RFC 8725 §2.2, §3.5; RFC 7518 §3.2; OWASP JWT Cheat Sheet ("Weak token secret")',
  },
  {
    id: 'signature-invalid',
    severity: 'high',
    title: 'Signature does not verify',
    why: 'The token was changed after signing, or was signed with another key than the one configured. If the application still accepts it, it does not check signatures at all.',
    fix: 'Check that the right key or JWKS is configured for this issuer. If it is, treat the token as forged and make sure the server rejects it.',
    reference: 'RFC 7515 §5.2; RFC 8725 §3.3; OWASP ASVS 4.0.3 V3.5.3',
  },
  {
    id: 'empty-signature',
    severity: 'high',
    title: 'Signature part is empty',
    why: 'Without a signature nothing proves who wrote the claims. A verifier that skips the check when the signature is missing (signature stripping) accepts such a token with any claims.',
    fix: 'Make sure every server rejects a token whose signature is missing; find out which component produced or stripped it.',
    reference: 'RFC 7515 §5.2; RFC 8725 §3.3',
  },
  {
    id: 'embedded-key-header',
    severity: 'high',
    title: 'Token carries its own verification key',
    why: 'A key or certificate embedded in the header (jwk, x5c) is chosen by whoever wrote the token. A server that verifies with it accepts any token signed by an attacker with their own key (CVE-2018-0114).',
    fix: "Verify only with keys the server already trusts (configured keys, the issuer's JWKS); use an embedded certificate only after validating its chain to a pinned root.",
    reference: 'RFC 7515 §4.1.3, §4.1.6; RFC 8725 §3.10; OWASP JWT Cheat Sheet',
  },
  {
    id: 'remote-key-header',
    severity: 'high',
    title: 'Token names a URL to fetch its key from',
    why: "jku and x5u are URLs chosen by whoever wrote the token. A server that fetches keys from them verifies forged tokens with an attacker's key, and can be made to request internal URLs (SSRF).",
    fix: "Ignore jku / x5u, or accept only an exact allow-list of the issuer's own HTTPS URLs. This inspector never fetches them.",
    reference: 'RFC 8725 §3.10; RFC 7515 §4.1.2, §4.1.5; OWASP JWT Cheat Sheet',
  },
  {
    id: 'kid-injection',
    severity: 'high',
    title: 'Suspicious key id (kid)',
    why: 'The kid holds characters used in path traversal, SQL, shell or URL attacks. Servers that build a file path, a query or a command from the kid can be tricked into verifying with a key the attacker knows (e.g. /dev/null or an empty string).',
    fix: 'Treat kid as an opaque label: look it up in a fixed map of trusted keys, never in a path, query or command; reject unknown ones.',
    reference: 'RFC 8725 §3.10; RFC 7515 §4.1.4; OWASP Web Security Testing Guide (Testing JSON Web Tokens)',
  },
  {
    id: 'sensitive-data',
    severity: 'high',
    title: 'Secrets or personal data in readable claims',
    why: 'A signed token is encoded, not encrypted: anyone who sees it (logs, browser storage, proxies, the user) can read every claim.',
    fix: 'Remove secrets from the claims and keep only identifiers; if the data must travel in the token, encrypt it (JWE).',
    reference: 'RFC 8725 §3.10; RFC 7519 §11.2; OWASP JWT Cheat Sheet ("Token information disclosure")',
  },
  {
    id: 'cleartext-http',
    severity: 'high',
    title: 'Token travels over plain HTTP',
    why: 'Anyone on the network path (public Wi-Fi, a proxy) can read the token and replay it as the user until it expires.',
    fix: 'Serve every page and API that carries the token over HTTPS, and turn on HSTS.',
    reference: 'RFC 6750 §5.3; RFC 6749 §10.3; OWASP ASVS 4.0.3 V9.1.1',
  },
  {
    id: 'jwks-symmetric-key',
    severity: 'high',
    title: 'Key set publishes a secret key',
    why: 'A JWKS is public: a symmetric (oct) key in it is a secret anyone can read, and private members (d, p, q, dp, dq, qi, oth) hand out the signing key. A verifier that takes keys from this set accepts tokens that anyone forged with them.',
    fix: 'Remove the key from the published set and rotate it now; treat every token it signed as forgeable. Publish public keys only (RSA, EC or OKP without private members). JWT Inspector never uses such a key.',
    reference: 'RFC 7517 §4, §9.2, §9.3; RFC 8725 §3.2',
  },
  {
    id: 'refresh-token-reused',
    severity: 'high',
    title: 'A rotated refresh token was used again',
    why: 'A refresh token that was already exchanged was sent again. Either it was stolen and replayed, or the client keeps stale copies; if the server accepted it, replay detection is missing.',
    fix: 'On reuse of a rotated refresh token, the server should revoke the whole token family and force a new sign-in; fix the client to keep only the newest token.',
    reference: 'RFC 9700 §4.14.2',
  },
  {
    id: 'no-expiry',
    severity: 'medium',
    title: 'No expiry (exp)',
    why: 'Without exp the token stays valid forever: a copy stolen today still works years from now, and the only way to stop it is to rotate the key.',
    fix: 'Issue every token with an exp, minutes for access tokens, and reject tokens without one.',
    reference: 'RFC 7519 §4.1.4; RFC 8725 §3.10; OWASP JWT Cheat Sheet',
  },
  {
    id: 'cookie-not-httponly',
    severity: 'medium',
    title: 'Token cookie is readable by page scripts',
    why: 'Without HttpOnly, any script on the page — including one injected through XSS — can read the token and send it elsewhere.',
    fix: 'Set the cookie with HttpOnly; if page scripts need claims, give them a separate, non-secret value.',
    reference: 'RFC 6265 §4.1.2.6; OWASP ASVS 4.0.3 V3.4.2; OWASP Session Management Cheat Sheet',
  },
  {
    id: 'cookie-not-secure',
    severity: 'medium',
    title: 'Token cookie lacks Secure',
    why: 'Without Secure, the browser also sends the cookie over plain HTTP, where anyone on the network can read it.',
    fix: 'Set the cookie with Secure (and preferably the __Host- prefix, which also pins Path=/ and forbids Domain).',
    reference: 'RFC 6265 §4.1.2.5; RFC 6265bis §4.1.3; OWASP ASVS 4.0.3 V3.4.1',
  },
  {
    id: 'web-storage',
    severity: 'medium',
    title: 'Token kept in web storage (local or session)',
    why: 'Web storage is readable by every script of the origin: one XSS flaw, or one compromised third-party script, and the token leaves with it. Unlike an HttpOnly cookie it is not sent on its own, so it resists CSRF — that is the trade-off.',
    fix: 'Prefer an HttpOnly, Secure, SameSite cookie (or a backend-for-frontend that keeps tokens server-side); if the token must stay in script, keep it in memory, short-lived and sender-constrained (DPoP).',
    reference: 'OWASP HTML5 Security Cheat Sheet ("Local Storage"); OWASP JWT Cheat Sheet ("Token storage on client side"); RFC 9449',
  },
  {
    id: 'token-in-url',
    severity: 'medium',
    title: 'Token in a URL',
    why: 'URLs end up in browser history, server and proxy logs, and Referer headers sent to other sites, where the token can be read and replayed.',
    fix: 'Send tokens in the Authorization header or a request body; for OAuth, use the authorization code flow (with PKCE) instead of tokens in the fragment or query.',
    reference: 'RFC 6750 §2.3, §5.3; RFC 9700 §4.2, §4.3; OWASP ASVS 4.0.3 V3.1.1',
  },
  {
    id: 'refresh-token-not-rotated',
    severity: 'medium',
    title: 'Refresh token is not rotated',
    why: 'A refresh returned the same refresh token, or none (the client then keeps the old one). A stolen copy then works as long as the legitimate one, and the server cannot tell thief from user.',
    fix: 'Issue a new refresh token on every refresh and invalidate the old one, or bind refresh tokens to the client (DPoP, mTLS).',
    reference: 'RFC 9700 §2.2.2, §4.14.2',
  },
  {
    id: 'expired',
    severity: 'low',
    title: 'Expired',
    why: 'The token is past its exp and must be rejected. If it is still being sent, the client does not refresh in time; if a server accepts it, that server does not check exp.',
    fix: 'Refresh before expiry on the client, and make sure every server checks exp (with at most a minute or two of clock skew).',
    reference: 'RFC 7519 §4.1.4; RFC 8725 §3.10',
  },
  {
    id: 'long-lifetime',
    severity: 'low',
    title: 'Long lifetime',
    why: 'The longer a token lives, the longer a stolen copy works; a stateless token cannot be revoked before it expires.',
    fix: 'Keep access tokens to minutes (often 5–60) and use refresh tokens, rotated, for long sessions.',
    reference: 'OWASP JWT Cheat Sheet; RFC 9700 §4.14; RFC 8725 §3.10',
  },
  {
    id: 'not-yet-valid',
    severity: 'low',
    title: 'Not valid yet (nbf in the future)',
    why: "Servers must reject the token until its nbf; if the gap is small, the issuer's and the verifier's clocks disagree.",
    fix: 'Synchronise clocks (NTP) and allow a small skew; if the gap is large, find out why the issuer dates tokens ahead.',
    reference: 'RFC 7519 §4.1.5',
  },
  {
    id: 'issued-in-future',
    severity: 'low',
    title: 'Issued in the future (iat)',
    why: "A token cannot be issued after now: the issuer's clock is wrong, or the token was forged with an invented iat, perhaps to stretch its lifetime.",
    fix: "Synchronise the issuer's clock (NTP); have verifiers reject tokens whose iat is beyond the allowed skew.",
    reference: 'RFC 7519 §4.1.6; RFC 8725 §3.10',
  },
  {
    id: 'cookie-samesite-none',
    severity: 'low',
    title: 'Token cookie is sent cross-site (SameSite=None)',
    why: 'With SameSite=None the browser attaches the token to requests that other sites trigger, so the application must defend itself against CSRF on its own.',
    fix: 'Use SameSite=Lax or Strict unless a cross-site flow truly needs the cookie; otherwise keep an anti-CSRF token or an Origin check.',
    reference: 'RFC 6265bis §4.1.2.7, §8.8; OWASP ASVS 4.0.3 V3.4.3; OWASP CSRF Prevention Cheat Sheet',
  },
  {
    id: 'refresh-while-access-valid',
    severity: 'low',
    title: 'Refreshed while the access token was still valid',
    why: 'The client asked for a new access token before the old one expired (by its exp, or the expires_in of the response that issued it). Servers that track (access, refresh) pairs read this as a stolen refresh token and revoke it, logging the user out; it also multiplies live tokens.',
    fix: 'Refresh shortly before expiry or after a 401, not on every page load; reuse the access token while it is valid.',
    reference: 'RFC 9700 §4.14',
  },
  {
    id: 'expires-soon',
    severity: 'info',
    title: 'Expires soon',
    why: 'The token expires within minutes; requests made with it after that will fail.',
    fix: 'Nothing to fix if the client refreshes in time; if requests fail just after this, check the refresh logic.',
    reference: 'RFC 7519 §4.1.4',
  },

  // OAuth 2.0 / OpenID Connect flows: judged per sign-in (src/core/oauth/judge-flow.ts), shown in the Flows tab
  // and, when they concern a token, on its row.
  {
    id: 'oauth-client-secret-in-browser',
    severity: 'critical',
    title: 'Client secret sent from the browser',
    why: 'The page sent a client_secret (in a body or an HTTP Basic Authorization header). Whatever runs in a browser is public: anyone can read the secret from the page and act as the client — exchange stolen codes, mint tokens.',
    fix: 'Register the browser app as a public client (token_endpoint_auth_method "none") with PKCE, or keep the secret in a backend (backend-for-frontend); rotate the exposed secret now.',
    reference: 'RFC 6749 §2.1, §10.1; RFC 9700 §2.5; OAuth 2.0 for Browser-Based Apps §6',
  },
  {
    id: 'oidc-at-hash-mismatch',
    severity: 'high',
    title: 'ID token at_hash does not match the access token',
    why: 'at_hash binds the access token to the ID token issued with it. When it does not match (or is missing where the implicit flow requires it), the access token may have been swapped in by an attacker (token substitution).',
    fix: "Clients must reject the response when at_hash is wrong; the provider must compute it with the hash of the ID token's alg over the access token's ASCII octets, left half, base64url.",
    reference: 'OpenID Connect Core 1.0 §3.1.3.8, §3.2.2.9, §3.2.2.10',
  },
  {
    id: 'oidc-c-hash-mismatch',
    severity: 'high',
    title: 'ID token c_hash does not match the code',
    why: 'In the hybrid flow c_hash binds the authorization code to the ID token in the same response. A wrong or missing c_hash means a code injected by an attacker would go unnoticed.',
    fix: "Clients must reject the response when c_hash is wrong or missing; the provider must compute it over the code with the hash of the ID token's alg.",
    reference: 'OpenID Connect Core 1.0 §3.3.2.10, §3.3.2.11',
  },
  {
    id: 'oidc-nonce-mismatch',
    severity: 'high',
    title: 'ID token nonce does not match the one sent',
    why: "The nonce ties the ID token to this browser's authorization request. An ID token with another nonce (or none, when one was sent) may be replayed or injected from another session.",
    fix: "Clients must compare the ID token's nonce with the one kept from the request and reject it when they differ.",
    reference: 'OpenID Connect Core 1.0 §3.1.3.7 (11), §3.2.2.11, §15.5.2',
  },
  {
    id: 'oidc-iss-mismatch',
    severity: 'high',
    title: 'Issuer differs from the one the flow used',
    why: "The ID token's iss (or the authorization response's iss) is not the issuer whose endpoints the flow used. That is the mark of a mix-up attack: a response from one provider accepted as another's.",
    fix: "Clients must check that iss equals the issuer they sent the user to (exact string match), and check the authorization response's iss parameter (RFC 9207).",
    reference: 'OpenID Connect Core 1.0 §3.1.3.7 (2); RFC 9207 §2.4; RFC 9700 §4.4',
  },
  {
    id: 'oidc-aud-mismatch',
    severity: 'high',
    title: 'ID token audience lacks the client',
    why: 'An ID token is meant for one client: its aud must contain the client_id. One whose aud lacks it was issued to another client, and accepting it lets a token minted for another app sign the user in here.',
    fix: 'Clients must reject an ID token whose aud does not contain their client_id.',
    reference: 'OpenID Connect Core 1.0 §3.1.3.7 (3)',
  },
  {
    id: 'oauth-implicit-flow',
    severity: 'high',
    title: 'Implicit flow: tokens in the authorization response',
    why: 'With response_type "token" (or access tokens in the fragment) the access token travels in the redirect URL: it can leak through history, Referer and open redirectors, and nothing binds it to this client (no PKCE, no sender constraint).',
    fix: 'Use the authorization code flow with PKCE (response_type "code"); the implicit grant is deprecated.',
    reference: 'RFC 9700 §2.1.2, §4.3; OAuth 2.0 for Browser-Based Apps §7.8',
  },
  {
    id: 'oauth-no-pkce',
    severity: 'high',
    title: 'Authorization code flow without PKCE',
    why: 'Without a code_challenge an authorization code stolen or injected on its way back (a malicious app, a leaking log, a Referer) can be redeemed by whoever holds it.',
    fix: 'Send code_challenge with code_challenge_method S256 and the code_verifier on the token request; providers should require it for public clients.',
    reference: 'RFC 9700 §2.1.1, §4.5; RFC 7636 §1',
  },
  {
    id: 'oauth-code-reused',
    severity: 'high',
    title: 'Authorization code sent twice',
    why: 'An authorization code is single-use. A second token request with the same code is a replay — by an attacker who intercepted it, or a buggy client — and a provider that answers it again lets a stolen code mint tokens.',
    fix: 'Exchange each code once; providers must refuse a second use and should revoke the tokens already issued for it.',
    reference: 'RFC 6749 §4.1.2, §10.5; RFC 9700 §4.5',
  },
  {
    id: 'oauth-state-mismatch',
    severity: 'high',
    title: 'Authorization response state differs from the request',
    why: 'state ties the response to the request this browser made. A response with another state (or none) is either a CSRF attempt or a client that does not check state.',
    fix: 'Keep the state sent with the request and reject a response whose state differs.',
    reference: 'RFC 6749 §4.1.2, §10.12; RFC 9700 §4.7',
  },
  {
    id: 'id-token-as-bearer',
    severity: 'medium',
    title: 'ID token sent as an access token',
    why: "An ID token tells the client who signed in; it is not meant for APIs. Sent as a Bearer token it grants whatever the API allows to any client the user signed in to (its aud is the client, not the API), and it leaks the user's claims to the API.",
    fix: 'Call APIs with the access token; APIs should refuse ID tokens (check aud and typ).',
    reference: 'OpenID Connect Core 1.0 §2; RFC 9068 §4; RFC 8725 §3.11',
  },
  {
    id: 'oauth-no-state',
    severity: 'medium',
    title: 'Authorization request without state (and without PKCE)',
    why: "Without state or PKCE nothing ties the authorization response to this browser: an attacker can send the user back with the attacker's own code (login CSRF) and have them use the attacker's account.",
    fix: 'Send a random, single-use state and check it on return — or use PKCE, which also protects against CSRF.',
    reference: 'RFC 6749 §10.12; RFC 9700 §2.1, §4.7',
  },
  {
    id: 'oauth-pkce-plain',
    severity: 'medium',
    title: 'PKCE with the plain method',
    why: 'With "plain" the code_challenge is the code_verifier itself: whoever sees the authorization request (logs, history, a malicious app) has what redeems the code.',
    fix: 'Use code_challenge_method S256. A challenge sent without a method means plain.',
    reference: 'RFC 7636 §4.2, §4.3, §7.2; RFC 9700 §2.1.1',
  },
  {
    id: 'oauth-token-response-cacheable',
    severity: 'medium',
    title: 'Token response may be cached',
    why: 'A token response without Cache-Control: no-store may be kept by the browser or a proxy cache, where the tokens outlive the session and can be read by the next user of the machine or the cache.',
    fix: 'Send Cache-Control: no-store (and Pragma: no-cache) on every response that carries tokens.',
    reference: 'RFC 6749 §5.1; RFC 9111 §5.2.2.5',
  },
  {
    id: 'oauth-redirect-uri-http',
    severity: 'medium',
    title: 'Redirect URI on plain HTTP',
    why: 'The authorization code (or the tokens) come back in the redirect URI: over plain HTTP anyone on the network path can read them.',
    fix: "Register https redirect URIs; plain http only for loopback addresses (127.0.0.1, [::1]) on the user's own machine.",
    reference: 'RFC 6749 §3.1.2.1; RFC 9700 §4.1; RFC 8252 §7.3',
  },
  {
    id: 'oidc-azp-mismatch',
    severity: 'medium',
    title: 'ID token azp is not the client',
    why: 'azp names the party the ID token was issued to. When it names another client, or is missing though aud lists several, the token may have been issued to another app and replayed here.',
    fix: 'Clients should reject an ID token whose azp is present and differs from their client_id, and require azp when aud has several values.',
    reference: 'OpenID Connect Core 1.0 §2, §3.1.3.7 (4), (5)',
  },
  {
    id: 'oidc-nonce-missing',
    severity: 'medium',
    title: 'Implicit or hybrid request without nonce',
    why: 'When the ID token comes back in the front channel (implicit or hybrid flow) the nonce is what stops a captured ID token from being replayed into another session; OpenID Connect makes it required there.',
    fix: 'Send a random nonce with every request whose response_type includes id_token, and check it in the ID token.',
    reference: 'OpenID Connect Core 1.0 §3.2.2.1, §3.2.2.11, §3.3.2.11',
  },
];

export const FINDING_CATALOGUE: Readonly<Record<FindingId, Readonly<CatalogueEntry>>> = Object.freeze(
  Object.fromEntries(ENTRIES.map((entry) => [entry.id, Object.freeze(entry)])) as Record<FindingId, CatalogueEntry>,
);

/** Every finding id, most severe first — the order docs list them in. */
export const FINDING_IDS: readonly FindingId[] = Object.freeze(
  [...ENTRIES].sort((a, b) => severityRank(a.severity) - severityRank(b.severity)).map((entry) => entry.id),
);

export function severityRank(severity: Severity): number {
  const rank = SEVERITY_ORDER.indexOf(severity);
  return rank === -1 ? SEVERITY_ORDER.length : rank;
}

/**
 * Builds the finding for `id`. `specificDetail` is the evidence for this token (which claim, which cookie,
 * which URL); the catalogue adds why it matters and what to do.
 */
export function finding(id: FindingId, specificDetail?: string): BuiltFinding {
  const entry = FINDING_CATALOGUE[id];
  const evidence = typeof specificDetail === 'string' && specificDetail.trim() !== '' ? specificDetail.trim() : undefined;
  const tail = catalogueTail(id);
  const detail = evidence === undefined ? tail : tail === '' ? evidence : `${evidence} ${tail}`;
  const built: BuiltFinding = { id, severity: entry.severity, title: entry.title, detail, reference: entry.reference };
  if (evidence) built.evidence = evidence;
  return built;
}

// Why and fix of each id, joined once: every finding of every captured token (a panel holds thousands)
// then shares one string instead of carrying its own copy.
const tails = new Map<FindingId, string>();

function catalogueTail(id: FindingId): string {
  let tail = tails.get(id);
  if (tail === undefined) {
    const entry = FINDING_CATALOGUE[id];
    tail = [entry.why, entry.fix].filter(Boolean).join(' ');
    tails.set(id, tail);
  }
  return tail;
}

// Catalogue position per id, built once: sorting runs for every analysed token.
let positions: ReadonlyMap<string, number> | undefined;

/** Most severe first; ties keep the catalogue order, so the output is stable. */
export function sortFindings<T extends Finding>(findings: T[]): T[] {
  const position = (positions ??= new Map(FINDING_IDS.map((id, index) => [id, index] as const)));
  return [...findings].sort(
    (a, b) => severityRank(a.severity) - severityRank(b.severity) || (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0),
  );
}
