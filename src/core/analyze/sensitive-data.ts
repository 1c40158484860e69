// Claims that hold secrets or personal identifiers: readable by anyone who sees the token.
import { isCataloguedClaim } from '../claim-names';
import { isJsonObject } from '../is-json-object';
import type { JsonObject } from '../types';
import type { Evidence } from './evidence';
import { quote, shorten } from './text';

const MAX_WALK_NODES = 5000;
const MAX_WALK_DEPTH = 16;

// Names of claims that hold secrets or government / payment identifiers. Compared after lower-casing and
// dropping separators, so password, Password, pass_word and user-password all match.
const SECRET_NAME_PARTS = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'apikey',
  'privatekey',
  'creditcard',
  'cardnumber',
  'ccnumber',
  'socialsecurity',
  'securitycode',
];
const SECRET_NAMES_EXACT = new Set(['pwd', 'pass', 'pin', 'ssn', 'cvv', 'cvc', 'cvv2', 'iban']);
// A claim named after a secret but holding facts about it (password_changed_at, has_password) is fine.
const METADATA_SUFFIXES = [
  'at',
  'time',
  'date',
  'expiry',
  'expires',
  'expired',
  'changed',
  'updated',
  'set',
  'policy',
  'required',
  'length',
  'count',
  'enabled',
  'exists',
  'version',
  'id',
];

/** A claim's path, built into text only when a finding names it: most claims are judged harmless. */
interface ClaimPath {
  parent: ClaimPath | undefined;
  /** A property name, or an array index. */
  segment: string | number;
}

function pathText(path: ClaimPath | undefined): string {
  if (!path) return '';
  const { parent, segment } = path;
  if (typeof segment === 'number') return `${pathText(parent)}[${segment}]`;
  return parent ? `${pathText(parent)}${pathSegment(segment)}` : displayKey(segment);
}

export function checkSensitiveData(payload: JsonObject, found: Evidence): void {
  let visited = 0;
  const walk = (value: unknown, path: ClaimPath | undefined, key: string | undefined, depth: number): void => {
    if (++visited > MAX_WALK_NODES || depth > MAX_WALK_DEPTH) return;
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) walk(value[index], { parent: path, segment: index }, key, depth + 1);
      return;
    }
    if (isJsonObject(value)) {
      const privateJwk = privateJwkKind(value);
      if (privateJwk) found.add('sensitive-data', `${pathText(path) || 'the payload'} is ${privateJwk}`, SENSITIVE_LEAD);
      for (const childKey of Object.keys(value)) walk(value[childKey], { parent: path, segment: childKey }, childKey, depth + 1);
      return;
    }
    if (key !== undefined && hasSecretName(key) && isFilled(value)) {
      found.add('sensitive-data', `${pathText(path)} (its name says it holds a secret)`, SENSITIVE_LEAD);
      return;
    }
    // Identifiers the catalogue knows (sub, jti, oid ...) are long digit strings by design, not card numbers.
    const catalogued = key !== undefined && isCataloguedClaim(key);
    const valueKind = catalogued ? undefined : sensitiveValueKind(value);
    if (valueKind) found.add('sensitive-data', `${pathText(path)} (${valueKind})`, SENSITIVE_LEAD);
  };
  walk(payload, undefined, undefined, 0);
}

const SENSITIVE_LEAD = 'Readable by anyone who sees the token';

// Claim names repeat from token to token (and from element to element of an array): each is judged once.
const MAX_CACHED_NAMES = 4096;
const secretNameCache = new Map<string, boolean>();

function hasSecretName(key: string): boolean {
  if (key.length > 64) return judgeSecretName(key);
  let judged = secretNameCache.get(key);
  if (judged === undefined) {
    judged = judgeSecretName(key);
    if (secretNameCache.size >= MAX_CACHED_NAMES) secretNameCache.clear();
    secretNameCache.set(key, judged);
  }
  return judged;
}

function judgeSecretName(key: string): boolean {
  const norm = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (norm === '') return false;
  if (SECRET_NAMES_EXACT.has(norm)) return true;
  if (!SECRET_NAME_PARTS.some((part) => norm.includes(part))) return false;
  return !METADATA_SUFFIXES.some((suffix) => norm.endsWith(suffix));
}

function isFilled(value: unknown): boolean {
  return (typeof value === 'string' && value.trim() !== '') || (typeof value === 'number' && Number.isFinite(value));
}

function privateJwkKind(value: JsonObject): string | undefined {
  if (typeof value.kty !== 'string') return undefined;
  if (typeof value.d === 'string') return 'a private key in JWK form (it has "d")';
  if (typeof value.k === 'string') return 'a symmetric secret key in JWK form (it has "k")';
  return undefined;
}

function sensitiveValueKind(value: unknown): string | undefined {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) text = String(value);
  else return undefined;
  if (text.length > 4096) text = text.slice(0, 4096);
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text)) return 'its value is a PEM private key';
  if (looksLikeCardNumber(text)) return 'its value looks like a payment card number and passes the Luhn check';
  if (/^(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}$/.test(text.trim())) {
    return 'its value looks like a US Social Security number';
  }
  return undefined;
}

export function looksLikeCardNumber(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.length > 23 || !/^\d[\d -]*\d$/.test(trimmed)) return false;
  const digits = trimmed.replace(/[ -]/g, '');
  if (digits.length < 13 || digits.length > 19 || /^(\d)\1+$/.test(digits)) return false;
  // Issuer prefixes (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay) cut false alarms on long ids.
  if (!/^(?:4|5[1-5]|2[2-7]|3[47]|6(?:011|5|4[4-9]|2)|35(?:2[89]|[3-8])|3(?:0[0-5]|[68]))/.test(digits)) return false;
  return luhnValid(digits);
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function displayKey(key: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? shorten(key, 64) : `[${quote(shorten(key, 64))}]`;
}

function pathSegment(key: string): string {
  const shown = displayKey(key);
  return shown.startsWith('[') ? shown : `.${shown}`;
}
