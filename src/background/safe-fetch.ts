// Fetching what the user configured (a JWKS URL, an issuer's discovery document) — and nothing a token names.
// Every limit here is a defence against a hostile or broken server: time, size, type, scheme and redirects.

import type { FetchErrorCode } from '../messages';

export const FETCH_TIMEOUT_MS = 5_000;
export const MAX_BODY_BYTES = 1024 * 1024;

export class FetchRefused extends Error {
  constructor(
    readonly code: FetchErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FetchRefused';
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || hostname.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** https only; plain http only for the machine itself (local development servers). */
export function checkFetchableUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchRefused('bad-url', `"${raw.slice(0, 200)}" is not a URL.`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  throw new FetchRefused(
    'insecure-scheme',
    `${url.protocol}//${url.host} is refused: keys are fetched over https only (plain http only for localhost, 127.0.0.1 and [::1]).`,
  );
}

export interface JsonFetchResult {
  url: string;
  json: unknown;
  /** Seconds from Cache-Control max-age, when the server sent one. */
  maxAge?: number;
}

type FetchFn = typeof fetch;

/**
 * GET a JSON document within the limits above. Redirects are followed by the browser's fetch (by hand they
 * cannot be: with `redirect: 'manual'` an extension gets an opaque response without its Location, measured in
 * Chromium 156 by test/e2e/chromium/jwks-network.test.ts); the answer is used only when the URL it finally
 * came from has the configured URL's origin.
 */
export async function fetchJsonLimited(raw: string, fetchFn: FetchFn = fetch, timeoutMs = FETCH_TIMEOUT_MS): Promise<JsonFetchResult> {
  const url = checkFetchableUrl(raw);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    let response: Response;
    try {
      response = await fetchFn(url.href, {
        method: 'GET',
        redirect: 'follow',
        credentials: 'omit',
        cache: 'no-store',
        headers: { accept: 'application/json, application/jwk-set+json' },
        signal: controller.signal,
      });
    } catch (e) {
      if (controller.signal.aborted) throw new FetchRefused('timeout', `${url.origin} did not answer within ${timeoutMs / 1000} s.`);
      const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : '';
      if (/redirect/i.test(cause)) throw new FetchRefused('too-many-redirects', `${url.href} redirected too many times (${cause}).`);
      // Without host access an extension's fetch is an ordinary cross-origin request: a server that sends
      // no CORS headers looks unreachable. Say what fixes it.
      throw new FetchRefused(
        'network',
        `Could not reach ${url.origin} (${e instanceof Error ? e.message : String(e)}). If the server is up, allow JWT Inspector to access ${url.origin} (Options → the key's Refresh asks again).`,
      );
    }
    const finalUrl = safeUrl(response.url) ?? url;
    if (finalUrl.origin !== url.origin) {
      await response.body?.cancel().catch(() => {});
      throw new FetchRefused(
        'cross-origin-redirect',
        `${url.href} redirects to another origin (${finalUrl.origin}); only answers from ${url.origin} are used.`,
      );
    }
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      await response.body?.cancel().catch(() => {});
      throw new FetchRefused('cross-origin-redirect', `${url.href} redirects somewhere the extension cannot check.`);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw new FetchRefused('http-status', `${url.href} answered HTTP ${response.status}.`);
    }
    const type = (response.headers.get('content-type') ?? '').toLowerCase();
    if (!/^application\/([\w.+-]*\+)?json\b|^application\/jwk-set\+json\b/.test(type)) {
      await response.body?.cancel().catch(() => {});
      throw new FetchRefused('not-json', `${url.href} answered ${type || 'no content type'}, not JSON.`);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > MAX_BODY_BYTES) {
      await response.body?.cancel().catch(() => {});
      throw new FetchRefused('too-large', `${url.href} sent ${declared} bytes; the limit is ${MAX_BODY_BYTES}.`);
    }
    const text = await readLimited(response, url, controller);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new FetchRefused('not-json', `${url.href} did not answer valid JSON.`);
    }
    return { url: finalUrl.href, json, ...maxAgeOf(response.headers.get('cache-control')) };
  } finally {
    clearTimeout(timer);
  }
}

function safeUrl(raw: string): URL | undefined {
  try {
    return raw ? new URL(raw) : undefined;
  } catch {
    return undefined;
  }
}

async function readLimited(response: Response, url: URL, controller: AbortController): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > MAX_BODY_BYTES) {
        await reader.cancel().catch(() => {});
        throw new FetchRefused('too-large', `${url.href} sent more than ${MAX_BODY_BYTES} bytes; the limit is ${MAX_BODY_BYTES}.`);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof FetchRefused) throw e;
    if (controller.signal.aborted) throw new FetchRefused('timeout', `${url.origin} did not finish answering in time.`);
    throw new FetchRefused('network', `Reading ${url.href} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    body.set(c, offset);
    offset += c.byteLength;
  }
  return new TextDecoder().decode(body);
}

function maxAgeOf(cacheControl: string | null): { maxAge?: number } {
  const m = /(?:^|,)\s*max-age\s*=\s*"?(\d{1,9})"?/i.exec(cacheControl ?? '');
  if (/(?:^|,)\s*no-(?:store|cache)\b/i.test(cacheControl ?? '')) return { maxAge: 0 };
  return m ? { maxAge: Number(m[1]) } : {};
}
