import { findTokens } from './find';
// What people paste is rarely the bare token: strip the wrapping they copied with it.
const SCHEME_PREFIX = /^(?:authorization\s*:\s*)?(?:bearer|jwt|dpop|token)\s+/i;
const MAX_PASTE = 2 * 1024 * 1024;
const LEADING = new Set(['"', "'", '`']);
const TRAILING = new Set(['"', "'", '`', ',', ';']);

// Index loops rather than /[…]+$/, which backtracks quadratically on a long run of quotes mid-string.
function unquote(text: string): string {
  const t = text.trim();
  let start = 0;
  let end = t.length;
  while (start < end && LEADING.has(t[start]!)) start++;
  while (end > start && TRAILING.has(t[end - 1]!)) end--;
  return t.slice(start, end).trim();
}

export function normalizeTokenInput(text: string): string {
  if (typeof text !== 'string') return '';
  const s = text.length > MAX_PASTE ? text.slice(0, MAX_PASTE) : text;
  // Quotes from JSON or code may wrap the scheme too ("Bearer eyJ…"): strip them on both sides of it,
  // then every whitespace and line break (tokens never contain any).
  return unquote(unquote(s).replace(SCHEME_PREFIX, '')).replace(/\s+/g, '');
}

/** The first well-formed token in some text (a selection, a link); else the text, for the decoder to explain. */
export function extractToken(text: string): string {
  if (typeof text !== 'string') return '';
  return findTokens(text)[0]?.token ?? normalizeTokenInput(text);
}
