// Turning what a user pastes (KeyInput) into jose keys, each tagged with its family.
//
// The family tag is the defence against algorithm confusion (RFC 8725 §3.1): only a `secret` input or a JWK
// of kty "oct" ever becomes an 'hmac' key, and verify.ts only hands HS* tokens to 'hmac' keys. An RSA or
// EC key, or the PEM text of one, can therefore never act as an HMAC secret, whatever the token says.
import {
  base64url,
  calculateJwkThumbprint,
  exportJWK,
  importJWK,
  importPKCS8,
  importSPKI,
  importX509,
  type JWK,
} from 'jose';
import type { KeyInput, SecretEncoding } from './types';
import { isObject, MAX_KEY_TEXT_CHARS, pemSubtype, type PemSubtype } from './key-kind';

// What pasted key text is, without any cryptography: kept apart so pages that only ask need no jose.
export { detectKeyKind, type DetectedKey, type PemSubtype } from './key-kind';

export type KeyFamily = 'hmac' | 'rsa' | 'ec' | 'okp';


export type VerificationKey = CryptoKey | Uint8Array;

export interface ImportedKey {
  family: KeyFamily;
  /** Ready for `alg` when set, else for the family's default algorithm (RS256, the curve's ES*, EdDSA). */
  key: VerificationKey;
  kid?: string;
  /** The key's own `alg` (JWK): it is used for that algorithm only. */
  alg?: string;
  crv?: string;
  label?: string;
  /** RFC 7638 SHA-256 thumbprint of the public JWK. Never set for HMAC secrets: a hash of a weak secret
   * is an offline-guessing oracle. */
  thumbprint?: string;
  /** Position of the KeyInput this key came from. */
  index: number;
  use?: string;
  /** Where inside the input: "key 2 of the JWK Set", "PEM block 1 (certificate)". */
  source?: string;
  /** RSA modulus length in bits. */
  bits?: number;
  /** The public JWK (kty and key members only). Absent for HMAC secrets. */
  jwk?: JWK;
}

export interface KeyProblem {
  index: number;
  label?: string;
  kid?: string;
  source?: string;
  /** `error`: the input cannot be used as typed (fix it); `skipped`: a valid key that is deliberately not
   * used for signatures (encryption key, unsupported curve...). */
  severity: 'error' | 'skipped';
  reason: string;
}

/** What a single input turned into. */
export interface KeyInputResult {
  keys: ImportedKey[];
  problems: KeyProblem[];
}

export class KeyImportError extends Error {
  override name = 'KeyImportError';
}

/** A prepared, reusable set of keys: import once, verify many tokens. */
export class KeyRing {
  constructor(
    readonly keys: readonly ImportedKey[],
    readonly problems: readonly KeyProblem[],
    readonly inputCount: number,
  ) {}

  static from(inputs: KeyInput | readonly KeyInput[]): Promise<KeyRing> {
    return prepareKeys(inputs);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Algorithms and families

export interface AlgorithmFamily {
  family: KeyFamily;
  /** The curve the algorithm fixes (ES*, EdDSA). */
  crv?: string;
}

// A Map, not an object literal: a token's alg such as "__proto__" or "toString" must not find anything.
const JWS_ALGORITHMS: ReadonlyMap<string, AlgorithmFamily> = new Map<string, AlgorithmFamily>([
  ['HS256', { family: 'hmac' }],
  ['HS384', { family: 'hmac' }],
  ['HS512', { family: 'hmac' }],
  ['RS256', { family: 'rsa' }],
  ['RS384', { family: 'rsa' }],
  ['RS512', { family: 'rsa' }],
  ['PS256', { family: 'rsa' }],
  ['PS384', { family: 'rsa' }],
  ['PS512', { family: 'rsa' }],
  ['ES256', { family: 'ec', crv: 'P-256' }],
  ['ES384', { family: 'ec', crv: 'P-384' }],
  ['ES512', { family: 'ec', crv: 'P-521' }],
  ['EdDSA', { family: 'okp', crv: 'Ed25519' }],
  ['Ed25519', { family: 'okp', crv: 'Ed25519' }],
]);

export const SUPPORTED_ALGORITHMS: readonly string[] = Object.freeze([...JWS_ALGORITHMS.keys()]);

/** The key family (and curve) an algorithm needs; undefined for an algorithm this tool does not verify. */
export function algorithmFamily(alg: string): AlgorithmFamily | undefined {
  return typeof alg === 'string' ? JWS_ALGORITHMS.get(alg) : undefined;
}

/** EdDSA (RFC 8037) and Ed25519 (RFC 9864, fully specified) name the same operation on an Ed25519 key. */
export function algorithmsEquivalent(a: string, b: string): boolean {
  if (a === b) return true;
  const ed = (x: string) => x === 'EdDSA' || x === 'Ed25519';
  return ed(a) && ed(b);
}

const CURVE_ALG: Readonly<Record<string, string>> = Object.freeze({
  __proto__: null,
  'P-256': 'ES256',
  'P-384': 'ES384',
  'P-521': 'ES512',
  Ed25519: 'EdDSA',
}) as unknown as Record<string, string>;

function defaultAlgorithm(family: KeyFamily, crv?: string): string {
  if (family === 'hmac') return 'HS256';
  if (family === 'rsa') return 'RS256';
  return (crv && CURVE_ALG[crv]) || 'ES256';
}

/** "an RSA key", "an EC P-256 key", "an HMAC secret". */
export function describeKey(k: Pick<ImportedKey, 'family' | 'crv'>): string {
  switch (k.family) {
    case 'hmac':
      return 'an HMAC secret';
    case 'rsa':
      return 'an RSA key';
    case 'ec':
      return `an EC ${k.crv ?? ''} key`.replace('  ', ' ');
    case 'okp':
      return `an ${k.crv ?? 'OKP'} key`;
  }
}

/** "RSA keys", "EC P-256 keys", "HMAC secrets" (or singular). */
export function familyNoun(k: Pick<ImportedKey, 'family' | 'crv'>, plural: boolean): string {
  const s = plural ? 's' : '';
  switch (k.family) {
    case 'hmac':
      return `HMAC secret${s}`;
    case 'rsa':
      return `RSA key${s}`;
    case 'ec':
      return `EC ${k.crv ?? ''} key${s}`.replace('  ', ' ');
    case 'okp':
      return `${k.crv ?? 'OKP'} key${s}`;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Bounds: pasted text is untrusted and may be huge.

const MAX_JWKS_KEYS = 100;
const MAX_PEM_BLOCKS = 20;
const MAX_CACHED_INPUTS = 64;

// ---------------------------------------------------------------------------------------------------------
// Strict base64 / base64url / hex

function describeChar(c: string): string {
  if (c === ' ') return 'a space';
  if (c === '\n' || c === '\r') return 'a line break';
  if (c === '\t') return 'a tab';
  return `"${c}"`;
}

const B64URL_ALPHABET = /^[A-Za-z0-9_-]*$/;
const B64_ALPHABET = /^[A-Za-z0-9+/]*$/;
const B64_VALUES = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function sextet(c: string): number {
  if (c === '-' || c === '+') return 62;
  if (c === '_' || c === '/') return 63;
  return B64_VALUES.indexOf(c);
}

/** Canonical form: a length that encodes whole bytes and zero bits after the last byte (RFC 4648 §3.5).
 * Without the second rule, several strings decode to the same bytes and a signed token could be altered
 * without breaking its signature check in a lenient decoder. */
function canonicalProblem(body: string): string | undefined {
  const rem = body.length % 4;
  if (rem === 1) return `its length (${body.length}) cannot encode whole bytes`;
  if (rem === 0) return undefined;
  const last = sextet(body[body.length - 1]!);
  const mask = rem === 2 ? 0x0f : 0x03;
  if ((last & mask) !== 0) return 'the last character carries non-zero padding bits (non-canonical encoding)';
  return undefined;
}

/** Why `s` is not strict base64url as JOSE uses it (RFC 7515 §2: no padding, no whitespace), or undefined. */
export function base64urlProblem(s: string): string | undefined {
  if (!B64URL_ALPHABET.test(s)) {
    for (let i = 0; i < s.length; i++) {
      const c = s[i]!;
      if (!/[A-Za-z0-9_-]/.test(c)) {
        if (c === '=') return `padding "=" at position ${i} (base64url in JOSE has no padding)`;
        if (c === '+' || c === '/') return `character "${c}" at position ${i} belongs to base64, not base64url`;
        return `${describeChar(c)} at position ${i}`;
      }
    }
  }
  return canonicalProblem(s);
}

function bytesFromBinary(binary: string): Uint8Array {
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function binaryFromBytes(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + 0x8000)));
  }
  return s;
}

/** Strict base64 (standard alphabet); '=' padding optional but, when present, exact. */
function decodeBase64Strict(s: string, what: string, allowWhitespace = false): Uint8Array {
  let body = allowWhitespace ? s.replace(/\s+/g, '') : s;
  const pad = /=+$/.exec(body);
  if (pad) {
    body = body.slice(0, pad.index);
    if (pad[0].length > 2 || (body.length + pad[0].length) % 4 !== 0) {
      throw new KeyImportError(`${what} is not valid base64: wrong "=" padding`);
    }
  }
  if (!B64_ALPHABET.test(body)) {
    for (let i = 0; i < body.length; i++) {
      const c = body[i]!;
      if (!/[A-Za-z0-9+/]/.test(c)) {
        const hint = c === '-' || c === '_' ? ' (that is base64url: choose the base64url encoding)' : '';
        throw new KeyImportError(`${what} is not valid base64: ${describeChar(c)} at position ${i}${hint}`);
      }
    }
  }
  const problem = canonicalProblem(body);
  if (problem) throw new KeyImportError(`${what} is not valid base64: ${problem}`);
  return bytesFromBinary(atob(body));
}

/** Strict base64url; tolerates exact '=' padding because secrets are often copied padded. */
function decodeBase64urlStrict(s: string, what: string, allowPadding: boolean): Uint8Array {
  let body = s;
  const pad = /=+$/.exec(body);
  if (pad && allowPadding) {
    body = body.slice(0, pad.index);
    if (pad[0].length > 2 || (body.length + pad[0].length) % 4 !== 0) {
      throw new KeyImportError(`${what} is not valid base64url: wrong "=" padding`);
    }
  }
  const problem = base64urlProblem(body);
  if (problem) {
    const hint = /[+/]/.test(body) ? ' (choose the base64 encoding)' : '';
    throw new KeyImportError(`${what} is not valid base64url: ${problem}${hint}`);
  }
  return base64url.decode(body);
}

function decodeHexStrict(s: string, what: string): Uint8Array {
  const body = s.startsWith('0x') || s.startsWith('0X') ? s.slice(2) : s;
  for (let i = 0; i < body.length; i++) {
    if (!/[0-9a-fA-F]/.test(body[i]!)) {
      throw new KeyImportError(`${what} is not valid hex: ${describeChar(body[i]!)} at position ${i}`);
    }
  }
  if (body.length % 2 !== 0) {
    throw new KeyImportError(`${what} is not valid hex: odd number of digits (${body.length})`);
  }
  const out = new Uint8Array(body.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(body.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The bytes of an HMAC secret typed in `encoding`; throws KeyImportError naming what is wrong. */
export function decodeSecret(value: string, encoding: SecretEncoding = 'utf8'): Uint8Array {
  if (typeof value !== 'string') throw new KeyImportError('secret is not text');
  if (value.length > MAX_KEY_TEXT_CHARS) throw new KeyImportError('secret is too long');
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
      throw new KeyImportError(`unknown secret encoding "${String(encoding)}"`);
  }
  if (bytes.length === 0) throw new KeyImportError('secret is empty');
  return bytes;
}

/** A public key pasted as an HMAC secret is the algorithm-confusion attack's key: refuse it outright. */
function refuseAsymmetricKeyAsSecret(value: string): void {
  if (/-----BEGIN [A-Z0-9 ]+-----/.test(value)) {
    throw new KeyImportError(
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
    if (isObject(parsed) && (typeof parsed.kty === 'string' || Array.isArray(parsed.keys))) {
      throw new KeyImportError(
        parsed.kty === 'oct'
          ? 'this is a JWK, not a raw secret: add it as a JWK so its "k" is decoded'
          : 'this is a JWK or JWK Set, not an HMAC secret: a public key is never used as an HMAC secret ' +
              '(algorithm confusion, RFC 8725 §3.1). Add it as a JWK instead.',
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// A small DER reader and writer: enough to learn a key's type and curve before jose imports it (jose needs
// the algorithm up front), and to wrap PKCS#1 / SEC1 structures into the SPKI / PKCS#8 that WebCrypto takes.

interface DerNode {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  contentStart: number;
  end: number;
}

function readDer(buf: Uint8Array, pos: number, limit = buf.length): DerNode {
  const fail = (): never => {
    throw new KeyImportError('the DER structure is truncated or malformed');
  };
  if (pos + 2 > limit) fail();
  const tag = buf[pos]!;
  if ((tag & 0x1f) === 0x1f) fail(); // high tag numbers never occur in key structures
  let len = buf[pos + 1]!;
  let p = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) fail(); // indefinite lengths are BER, not DER
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++]!;
  }
  if (p + len > limit) fail();
  return { tag, start: pos, contentStart: p, end: p + len };
}

function derChildren(buf: Uint8Array, node: DerNode): DerNode[] {
  const out: DerNode[] = [];
  let p = node.contentStart;
  while (p < node.end) {
    const child = readDer(buf, p, node.end);
    out.push(child);
    p = child.end;
  }
  return out;
}

function derTop(buf: Uint8Array, what: string): DerNode {
  const node = readDer(buf, 0);
  if (node.tag !== 0x30 || node.end !== buf.length) {
    throw new KeyImportError(`${what} is not a DER SEQUENCE`);
  }
  return node;
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

function derLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = concatBytes(...content);
  return concatBytes(Uint8Array.of(tag), derLength(body.length), body);
}

function hexBytes(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

// Object identifiers, as the hex of their DER content bytes.
const OID = {
  rsaEncryption: '2a864886f70d010101',
  rsassaPss: '2a864886f70d01010a',
  ecPublicKey: '2a8648ce3d0201',
  p256: '2a8648ce3d030107',
  p384: '2b81040022',
  p521: '2b81040023',
  secp256k1: '2b8104000a',
  ed25519: '2b6570',
  ed448: '2b6571',
  x25519: '2b656e',
  x448: '2b656f',
} as const;

const CURVE_BY_OID: Readonly<Record<string, string>> = {
  [OID.p256]: 'P-256',
  [OID.p384]: 'P-384',
  [OID.p521]: 'P-521',
};

interface KeyType {
  family: KeyFamily;
  crv?: string;
  /** The algorithm to import with so that WebCrypto accepts the key. */
  importAlg: string;
}

/** The key type an AlgorithmIdentifier names; throws KeyImportError for types this tool does not verify. */
function keyTypeFromAlgorithmIdentifier(buf: Uint8Array, algId: DerNode): KeyType {
  const [oidNode, param] = derChildren(buf, algId);
  if (!oidNode || oidNode.tag !== 0x06) throw new KeyImportError('the key has no algorithm identifier');
  const oid = hex(buf.subarray(oidNode.contentStart, oidNode.end));
  switch (oid) {
    case OID.rsaEncryption:
      return { family: 'rsa', importAlg: 'RS256' };
    case OID.rsassaPss:
      return { family: 'rsa', importAlg: 'PS256' };
    case OID.ecPublicKey: {
      if (!param || param.tag !== 0x06) throw new KeyImportError('the EC key does not name its curve');
      const curveOid = hex(buf.subarray(param.contentStart, param.end));
      const crv = CURVE_BY_OID[curveOid];
      if (!crv) {
        const name = curveOid === OID.secp256k1 ? 'secp256k1 (ES256K)' : 'this curve';
        throw new KeyImportError(`EC keys on ${name} are not supported (P-256, P-384 and P-521 are)`);
      }
      return { family: 'ec', crv, importAlg: CURVE_ALG[crv]! };
    }
    case OID.ed25519:
      return { family: 'okp', crv: 'Ed25519', importAlg: 'EdDSA' };
    case OID.ed448:
      throw new KeyImportError('Ed448 keys are not supported (Ed25519 is)');
    case OID.x25519:
    case OID.x448:
      throw new KeyImportError('this is a key-agreement key (X25519/X448), not a signature key');
    default:
      throw new KeyImportError('the key algorithm is not one used for JWS signatures');
  }
}

function spkiKeyType(der: Uint8Array): KeyType {
  const top = derTop(der, 'the public key');
  const [algId] = derChildren(der, top);
  if (!algId || algId.tag !== 0x30) throw new KeyImportError('the public key is not SPKI');
  return keyTypeFromAlgorithmIdentifier(der, algId);
}

function pkcs8KeyType(der: Uint8Array): KeyType {
  const top = derTop(der, 'the private key');
  const [version, algId] = derChildren(der, top);
  if (!version || version.tag !== 0x02 || !algId || algId.tag !== 0x30) {
    throw new KeyImportError('the private key is not PKCS#8');
  }
  return keyTypeFromAlgorithmIdentifier(der, algId);
}

function certificateKeyType(der: Uint8Array): KeyType {
  const top = derTop(der, 'the certificate');
  const [tbs] = derChildren(der, top);
  if (!tbs || tbs.tag !== 0x30) throw new KeyImportError('the certificate has no tbsCertificate');
  const fields = derChildren(der, tbs);
  // [0] version is optional; after it: serial, signature, issuer, validity, subject, subjectPublicKeyInfo.
  const spki = fields[fields[0]?.tag === 0xa0 ? 6 : 5];
  if (!spki || spki.tag !== 0x30) throw new KeyImportError('the certificate has no subject public key');
  return spkiKeyType(der.subarray(spki.start, spki.end));
}

const RSA_ALGORITHM_IDENTIFIER = () => tlv(0x30, tlv(0x06, hexBytes(OID.rsaEncryption)), Uint8Array.of(0x05, 0x00));

/** PKCS#1 RSAPublicKey → SubjectPublicKeyInfo (RFC 5280 §4.1, RFC 8017 A.1.1). */
function spkiFromPkcs1(pkcs1: Uint8Array): Uint8Array {
  const top = derTop(pkcs1, 'the RSA public key');
  const ints = derChildren(pkcs1, top);
  if (ints.length !== 2 || ints.some((n) => n.tag !== 0x02)) {
    throw new KeyImportError('the RSA public key is not PKCS#1 (modulus, exponent)');
  }
  return tlv(0x30, RSA_ALGORITHM_IDENTIFIER(), tlv(0x03, Uint8Array.of(0), pkcs1));
}

/** PKCS#1 RSAPrivateKey → PKCS#8 PrivateKeyInfo (RFC 5208). */
function pkcs8FromPkcs1(pkcs1: Uint8Array): Uint8Array {
  const top = derTop(pkcs1, 'the RSA private key');
  const fields = derChildren(pkcs1, top);
  if (fields.length < 9 || fields.some((n) => n.tag !== 0x02 && n.tag !== 0x30)) {
    throw new KeyImportError('the RSA private key is not PKCS#1');
  }
  return tlv(0x30, Uint8Array.of(0x02, 0x01, 0x00), RSA_ALGORITHM_IDENTIFIER(), tlv(0x04, pkcs1));
}

/** SEC1 ECPrivateKey (RFC 5915) → PKCS#8, naming the curve from the SEC1 parameters. */
function pkcs8FromSec1(sec1: Uint8Array): Uint8Array {
  const top = derTop(sec1, 'the EC private key');
  const fields = derChildren(sec1, top);
  const params = fields.find((n) => n.tag === 0xa0);
  const curve = params ? derChildren(sec1, params)[0] : undefined;
  if (!curve || curve.tag !== 0x06) {
    throw new KeyImportError('the EC private key does not name its curve');
  }
  const curveOid = sec1.subarray(curve.contentStart, curve.end);
  const algId = tlv(0x30, tlv(0x06, hexBytes(OID.ecPublicKey)), tlv(0x06, curveOid));
  return tlv(0x30, Uint8Array.of(0x02, 0x01, 0x00), algId, tlv(0x04, sec1));
}

// ---------------------------------------------------------------------------------------------------------
// PEM

interface PemBlock {
  label: string;
  der: Uint8Array;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;


function parsePem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    const label = m[1]!;
    if (m[3] !== label) throw new KeyImportError(`PEM block "${label}" ends with "${m[3]}"`);
    const body = m[2]!;
    if (/Proc-Type:\s*4,ENCRYPTED/i.test(body) || label === 'ENCRYPTED PRIVATE KEY') {
      throw new KeyImportError(
        'the private key is encrypted: paste the public key or the certificate instead (only the public half is used anyway)',
      );
    }
    if (/^[A-Za-z-]+:/m.test(body)) throw new KeyImportError(`PEM block "${label}" has headers this tool does not read`);
    blocks.push({ label, der: decodeBase64Strict(body, `the PEM block "${label}"`, true) });
    if (blocks.length > MAX_PEM_BLOCKS) throw new KeyImportError(`more than ${MAX_PEM_BLOCKS} PEM blocks`);
  }
  if (blocks.length === 0) {
    throw new KeyImportError('no PEM block found (expected "-----BEGIN PUBLIC KEY-----" or similar)');
  }
  return blocks;
}

function toPem(der: Uint8Array, label: string): string {
  const b64 = btoa(binaryFromBytes(der));
  return `-----BEGIN ${label}-----\n${(b64.match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${label}-----`;
}

// ---------------------------------------------------------------------------------------------------------
// JWK

const PUBLIC_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  RSA: ['n', 'e'],
  EC: ['crv', 'x', 'y'],
  OKP: ['crv', 'x'],
};


/** Only kty and the public key members: private members (d, p, q, dp, dq, qi, oth) never leave here. */
function publicJwk(jwk: Record<string, unknown>): JWK {
  const kty = jwk.kty as string;
  const out: Record<string, unknown> = { kty };
  for (const m of PUBLIC_MEMBERS[kty] ?? []) {
    if (typeof jwk[m] !== 'string') throw new KeyImportError(`the ${kty} JWK has no "${m}"`);
    out[m] = jwk[m];
  }
  return out as JWK;
}

function rsaBits(n: string | undefined): number | undefined {
  if (typeof n !== 'string') return undefined;
  try {
    const bytes = base64url.decode(n);
    let i = 0;
    while (i < bytes.length && bytes[i] === 0) i++;
    if (i === bytes.length) return 0;
    return (bytes.length - i) * 8 - (Math.clz32(bytes[i]!) - 24);
  } catch {
    return undefined;
  }
}

function errorText(e: unknown): string {
  if (e instanceof KeyImportError) return e.message;
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

/** Where a key sits inside its input. Position and label are added per call by viewAt(). */
interface Context {
  index: number;
  source?: string;
}

type Outcome = { key: ImportedKey } | { problem: KeyProblem };

function problem(ctx: Context, severity: KeyProblem['severity'], reason: string, kid?: string): Outcome {
  const p: KeyProblem = { index: ctx.index, severity, reason };
  if (ctx.source !== undefined) p.source = ctx.source;
  if (kid !== undefined) p.kid = kid;
  return { problem: p };
}

async function asymmetricKey(
  ctx: Context,
  type: KeyType,
  jwk: JWK,
  extra: { kid?: string; alg?: string; use?: string },
): Promise<ImportedKey> {
  const importAlg = extra.alg ?? type.importAlg;
  // Importing here, once, checks the key material and leaves `key` ready for the common algorithm.
  const key = (await importJWK(jwk, importAlg)) as CryptoKey;
  const out: ImportedKey = {
    family: type.family,
    key,
    index: ctx.index,
    jwk,
    thumbprint: await calculateJwkThumbprint(jwk, 'sha256'),
  };
  if (type.crv !== undefined) out.crv = type.crv;
  if (type.family === 'rsa') {
    const bits = rsaBits(jwk.n);
    if (bits !== undefined) out.bits = bits;
  }
  if (extra.kid !== undefined) out.kid = extra.kid;
  if (extra.alg !== undefined) out.alg = extra.alg;
  if (extra.use !== undefined) out.use = extra.use;
  if (ctx.source !== undefined) out.source = ctx.source;
  sharedState.set(out, { defaultAlg: importAlg, perAlg: new Map(), readyPerAlg: new Map() });
  return out;
}

/** One JWK → one usable key or the reason it is not used. */
async function importJwkObject(ctx: Context, jwk: unknown): Promise<Outcome> {
  if (!isObject(jwk)) return problem(ctx, 'error', 'the JWK is not a JSON object');
  const kid = typeof jwk.kid === 'string' ? jwk.kid : undefined;
  const kty = jwk.kty;
  if (typeof kty !== 'string') return problem(ctx, 'error', 'the JWK has no "kty"', kid);
  if (jwk.use !== undefined && jwk.use !== 'sig') {
    return problem(
      ctx,
      'skipped',
      jwk.use === 'enc' ? 'the key is for encryption (use "enc"), not signatures' : `the key's use is "${String(jwk.use)}", not "sig"`,
      kid,
    );
  }
  if (jwk.key_ops !== undefined) {
    if (!Array.isArray(jwk.key_ops)) return problem(ctx, 'error', '"key_ops" is not an array', kid);
    // A private JWK says "sign"; its public half is what verifies.
    if (!jwk.key_ops.includes('verify') && !jwk.key_ops.includes('sign')) {
      return problem(ctx, 'skipped', `the key's key_ops (${jwk.key_ops.join(', ')}) do not include "verify"`, kid);
    }
  }
  const alg = jwk.alg;
  if (alg !== undefined && typeof alg !== 'string') return problem(ctx, 'error', '"alg" is not a string', kid);

  const fitsAlg = (family: KeyFamily, crv?: string): Outcome | undefined => {
    if (alg === undefined) return undefined;
    const need = algorithmFamily(alg);
    // An unregistered alg ("ES521") is kept: the verifier then explains that it never matches a token.
    if (!need) return /^(?:[HRPE]S\d+|EdDSA|Ed\d+)$/.test(alg) ? undefined : problem(ctx, 'skipped', `"alg" ${alg} is not a JWS signature algorithm`, kid);
    if (need.family !== family || (need.crv !== undefined && crv !== undefined && need.crv !== crv)) {
      return problem(ctx, 'error', `"alg" ${alg} does not fit ${describeKey({ family, crv })}`, kid);
    }
    return undefined;
  };

  try {
    switch (kty) {
      case 'oct': {
        if (typeof jwk.k !== 'string') return problem(ctx, 'error', 'the oct JWK has no "k"', kid);
        const mismatch = fitsAlg('hmac');
        if (mismatch) return mismatch;
        const bytes = decodeBase64urlStrict(jwk.k, 'the JWK "k"', false);
        if (bytes.length === 0) return problem(ctx, 'error', 'the JWK "k" is empty', kid);
        const out: ImportedKey = { family: 'hmac', key: bytes, index: ctx.index };
        if (kid !== undefined) out.kid = kid;
        if (alg !== undefined) out.alg = alg;
        if (typeof jwk.use === 'string') out.use = jwk.use;
        if (ctx.source !== undefined) out.source = ctx.source;
        return { key: out };
      }
      case 'RSA': {
        const mismatch = fitsAlg('rsa');
        if (mismatch) return mismatch;
        const type: KeyType = { family: 'rsa', importAlg: 'RS256' };
        const extra = { kid, alg: alg && algorithmFamily(alg) ? alg : undefined, use: jwk.use as string | undefined };
        const key = await asymmetricKey(ctx, type, publicJwk(jwk), extra);
        if (alg !== undefined) key.alg = alg;
        return { key };
      }
      case 'EC': {
        const crv = jwk.crv;
        if (typeof crv !== 'string' || !(crv in CURVE_ALG) || crv === 'Ed25519') {
          return problem(ctx, 'skipped', `EC keys on curve ${String(crv)} are not supported (P-256, P-384 and P-521 are)`, kid);
        }
        const mismatch = fitsAlg('ec', crv);
        if (mismatch) return mismatch;
        const type: KeyType = { family: 'ec', crv, importAlg: CURVE_ALG[crv]! };
        const key = await asymmetricKey(ctx, type, publicJwk(jwk), { kid, use: jwk.use as string | undefined });
        if (alg !== undefined) key.alg = alg;
        return { key };
      }
      case 'OKP': {
        const crv = jwk.crv;
        if (crv === 'X25519' || crv === 'X448') {
          return problem(ctx, 'skipped', `this is a key-agreement key (${crv}), not a signature key`, kid);
        }
        if (crv !== 'Ed25519') return problem(ctx, 'skipped', `OKP keys on curve ${String(crv)} are not supported (Ed25519 is)`, kid);
        const mismatch = fitsAlg('okp', crv);
        if (mismatch) return mismatch;
        const type: KeyType = { family: 'okp', crv, importAlg: 'EdDSA' };
        const key = await asymmetricKey(ctx, type, publicJwk(jwk), { kid, use: jwk.use as string | undefined });
        if (alg !== undefined) key.alg = alg;
        return { key };
      }
      default:
        return problem(ctx, 'skipped', `key type "${kty}" is not supported (oct, RSA, EC and OKP are)`, kid);
    }
  } catch (e) {
    return problem(ctx, 'error', `the ${kty} JWK cannot be imported: ${errorText(e)}`, kid);
  }
}

function parseJson(text: string, what: string): unknown {
  if (text.length > MAX_KEY_TEXT_CHARS) throw new KeyImportError(`the ${what} is too long`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new KeyImportError(`the ${what} is not valid JSON: ${errorText(e)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Per-input import

/** State shared by every view (index, label) of one imported key. */
interface SharedKeyState {
  /** The algorithm `key` was imported for. */
  defaultAlg: string;
  /** Per-algorithm imports: an RSA key serves RS256 and PS256 as different CryptoKeys. */
  perAlg: Map<string, Promise<VerificationKey>>;
  /** The settled entries of perAlg, for callers that can go on without waiting. */
  readyPerAlg: Map<string, VerificationKey>;
}
const sharedState = new WeakMap<ImportedKey, SharedKeyState>();

/** The key for `alg` if it needs no (further) import, else undefined: lets the verifier skip a wait. */
export function keyForNow(k: ImportedKey, alg: string): VerificationKey | undefined {
  if (k.family === 'hmac') return k.key;
  const state = sharedState.get(k);
  if (!state) return undefined;
  if (algorithmsEquivalent(state.defaultAlg, alg)) return k.key;
  return state.readyPerAlg.get(alg);
}

/** The key ready for `alg`, imported once per algorithm. Only call it with an alg of the key's family. */
export function keyFor(k: ImportedKey, alg: string): Promise<VerificationKey> {
  const ready = keyForNow(k, alg);
  if (ready) return Promise.resolve(ready);
  let state = sharedState.get(k);
  if (!state) sharedState.set(k, (state = { defaultAlg: '', perAlg: new Map(), readyPerAlg: new Map() }));
  const { perAlg: cache, readyPerAlg } = state;
  let p = cache.get(alg);
  if (!p) {
    if (!k.jwk) return Promise.reject(new KeyImportError('the key has no public JWK to import'));
    p = importJWK(k.jwk, alg) as Promise<VerificationKey>;
    cache.set(alg, p);
    const imported = p;
    p.then(
      (key) => {
        if (cache.get(alg) === imported) readyPerAlg.set(alg, key);
      },
      // A failed import is not remembered: the next call says why again instead of replaying a stale promise.
      () => cache.delete(alg),
    );
  }
  return p;
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
      const pkcs8 =
        subtype === 'private' ? block.der : subtype === 'rsa-private' ? pkcs8FromPkcs1(block.der) : pkcs8FromSec1(block.der);
      type = pkcs8KeyType(pkcs8);
      // Extractable only so that the public half can be read; the private key object is dropped at once.
      const key = await importPKCS8(toPem(pkcs8, 'PRIVATE KEY'), type.importAlg, { extractable: true });
      exported = await exportJWK(key);
      break;
    }
    default:
      throw new KeyImportError(`PEM block "${block.label}" is not a key or certificate this tool reads`);
  }
  return asymmetricKey(ctx, type, publicJwk(exported as Record<string, unknown>), {});
}

/** Imports one input as if it were at index 0 without a label; views() adds those per call. */
async function importInputUncached(input: KeyInput): Promise<KeyInputResult> {
  const index = 0;
  const base: Context = { index };
  const result: KeyInputResult = { keys: [], problems: [] };
  const add = (o: Outcome) => ('key' in o ? result.keys.push(o.key) : result.problems.push(o.problem));
  const fail = (reason: string) => add(problem(base, 'error', reason));

  if (!isObject(input) || typeof input.value !== 'string') {
    fail('the key input has no text');
    return result;
  }
  if (input.value.length > MAX_KEY_TEXT_CHARS) {
    fail('the key text is too long');
    return result;
  }
  try {
    switch (input.kind) {
      case 'secret': {
        result.keys.push({ family: 'hmac', key: decodeSecret(input.value, input.encoding ?? 'utf8'), index });
        break;
      }
      case 'pem': {
        const blocks = parsePem(input.value);
        let certificates = 0;
        for (let i = 0; i < blocks.length; i++) {
          const block = blocks[i]!;
          const ctx: Context = blocks.length > 1 ? { ...base, source: `PEM block ${i + 1} (${block.label})` } : base;
          if (pemSubtype(block.label) === 'certificate' && ++certificates > 1) {
            // In a chain the first certificate is the signer's; the others are CAs, whose keys sign certificates.
            add(problem(ctx, 'skipped', 'a later certificate in a chain belongs to a CA, not to the token signer'));
            continue;
          }
          try {
            result.keys.push(await importPemBlock(ctx, block));
          } catch (e) {
            add(problem(ctx, 'error', errorText(e)));
          }
        }
        break;
      }
      case 'jwk': {
        const parsed = parseJson(input.value.trim(), 'JWK');
        if (isObject(parsed) && Array.isArray(parsed.keys)) {
          fail('this is a JWK Set ({"keys": [...]}), not a single JWK: add it as a JWKS');
          break;
        }
        add(await importJwkObject(base, parsed));
        break;
      }
      case 'jwks': {
        const parsed = parseJson(input.value.trim(), 'JWK Set');
        if (!isObject(parsed) || !Array.isArray(parsed.keys)) {
          fail(isObject(parsed) && typeof parsed.kty === 'string' ? 'this is a single JWK, not a JWK Set: add it as a JWK' : 'the JWK Set has no "keys" array');
          break;
        }
        const keys = parsed.keys as unknown[];
        const n = Math.min(keys.length, MAX_JWKS_KEYS);
        for (let i = 0; i < n; i++) add(await importJwkObject({ ...base, source: `key ${i + 1} of the JWK Set` }, keys[i]));
        if (keys.length > MAX_JWKS_KEYS) fail(`only the first ${MAX_JWKS_KEYS} of ${keys.length} keys in the JWK Set are used`);
        if (keys.length === 0) fail('the JWK Set is empty');
        break;
      }
      default:
        fail(`unknown key kind "${String((input as { kind?: unknown }).kind)}"`);
    }
  } catch (e) {
    fail(errorText(e));
  }
  return result;
}

// Keyed by the input text first: the same stored string object hashes once, so a hit costs a lookup, not
// a re-hash of a long JWK Set. Not keyed by position or label: the worker filters stored keys per token, so
// one key arrives at varying positions, and must still be imported only once. Bounded, least recently used
// out first.
const inputCache = new Map<string, Map<string, Promise<KeyInputResult>>>();
let cachedEntries = 0;

/** The results of cached imports that have finished, so a ready key ring can be had without waiting. */
const settledImports = new WeakMap<Promise<KeyInputResult>, KeyInputResult>();

function cacheMeta(input: KeyInput & { value: string }): string {
  return input.kind === 'secret' ? `secret\u0000${input.encoding ?? 'utf8'}` : String(input.kind);
}

function cachedImportHit(value: string, meta: string): Promise<KeyInputResult> | undefined {
  const byMeta = inputCache.get(value);
  const hit = byMeta?.get(meta);
  if (hit && inputCache.size > 1) {
    inputCache.delete(value);
    inputCache.set(value, byMeta!);
  }
  return hit;
}

function cachedImport(input: KeyInput & { value: string }): Promise<KeyInputResult> {
  const value = input.value;
  const meta = cacheMeta(input);
  const hit = cachedImportHit(value, meta);
  if (hit) return hit;
  let byMeta = inputCache.get(value);
  const p = importInputUncached(input);
  p.then((r) => settledImports.set(p, r), () => {});
  if (!byMeta) {
    byMeta = new Map();
    inputCache.set(value, byMeta);
  }
  byMeta.set(meta, p);
  cachedEntries++;
  while (cachedEntries > MAX_CACHED_INPUTS && inputCache.size > 0) {
    const [oldest, entries] = inputCache.entries().next().value as [string, Map<string, Promise<KeyInputResult>>];
    inputCache.delete(oldest);
    cachedEntries -= entries.size;
  }
  return p;
}

// Views of a cached result at another position or with a label, memoised so repeated calls allocate nothing.
const views = new WeakMap<KeyInputResult, Map<string, KeyInputResult>>();

function viewAt(r: KeyInputResult, index: number, label: string | undefined): KeyInputResult {
  if (index === 0 && label === undefined) return r;
  const id = `${index}\u0000${label ?? ''}`;
  let byId = views.get(r);
  const seen = byId?.get(id);
  if (seen) return seen;
  const withLabel = <T extends { label?: string; index: number }>(x: T): T => {
    const y = { ...x, index };
    if (label !== undefined) y.label = label;
    return y;
  };
  const keys = r.keys.map((k) => {
    const v = withLabel(k);
    const state = sharedState.get(k);
    if (state) sharedState.set(v, state);
    return v;
  });
  const view: KeyInputResult = { keys, problems: r.problems.map(withLabel) };
  if (!byId) views.set(r, (byId = new Map()));
  if (byId.size >= 16) byId.clear();
  byId.set(id, view);
  return view;
}

/** Every usable key of one input plus why the others are not used; cached, never rejects. */
export async function importKeyInputDetailed(input: KeyInput, index: number): Promise<KeyInputResult> {
  const label = labelOf(input);
  const r = isObject(input) && typeof input.value === 'string' ? await cachedImport(input) : await importInputUncached(input);
  return viewAt(r, index, label);
}

/** The usable keys of one input. Throws KeyImportError when the input yields no usable key at all. */
export async function importKeyInput(input: KeyInput, index: number): Promise<ImportedKey[]> {
  const { keys, problems } = await importKeyInputDetailed(input, index);
  if (keys.length === 0) {
    throw new KeyImportError(problems.map(formatProblem).join('; ') || 'no usable key');
  }
  return [...keys]; // the cached array stays untouched whatever the caller does
}

const singleRings = new WeakMap<KeyInputResult, KeyRing>();

function labelOf(input: KeyInput): string | undefined {
  return isObject(input) && typeof input.label === 'string' ? input.label : undefined;
}

function singleRing(r: KeyInputResult): KeyRing {
  let ring = singleRings.get(r);
  if (!ring) singleRings.set(r, (ring = new KeyRing(r.keys, r.problems, 1)));
  return ring;
}

function ringOf(results: readonly KeyInputResult[]): KeyRing {
  if (results.length === 1) return singleRing(results[0]!);
  const keys: ImportedKey[] = [];
  const problems: KeyProblem[] = [];
  for (const r of results) {
    keys.push(...r.keys);
    problems.push(...r.problems);
  }
  return new KeyRing(keys, problems, results.length);
}

function inputList(inputs: KeyInput | readonly KeyInput[]): readonly KeyInput[] {
  return Array.isArray(inputs) ? inputs : inputs == null ? [] : [inputs as KeyInput];
}

/**
 * The KeyRing of inputs whose imports have all finished, else undefined (then await prepareKeys). Verifying a
 * stream of tokens against the same keys then waits on nothing but the signature checks themselves.
 */
export function prepareKeysNow(inputs: KeyInput | readonly KeyInput[]): KeyRing | undefined {
  const list = inputList(inputs);
  const results: KeyInputResult[] = [];
  for (let i = 0; i < list.length; i++) {
    const input = list[i]!;
    if (!isObject(input) || typeof input.value !== 'string') return undefined;
    const hit = cachedImportHit(input.value, cacheMeta(input as KeyInput & { value: string }));
    const r = hit && settledImports.get(hit);
    if (!r) return undefined;
    results.push(viewAt(r, i, labelOf(input)));
  }
  return ringOf(results);
}

/** Imports every input (cached per input) into a KeyRing; never rejects. */
export async function prepareKeys(inputs: KeyInput | readonly KeyInput[]): Promise<KeyRing> {
  const list = inputList(inputs);
  // One input (a stored key or JWK Set) is the common case: one ring object per cached import.
  if (list.length === 1) return singleRing(await importKeyInputDetailed(list[0]!, 0));
  return ringOf(await Promise.all(list.map((input, i) => importKeyInputDetailed(input, i))));
}

/** Forget every imported key (the user removed keys, or tests want a cold start). */
export function clearKeyCache(): void {
  inputCache.clear();
  cachedEntries = 0;
}

/** "key 2 (staging): secret is not valid hex: ..." */
export function formatProblem(p: KeyProblem): string {
  const who = p.label ? `"${p.label}"` : `key ${p.index + 1}`;
  const where = p.source ? `, ${p.source}` : '';
  const kid = p.kid !== undefined ? ` (kid "${p.kid}")` : '';
  return `${who}${where}${kid}: ${p.reason}`;
}

// ---------------------------------------------------------------------------------------------------------
// Auto-detection for the UI


/** How many inputs the import cache holds (it keeps secret bytes: the worker clears it when keys are forgotten). */
export function importCacheSize(): number {
  return cachedEntries;
}
