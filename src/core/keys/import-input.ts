// One KeyInput (a secret, PEM text, a JWK or a JWK Set) → its usable keys and why the others are not used.
import { exportJWK, importPKCS8, importSPKI, importX509, type JWK } from 'jose';
import { KeyImportError } from '../errors';
import { isJsonObject } from '../is-json-object';
import { MAX_KEY_TEXT_CHARS, pemSubtype } from '../key-kind';
import type { KeyInput } from '../types';
import { asymmetricKey, importJwkObject, publicJwk } from './jwk';
import { certificateKeyType, pkcs8FromPkcs1, pkcs8FromSec1, pkcs8KeyType, spkiFromPkcs1, spkiKeyType } from './key-structures';
import { errorCode, errorText, problem, type Context, type Outcome } from './outcome';
import { parsePem, toPem, type PemBlock } from './pem';
import { decodeSecret } from './secret';
import type { ImportedKey, KeyInputResult, KeyType } from './types';

/** Pasted text is untrusted and may be huge. */
const MAX_JWKS_KEYS = 100;

function parseJson(text: string, what: string): unknown {
  if (text.length > MAX_KEY_TEXT_CHARS) throw new KeyImportError('key-too-long', `the ${what} is too long`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new KeyImportError('key-malformed', `the ${what} is not valid JSON: ${errorText(e)}`);
  }
}

async function importPemBlock(ctx: Context, block: PemBlock): Promise<ImportedKey> {
  const subtype = pemSubtype(block.label);
  let type: KeyType;
  let exported: JWK;
  switch (subtype) {
    case 'public':
    case 'rsa-public': {
      const spki = subtype === 'public' ? block.der : spkiFromPkcs1(block.der);
      type = spkiKeyType(spki);
      const key = await importSPKI(toPem(spki, 'PUBLIC KEY'), type.importAlg, { extractable: true });
      exported = await exportJWK(key);
      break;
    }
    case 'certificate': {
      // Only the certificate's key is used: no chain, validity or name checks. The user chose to trust it.
      type = certificateKeyType(block.der);
      const key = await importX509(toPem(block.der, 'CERTIFICATE'), type.importAlg, { extractable: true });
      exported = await exportJWK(key);
      break;
    }
    case 'private':
    case 'rsa-private':
    case 'ec-private': {
      const pkcs8 = subtype === 'private' ? block.der : subtype === 'rsa-private' ? pkcs8FromPkcs1(block.der) : pkcs8FromSec1(block.der);
      type = pkcs8KeyType(pkcs8);
      // Extractable only so that the public half can be read; the private key object is dropped at once.
      const key = await importPKCS8(toPem(pkcs8, 'PRIVATE KEY'), type.importAlg, { extractable: true });
      exported = await exportJWK(key);
      break;
    }
    default:
      throw new KeyImportError('key-unsupported', `PEM block "${block.label}" is not a key or certificate this tool reads`);
  }
  return asymmetricKey(ctx, type, publicJwk(exported as Record<string, unknown>), {});
}

async function importPem(base: Context, text: string, add: (o: Outcome) => void): Promise<void> {
  const blocks = parsePem(text);
  let certificates = 0;
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    const ctx: Context = blocks.length > 1 ? { ...base, source: `PEM block ${i + 1} (${block.label})` } : base;
    if (pemSubtype(block.label) === 'certificate' && ++certificates > 1) {
      // In a chain the first certificate is the signer's; the others are CAs, whose keys sign certificates.
      add(problem(ctx, 'skipped', 'key-not-for-signing', 'a later certificate in a chain belongs to a CA, not to the token signer'));
      continue;
    }
    try {
      add({ key: await importPemBlock(ctx, block) });
    } catch (e) {
      add(problem(ctx, 'error', errorCode(e), errorText(e)));
    }
  }
}

/** Imports one input as if it were at index 0 without a label; the cache adds those per call. */
export async function importInputUncached(input: KeyInput): Promise<KeyInputResult> {
  const index = 0;
  const base: Context = { index };
  const result: KeyInputResult = { keys: [], problems: [] };
  const add = (o: Outcome) => ('key' in o ? result.keys.push(o.key) : result.problems.push(o.problem));
  const fail = (code: Parameters<typeof problem>[2], reason: string) => add(problem(base, 'error', code, reason));

  if (!isJsonObject(input) || typeof input.value !== 'string') {
    fail('key-input-invalid', 'the key input has no text');
    return result;
  }
  if (input.value.length > MAX_KEY_TEXT_CHARS) {
    fail('key-too-long', 'the key text is too long');
    return result;
  }
  try {
    switch (input.kind) {
      case 'secret': {
        result.keys.push({ family: 'hmac', key: decodeSecret(input.value, input.encoding ?? 'utf8'), index });
        break;
      }
      case 'pem':
        await importPem(base, input.value, add);
        break;
      case 'jwk': {
        const parsed = parseJson(input.value.trim(), 'JWK');
        if (isJsonObject(parsed) && Array.isArray(parsed.keys)) {
          fail('key-wrong-kind', 'this is a JWK Set ({"keys": [...]}), not a single JWK: add it as a JWKS');
          break;
        }
        add(await importJwkObject(base, parsed));
        break;
      }
      case 'jwks': {
        const parsed = parseJson(input.value.trim(), 'JWK Set');
        if (!isJsonObject(parsed) || !Array.isArray(parsed.keys)) {
          if (isJsonObject(parsed) && typeof parsed.kty === 'string') {
            fail('key-wrong-kind', 'this is a single JWK, not a JWK Set: add it as a JWK');
          } else {
            fail('key-malformed', 'the JWK Set has no "keys" array');
          }
          break;
        }
        const keys = parsed.keys as unknown[];
        const n = Math.min(keys.length, MAX_JWKS_KEYS);
        for (let i = 0; i < n; i++) add(await importJwkObject({ ...base, source: `key ${i + 1} of the JWK Set` }, keys[i]));
        if (keys.length > MAX_JWKS_KEYS) {
          fail('key-too-long', `only the first ${MAX_JWKS_KEYS} of ${keys.length} keys in the JWK Set are used`);
        }
        if (keys.length === 0) fail('key-empty', 'the JWK Set is empty');
        break;
      }
      default:
        fail('key-input-invalid', `unknown key kind "${String((input as { kind?: unknown }).kind)}"`);
    }
  } catch (e) {
    fail(errorCode(e), errorText(e));
  }
  return result;
}
