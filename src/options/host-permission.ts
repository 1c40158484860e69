import browser from 'webextension-polyfill';
import { permissionPattern } from '../background/capture/watched-sites';

/**
 * Host access is optional and asked for at the moment it is needed: when the user adds a JWKS URL or an
 * issuer, or watches a site (background capture). Must be called synchronously inside the click handler (a
 * user gesture), before any await.
 */
export function requestOriginAccess(url: string): Promise<boolean> {
  const pattern = permissionPattern(url);
  if (!pattern) return Promise.resolve(false);
  return browser.permissions.request({ origins: [pattern] }).catch(() => false);
}

/** Every host the manifest lets the user grant (background capture's "all sites"); asked in the click too. */
export function requestAllSitesAccess(): Promise<boolean> {
  const origins = (browser.runtime.getManifest() as { optional_host_permissions?: string[] }).optional_host_permissions ?? [];
  return browser.permissions.request({ origins }).catch(() => false);
}
