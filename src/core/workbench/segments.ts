// Building compact tokens from a header and a payload. Pure: the workbench view, the worker and the tests
// share it (the editor's JSON reading is editor-json.ts).
import { base64urlDecode, base64urlEncode, utf8Encode } from '../base64url';
import type { JsonObject } from '../types';

export function encodeJsonSegment(value: unknown): string {
  return base64urlEncode(utf8Encode(JSON.stringify(value)));
}

/** `header.payload` as the bytes a signature covers (RFC 7515 §5.1). */
export function signingInput(header: JsonObject, payload: unknown): string {
  return `${encodeJsonSegment(header)}.${encodeJsonSegment(payload)}`;
}

export function compactToken(header: JsonObject, payload: unknown, signature: Uint8Array | string): string {
  const sig = typeof signature === 'string' ? signature : base64urlEncode(signature);
  return `${signingInput(header, payload)}.${sig}`;
}

/** The three parts of a compact JWS, or undefined. */
export function splitCompact(token: string): { header: string; payload: string; signature: string } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  return { header: parts[0]!, payload: parts[1]!, signature: parts[2]! };
}

/** The signature's bytes, or undefined when it is not base64url. */
export function signatureBytes(token: string): Uint8Array | undefined {
  const parts = splitCompact(token);
  if (!parts) return undefined;
  try {
    return base64urlDecode(parts.signature);
  } catch {
    return undefined;
  }
}
