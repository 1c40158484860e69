// A prepared, reusable set of keys: import once, verify many tokens.
import { KeyImportError } from '../errors';
import type { KeyInput } from '../types';
import { importKeyInputDetailed, settledImport } from './import-cache';
import { formatProblem } from './outcome';
import type { ImportedKey, KeyInputResult, KeyProblem } from './types';

export class KeyRing {
  constructor(
    readonly keys: readonly ImportedKey[],
    readonly problems: readonly KeyProblem[],
    readonly inputCount: number,
  ) {}

  static from(inputs: KeyInput | readonly KeyInput[]): Promise<KeyRing> {
    return prepareKeys(inputs);
  }
}

/** The usable keys of one input. Throws KeyImportError when the input yields no usable key at all. */
export async function importKeyInput(input: KeyInput, index: number): Promise<ImportedKey[]> {
  const { keys, problems } = await importKeyInputDetailed(input, index);
  if (keys.length === 0) {
    // One reason (or several alike) keeps its code; a mix of reasons is summed up as unusable.
    const codes = new Set(problems.map((p) => p.code));
    const code = codes.size === 1 ? problems[0]!.code : 'key-unusable';
    throw new KeyImportError(code, problems.map(formatProblem).join('; ') || 'no usable key');
  }
  return [...keys]; // the cached array stays untouched whatever the caller does
}

const singleRings = new WeakMap<KeyInputResult, KeyRing>();

function singleRing(r: KeyInputResult): KeyRing {
  let ring = singleRings.get(r);
  if (!ring) singleRings.set(r, (ring = new KeyRing(r.keys, r.problems, 1)));
  return ring;
}

function ringOf(results: readonly KeyInputResult[]): KeyRing {
  if (results.length === 1) return singleRing(results[0]!);
  const keys: ImportedKey[] = [];
  const problems: KeyProblem[] = [];
  for (const r of results) {
    keys.push(...r.keys);
    problems.push(...r.problems);
  }
  return new KeyRing(keys, problems, results.length);
}

function inputList(inputs: KeyInput | readonly KeyInput[]): readonly KeyInput[] {
  return Array.isArray(inputs) ? inputs : inputs == null ? [] : [inputs as KeyInput];
}

/**
 * The KeyRing of inputs whose imports have all finished, else undefined (then await prepareKeys). Verifying a
 * stream of tokens against the same keys then waits on nothing but the signature checks themselves.
 */
export function prepareKeysNow(inputs: KeyInput | readonly KeyInput[]): KeyRing | undefined {
  const list = inputList(inputs);
  const results: KeyInputResult[] = [];
  for (let i = 0; i < list.length; i++) {
    const r = settledImport(list[i]!, i);
    if (!r) return undefined;
    results.push(r);
  }
  return ringOf(results);
}

/** Imports every input (cached per input) into a KeyRing; never rejects. */
export async function prepareKeys(inputs: KeyInput | readonly KeyInput[]): Promise<KeyRing> {
  const list = inputList(inputs);
  // One input (a stored key or JWK Set) is the common case: one ring object per cached import.
  if (list.length === 1) return singleRing(await importKeyInputDetailed(list[0]!, 0));
  return ringOf(await Promise.all(list.map((input, i) => importKeyInputDetailed(input, i))));
}
