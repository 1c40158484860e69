// HMAC secrets as the user types them. The only way, with an "oct" JWK, that bytes become an 'hmac' key.
import { KeyImportError } from '../errors';
import { isJsonObject } from '../is-json-object';
import { MAX_KEY_TEXT_CHARS } from '../key-kind';
import type { SecretEncoding } from '../types';
import { decodeBase64Strict, decodeBase64urlStrict, decodeHexStrict } from './encodings';

/** The bytes of an HMAC secret typed in `encoding`; throws KeyImportError naming what is wrong. */
export function decodeSecret(value: string, encoding: SecretEncoding = 'utf8'): Uint8Array {
  if (typeof value !== 'string') throw new KeyImportError('key-input-invalid', 'secret is not text');
  if (value.length > MAX_KEY_TEXT_CHARS) throw new KeyImportError('key-too-long', 'secret is too long');
  refuseAsymmetricKeyAsSecret(value);
  let bytes: Uint8Array;
  switch (encoding) {
    case 'utf8':
      // Not trimmed: in a passphrase, spaces are bytes of the key.
      bytes = new TextEncoder().encode(value);
      break;
    case 'hex':
      // The encoded forms cannot contain whitespace, so surrounding whitespace is a copy artefact.
      bytes = decodeHexStrict(value.trim(), 'secret');
      break;
    case 'base64':
      bytes = decodeBase64Strict(value.trim(), 'secret');
      break;
    case 'base64url':
      bytes = decodeBase64urlStrict(value.trim(), 'secret', true);
      break;
    default:
      throw new KeyImportError('key-input-invalid', `unknown secret encoding "${String(encoding)}"`);
  }
  if (bytes.length === 0) throw new KeyImportError('key-empty', 'secret is empty');
  return bytes;
}

/** A public key pasted as an HMAC secret is the algorithm-confusion attack's key: refuse it outright. */
function refuseAsymmetricKeyAsSecret(value: string): void {
  if (/-----BEGIN [A-Z0-9 ]+-----/.test(value)) {
    throw new KeyImportError(
      'key-wrong-kind',
      'this is PEM text (a public key, certificate or private key), not an HMAC secret: an RSA/EC key is ' +
        'never used as an HMAC secret (algorithm confusion, RFC 8725 §3.1). Add it as a PEM key instead.',
    );
  }
  const t = value.trim();
  if (t.startsWith('{') && t.length <= MAX_KEY_TEXT_CHARS) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(t);
    } catch {
      return;
    }
    if (isJsonObject(parsed) && (typeof parsed.kty === 'string' || Array.isArray(parsed.keys))) {
      throw new KeyImportError(
        'key-wrong-kind',
        parsed.kty === 'oct'
          ? 'this is a JWK, not a raw secret: add it as a JWK so its "k" is decoded'
          : 'this is a JWK or JWK Set, not an HMAC secret: a public key is never used as an HMAC secret ' +
              '(algorithm confusion, RFC 8725 §3.1). Add it as a JWK instead.',
      );
    }
  }
}
