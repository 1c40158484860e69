// The names of the claims the catalogue (./claims.ts) explains. Analysis needs only the names (a catalogued
// identifier is not personal data by its looks), so they live apart from the catalogue's text, which loads
// only with the views that show it. claims.ts is typed against this list: the two cannot drift apart.
export const CLAIM_NAMES = [
  'iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'azp', 'nonce', 'auth_time', 'acr', 'amr', 'at_hash',
  'c_hash', 's_hash', 'sid', 'events', 'txn', 'toe', 'sub_id', 'name', 'given_name', 'family_name',
  'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website', 'email',
  'email_verified', 'gender', 'birthdate', 'zoneinfo', 'locale', 'phone_number', 'phone_number_verified',
  'address', 'updated_at', 'scope', 'scp', 'client_id', 'cnf', 'act', 'may_act', 'roles', 'groups',
  'entitlements', 'htm', 'htu', 'ath', 'typ', 'token_type', 'permissions', 'token_use', 'username',
  'cognito:username', 'cognito:groups', 'origin_jti', 'event_id', 'tid', 'oid', 'upn', 'appid', 'ver', 'idp',
  'unique_name', 'wids', 'realm_access', 'resource_access', 'allowed-origins', 'session_state', 'org_id',
  'hd', 'gty',
] as const;

export type CataloguedClaimName = (typeof CLAIM_NAMES)[number];

const NAMES: ReadonlySet<string> = new Set(CLAIM_NAMES);

/** Whether the catalogue knows this claim name. */
export function isCataloguedClaim(name: string): boolean {
  return typeof name === 'string' && NAMES.has(name);
}
