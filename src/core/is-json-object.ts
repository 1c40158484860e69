import type { JsonObject } from './types';

/** A plain JSON object: not null, not an array. Every reader of untrusted JSON in the core asks this. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
