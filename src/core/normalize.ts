// What people paste is rarely the bare token: strip the wrapping they copied with it.
const SCHEME_PREFIX = /^(?:authorization\s*:\s*)?(?:bearer|jwt|dpop|token)\s+/i;
const MAX_PASTE = 2 * 1024 * 1024;

export function normalizeTokenInput(text: string): string {
  if (typeof text !== 'string') return '';
  let s = text.length > MAX_PASTE ? text.slice(0, MAX_PASTE) : text;
  s = s.trim().replace(SCHEME_PREFIX, '');
  // Quotes from JSON or code, then every whitespace and line break (tokens never contain any).
  s = s.replace(/^['"`]+|['"`,;]+$/g, '');
  s = s.replace(/\s+/g, '');
  return s;
}
