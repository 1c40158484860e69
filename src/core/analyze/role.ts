// Access, refresh or ID token: refresh tokens get a longer lifetime allowance, and the flow tracker pairs
// access and refresh tokens with it.
import { isJsonObject } from '../is-json-object';
import type { DecodedToken } from '../types';
import { isString, lower } from './text';

export type TokenRole = 'access' | 'refresh' | 'id' | 'unknown';

/**
 * What kind of token this is, from its claims, its header and the names it was seen under. Refresh tokens
 * get a longer lifetime allowance; the flow tracker pairs access and refresh tokens with it.
 */
export function guessTokenRole(decoded: DecodedToken, sightingNames?: readonly string[]): TokenRole {
  try {
    if (!decoded || typeof decoded !== 'object' || decoded.ok !== true) return 'unknown';
    const header = isJsonObject(decoded.header) ? decoded.header : {};
    const payload = isJsonObject(decoded.payload) ? decoded.payload : {};

    // Explicit statements first: AWS Cognito's token_use, Keycloak's typ, simplejwt's token_type.
    for (const claim of ['token_use', 'typ', 'token_type', 'type']) {
      const role = roleFromWord(payload[claim]);
      if (role) return role;
    }
    const headerTyp = lower(header.typ);
    if (headerTyp === 'at+jwt' || headerTyp === 'application/at+jwt') return 'access';
    if (headerTyp === 'refresh+jwt' || headerTyp === 'application/refresh+jwt') return 'refresh';

    // Claims only an ID token carries (OIDC Core §2, §3.1.3.6, §3.3.2.11).
    if ('nonce' in payload || 'at_hash' in payload || 'c_hash' in payload) return 'id';

    const names = (Array.isArray(sightingNames) ? sightingNames : []).filter(isString).map((n) => n.toLowerCase());
    if (names.some((n) => n.includes('refresh'))) return 'refresh';
    if (names.some((n) => /(^|[^a-z])id[-_]?token|idtoken/.test(n))) return 'id';
    if (names.some((n) => n.includes('access'))) return 'access';

    if ('scope' in payload || 'scp' in payload) return 'access';
    // A bare typ JWT says little, but tokens that say nothing else are overwhelmingly bearer access tokens.
    if (headerTyp === 'jwt') return 'access';
    return 'unknown';
  } catch {
    return 'unknown';
  }
}

function roleFromWord(value: unknown): TokenRole | undefined {
  const word = lower(value);
  if (word === undefined) return undefined;
  if (['access', 'access_token', 'bearer', 'at+jwt', 'application/at+jwt'].includes(word)) return 'access';
  if (['refresh', 'refresh_token', 'offline'].includes(word)) return 'refresh';
  if (['id', 'id_token'].includes(word)) return 'id';
  return undefined;
}
