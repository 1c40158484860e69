import browser from 'webextension-polyfill';

/**
 * The match pattern of a URL's host access: its scheme and host, any port (Firefox refuses a port in a
 * pattern: http://127.0.0.1/* covers every port). Undefined when the URL does not parse.
 */
export function originPattern(url: string): string | undefined {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}/*`;
  } catch {
    return undefined;
  }
}

/**
 * Host access is optional and asked for at the moment it is needed: when the user adds a JWKS URL or an
 * issuer, or watches a site (background capture). Must be called synchronously inside the click handler (a
 * user gesture), before any await.
 */
export function requestOriginAccess(url: string): Promise<boolean> {
  const pattern = originPattern(url);
  if (!pattern) return Promise.resolve(false);
  return browser.permissions.request({ origins: [pattern] }).catch(() => false);
}

/** Every host the manifest lets the user grant (background capture's "all sites"); asked in the click too. */
export function requestAllSitesAccess(): Promise<boolean> {
  const origins = (browser.runtime.getManifest() as { optional_host_permissions?: string[] }).optional_host_permissions ?? [];
  return browser.permissions.request({ origins }).catch(() => false);
}
