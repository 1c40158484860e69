// Which captured entries and page addresses may hold an OAuth step (oauth-steps.ts), told on a few string
// searches before anything is parsed: most entries hold none, and the panel loads the step recognition and
// the flow model only once one does (they stay out of its first paint).
import { isJsonObject } from '../core/is-json-object';

export const AUTH_RESPONSE_PARAM = /[?#&](?:code|error|access_token|id_token)=/;
export const WELL_KNOWN = /\/\.well-known\/(?:openid-configuration|oauth-authorization-server)(?:[/?#]|$)/;

/** An authorization request or response URL, a discovery document, a redirect, or a grant / pushed request. */
export function mayHoldOAuthStep(entry: unknown): boolean {
  if (!isJsonObject(entry) || !isJsonObject(entry.request)) return false;
  const request = entry.request;
  const url = request.url;
  if (typeof url !== 'string') return false;
  if (url.includes('?') || url.includes('/.well-known/')) {
    if (url.includes('client_id=') || AUTH_RESPONSE_PARAM.test(url) || WELL_KNOWN.test(url)) return true;
  }
  const response = isJsonObject(entry.response) ? entry.response : undefined;
  const status = response?.status;
  if (typeof status === 'number' && status >= 300 && status < 400) return true;
  const post = request.postData;
  if (isJsonObject(post)) {
    const text = post.text;
    if (typeof text === 'string' && text !== '') return text.includes('grant_type') || text.includes('response_type');
    return Array.isArray(post.params);
  }
  return false;
}

/** A page address that may carry an authorization response (query or fragment). */
export function mayHoldOAuthResponse(url: unknown): url is string {
  return typeof url === 'string' && AUTH_RESPONSE_PARAM.test(url);
}
