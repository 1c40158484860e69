/**
 * The check costs a full HMAC of the token per candidate: a few hundred characters take about a second for
 * the whole list, a 100 KB token minutes. Longer tokens are not checked, so no page can keep the worker busy
 * by sending huge HS* tokens; real tokens are far below this.
 */
export const MAX_WEAK_SECRET_TOKEN_CHARS = 8 * 1024;
