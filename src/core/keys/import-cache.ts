// Each distinct input is imported once, whatever position or label it arrives with.
//
// Keyed by the input text first: the same stored string object hashes once, so a hit costs a lookup, not
// a re-hash of a long JWK Set. Not keyed by position or label: the worker filters stored keys per token, so
// one key arrives at varying positions, and must still be imported only once. Bounded, least recently used
// out first.
import { isJsonObject } from '../is-json-object';
import type { KeyInput } from '../types';
import { importInputUncached } from './import-input';
import { shareImports } from './per-algorithm';
import type { KeyInputResult } from './types';

const MAX_CACHED_INPUTS = 64;

type TextInput = KeyInput & { value: string };

const inputCache = new Map<string, Map<string, Promise<KeyInputResult>>>();
let cachedEntries = 0;

/** The results of cached imports that have finished, so a ready key ring can be had without waiting. */
const settledImports = new WeakMap<Promise<KeyInputResult>, KeyInputResult>();

function cacheMeta(input: TextInput): string {
  return input.kind === 'secret' ? `secret\u0000${input.encoding ?? 'utf8'}` : String(input.kind);
}

function cachedImportHit(value: string, meta: string): Promise<KeyInputResult> | undefined {
  const byMeta = inputCache.get(value);
  const hit = byMeta?.get(meta);
  if (hit && inputCache.size > 1) {
    inputCache.delete(value);
    inputCache.set(value, byMeta!);
  }
  return hit;
}

function cachedImport(input: TextInput): Promise<KeyInputResult> {
  const value = input.value;
  const meta = cacheMeta(input);
  const hit = cachedImportHit(value, meta);
  if (hit) return hit;
  let byMeta = inputCache.get(value);
  const p = importInputUncached(input);
  p.then(
    (r) => settledImports.set(p, r),
    () => {},
  );
  if (!byMeta) {
    byMeta = new Map();
    inputCache.set(value, byMeta);
  }
  byMeta.set(meta, p);
  cachedEntries++;
  while (cachedEntries > MAX_CACHED_INPUTS && inputCache.size > 0) {
    const [oldest, entries] = inputCache.entries().next().value as [string, Map<string, Promise<KeyInputResult>>];
    inputCache.delete(oldest);
    cachedEntries -= entries.size;
  }
  return p;
}

// Views of a cached result at another position or with a label, memoised so repeated calls allocate nothing.
const views = new WeakMap<KeyInputResult, Map<string, KeyInputResult>>();

function viewAt(r: KeyInputResult, index: number, label: string | undefined): KeyInputResult {
  if (index === 0 && label === undefined) return r;
  const id = `${index}\u0000${label ?? ''}`;
  let byId = views.get(r);
  const seen = byId?.get(id);
  if (seen) return seen;
  const withLabel = <T extends { label?: string; index: number }>(x: T): T => {
    const y = { ...x, index };
    if (label !== undefined) y.label = label;
    return y;
  };
  const keys = r.keys.map((k) => {
    const v = withLabel(k);
    shareImports(k, v);
    return v;
  });
  const view: KeyInputResult = { keys, problems: r.problems.map(withLabel) };
  if (!byId) views.set(r, (byId = new Map()));
  if (byId.size >= 16) byId.clear();
  byId.set(id, view);
  return view;
}

function labelOf(input: KeyInput): string | undefined {
  return isJsonObject(input) && typeof input.label === 'string' ? input.label : undefined;
}

/** Every usable key of one input plus why the others are not used; cached, never rejects. */
export async function importKeyInputDetailed(input: KeyInput, index: number): Promise<KeyInputResult> {
  const label = labelOf(input);
  const r = isJsonObject(input) && typeof input.value === 'string' ? await cachedImport(input) : await importInputUncached(input);
  return viewAt(r, index, label);
}

/** The finished import of `input` at `index`, or undefined when it is not cached or still running. */
export function settledImport(input: KeyInput, index: number): KeyInputResult | undefined {
  if (!isJsonObject(input) || typeof input.value !== 'string') return undefined;
  const hit = cachedImportHit(input.value, cacheMeta(input));
  const r = hit && settledImports.get(hit);
  return r ? viewAt(r, index, labelOf(input)) : undefined;
}

/** Forget every imported key (the user removed keys, or tests want a cold start). */
export function clearKeyCache(): void {
  inputCache.clear();
  cachedEntries = 0;
}

/** How many inputs the import cache holds (it keeps secret bytes: the worker clears it when keys are forgotten). */
export function importCacheSize(): number {
  return cachedEntries;
}
