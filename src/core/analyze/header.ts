// What the header says: alg none or an empty signature, keys it points to or embeds, a kid built to inject.
import { isJsonObject } from '../is-json-object';
import type { DecodedTokenSuccess, JsonObject } from '../types';
import type { Evidence } from './evidence';
import { describeType, describeValue, quote, shorten } from './text';

/** A kid longer than this is reported: key ids are labels, and long ones carry payloads. */
export const MAX_KID_LENGTH = 256;

export function checkAlgorithm(token: DecodedTokenSuccess, header: JsonObject, found: Evidence): void {
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

export function checkKeyHeaders(header: JsonObject, found: Evidence): void {
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
    if (isJsonObject(jwk)) {
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

export function checkKid(header: JsonObject, found: Evidence): void {
  if (!('kid' in header)) return;
  const kid = header.kid;
  if (kid !== null && typeof kid === 'object') {
    // An object or array where a string belongs is how NoSQL operator injection ({"$ne": null}) arrives.
    found.add(
      'kid-injection',
      `The kid is ${describeType(kid)}, not a string: servers that pass it to a database query may run it as an operator.`,
    );
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
