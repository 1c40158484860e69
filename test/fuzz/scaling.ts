// Hostile scanning input at two sizes, to show that findTokens and decodeToken take linear time: the 10 MB
// case should cost about ten times the 1 MB case, where a quadratic scan would cost a hundred times.
//
// Timing: each sample repeats the call until at least MIN_SAMPLE_MS have passed (so that sub-millisecond
// calls are measured, not the timer) and takes the time per call; the report is the median of the samples.
// Strings are built as flat one-byte strings (Buffer latin1), as a page's text arrives, so no sample pays
// for flattening a rope.
import { Buffer } from 'node:buffer';
import { decodeToken, MAX_TOKEN_BYTES } from '../../src/core/decode';
import { findTokens, MAX_HEADER_SEGMENT_CHARS } from '../../src/core/find';

export const MB = 1024 * 1024;
const MIN_SAMPLE_MS = 25;

const b64u = (v: string) => Buffer.from(v).toString('base64url');
const HS256 = b64u('{"alg":"HS256","typ":"JWT"}');

/** A flat string of exactly `n` characters made by repeating `unit`. */
export function fill(unit: string, n: number): string {
  return Buffer.from(unit.repeat(Math.ceil(n / unit.length)).slice(0, n), 'latin1').toString('latin1');
}

/** A flat string of at least `n` characters made of `piece(i)` for i = 0, 1, … */
export function fillWith(piece: (i: number) => string, n: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < n; i++) {
    const p = piece(i);
    parts.push(p);
    length += p.length;
  }
  return Buffer.from(parts.join(''), 'latin1').toString('latin1');
}

/** Base64url characters from a fixed pseudo-random sequence: no dots, no structure. */
function base64Noise(n: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const out = Buffer.alloc(n);
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = alphabet.charCodeAt((x >>> 0) & 63);
  }
  return out.toString('latin1');
}

function realisticToken(i: number): string {
  return `${HS256}.${b64u(JSON.stringify({ sub: `user-${i}`, iat: 1700000000 + i, exp: 1700000900 + i }))}.${b64u(`signature-${i}`).padEnd(43, 'A')}`;
}

export interface ScalingCase {
  name: string;
  fn: 'findTokens' | 'decodeToken';
  /** The input of about `n` characters. */
  make(n: number): string;
  /** What the call must return for the input (so a fast wrong answer cannot pass). */
  expect(result: unknown, input: string): string | undefined;
}

const noTokens = (r: unknown) => ((r as unknown[]).length === 0 ? undefined : `found ${(r as unknown[]).length} tokens, expected none`);
const decodeFails = (code: string) => (r: unknown) => {
  const d = r as ReturnType<typeof decodeToken>;
  return !d.ok && d.error.code === code ? undefined : `decoded to ${d.ok ? 'a token' : d.error.code}, expected ${code}`;
};

export const FIND_CASES: ScalingCase[] = [
  { name: 'a run of "eyJ"', fn: 'findTokens', make: (n) => fill('eyJ', n), expect: noTokens },
  { name: 'a run of dots', fn: 'findTokens', make: (n) => fill('.', n), expect: noTokens },
  { name: 'base64url without dots', fn: 'findTokens', make: base64Noise, expect: noTokens },
  { name: '"eyJ." repeated', fn: 'findTokens', make: (n) => fill('eyJ.', n), expect: noTokens },
  { name: '"a." repeated (a dot before every letter)', fn: 'findTokens', make: (n) => fill('a.', n), expect: noTokens },
  { name: 'a valid header + "..!" repeated (near misses)', fn: 'findTokens', make: (n) => fill(`${HS256}..!`, n), expect: noTokens },
  {
    name: 'distinct near-headers, each decoded',
    fn: 'findTokens',
    make: (n) => fillWith((i) => `${b64u(`{"${i}":1`)}.eA `, n),
    expect: noTokens,
  },
  {
    name: `"eyJ" + ${MAX_HEADER_SEGMENT_CHARS / 1024} KiB look-back runs + "."`,
    fn: 'findTokens',
    make: (n) => fill(`eyJ${'A'.repeat(MAX_HEADER_SEGMENT_CHARS - 4)}.!`, n),
    expect: noTokens,
  },
  {
    name: 'one header, then a payload that never ends',
    fn: 'findTokens',
    // 4k+1 characters of payload: never a valid segment, read to its end once.
    make: (n) =>
      Buffer.from(`${HS256}.${'A'.repeat(n - HS256.length - 1 - ((n - HS256.length - 1) % 4) + 1)}`, 'latin1').toString('latin1'),
    expect: noTokens,
  },
  {
    name: 'a token every 2 KiB of JSON noise',
    fn: 'findTokens',
    make: (n) =>
      fillWith((i) => `{"i":${i},"note":"${'lorem ipsum. dolor sit amet, '.repeat(60)}","access_token":"${realisticToken(i)}"},`, n),
    expect: (r, input) => {
      const count = (r as unknown[]).length;
      const expected = input.split('"access_token":"').length - 1;
      return count === expected ? undefined : `found ${count} tokens, expected ${expected}`;
    },
  },
];

// decodeToken looks at MAX_TOKEN_BYTES (1 MiB) at most: its scaling is measured from 100 KiB to 1 MiB, and
// the 10 MB input is refused at once (measured too, as a third size).
export const DECODE_CASES: ScalingCase[] = [
  { name: 'a run of "eyJ"', fn: 'decodeToken', make: (n) => fill('eyJ', n), expect: decodeFails('wrong-part-count') },
  { name: 'a run of dots', fn: 'decodeToken', make: (n) => fill('.', n), expect: decodeFails('wrong-part-count') },
  { name: 'base64url without dots', fn: 'decodeToken', make: base64Noise, expect: decodeFails('wrong-part-count') },
  {
    name: 'a token with a huge header',
    fn: 'decodeToken',
    make: (n) => `${b64u(`{"alg":"HS256","x5c":["${'A'.repeat(Math.floor(((n - 8) * 3) / 4) - 30)}"]}`)}.e30.`,
    expect: (r, input) =>
      input.length > MAX_TOKEN_BYTES ? decodeFails('too-large')(r) : (r as { ok: boolean }).ok ? undefined : 'did not decode',
  },
  {
    name: 'a token with a huge payload',
    fn: 'decodeToken',
    make: (n) => `${HS256}.${b64u(`{"sub":"${'x'.repeat(Math.floor(((n - 60) * 3) / 4) - 12)}"}`)}.${b64u('signature')}`,
    expect: (r, input) =>
      input.length > MAX_TOKEN_BYTES ? decodeFails('too-large')(r) : (r as { ok: boolean }).ok ? undefined : 'did not decode',
  },
];

function sampleMs(call: () => unknown): number {
  let calls = 0;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    call();
    calls++;
    elapsed = performance.now() - t0;
  } while (elapsed < MIN_SAMPLE_MS);
  return elapsed / calls;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface ScalingResult {
  name: string;
  fn: string;
  small: number;
  large: number;
  /** Median ms per call at each size. */
  smallMs: number;
  largeMs: number;
  ratio: number;
  problem?: string;
}

/** Measures one case at `small` and `large` characters, `samples` samples each (median). */
export function measure(c: ScalingCase, small: number, large: number, samples: number): ScalingResult {
  const run = c.fn === 'findTokens' ? (t: string) => findTokens(t) : (t: string) => decodeToken(t);
  const result: ScalingResult = { name: c.name, fn: c.fn, small, large, smallMs: 0, largeMs: 0, ratio: 0 };
  const times: Record<'small' | 'large', number[]> = { small: [], large: [] };
  const inputs = { small: c.make(small), large: c.make(large) };
  for (const size of ['small', 'large'] as const) {
    const input = inputs[size];
    const problem = c.expect(run(input), input); // also the warm-up
    if (problem) result.problem ??= `${c.fn} on ${c.name} (${input.length} chars): ${problem}`;
  }
  // Samples alternate between the sizes, so that a burst of load on a shared machine hits both alike.
  for (let i = 0; i < samples; i++) {
    for (const size of ['small', 'large'] as const) times[size].push(sampleMs(() => run(inputs[size])));
  }
  result.smallMs = median(times.small);
  result.largeMs = median(times.large);
  result.ratio = result.largeMs / result.smallMs;
  return result;
}

export function formatScaling(results: readonly ScalingResult[]): string {
  const size = (n: number) => (n >= MB ? `${(n / MB).toFixed(0)} MB` : `${(n / 1024).toFixed(0)} KB`);
  const lines = [
    `${'function'.padEnd(12)}${'input'.padEnd(48)}${'small'.padStart(8)}${'ms'.padStart(10)}${'large'.padStart(8)}${'ms'.padStart(10)}${'ratio'.padStart(8)}`,
  ];
  for (const r of results) {
    lines.push(
      `${r.fn.padEnd(12)}${r.name.slice(0, 47).padEnd(48)}${size(r.small).padStart(8)}${r.smallMs.toFixed(3).padStart(10)}${size(r.large).padStart(8)}${r.largeMs.toFixed(3).padStart(10)}${r.ratio.toFixed(1).padStart(8)}`,
    );
  }
  return lines.join('\n');
}
