// Judges one decoded token and where it was seen, without keys or network. The verifier adds
// weak-hmac-secret and signature-invalid; the panel's flow tracker adds the refresh-* findings.
import { formatDuration, formatTime, isCataloguedClaim } from './claims';
import { finding, sortFindings } from './findings';
import type {
  AnalysisContext,
  DecodedToken,
  DecodedTokenSuccess,
  Finding,
  FindingId,
  JsonObject,
  Sighting,
} from './types';

/** An unexpired token closer than this to its exp is reported as expiring soon (boundary included). */
export const EXPIRES_SOON_SECONDS = 300;
/** Longest lifetime (exp − iat) not reported for access, ID and unrecognised tokens (boundary allowed). */
export const LONG_LIFETIME_SECONDS = 86400;
/** Refresh tokens exist to outlive access tokens; common products default to 30–90 days. */
export const REFRESH_LONG_LIFETIME_SECONDS = 90 * 86400;
/** Clock difference tolerated between issuer and this computer before nbf / iat are reported. */
export const DEFAULT_SKEW_SECONDS = 60;
/** A kid longer than this is reported: key ids are labels, and long ones carry payloads. */
export const MAX_KID_LENGTH = 256;

export type TokenRole = 'access' | 'refresh' | 'id' | 'unknown';

// Bounds for untrusted input: a finding names a few pieces of evidence, not thousands.
const MAX_SIGHTINGS = 1000;
const MAX_EVIDENCE_SHOWN = 5;
const MAX_WALK_NODES = 5000;
const MAX_WALK_DEPTH = 16;
const MAX_SHOWN_TEXT = 120;

/**
 * Findings for `token`, most severe first, one per id. Never throws: a check that fails on odd input is
 * skipped and the others still report.
 *
 * JWE: the claims are encrypted, so only header findings (alg, key headers, kid) and the sighting ones
 * apply; claim findings (expiry, lifetime, sensitive data) cannot be judged without the decryption key.
 * Nested tokens (cty JWT): the outer token is judged here; callers decode and analyse the inner one.
 */
export function analyze(token: DecodedToken, context?: AnalysisContext): Finding[] {
  const found = new Evidence();
  try {
    if (!token || typeof token !== 'object' || token.ok !== true) return [];
    const ctx = readContext(context);
    const header = isPlainObject(token.header) ? token.header : {};

    attempt(() => checkAlgorithm(token, header, found));
    attempt(() => checkKeyHeaders(header, found));
    attempt(() => checkKid(header, found));

    if (token.kind !== 'jwe' && isPlainObject(token.payload)) {
      const payload = token.payload;
      const role = guessTokenRole(token, ctx.sightings.map((s) => s.name).filter(isString));
      attempt(() => checkTimes(header, payload, ctx, role, found));
      attempt(() => checkSensitiveData(payload, found));
    }

    for (const sighting of ctx.sightings) attempt(() => checkSighting(sighting, found));
  } catch {
    // Fall through with whatever was collected.
  }
  try {
    return sortFindings(found.build());
  } catch {
    return [];
  }
}

/**
 * What kind of token this is, from its claims, its header and the names it was seen under. Refresh tokens
 * get a longer lifetime allowance; the flow tracker pairs access and refresh tokens with it.
 */
export function guessTokenRole(decoded: DecodedToken, sightingNames?: readonly string[]): TokenRole {
  try {
    if (!decoded || typeof decoded !== 'object' || decoded.ok !== true) return 'unknown';
    const header = isPlainObject(decoded.header) ? decoded.header : {};
    const payload = isPlainObject(decoded.payload) ? decoded.payload : {};

    // Explicit statements first: AWS Cognito's token_use, Keycloak's typ, simplejwt's token_type.
    for (const claim of ['token_use', 'typ', 'token_type', 'type']) {
      const role = roleFromWord(payload[claim]);
      if (role) return role;
    }
    const headerTyp = lower(header.typ);
    if (headerTyp === 'at+jwt' || headerTyp === 'application/at+jwt') return 'access';
    if (headerTyp === 'refresh+jwt' || headerTyp === 'application/refresh+jwt') return 'refresh';

    // Claims only an ID token carries (OIDC Core §2, §3.1.3.6, §3.3.2.11).
    if ('nonce' in payload || 'at_hash' in payload || 'c_hash' in payload) return 'id';

    const names = (Array.isArray(sightingNames) ? sightingNames : []).filter(isString).map((n) => n.toLowerCase());
    if (names.some((n) => n.includes('refresh'))) return 'refresh';
    if (names.some((n) => /(^|[^a-z])id[-_]?token|idtoken/.test(n))) return 'id';
    if (names.some((n) => n.includes('access'))) return 'access';

    if ('scope' in payload || 'scp' in payload) return 'access';
    // A bare typ JWT says little, but tokens that say nothing else are overwhelmingly bearer access tokens.
    if (headerTyp === 'jwt') return 'access';
    return 'unknown';
  } catch {
    return 'unknown';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Header checks

function checkAlgorithm(token: DecodedTokenSuccess, header: JsonObject, found: Evidence): void {
  const alg = header.alg;
  const isNone = typeof alg === 'string' && alg.trim().toLowerCase() === 'none';
  const signature = Array.isArray(token.parts) && token.kind !== 'jwe' ? token.parts[2] : undefined;
  if (isNone) {
    const notes = [`The header says alg ${quote(alg)}.`];
    if (alg !== 'none') {
      notes.push('That spelling is a known way past filters that only reject the exact lower-case "none".');
    }
    if (typeof signature === 'string' && signature !== '') {
      notes.push('It still carries a signature part, which a verifier honouring "none" ignores.');
    }
    found.add('alg-none', notes.join(' '));
    return;
  }
  if (token.kind === 'jwe' || !Array.isArray(token.parts) || token.parts.length !== 3) return;
  if (signature === '' || token.signatureLength === 0) {
    found.add('empty-signature', `The header names alg ${quote(alg)}, but the signature part is empty.`);
  }
}

function checkKeyHeaders(header: JsonObject, found: Evidence): void {
  for (const name of ['jku', 'x5u'] as const) {
    if (!(name in header)) continue;
    const value = header[name];
    let text = `${name} = ${describeValue(value)}`;
    if (typeof value === 'string' && /^http:/i.test(value.trim())) text += ' (plain HTTP)';
    found.add('remote-key-header', text, 'The header names');
  }
  if ('jwk' in header) {
    const jwk = header.jwk;
    let text = 'jwk';
    if (isPlainObject(jwk)) {
      const kty = typeof jwk.kty === 'string' ? ` ${shorten(jwk.kty, 20)}` : '';
      text += ` (an embedded${kty} key${'d' in jwk || 'k' in jwk ? ', including its private or secret part' : ''})`;
    } else {
      text += ` (${describeType(jwk)})`;
    }
    found.add('embedded-key-header', text, 'The header embeds');
  }
  if ('x5c' in header) {
    const x5c = header.x5c;
    const count = Array.isArray(x5c) ? x5c.length : undefined;
    const text =
      count === undefined
        ? `x5c (${describeType(x5c)})`
        : `x5c (${count} certificate${count === 1 ? '' : 's'}; trustworthy only if its chain is validated to a pinned root)`;
    found.add('embedded-key-header', text, 'The header embeds');
  }
}

function checkKid(header: JsonObject, found: Evidence): void {
  if (!('kid' in header)) return;
  const kid = header.kid;
  if (kid !== null && typeof kid === 'object') {
    // An object or array where a string belongs is how NoSQL operator injection ({"$ne": null}) arrives.
    found.add('kid-injection', `The kid is ${describeType(kid)}, not a string: servers that pass it to a database query may run it as an operator.`);
    return;
  }
  if (typeof kid !== 'string') return;
  const reasons = kidProblems(kid);
  if (reasons.length > 0) {
    found.add('kid-injection', `The kid ${quote(kid)} contains ${reasons.join(', ')}.`);
  }
}

function kidProblems(kid: string): string[] {
  const reasons: string[] = [];
  const isHttpsUrl = /^https:\/\/[^\s/]+(\/[^\s]*)?$/i.test(kid);
  if (kid.includes('..')) reasons.push('"..", a path traversal');
  // Key ids that are HTTPS URLs (Azure Key Vault, some JWKS setups) are common; their slashes are not news.
  if (kid.includes('/') && !isHttpsUrl) reasons.push('"/", a path separator');
  if (kid.includes('\\')) reasons.push('"\\", a path separator');
  if (/^(?:https?|file|ftp|gopher|dict|ldap|jar):/i.test(kid) && !isHttpsUrl) reasons.push('a URL scheme');
  if (/['"`]/.test(kid)) reasons.push('a quote');
  if (kid.includes(';')) reasons.push('";", a statement separator');
  if (kid.includes('--') || kid.includes('/*') || kid.includes('#')) reasons.push('an SQL comment');
  if (/\s(?:or|and)\s/i.test(kid) || /\bunion\s+(?:all\s+)?select\b/i.test(kid)) reasons.push('SQL keywords');
  if (kid.includes('|') || kid.includes('&&') || kid.includes('$(') || kid.includes('${')) {
    reasons.push('shell or LDAP metacharacters');
  }
  if (/[\u0000-\u001f\u007f]/.test(kid) || /%00|%0a|%0d/i.test(kid)) reasons.push('control characters (null byte or line break)');
  if (kid.length > MAX_KID_LENGTH) reasons.push(`${kid.length} characters, far longer than a key label`);
  return reasons;
}

// ---------------------------------------------------------------------------------------------------------
// Claim checks

interface Context {
  now: number;
  skew: number;
  sightings: Sighting[];
}

// Tokens whose freshness RFCs base on iat and jti instead of exp: a DPoP proof (RFC 9449 §4.3) and a
// Security Event Token (RFC 8417 §2.2) have no exp by design.
const NO_EXP_BY_DESIGN = new Set(['dpop+jwt', 'application/dpop+jwt', 'secevent+jwt', 'application/secevent+jwt']);

function checkTimes(header: JsonObject, payload: JsonObject, ctx: Context, role: TokenRole, found: Evidence): void {
  const { now, skew } = ctx;
  const exp = readNumericDate(payload, 'exp');
  const iat = readNumericDate(payload, 'iat');
  const nbf = readNumericDate(payload, 'nbf');

  if (exp.state === 'absent') {
    if (!NO_EXP_BY_DESIGN.has(lower(header.typ) ?? '')) found.add('no-expiry', 'The token has no exp claim.');
  } else if (exp.state === 'invalid') {
    found.add('no-expiry', `The exp claim is ${describeValue(payload.exp)}, not a NumericDate, so verifiers ignore or reject it.`);
  } else {
    // Formatted only for a finding that shows it: most tokens a panel sees are neither expired nor close.
    if (exp.value <= now) {
      let text = `Expired ${formatDuration(now - exp.value)} ago, at ${describeTime(exp.value, now)}.`;
      if (now - exp.value < skew) text += ` Servers allowing ${formatDuration(skew)} of clock skew may still accept it.`;
      found.add('expired', text + exp.note);
    } else if (exp.value - now <= EXPIRES_SOON_SECONDS) {
      found.add('expires-soon', `Expires in ${formatDuration(exp.value - now)}, at ${describeTime(exp.value, now)}.${exp.note}`);
    }

    let lifetime: number | undefined;
    let basis = '';
    if (iat.state === 'valid' && iat.value <= exp.value) {
      lifetime = exp.value - iat.value;
      basis = 'from iat to exp';
    } else if (iat.state !== 'valid' && exp.value > now) {
      lifetime = exp.value - now;
      basis = 'left until exp; there is no iat to measure from';
    }
    const allowed = role === 'refresh' ? REFRESH_LONG_LIFETIME_SECONDS : LONG_LIFETIME_SECONDS;
    if (lifetime !== undefined && lifetime > allowed) {
      const kind = role === 'unknown' ? 'a token of unrecognised kind' : `${articleFor(role)} ${role} token`;
      found.add(
        'long-lifetime',
        `It lives ${formatDuration(lifetime)} (${basis}); for ${kind} more than ${formatDuration(allowed)} is long.`,
      );
    }
  }

  if (nbf.state === 'valid' && nbf.value > now + skew) {
    found.add(
      'not-yet-valid',
      `Valid only from ${describeTime(nbf.value, now)}, ${formatDuration(nbf.value - now)} from now.${nbf.note}`,
    );
  }
  if (iat.state === 'valid' && iat.value > now + skew) {
    found.add(
      'issued-in-future',
      `Issued at ${describeTime(iat.value, now)}, ${formatDuration(iat.value - now)} ahead of this computer's clock.${iat.note}`,
    );
  }
}

type NumericDate = { state: 'absent' } | { state: 'invalid' } | { state: 'valid'; value: number; note: string };

function readNumericDate(payload: JsonObject, name: string): NumericDate {
  if (!Object.prototype.hasOwnProperty.call(payload, name)) return { state: 'absent' };
  const value = payload[name];
  if (typeof value === 'number' && Number.isFinite(value)) return { state: 'valid', value, note: '' };
  // Some issuers write NumericDates as strings; lenient libraries read them, strict ones reject the token.
  if (typeof value === 'string' && /^\s*\d{1,15}(\.\d+)?\s*$/.test(value)) {
    return {
      state: 'valid',
      value: Number(value),
      note: ` Note: ${name} is a string, not the number RFC 7519 requires; strict libraries reject it.`,
    };
  }
  return { state: 'invalid' };
}

// The sentence around it already says how far off the time is; this adds when, locally and in UTC.
function describeTime(seconds: number, now: number): string {
  const t = formatTime(seconds, now);
  return t.valid ? `${t.local} (${t.iso})` : t.iso;
}

// Names of claims that hold secrets or government / payment identifiers. Compared after lower-casing and
// dropping separators, so password, Password, pass_word and user-password all match.
const SECRET_NAME_PARTS = ['password', 'passwd', 'passphrase', 'secret', 'apikey', 'privatekey', 'creditcard', 'cardnumber', 'ccnumber', 'socialsecurity', 'securitycode'];
const SECRET_NAMES_EXACT = new Set(['pwd', 'pass', 'pin', 'ssn', 'cvv', 'cvc', 'cvv2', 'iban']);
// A claim named after a secret but holding facts about it (password_changed_at, has_password) is fine.
const METADATA_SUFFIXES = ['at', 'time', 'date', 'expiry', 'expires', 'expired', 'changed', 'updated', 'set', 'policy', 'required', 'length', 'count', 'enabled', 'exists', 'version', 'id'];

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

function checkSensitiveData(payload: JsonObject, found: Evidence): void {
  let visited = 0;
  const walk = (value: unknown, path: ClaimPath | undefined, key: string | undefined, depth: number): void => {
    if (++visited > MAX_WALK_NODES || depth > MAX_WALK_DEPTH) return;
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) walk(value[index], { parent: path, segment: index }, key, depth + 1);
      return;
    }
    if (isPlainObject(value)) {
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

// ---------------------------------------------------------------------------------------------------------
// Where the token was seen

// Where a sighting can raise nothing but cleartext-http: in a header or a body.
const TRANSIT_ONLY: ReadonlySet<string> = new Set(['authorization-header', 'request-header', 'response-header', 'request-body', 'response-body']);
const SECURE_SCHEME = /^\s*(?:https|wss):/i;

function checkSighting(sighting: Sighting, found: Evidence): void {
  const where = sighting.where;
  // The common case, a header or body sent over TLS, raises nothing: decided without parsing the URL
  // (readUrl trims the same whitespace, and a URL that starts with its scheme keeps it).
  if (TRANSIT_ONLY.has(where) && typeof sighting.url === 'string' && SECURE_SCHEME.test(sighting.url)) return;
  const url = readUrl(sighting.url);
  const name = isString(sighting.name) ? quote(sighting.name) : undefined;
  const at = url ? ` on ${url.display}` : '';
  const cookie = isPlainObject(sighting.cookie) ? (sighting.cookie as Sighting['cookie']) : undefined;
  const cookieLabel = `cookie ${name ?? '(unnamed)'}${at}`;

  if (where === 'document-cookie') {
    // Only cookies without HttpOnly are visible to document.cookie: seeing it there proves the flag is off.
    found.add('cookie-not-httponly', `${cookieLabel}, read from document.cookie`, COOKIE_LEAD);
  } else if ((where === 'set-cookie' || where === 'cookie') && cookie?.httpOnly === false) {
    found.add('cookie-not-httponly', cookieLabel, COOKIE_LEAD);
  }
  const cookieWhere = where === 'set-cookie' || where === 'cookie' || where === 'document-cookie';
  // Browsers treat localhost as a secure context, so a dev server's cookie without Secure is no exposure.
  if (cookieWhere && cookie?.secure === false && !url?.local) {
    found.add('cookie-not-secure', cookieLabel, COOKIE_LEAD);
  }
  if (cookieWhere && cookie?.sameSite === 'none') {
    found.add('cookie-samesite-none', cookieLabel, COOKIE_LEAD);
  }

  if (where === 'local-storage' || where === 'session-storage') {
    const store = where === 'local-storage' ? 'localStorage' : 'sessionStorage';
    found.add('web-storage', `${store}[${name ?? '?'}]${url ? ` of ${url.origin}` : ''}`, 'Kept in');
  }
  if (where === 'url') {
    found.add('token-in-url', `${name ? `parameter ${name} of ` : ''}${url ? url.display : 'a URL'}`, 'Seen in');
  }
  if (url?.cleartext && !url.local) {
    found.add('cleartext-http', `${WHERE_LABEL[where] ?? 'seen'}${name ? ` ${name}` : ''} on ${url.display}`, 'Sent or stored over plain HTTP');
  }
}

const COOKIE_LEAD = 'Token in';

const WHERE_LABEL: Record<string, string> = {
  'authorization-header': 'Authorization header',
  'request-header': 'request header',
  'response-header': 'response header',
  cookie: 'cookie',
  'set-cookie': 'Set-Cookie',
  url: 'URL',
  'request-body': 'request body',
  'response-body': 'response body',
  'local-storage': 'localStorage',
  'session-storage': 'sessionStorage',
  'document-cookie': 'document.cookie',
};

interface UrlInfo {
  origin: string;
  /** Origin and path only: the query or fragment may hold this token or other secrets. */
  display: string;
  cleartext: boolean;
  local: boolean;
}

function readUrl(raw: unknown): UrlInfo | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const text = raw.trim().slice(0, 8192);
  try {
    const url = new URL(text);
    const host = url.hostname.toLowerCase();
    const origin = url.origin !== 'null' ? url.origin : `${url.protocol}//${url.host}`;
    return {
      origin,
      display: shorten(`${origin}${url.pathname}`, MAX_SHOWN_TEXT),
      cleartext: url.protocol === 'http:' || url.protocol === 'ws:',
      local: isLocalHost(host),
    };
  } catch {
    const bare = text.split(/[?#]/, 1)[0] ?? '';
    const cleartext = /^(?:http|ws):\/\//i.test(bare);
    const host = /^[a-z]+:\/\/([^/:]+)/i.exec(bare)?.[1]?.toLowerCase() ?? '';
    return { origin: shorten(bare, MAX_SHOWN_TEXT), display: shorten(bare, MAX_SHOWN_TEXT), cleartext, local: isLocalHost(host) };
  }
}

export function isLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127(?:\.\d{1,3}){3}$/.test(host) ||
    host === '[::1]' ||
    host === '::1'
  );
}

// ---------------------------------------------------------------------------------------------------------
// Plumbing

/** Collects evidence per finding id: one finding per id, naming a few pieces of evidence. */
class Evidence {
  private readonly byId = new Map<FindingId, { lead?: string; items: Set<string> }>();

  add(id: FindingId, item: string, lead?: string): void {
    let entry = this.byId.get(id);
    if (!entry) {
      entry = { items: new Set() };
      if (lead !== undefined) entry.lead = lead;
      this.byId.set(id, entry);
    }
    entry.items.add(item);
  }

  build(): Finding[] {
    const out: Finding[] = [];
    for (const [id, { lead, items }] of this.byId) {
      const shown = [...items].slice(0, MAX_EVIDENCE_SHOWN);
      const more = items.size > shown.length ? ` and ${items.size - shown.length} more` : '';
      const text = lead ? `${lead}: ${shown.join('; ')}${more}.` : `${shown.join(' ')}${more}`;
      out.push(finding(id, text));
    }
    return out;
  }
}

function readContext(context: AnalysisContext | undefined): Context {
  const c: Partial<AnalysisContext> = isPlainObject(context) ? (context as AnalysisContext) : {};
  const now = typeof c.now === 'number' && Number.isFinite(c.now) ? c.now : Date.now() / 1000;
  const skew =
    typeof c.skewSeconds === 'number' && Number.isFinite(c.skewSeconds) && c.skewSeconds >= 0
      ? c.skewSeconds
      : DEFAULT_SKEW_SECONDS;
  const sightings = Array.isArray(c.sightings)
    ? c.sightings.slice(0, MAX_SIGHTINGS).filter((s): s is Sighting => isPlainObject(s))
    : [];
  return { now, skew, sightings };
}

function attempt(check: () => void): void {
  try {
    check();
  } catch {
    // One check failing on odd input must not cost the others.
  }
}

function roleFromWord(value: unknown): TokenRole | undefined {
  const word = lower(value);
  if (word === undefined) return undefined;
  if (['access', 'access_token', 'bearer', 'at+jwt', 'application/at+jwt'].includes(word)) return 'access';
  if (['refresh', 'refresh_token', 'offline'].includes(word)) return 'refresh';
  if (['id', 'id_token'].includes(word)) return 'id';
  return undefined;
}

function articleFor(role: TokenRole): string {
  return role === 'refresh' ? 'a' : 'an';
}

function isPlainObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function lower(value: unknown): string | undefined {
  return typeof value === 'string' ? value.trim().toLowerCase() : undefined;
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function quote(value: unknown): string {
  return JSON.stringify(shorten(String(value), MAX_SHOWN_TEXT));
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function describeValue(value: unknown): string {
  return typeof value === 'string' ? quote(value) : describeType(value);
}

function displayKey(key: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? shorten(key, 64) : `[${quote(shorten(key, 64))}]`;
}

function pathSegment(key: string): string {
  const shown = displayKey(key);
  return shown.startsWith('[') ? shown : `.${shown}`;
}
