import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { findTokens, MAX_FOUND_TOKENS, MAX_HEADER_SEGMENT_CHARS } from '../../src/core/find';
import { decodeToken } from '../../src/core/decode';
import type { FoundToken } from '../../src/core/types';

const fixture = (rel: string) => new URL(`../fixtures/${rel}`, import.meta.url);
const b64u = (v: string | object | Uint8Array) =>
  (v instanceof Uint8Array ? Buffer.from(v) : Buffer.from(typeof v === 'string' ? v : JSON.stringify(v), 'utf8')).toString('base64url');

const T1 = `${b64u({ alg: 'HS256', typ: 'JWT' })}.${b64u({ sub: '1234567890', name: 'John Doe', iat: 1516239022 })}.${b64u('0123456789abcdef0123456789abcdef')}`;
const T2 = `${b64u({ alg: 'RS256', kid: 'k1' })}.${b64u({ sub: 'alice', exp: 1900000000 })}.${b64u(new Uint8Array(256).fill(7))}`;
const NONE = `${b64u({ alg: 'none' })}.${b64u({ sub: 'mallory' })}.`;
const JWE = `${b64u({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.${b64u(new Uint8Array(256).fill(1))}.${b64u('123456789012')}.${b64u('ciphertext!')}.${b64u('0123456789abcdef')}`;

/** Where each token occurs, computed with indexOf (independently of the scanner). */
function expectFound(text: string, tokens: string[]) {
  const expected: FoundToken[] = [];
  let from = 0;
  for (const token of tokens) {
    const start = text.indexOf(token, from);
    expect(start, `planted token not in text: ${token.slice(0, 20)}…`).toBeGreaterThanOrEqual(0);
    expected.push({ token, start, end: start + token.length });
    from = start + token.length;
  }
  const found = findTokens(text);
  expect(found).toEqual(expected);
  for (const f of found) expect(text.slice(f.start, f.end)).toBe(f.token);
}

describe('findTokens: where tokens travel', () => {
  it.each([
    ['Authorization header', `Authorization: Bearer ${T1}\r\nAccept: */*`, [T1]],
    ['Cookie header', `Cookie: session=${T1}; theme=dark; refresh=${T2}`, [T1, T2]],
    ['Set-Cookie', `Set-Cookie: id_token=${T1}; Path=/; HttpOnly; Secure; SameSite=Lax`, [T1]],
    ['URL query', `https://app.example.com/cb?code=abc&id_token=${T1}&state=xyz`, [T1]],
    ['URL fragment', `https://app.example.com/cb#access_token=${T1}&token_type=Bearer&id_token=${T2}`, [T1, T2]],
    ['URL query then fragment', `https://x.test/?t=${T1}#${T2}`, [T1, T2]],
    ['JSON', JSON.stringify({ access_token: T1, refresh_token: T2, token_type: 'Bearer' }), [T1, T2]],
    ['JSON inside a JSON string', JSON.stringify({ body: JSON.stringify({ id_token: T1 }) }), [T1]],
    ['JSON string escapes around it', JSON.stringify(`first line\n${T1}\tnext\r${T2}\fend`), [T1, T2]],
    ['\\u escape before it', `"\\u0022${T1}\\u0022"`, [T1]],
    ['form body', `grant_type=refresh_token&refresh_token=${T1}&client_id=abc`, [T1]],
    ['percent-encoded URL in a URL', `https://a.test/login?next=https%3A%2F%2Fb.test%2F%3Ftoken%3D${T1}%26x%3D1`, [T1]],
    ['percent-encoded space', `Authorization=Bearer%20${T1}`, [T1]],
    ['HTML attribute', `<input type="hidden" name="jwt" value="${T1}"><a href='/x?t=${T2}'>`, [T1, T2]],
    ['end of a sentence', `The token was ${T1}. Then ${NONE}. Done.`, [T1, NONE]],
    ['unsecured token with an empty signature', `x=${NONE}&y=1`, [NONE]],
    ['at the very start and end', `${T1} ${T2}`, [T1, T2]],
    ['two tokens joined by a dot', `${T1}.${T2}`, [T1, T2]],
    ['storage dump', `localStorage: {"auth":"{\\"token\\":\\"${T1}\\"}","n":"1.2.3"}`, [T1]],
    ['multi-line log', `2024-01-01 INFO got ${T1}\n2024-01-01 WARN refresh ${T2}\n`, [T1, T2]],
    ['markdown', `[token](${T1}) and \`${T2}\``, [T1, T2]],
  ])('%s', (_where, text, tokens) => {
    expectFound(text, tokens);
  });

  it('returns [] for text without tokens and for non-strings', () => {
    expect(findTokens('')).toEqual([]);
    expect(findTokens('hello world')).toEqual([]);
    for (const v of [undefined, null, 42, {}, ['x'], new String(T1)]) expect(findTokens(v as string)).toEqual([]);
  });
});

describe('findTokens: header shapes', () => {
  it.each([
    ['{ "', '{ "alg" : "HS256" }', 'eyA'],
    ['{ + line break', '{\n  "alg": "HS256"\n}', 'ewo'],
    ['{ + CRLF', '{\r\n "alg": "HS256"}', 'ew0'],
    ['{ + tab', '{\t"alg": "HS256"}', 'ewk'],
    ['a first member name starting with a digit', '{"0":1,"alg":"HS256"}', 'eyI'],
    ['a first member name starting with a non-ASCII letter', '{"é":1,"alg":"HS256"}', 'eyL'],
  ])('finds headers whose JSON starts with %s', (_what, json, prefix) => {
    const token = `${b64u(json)}.${b64u({ sub: 'x' })}.${b64u('sig')}`;
    expect(token.startsWith(prefix)).toBe(true);
    expectFound(` ${token} `, [token]);
  });
});

describe('findTokens: JWE', () => {
  it('finds a JWE whole, never as a 3-part prefix', () => {
    expectFound(`token=${JWE}&x=1`, [JWE]);
    expectFound(`${JWE}.trailing.dots`, [JWE]);
    expectFound(`${JWE} ${T1}`, [JWE, T1]);
  });

  it('finds the RFC 7519 and RFC 7520 compact JWEs embedded in text', () => {
    const { entries } = JSON.parse(readFileSync(fixture('rfc-examples/rfc-jose-examples.json'), 'utf8')) as { entries: any[] };
    const rfcJwe = entries.filter((e) => e.kind === 'JWE').map((e) => e.token as string);
    const cookbook = readdirSync(fixture('rfc7520/jwe'))
      .map((f) => JSON.parse(readFileSync(fixture(`rfc7520/jwe/${f}`), 'utf8')))
      .filter((d) => d.output?.compact)
      .map((d) => d.output.compact as string);
    const all = [...rfcJwe, ...cookbook];
    expect(all).toHaveLength(7);
    expectFound(all.map((t, i) => `"jwe${i}":"${t}"`).join(','), all);
  });

  it('takes three parts when a header without "enc" is followed by more dots', () => {
    const H = b64u({ alg: 'HS256' });
    expectFound(`${H}.AAAA.BBBB.CCCC.DDDD`, [`${H}.AAAA.BBBB`]);
  });

  it('takes three parts when a JWE header has only three', () => {
    const H = b64u({ alg: 'dir', enc: 'A128GCM' });
    expectFound(`${H}.AAAA.BBBB`, [`${H}.AAAA.BBBB`]);
  });
});

describe('findTokens: every fixture token is found in text', () => {
  it('RFC examples, cookbook JWS, latchset and Wycheproof compact tokens', () => {
    const { entries } = JSON.parse(readFileSync(fixture('rfc-examples/rfc-jose-examples.json'), 'utf8')) as { entries: any[] };
    const tokens: string[] = entries.filter((e) => e.serialization === 'compact').map((e) => e.token);
    for (const f of readdirSync(fixture('rfc7520/jws'))) {
      const d = JSON.parse(readFileSync(fixture(`rfc7520/jws/${f}`), 'utf8'));
      if (d.output?.compact) tokens.push(d.output.compact);
    }
    for (const f of readdirSync(fixture('latchset-jose')).filter((x) => x.endsWith('.jwsc'))) {
      tokens.push(readFileSync(fixture(`latchset-jose/${f}`), 'utf8'));
    }
    expect(tokens).toHaveLength(20);
    expectFound(tokens.map((t) => `Bearer ${t}`).join('\n'), tokens);
  });

  it('Wycheproof: every token that decodes is found, and what is found decodes', () => {
    const data = JSON.parse(readFileSync(fixture('wycheproof/json_web_signature_test.json'), 'utf8'));
    let decodable = 0;
    for (const t of data.testGroups.flatMap((g: any) => g.tests) as { jws: string }[]) {
      const found = findTokens(` ${t.jws} `);
      const r = decodeToken(t.jws);
      if (r.ok && !t.jws.includes('..')) {
        decodable++;
        expect(found.map((f) => f.token)).toEqual([t.jws]);
      }
      for (const f of found) {
        const d = decodeToken(f.token);
        expect(d.ok || d.error.code === 'invalid-utf8').toBe(true);
      }
    }
    expect(decodable).toBeGreaterThan(300);
  });
});

describe('findTokens: look-alikes are not reported', () => {
  const H = b64u({ alg: 'HS256' });
  it.each([
    ['version strings', 'version 1.2.3, v10.20.30-beta.1, 2024.01.01'],
    ['domains and paths', 'api.example.com/a.b.c/index.html'],
    ['base64 with dots', `${b64u('hello')}.${b64u('world')}.${b64u('again')}`],
    ['header without alg', `${b64u({ typ: 'JWT' })}.${b64u({ sub: 'x' })}.${b64u('sig')}`],
    ['alg that is not a string', `${b64u({ alg: 256 })}.${b64u({ sub: 'x' })}.${b64u('sig')}`],
    ['header that is not JSON', `eyJfoo.bar.baz and eyJhbGciOiJIUzI1NiJ.eyJ.eyJ`],
    ['JSON array header', `${b64u(['alg'])}.${b64u({})}.${b64u('s')}`],
    ['random eyJ text', 'eyJ is how base64 of {" starts; eyJeyJeyJ; key.eyJ.money.they'],
    ['a header alone', `${H} and ${H}.`],
    ['two parts', `${H}.${b64u({ sub: 'x' })} `],
    ['header with nothing after', `${H}..`],
    ['a payload whose length is 4k+1', `${H}.abcde.${b64u('sig')}`],
    ['a non-canonical signature', `${H}.${b64u({ a: 1 })}.ab`],
    ['a header glued to a word', `Bearer_${T1} xyz${T1}`],
    ['standard base64 (+ and /) inside', `${H}.ab+/cd.${b64u('sig')}`.replace(H, `${H.slice(0, 4)}+${H.slice(4)}`)],
  ])('%s', (_what, text) => {
    expect(findTokens(text)).toEqual([]);
  });

  it('does not decode header segments longer than MAX_HEADER_SEGMENT_CHARS', () => {
    const small = `${b64u({ alg: 'HS256', pad: 'x'.repeat(1000) })}.${b64u({})}.${b64u('s')}`;
    const huge = `${b64u({ alg: 'HS256', pad: 'x'.repeat(MAX_HEADER_SEGMENT_CHARS) })}.${b64u({})}.${b64u('s')}`;
    expect(findTokens(small)).toHaveLength(1);
    expect(findTokens(huge)).toEqual([]);
  });
});

describe('findTokens: bounds', () => {
  it(`returns at most MAX_FOUND_TOKENS (${MAX_FOUND_TOKENS}) tokens, the first ones`, () => {
    expect(MAX_FOUND_TOKENS).toBe(10_000);
    const text = `${T1} `.repeat(MAX_FOUND_TOKENS + 5);
    const found = findTokens(text);
    expect(found).toHaveLength(MAX_FOUND_TOKENS);
    expect(found[0]).toEqual({ token: T1, start: 0, end: T1.length });
    expect(found[MAX_FOUND_TOKENS - 1]!.start).toBe((MAX_FOUND_TOKENS - 1) * (T1.length + 1));
  });

  // Each input is built to defeat a naive scanner (quadratic rescans or unbounded decodes). The assertion is
  // the answer at 10 MB; whether it comes in linear time is timing, which `npm run bench` judges (its
  // "linear time" row, over the same kinds of input in test/fuzz/scaling.ts), never a test.
  const MB10 = 10 * 1024 * 1024;
  const fill = (unit: string) => unit.repeat(Math.ceil(MB10 / unit.length));
  const fillDistinct = (unit: (i: number) => string) => {
    const chunks: string[] = [];
    for (let i = 0, size = 0; size < MB10; i++) {
      const c = unit(i);
      chunks.push(c);
      size += c.length;
    }
    return chunks.join('');
  };
  it.each([
    ['"eyJ" repeated', fill('eyJ'), 0],
    ['a header and a dot repeated', fill('eyJhbGciOiJIUzI1NiJ9.'), MAX_FOUND_TOKENS],
    ['dots', fill('.'), 0],
    ['base64url without dots', fill('QUJDRGVmZ2g0NTY3LV8'), 0],
    ['"eyJ." repeated', fill('eyJ.'), 0],
    ['valid headers whose tokens never complete', fill('eyJhbGciOiJIUzI1NiJ9.a.'), 0],
    ['header pairs separated by spaces', fill('eyJhbGciOiJIUzI1NiJ9.eyJhbGciOiJIUzI1NiJ9 '), 0],
    ['"%20eyJ" repeated', fill('%20eyJ'), 0],
    ['"\\neyJ" repeated', fill('\\neyJ'), 0],
    ['a 10 MB line that is almost a token', `${b64u({ alg: 'HS256' })}.${fill('A')}x`, 0],
    ['near-headers that are not JSON, all different', fillDistinct((i) => `${b64u(`{"${i}}`)}.eA `), 0],
    ['JSON headers without alg, all different', fillDistinct((i) => `${b64u({ a: i })}.eA `), 0],
    [
      'near-headers that are not UTF-8, all different',
      fillDistinct((i) => `${b64u(new Uint8Array([0x7b, 0x22, 0xff, i & 0xff, (i >> 8) & 0xff, 0x7d]))}.eA `),
      0,
    ],
    ['words that start with "ey" before dots', fillDistinct((i) => `ey${(i * 7919).toString(36)}.x `), 0],
    ['a token with a 10 MB payload', `${b64u({ alg: 'HS256' })}.${fill('A')}.${b64u('sig')}`, 1],
  ])('%s (10 MB): the right tokens', (_what, text, count) => {
    expect(text.length).toBeGreaterThanOrEqual(MB10);
    const found = findTokens(text);
    expect(found).toHaveLength(count);
    for (const f of found) {
      expect(text.slice(f.start, f.end)).toBe(f.token);
      expect(f.token.split('.').length, 'a compact JWS has three parts').toBe(3);
    }
  });
});

describe('findTokens: properties', () => {
  const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
  const fragment = fc.constantFrom(
    'eyJ',
    'yJ',
    '.',
    '..',
    'e',
    'eyJhbGciOiJIUzI1NiJ9',
    'eyJhbGciOiJub25lIn0',
    T1,
    NONE,
    JWE,
    'AAAA',
    '%20',
    '\\n',
    '\\u0020',
    ' ',
    '=',
    '&',
    '+',
    '/',
    '"',
    '😀',
    '\uD800',
  );
  const mixes = fc.array(fragment, { maxLength: 20 }).map((a) => a.join(''));

  it('never throws, and reports exact, ordered, non-overlapping offsets of decodable tokens', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: anyUnit }), mixes), (text) => {
        const found = findTokens(text);
        let last = 0;
        for (const f of found) {
          expect(f.start).toBeGreaterThanOrEqual(last);
          expect(text.slice(f.start, f.end)).toBe(f.token);
          const d = decodeToken(f.token);
          expect(d.ok || d.error.code === 'invalid-utf8').toBe(true);
          last = f.end;
        }
      }),
      { numRuns: 2000 },
    );
  });

  // Planted tokens: real headers (a string alg, random extra members) and payloads, base64url-encoded
  // with Buffer; filler that cannot form a token (no 'e', or look-alikes) between delimiters.
  const extras = fc.dictionary(
    fc.string({ maxLength: 6 }).filter((k) => k !== 'enc' && k !== 'alg'),
    fc.jsonValue({ maxDepth: 2 }),
    {
      maxKeys: 3,
    },
  );
  const bytes = (min: number) => fc.uint8Array({ minLength: min, maxLength: 60 }).map((b) => b64u(b));
  const jws = fc
    .tuple(
      fc.string({ maxLength: 8 }),
      extras,
      fc.oneof(
        fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }).map((c) => b64u(c)),
        bytes(1),
      ),
      bytes(0),
    )
    .map(([alg, extra, payload, sig]) => `${b64u({ alg, ...extra })}.${payload}.${sig}`);
  const jwe = fc
    .tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), extras, bytes(0), bytes(1), bytes(1), bytes(1))
    .map(([alg, enc, extra, ek, iv, ct, tag]) => `${b64u({ alg, enc, ...extra })}.${ek}.${iv}.${ct}.${tag}`);
  const noE = fc.string({ unit: fc.constantFrom(...'abcdfghijyJwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.'.split('')), maxLength: 12 });
  const lookAlike = fc.constantFrom(
    '1.2.3',
    'eyJ',
    'eyJhbGciOiJIUzI1NiJ9',
    `${b64u({ typ: 'JWT' })}.${b64u({ sub: 'x' })}.${b64u('sig')}`,
    `${b64u({ alg: 1 })}.e30.e30`,
    'eyJfoo.bar.baz',
    `${b64u({ alg: 'HS256' })}..`,
    'key.money.they',
  );
  const delimiter = fc.constantFrom(
    ' ',
    '&',
    '=',
    '#',
    '?',
    ';',
    ',',
    '"',
    "'",
    ':',
    '\n',
    '\t',
    '<',
    '>',
    '(',
    ')',
    '[',
    ']',
    '{',
    '}',
    '|',
    '!',
    '*',
    '/',
    '+',
    '\\',
    '%',
    '\u00a0',
    '😀',
  );
  const item = fc.oneof(
    { arbitrary: jws.map((t) => ({ token: t })), weight: 2 },
    { arbitrary: jwe.map((t) => ({ token: t })), weight: 1 },
    { arbitrary: noE.map((f) => ({ filler: f })), weight: 2 },
    { arbitrary: lookAlike.map((f) => ({ filler: f })), weight: 1 },
  );

  it('finds exactly the planted tokens, at their offsets', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(item, delimiter), { maxLength: 12 }), fc.boolean(), (items, leadingDelimiter) => {
        let text = leadingDelimiter ? ' ' : '';
        const expected: FoundToken[] = [];
        for (const [it_, delim] of items) {
          if ('token' in it_) {
            expected.push({ token: it_.token, start: text.length, end: text.length + it_.token.length });
            text += it_.token;
          } else text += it_.filler;
          text += delim;
        }
        expect(findTokens(text)).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });
});
