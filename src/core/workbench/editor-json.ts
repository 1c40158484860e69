// Reading the editor's JSON, with the line and column of a mistake. Pages only: the worker builds tokens
// from parsed values (segments.ts).
import { isJsonObject } from '../is-json-object';
import type { JsonObject } from '../types';
import { jsonErrorOffset } from './json-error-offset';

/** The editor's text is the user's, but a pasted megabyte of JSON is refused rather than encoded. */
export const MAX_EDITOR_CHARS = 256 * 1024;

export type JsonEdit<T> = { ok: true; value: T } | { ok: false; message: string; line?: number; column?: number };

/** Line and column (1-based) of a character offset. */
function lineOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/** Where JSON.parse stopped: engines word it differently (and V8 not always with a position). */
function errorPlace(text: string): { line: number; column: number } {
  return lineOf(text, jsonErrorOffset(text));
}

export function parseJsonText(text: string): JsonEdit<unknown> {
  if (text.length > MAX_EDITOR_CHARS) return { ok: false, message: `longer than ${MAX_EDITOR_CHARS} characters` };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const place = errorPlace(text);
    return { ok: false, message: `line ${place.line}, column ${place.column}: ${message}`, ...place };
  }
}

/** The header must be a JSON object with a string `alg`. */
export function parseHeaderText(text: string): JsonEdit<JsonObject> {
  const parsed = parseJsonText(text);
  if (!parsed.ok) return parsed;
  if (!isJsonObject(parsed.value)) return { ok: false, message: 'the header must be a JSON object' };
  if (typeof parsed.value.alg !== 'string') return { ok: false, message: 'the header needs an "alg" (a string)' };
  return { ok: true, value: parsed.value };
}
