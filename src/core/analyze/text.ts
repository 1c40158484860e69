// Wording helpers for findings: untrusted values are shortened and quoted, never shown raw.

/** Longest piece of untrusted text a finding repeats. */
export const MAX_SHOWN_TEXT = 120;

export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

export function lower(value: unknown): string | undefined {
  return typeof value === 'string' ? value.trim().toLowerCase() : undefined;
}

export function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function quote(value: unknown): string {
  return JSON.stringify(shorten(String(value), MAX_SHOWN_TEXT));
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export function describeValue(value: unknown): string {
  return typeof value === 'string' ? quote(value) : describeType(value);
}
