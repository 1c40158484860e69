// What pasted key text is, guessed for the UI to preselect. No cryptography here: the pages that only
// ask (popup, panel, options) load this without jose's key importers.
import { base64urlDecode } from './base64url';
import { isJsonObject } from './is-json-object';
import type { SecretEncoding } from './types';

export type PemSubtype = 'public' | 'rsa-public' | 'certificate' | 'private' | 'rsa-private' | 'ec-private' | 'unsupported';

export interface DetectedKey {
  kind: 'secret' | 'pem' | 'jwk' | 'jwks' | 'url';
  /** For `secret`: the encoding the text most likely uses (a guess; the user confirms). */
  encoding?: SecretEncoding;
  /** For `pem`: which PEM structure the (first) armour names. */
  subtype?: PemSubtype;
  /** Plain words for the UI. */
  description: string;
}

/** Longer text is not a key anyone pastes. */
export const MAX_KEY_TEXT_CHARS = 1 << 20;

export function pemSubtype(label: string): PemSubtype {
  switch (label) {
    case 'PUBLIC KEY':
      return 'public';
    case 'RSA PUBLIC KEY':
      return 'rsa-public';
    case 'CERTIFICATE':
    case 'X509 CERTIFICATE':
    case 'TRUSTED CERTIFICATE':
      return 'certificate';
    case 'PRIVATE KEY':
      return 'private';
    case 'RSA PRIVATE KEY':
      return 'rsa-private';
    case 'EC PRIVATE KEY':
      return 'ec-private';
    default:
      return 'unsupported';
  }
}

const PEM_DESCRIPTIONS: Readonly<Record<PemSubtype, string>> = {
  public: 'PEM public key (SPKI)',
  'rsa-public': 'PEM RSA public key (PKCS#1)',
  certificate: 'PEM X.509 certificate: its public key is used',
  private: 'PEM private key (PKCS#8): only its public half is used',
  'rsa-private': 'PEM RSA private key (PKCS#1): only its public half is used',
  'ec-private': 'PEM EC private key (SEC1): only its public half is used',
  unsupported: 'PEM block of a kind this tool does not read',
};

function describeJwk(jwk: Record<string, unknown>): string {
  const kty = jwk.kty;
  const priv = typeof jwk.d === 'string';
  const what =
    kty === 'oct'
      ? 'HMAC secret'
      : kty === 'RSA'
        ? 'RSA key'
        : kty === 'EC' || kty === 'OKP'
          ? `${typeof jwk.crv === 'string' ? jwk.crv : String(kty)} key`
          : `key of type ${String(kty)}`;
  const kid = typeof jwk.kid === 'string' ? `, kid "${jwk.kid}"` : '';
  return `JWK (${what}${priv ? ', private: only its public half is used' : ''}${kid})`;
}

/** Guess what pasted key text is, for the UI to preselect; never throws. */
export function detectKeyKind(text: string): DetectedKey {
  if (typeof text !== 'string') return { kind: 'secret', encoding: 'utf8', description: 'not text' };
  const t = text.trim();
  if (t === '') return { kind: 'secret', encoding: 'utf8', description: 'empty' };
  if (t.length > MAX_KEY_TEXT_CHARS) return { kind: 'secret', encoding: 'utf8', description: 'too long to be a key' };

  const armour = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(t);
  if (armour) {
    const label = armour[1]!;
    const encrypted = label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/i.test(t);
    const subtype: PemSubtype = encrypted ? 'unsupported' : pemSubtype(label);
    const count = (t.match(/-----BEGIN /g) ?? []).length;
    let description = encrypted
      ? 'encrypted PEM private key: not supported, paste the public key or certificate'
      : subtype === 'unsupported'
        ? `PEM "${label}": not a key or certificate this tool reads`
        : PEM_DESCRIPTIONS[subtype];
    if (count > 1) description += ` (${count} PEM blocks)`;
    return { kind: 'pem', subtype, description };
  }

  if (t.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(t);
    } catch {
      parsed = undefined;
    }
    if (isJsonObject(parsed)) {
      if (Array.isArray(parsed.keys)) {
        return { kind: 'jwks', description: `JWK Set with ${parsed.keys.length} key${parsed.keys.length === 1 ? '' : 's'}` };
      }
      if (typeof parsed.kty === 'string') return { kind: 'jwk', description: describeJwk(parsed) };
      return { kind: 'secret', encoding: 'utf8', description: 'JSON, but neither a JWK (no "kty") nor a JWK Set (no "keys")' };
    }
  }

  if (/^https?:\/\/[^\s]+$/i.test(t)) {
    const discovery = /\/\.well-known\/openid-configuration\/?$/i.test(t);
    const what = discovery ? 'OpenID Connect discovery URL' : 'URL of a JWK Set';
    return { kind: 'url', description: /^http:/i.test(t) ? `${what} (cleartext http)` : what };
  }

  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(t) && t.startsWith('ey')) {
    return { kind: 'secret', encoding: 'utf8', description: 'this looks like a JWT, not a key' };
  }
  return guessSecret(t);
}

function guessSecret(t: string): DetectedKey {
  if (t.length >= 16 && /^(?:0x)?[0-9a-fA-F]+$/.test(t) && t.replace(/^0x/, '').length % 2 === 0) {
    return { kind: 'secret', encoding: 'hex', description: `HMAC secret, looks like hex (${t.replace(/^0x/, '').length / 2} bytes)` };
  }
  // Random key material mixes cases and digits; a passphrase such as "your-256-bit-secret" does not.
  const randomLooking = /[A-Z]/.test(t) && /[a-z]/.test(t) && /[0-9]/.test(t);
  if (t.length >= 16 && randomLooking) {
    const tryDecode = (f: () => Uint8Array): number | undefined => {
      try {
        return f().length;
      } catch {
        return undefined;
      }
    };
    // Padding or "+" "/" point to base64; otherwise JOSE's unpadded base64url (alike for plain alphanumerics).
    const standard = /[+/]/.test(t) || (t.endsWith('=') && !/[-_]/.test(t));
    if (standard) {
      const n = tryDecode(() => base64urlDecode(t.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')));
      if (n !== undefined) return { kind: 'secret', encoding: 'base64', description: `HMAC secret, looks like base64 (${n} bytes)` };
    } else {
      const n = tryDecode(() => base64urlDecode(t.replace(/=+$/, '')));
      if (n !== undefined) return { kind: 'secret', encoding: 'base64url', description: `HMAC secret, looks like base64url (${n} bytes)` };
    }
  }
  const bytes = new TextEncoder().encode(t).length;
  return { kind: 'secret', encoding: 'utf8', description: `HMAC secret as text (${bytes} bytes)` };
}

/**
 * What a pasted URL names: a JWK Set, or an issuer to discover. A discovery document's URL stands for its
 * issuer (the well-known suffix is what discovery appends again).
 */
export function urlKeyInput(url: string): { kind: 'jwks-url' | 'issuer'; value: string } {
  const t = url.trim();
  const discovery = /\/\.well-known\/(?:openid-configuration|oauth-authorization-server)\/?$/i;
  if (discovery.test(t)) return { kind: 'issuer', value: t.replace(discovery, '') };
  return /jwks|certs|keys(?:\.json)?\/?$/i.test(t) ? { kind: 'jwks-url', value: t } : { kind: 'issuer', value: t };
}
