// Key material typed as base64, base64url or hex, decoded strictly: a wrong character, padding or length is
// named, never skipped. The canonical-form rules themselves are base64url.ts's.
import { base64Decode, base64Problem, base64urlProblem, describeChar } from '../base64';
import { base64urlDecode } from '../base64url';
import { KeyImportError } from '../errors';

/** Strict base64 (standard alphabet); '=' padding optional but, when present, exact. */
export function decodeBase64Strict(s: string, what: string, allowWhitespace = false): Uint8Array {
  const body = withoutPadding(allowWhitespace ? s.replace(/\s+/g, '') : s, what, 'base64');
  const problem = base64Problem(body);
  if (problem) {
    const hint = problem.char === '-' || problem.char === '_' ? ' (that is base64url: choose the base64url encoding)' : '';
    throw new KeyImportError('key-encoding-invalid', `${what} is not valid base64: ${problem.problem}${hint}`);
  }
  return base64Decode(body);
}

/** Strict base64url; tolerates exact '=' padding when asked, because secrets are often copied padded. */
export function decodeBase64urlStrict(s: string, what: string, allowPadding: boolean): Uint8Array {
  const body = allowPadding ? withoutPadding(s, what, 'base64url') : s;
  const problem = base64urlProblem(body);
  if (problem) {
    const hint = /[+/]/.test(body) ? ' (choose the base64 encoding)' : '';
    throw new KeyImportError('key-encoding-invalid', `${what} is not valid base64url: ${problem}${hint}`);
  }
  return base64urlDecode(body);
}

function withoutPadding(s: string, what: string, encoding: string): string {
  const pad = /=+$/.exec(s);
  if (!pad) return s;
  const body = s.slice(0, pad.index);
  if (pad[0].length > 2 || (body.length + pad[0].length) % 4 !== 0) {
    throw new KeyImportError('key-encoding-invalid', `${what} is not valid ${encoding}: wrong "=" padding`);
  }
  return body;
}

export function decodeHexStrict(s: string, what: string): Uint8Array {
  const body = s.startsWith('0x') || s.startsWith('0X') ? s.slice(2) : s;
  for (let i = 0; i < body.length; i++) {
    if (!/[0-9a-fA-F]/.test(body[i]!)) {
      throw new KeyImportError('key-encoding-invalid', `${what} is not valid hex: ${describeChar(body[i]!)} at position ${i}`);
    }
  }
  if (body.length % 2 !== 0) {
    throw new KeyImportError('key-encoding-invalid', `${what} is not valid hex: odd number of digits (${body.length})`);
  }
  const out = new Uint8Array(body.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(body.slice(2 * i, 2 * i + 2), 16);
  return out;
}
