// What of a stored key leaves the worker. Pages list keys through keys/list, which any extension page may
// ask: secrets (HMAC secrets, oct JWKs, private keys kept by older versions) are listed redacted and read
// one at a time through keys/reveal, on a click. A private key is never stored: only its public half is
// used for verification, so only that is kept (SECURITY.md).
import { clearKeyCache, importKeyInputDetailed, formatProblem } from '../core/keys';
import type { StoredKey } from '../messages';
import { hasPrivateMembers, PRIVATE_JWK_MEMBERS } from './public-jwks';
import { errorCodeOf, WorkerError } from './worker-error';

type Input = StoredKey['input'];

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function secretJwk(k: unknown): boolean {
  return isObject(k) && (k.kty === 'oct' || hasPrivateMembers(k));
}

/** True when the key's text holds something secret: an HMAC secret, an oct or private JWK, a private PEM. */
export function isSecretInput(input: Input): boolean {
  switch (input.kind) {
    case 'secret':
      return true;
    case 'pem':
      return /PRIVATE KEY/.test(input.value);
    case 'jwk':
      return secretJwk(parseJson(input.value));
    case 'jwks': {
      const set = parseJson(input.value);
      return isObject(set) && Array.isArray(set.keys) && set.keys.some(secretJwk);
    }
    default:
      return false;
  }
}

/** The key as pages see it in a list: a secret's value is left out. */
export function redactedKey(key: StoredKey): StoredKey {
  if (!isSecretInput(key.input)) return key;
  return { ...key, input: { ...key.input, value: '' }, redacted: true };
}

function publicJwk(k: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(k).filter(([member]) => !PRIVATE_JWK_MEMBERS.includes(member) || member === 'k'));
}

/** The public JWK of every key in a private PEM text (one JWK, or a JWK Set when it holds several). */
async function publicOfPem(privatePem: string): Promise<Input> {
  try {
    const { keys, problems } = await importKeyInputDetailed({ kind: 'pem', value: privatePem }, 0);
    if (keys.length === 0)
      throw new WorkerError(
        problems[0]?.code ?? 'key-unusable',
        problems.map(formatProblem).join('; ') || 'no usable key in this PEM text',
      );
    const jwks = keys.map((k) => {
      if (!k.jwk) throw new WorkerError('key-unsupported', `its public half (${k.family}) could not be read`);
      return k.jwk;
    });
    return jwks.length === 1 ? { kind: 'jwk', value: JSON.stringify(jwks[0]) } : { kind: 'jwks', value: JSON.stringify({ keys: jwks }) };
  } finally {
    // The import cache is keyed by the text it imported: the private key must not stay in it.
    clearKeyCache();
  }
}

/**
 * The input to store for what the user added: a private key becomes its public half. `notice` says what
 * was changed, for the page to tell the user.
 */
export async function publicHalf(input: Input): Promise<{ input: Input; notice?: string }> {
  const notice = 'Only the public half of this private key was stored: verifying needs nothing more, and the private key was not kept.';
  switch (input.kind) {
    case 'pem': {
      if (!/PRIVATE KEY/.test(input.value)) return { input };
      try {
        return { input: await publicOfPem(input.value), notice: `${notice} It is kept as its public JWK.` };
      } catch (e) {
        const code = errorCodeOf(e);
        throw new WorkerError(
          code === 'internal' ? 'key-rejected' : code,
          `This private key was not stored: ${e instanceof Error ? e.message : String(e)}. Paste its public key or certificate instead.`,
        );
      }
    }
    case 'jwk': {
      const jwk = parseJson(input.value);
      if (!isObject(jwk) || jwk.kty === 'oct' || !hasPrivateMembers(jwk)) return { input };
      return { input: { kind: 'jwk', value: JSON.stringify(publicJwk(jwk)) }, notice };
    }
    case 'jwks': {
      const set = parseJson(input.value);
      if (!isObject(set) || !Array.isArray(set.keys)) return { input };
      const reduced = set.keys.filter((k) => isObject(k) && k.kty !== 'oct' && hasPrivateMembers(k)).length;
      if (reduced === 0) return { input };
      const keys = set.keys.map((k) => (isObject(k) && k.kty !== 'oct' ? publicJwk(k) : k));
      return {
        input: { kind: 'jwks', value: JSON.stringify({ ...set, keys }) },
        notice: `${reduced === 1 ? 'One key' : `${reduced} keys`} of this set held private members: only the public half was stored.`,
      };
    }
    default:
      return { input };
  }
}
