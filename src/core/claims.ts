// What claim names and header parameters mean. Pure data; times are formatted by ./time-format.ts.
import type { CataloguedClaimName } from './claim-names';

export { CLAIM_NAMES, isCataloguedClaim } from './claim-names';

export interface ClaimInfo {
  name: string;
  /** One line, plain words. */
  meaning: string;
  /** Where it is defined: an RFC section, OIDC Core, or the vendor that uses it. */
  source: string;
  /** The value is a NumericDate (seconds since the epoch). */
  time?: boolean;
}

type Entry = [meaning: string, source: string, time?: boolean];

const OIDC_CORE = 'OpenID Connect Core 1.0';

const CLAIMS: Record<CataloguedClaimName, Entry> = {
  // RFC 7519 registered claims
  iss: ['Issuer: who created and signed the token', 'RFC 7519 §4.1.1'],
  sub: ['Subject: whom the token is about, usually a user id unique within the issuer', 'RFC 7519 §4.1.2'],
  aud: ['Audience: the service(s) the token is meant for; others must reject it', 'RFC 7519 §4.1.3'],
  exp: ['Expiration time: the token must not be accepted on or after this time', 'RFC 7519 §4.1.4', true],
  nbf: ['Not before: the token must not be accepted before this time', 'RFC 7519 §4.1.5', true],
  iat: ['Issued at: when the token was created', 'RFC 7519 §4.1.6', true],
  jti: ['JWT ID: a unique id for this token, used to detect replay and to revoke it', 'RFC 7519 §4.1.7'],

  // OpenID Connect ID Token (§2) and hashes
  azp: ['Authorized party: the client the ID token was issued to', `${OIDC_CORE} §2`],
  nonce: ['Nonce: the value the client sent at sign-in, echoed to stop replay of the ID token', `${OIDC_CORE} §2`],
  auth_time: ['When the user last actively authenticated', `${OIDC_CORE} §2`, true],
  acr: ['Authentication context class: how strongly the user was authenticated', `${OIDC_CORE} §2`],
  amr: ['Authentication methods used, e.g. pwd, otp, mfa, hwk', `${OIDC_CORE} §2; values RFC 8176`],
  at_hash: ['Access token hash: binds the ID token to the access token issued with it', `${OIDC_CORE} §3.1.3.6`],
  c_hash: ['Code hash: binds the ID token to the authorization code', `${OIDC_CORE} §3.3.2.11`],
  s_hash: ['State hash: binds the ID token to the state parameter', 'FAPI 1.0 Advanced §5.1'],
  sid: ['Session id at the identity provider, used for logout', 'OpenID Connect Front-/Back-Channel Logout 1.0'],
  events: ['Security events this token reports (logout token, Security Event Token)', 'RFC 8417 §2.2; OIDC Back-Channel Logout §2.4'],
  txn: ['Transaction id shared by related tokens and events', 'RFC 8417 §2.2'],
  toe: ['Time the reported security event happened', 'RFC 8417 (SET); OpenID Shared Signals', true],
  sub_id: ['Subject identifier in a structured format (email, opaque, iss_sub ...)', 'RFC 9493 §4'],

  // OpenID Connect standard claims (§5.1)
  name: ['Full name of the user', `${OIDC_CORE} §5.1`],
  given_name: ['Given (first) name', `${OIDC_CORE} §5.1`],
  family_name: ['Family (last) name', `${OIDC_CORE} §5.1`],
  middle_name: ['Middle name', `${OIDC_CORE} §5.1`],
  nickname: ['Casual name', `${OIDC_CORE} §5.1`],
  preferred_username: ['Name the user prefers to be shown; not guaranteed unique', `${OIDC_CORE} §5.1`],
  profile: ["URL of the user's profile page", `${OIDC_CORE} §5.1`],
  picture: ["URL of the user's picture", `${OIDC_CORE} §5.1`],
  website: ["URL of the user's web site", `${OIDC_CORE} §5.1`],
  email: ['Email address', `${OIDC_CORE} §5.1`],
  email_verified: ['Whether the issuer verified the email address', `${OIDC_CORE} §5.1`],
  gender: ['Gender', `${OIDC_CORE} §5.1`],
  birthdate: ['Birthday (YYYY-MM-DD)', `${OIDC_CORE} §5.1`],
  zoneinfo: ['Time zone, e.g. Europe/Paris', `${OIDC_CORE} §5.1`],
  locale: ['Locale, e.g. en-US', `${OIDC_CORE} §5.1`],
  phone_number: ['Phone number', `${OIDC_CORE} §5.1`],
  phone_number_verified: ['Whether the issuer verified the phone number', `${OIDC_CORE} §5.1`],
  address: ['Postal address (a JSON object)', `${OIDC_CORE} §5.1`],
  updated_at: ["When the user's profile was last updated", `${OIDC_CORE} §5.1`, true],

  // OAuth access tokens, token exchange, proof of possession
  scope: ['Space-separated scopes the token grants', 'RFC 8693 §4.2; RFC 9068 §2.2.3'],
  scp: ['Scopes the token grants (Microsoft Entra ID, Okta)', 'Microsoft identity platform; Okta'],
  client_id: ['The OAuth client the token was issued to', 'RFC 8693 §4.3; RFC 9068 §2.2'],
  cnf: ['Confirmation: the key the presenter must prove it holds (DPoP jkt, mTLS x5t#S256)', 'RFC 7800 §3.1; RFC 8705 §3.1; RFC 9449 §6'],
  act: ['Actor: who is acting on behalf of the subject (delegation)', 'RFC 8693 §4.1'],
  may_act: ['Who is allowed to act on behalf of the subject', 'RFC 8693 §4.4'],
  roles: ['Roles granted to the subject', 'RFC 9068 §2.2.3.1 (RFC 7643 §4.1.2); Microsoft Entra ID'],
  groups: ['Groups the subject belongs to', 'RFC 9068 §2.2.3.1 (RFC 7643 §4.1.2)'],
  entitlements: ['Entitlements granted to the subject', 'RFC 9068 §2.2.3.1 (RFC 7643 §4.1.2)'],
  htm: ['DPoP proof: the HTTP method of the request it is bound to', 'RFC 9449 §4.2'],
  htu: ['DPoP proof: the URL of the request it is bound to', 'RFC 9449 §4.2'],
  ath: ['DPoP proof: hash of the access token it accompanies', 'RFC 9449 §4.2'],
  typ: ['Token type stated inside the claims (Keycloak: Bearer, Refresh, ID)', 'Keycloak; not registered'],
  token_type: ['Token type (django-rest-framework-simplejwt and others: access, refresh)', 'not registered'],
  permissions: ['Permissions granted (Auth0 RBAC)', 'Auth0'],

  // AWS Cognito
  token_use: ['Which Cognito token this is: access or id', 'AWS Cognito'],
  username: ['User name (Cognito access tokens)', 'AWS Cognito'],
  'cognito:username': ['User name in the Cognito user pool', 'AWS Cognito'],
  'cognito:groups': ['Cognito user-pool groups of the user', 'AWS Cognito'],
  origin_jti: ['Id of the sign-in that started this token family; revocation uses it', 'AWS Cognito'],
  event_id: ['Id of the sign-in event', 'AWS Cognito'],

  // Microsoft Entra ID (Azure AD)
  tid: ['Tenant id the user signed in to', 'Microsoft identity platform'],
  oid: ["Object id: the user's immutable id across applications of the tenant", 'Microsoft identity platform'],
  upn: ['User principal name (sign-in name)', 'Microsoft identity platform'],
  appid: ['Application (client) id, v1 tokens', 'Microsoft identity platform'],
  ver: ['Token format version (1.0 or 2.0)', 'Microsoft identity platform'],
  idp: ['Identity provider that authenticated the user', 'Microsoft identity platform'],
  unique_name: ['Display name of the user, v1 tokens', 'Microsoft identity platform'],
  wids: ['Entra directory roles of the user', 'Microsoft identity platform'],

  // Keycloak
  realm_access: ['Realm roles of the user ({ roles: [...] })', 'Keycloak'],
  resource_access: ['Client roles of the user, per client', 'Keycloak'],
  'allowed-origins': ['Web origins allowed for CORS with this token', 'Keycloak'],
  session_state: ['Keycloak session id', 'Keycloak'],

  // Others often seen
  org_id: ['Organization the user signed in through', 'Auth0 Organizations'],
  hd: ['Google Workspace hosted domain of the user', 'Google'],
  gty: ['Grant type that produced the token', 'Auth0'],
};

const HEADER_PARAMS: Record<string, Entry> = {
  alg: ['Algorithm that signs (JWS) or encrypts the key (JWE); "none" means unsigned', 'RFC 7515 §4.1.1; RFC 7516 §4.1.1'],
  typ: ['Media type of the whole token, e.g. JWT, at+jwt, dpop+jwt', 'RFC 7515 §4.1.9; RFC 7519 §5.1'],
  cty: ['Content type of the payload; "JWT" means a nested token', 'RFC 7515 §4.1.10; RFC 7519 §5.2'],
  kid: ["Key id: which of the issuer's keys to verify with", 'RFC 7515 §4.1.4'],
  jku: ['URL of a JWK Set holding the key; never trust it blindly', 'RFC 7515 §4.1.2'],
  jwk: ['The public key itself, embedded; never trust it blindly', 'RFC 7515 §4.1.3'],
  x5u: ['URL of the X.509 certificate chain; never trust it blindly', 'RFC 7515 §4.1.5'],
  x5c: ['X.509 certificate chain embedded in the header', 'RFC 7515 §4.1.6'],
  x5t: ['SHA-1 thumbprint of the signing certificate', 'RFC 7515 §4.1.7'],
  'x5t#S256': ['SHA-256 thumbprint of the signing certificate', 'RFC 7515 §4.1.8'],
  crit: ['Extensions the recipient must understand, or reject the token', 'RFC 7515 §4.1.11'],
  enc: ['Content encryption algorithm (JWE)', 'RFC 7516 §4.1.2'],
  zip: ['Compression applied before encryption (DEF)', 'RFC 7516 §4.1.3'],
  epk: ['Ephemeral public key for ECDH key agreement (JWE)', 'RFC 7518 §4.6.1.1'],
  apu: ['Agreement PartyUInfo for ECDH (JWE)', 'RFC 7518 §4.6.1.2'],
  apv: ['Agreement PartyVInfo for ECDH (JWE)', 'RFC 7518 §4.6.1.3'],
  iv: ['Initialization vector of AES-GCM key wrapping (JWE)', 'RFC 7518 §4.7.1.1'],
  tag: ['Authentication tag of AES-GCM key wrapping (JWE)', 'RFC 7518 §4.7.1.2'],
  p2s: ['PBES2 salt input (JWE)', 'RFC 7518 §4.8.1.1'],
  p2c: ['PBES2 iteration count (JWE)', 'RFC 7518 §4.8.1.2'],
  b64: ['false: the payload is not base64url-encoded (unencoded payload)', 'RFC 7797 §3'],
  ppt: ['PASSporT extension name (STIR caller id)', 'RFC 8225 §8.1'],
  url: ['Request URL the signature covers (ACME)', 'RFC 8555 §6.4'],
  nonce: ['Anti-replay nonce from the server (ACME)', 'RFC 8555 §6.5'],
  iss: ['Issuer, replicated from the claims', 'RFC 7519 §5.3'],
  sub: ['Subject, replicated from the claims', 'RFC 7519 §5.3'],
  aud: ['Audience, replicated from the claims', 'RFC 7519 §5.3'],
};

function lookup(table: Readonly<Record<string, Entry>>, name: unknown): ClaimInfo | undefined {
  if (typeof name !== 'string' || !Object.hasOwn(table, name)) return undefined;
  const entry = table[name];
  if (!entry) return undefined;
  const [meaning, source, time] = entry;
  return time ? { name, meaning, source, time } : { name, meaning, source };
}

/** The meaning and source of a payload claim; undefined for names the catalogue does not know. */
export function describeClaim(name: string): ClaimInfo | undefined {
  return lookup(CLAIMS, name);
}

/** The meaning and source of a JOSE header parameter; undefined for names the catalogue does not know. */
export function describeHeaderParam(name: string): ClaimInfo | undefined {
  return lookup(HEADER_PARAMS, name);
}

/** Claims whose values are NumericDates, which the UI shows as times. */
export function isTimeClaim(name: string): boolean {
  return describeClaim(name)?.time === true;
}

/** Every catalogued header parameter name. */
export const HEADER_PARAM_NAMES: readonly string[] = Object.freeze(Object.keys(HEADER_PARAMS));
