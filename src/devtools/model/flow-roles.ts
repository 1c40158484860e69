// How the flow tracker tells roles: a token's (access, refresh, ID) from the name it came under or from the
// token itself, and a request's (token endpoint, or signing out) from its path. Paths are matched without
// lower-casing them first: the patterns ignore case.

import { decodeToken } from '../../core/decode';
import { guessTokenRole, type TokenRole } from '../../core/analyze';
import { pathOf } from './flow-text';

/** What the tracker needs to know about a token; the store answers from its one decode per token. */
export interface FlowTokenInfo {
  role(token: string): TokenRole;
  /** exp in seconds since the epoch, when the token has a numeric one. */
  expiresAt(token: string): number | undefined;
}

/** Tokens whose decode decodingInfo remembers. */
const MAX_DECODED = 20_000;

/** A role stated by the name a token came under, when the name states one. */
export function roleFromName(name: string | undefined): TokenRole | undefined {
  if (typeof name !== 'string' || name === '') return undefined;
  // The same few names (access_token, rt, authorization) recur on every request.
  const cached = NAME_ROLES.get(name);
  if (cached !== undefined) return cached === 'none' ? undefined : cached;
  const n = name.toLowerCase().replace(/[^a-z]/g, '');
  const role: TokenRole | undefined = n.includes('refresh')
    ? 'refresh'
    : n.endsWith('idtoken')
      ? 'id'
      : n.includes('access')
        ? 'access'
        : undefined;
  if (NAME_ROLES.size < 1024) NAME_ROLES.set(name, role ?? 'none');
  return role;
}

const NAME_ROLES = new Map<string, TokenRole | 'none'>();

const TOKEN_PATH = /token|refresh|renew/i;
export const NOT_REFRESH_PATH = /revoke|logout|signout|sign-out|introspect|userinfo/i;

export function isTokenEndpoint(url: string): boolean {
  const path = pathOf(url);
  return TOKEN_PATH.test(path) && !NOT_REFRESH_PATH.test(path);
}

/** For use without a store: decodes each token once. */
export function decodingInfo(): FlowTokenInfo {
  const cache = new Map<string, { role: TokenRole; exp: number | undefined }>();
  const read = (token: string) => {
    let hit = cache.get(token);
    if (!hit) {
      const decoded = decodeToken(token);
      const payload = decoded.ok && decoded.payload && typeof decoded.payload === 'object' ? decoded.payload : undefined;
      const exp = payload && typeof payload.exp === 'number' && Number.isFinite(payload.exp) ? payload.exp : undefined;
      hit = { role: guessTokenRole(decoded), exp };
      if (cache.size < MAX_DECODED) cache.set(token, hit);
    }
    return hit;
  };
  return { role: (token) => read(token).role, expiresAt: (token) => read(token).exp };
}
