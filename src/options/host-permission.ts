import browser from 'webextension-polyfill';

/**
 * Host access is optional and asked for at the moment it is needed: when the user adds a JWKS URL or an
 * issuer. Must be called synchronously inside the click handler (a user gesture), before any await.
 */
export function requestOriginAccess(url: string): Promise<boolean> {
  let pattern: string;
  try {
    const u = new URL(url);
    // Match patterns carry no port (Firefox refuses one): http://127.0.0.1/* covers every port.
    pattern = `${u.protocol}//${u.hostname}/*`;
  } catch {
    return Promise.resolve(false);
  }
  return browser.permissions.request({ origins: [pattern] }).catch(() => false);
}
