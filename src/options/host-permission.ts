import browser from 'webextension-polyfill';

/**
 * Host access is optional and asked for at the moment it is needed: when the user adds a JWKS URL or an
 * issuer. Must be called synchronously inside the click handler (a user gesture), before any await.
 */
export function requestOriginAccess(url: string): Promise<boolean> {
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return Promise.resolve(false);
  }
  return browser.permissions.request({ origins: [`${origin}/*`] }).catch(() => false);
}
