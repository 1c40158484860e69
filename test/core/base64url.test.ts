import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  BASE64URL_ALPHABET,
  base64urlDecode,
  base64urlDecodeRange,
  base64urlDecodedLength,
  base64urlEncode,
  base64urlIssue,
  isBase64urlCharCode,
  isBase64url,
  utf8Decode,
  utf8DecodeOrNull,
  utf8Encode,
  utf8ErrorOffset,
} from '../../src/core/base64url';

const bytes = (...b: number[]) => new Uint8Array(b);
const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

describe('base64url decode', () => {
  // RFC 4648 §10 test vectors, without padding (RFC 7515 §2).
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'Zg'],
    ['fo', 'Zm8'],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg'],
    ['fooba', 'Zm9vYmE'],
    ['foobar', 'Zm9vYmFy'],
  ];
  it.each(vectors)('decodes the RFC 4648 vector for %j', (plain, encoded) => {
    expect(base64urlDecode(encoded)).toEqual(ascii(plain));
    expect(base64urlEncode(ascii(plain))).toBe(encoded);
  });

  it('uses the URL-safe alphabet: - and _ for 62 and 63', () => {
    expect(base64urlDecode('-_8')).toEqual(bytes(0xfb, 0xff));
    expect(base64urlEncode(bytes(0xfb, 0xff))).toBe('-_8');
  });

  it('accepts exactly the 64 alphabet characters among all 16-bit code units', () => {
    const accepted: number[] = [];
    for (let c = 0; c < 0x10000; c++) if (isBase64urlCharCode(c)) accepted.push(c);
    expect(
      String.fromCharCode(...accepted)
        .split('')
        .sort()
        .join(''),
    ).toBe(BASE64URL_ALPHABET.split('').sort().join(''));
    const disagreements: number[] = [];
    for (let c = 0; c < 0x10000; c++) {
      const s = `AA${String.fromCharCode(c)}A`;
      if ((base64urlDecodeRange(s, 0, 4) !== null) !== isBase64urlCharCode(c)) disagreements.push(c);
      if ((base64urlIssue(s) === null) !== isBase64urlCharCode(c)) disagreements.push(c);
      if (isBase64url(s) !== isBase64urlCharCode(c)) disagreements.push(c);
    }
    expect(disagreements).toEqual([]);
  });

  it.each([
    ['+', 'Zm+v', 2],
    ['/', 'Zm/v', 2],
    ['=', 'Zg==', 2],
    ['space', 'Zm9 v', 3],
    ['newline', 'Zm9v\nYg', 4],
    ['tab', '\tZm9v', 0],
    ['non-ASCII', 'Zm9vé', 4],
    ['astral', 'Zm9v😀', 4],
    ['NUL', 'Zm\u0000v', 2],
  ])('refuses %s with its index', (_what, s, index) => {
    expect(base64urlDecodeRange(s, 0, s.length)).toBeNull();
    const issue = base64urlIssue(s);
    expect(issue).toMatchObject({ kind: 'invalid-char', index });
    expect(issue!.message).toContain(`position ${index}`);
    expect(() => base64urlDecode(s)).toThrow(TypeError);
  });

  it('explains standard-base64 characters and padding', () => {
    expect(base64urlIssue('Zm+v')!.message).toMatch(/'\+' at position 2 is not allowed.*'-' and '_'/);
    expect(base64urlIssue('Zg==')!.message).toMatch(/'=' at position 2.*padding/);
  });

  it('refuses a length of 4k+1', () => {
    for (const s of ['A', 'Zm9vY', 'Zm9vYmFyZ']) {
      expect(base64urlDecodeRange(s, 0, s.length)).toBeNull();
      expect(isBase64url(s)).toBe(false);
      expect(base64urlIssue(s)).toMatchObject({ kind: 'invalid-length', index: s.length - 1 });
    }
  });

  it('refuses non-zero trailing bits (non-canonical encodings)', () => {
    // 'Zh' and 'Zm9' decode leniently to the same bytes as 'Zg' and 'Zm8'.
    expect(Buffer.from('Zh', 'base64url')).toEqual(Buffer.from('Zg', 'base64url'));
    for (const [s, index] of [
      ['Zh', 1],
      ['Zm9', 2],
      ['Zm9vYh', 5],
    ] as const) {
      expect(base64urlDecodeRange(s, 0, s.length)).toBeNull();
      expect(base64urlIssue(s)).toMatchObject({ kind: 'non-zero-trailing-bits', index });
      expect(isBase64url(s)).toBe(false);
    }
    expect(base64urlIssue('Zg')).toBeNull();
  });

  it('decodes a range of a larger string without looking outside it', () => {
    const s = '+++Zm9vYmFy+++';
    expect(base64urlDecodeRange(s, 3, 11)).toEqual(ascii('foobar'));
    expect(base64urlIssue(s, 3, 11)).toBeNull();
    expect(base64urlIssue(s, 2, 11)).toMatchObject({ kind: 'invalid-char', index: 2 });
  });

  it('agrees with Buffer on random bytes, and round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        const expected = Buffer.from(b).toString('base64url');
        expect(base64urlEncode(b)).toBe(expected);
        expect(base64urlDecode(expected)).toEqual(b);
        expect(base64urlDecodedLength(expected.length)).toBe(b.length);
      }),
    );
  });

  it('encodes large inputs (chunked string building)', () => {
    const b = new Uint8Array(200_001).map((_, i) => (i * 7) & 0xff);
    expect(base64urlEncode(b)).toBe(Buffer.from(b).toString('base64url'));
  });

  it('encodes strings as UTF-8', () => {
    expect(base64urlEncode('{"alg":"HS256"}')).toBe('eyJhbGciOiJIUzI1NiJ9');
    expect(base64urlEncode('é😀')).toBe(Buffer.from('é😀', 'utf8').toString('base64url'));
  });

  it('never throws on arbitrary strings; what it accepts is canonical base64url', () => {
    const alphabetish = fc.string({ unit: fc.constantFrom(...'AZaz09-_+/= .\n'.split(''), 'Zg', 'é'), maxLength: 40 });
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), alphabetish), (s) => {
        const out = base64urlDecodeRange(s, 0, s.length);
        const issue = base64urlIssue(s);
        expect(out === null).toBe(issue !== null);
        expect(isBase64url(s)).toBe(issue === null);
        if (out !== null) {
          expect(/^[A-Za-z0-9_-]*$/.test(s)).toBe(true);
          expect(Buffer.from(out).toString('base64url')).toBe(s);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('strict UTF-8', () => {
  it('decodes valid multi-byte text', () => {
    const s = 'It’s é 😀 ü';
    expect(utf8Decode(new Uint8Array(Buffer.from(s, 'utf8')))).toBe(s);
    expect(utf8Encode(s)).toEqual(new Uint8Array(Buffer.from(s, 'utf8')));
  });

  it('keeps a byte order mark (the bytes as sent)', () => {
    expect(utf8Decode(bytes(0xef, 0xbb, 0xbf, 0x7b, 0x7d))).toBe('\uFEFF{}');
  });

  it.each([
    ['overlong NUL', [0xc0, 0x80], 0],
    ['overlong 3-byte', [0x41, 0xe0, 0x80, 0xaf], 1],
    ['UTF-16 surrogate', [0xed, 0xa0, 0x80], 0],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['invalid lead byte', [0x41, 0x42, 0xff], 2],
    ['lone continuation', [0x80], 0],
    ['truncated sequence', [0x41, 0xe2, 0x82], 1],
  ])('refuses %s', (_what, b, offset) => {
    const u = new Uint8Array(b);
    expect(() => utf8Decode(u)).toThrow(TypeError);
    expect(utf8DecodeOrNull(u)).toBeNull();
    expect(utf8ErrorOffset(u)).toBe(offset);
  });

  it('utf8ErrorOffset agrees with the platform decoder on random bytes', () => {
    const platform = new TextDecoder('utf-8', { fatal: true });
    const arb = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.string({ unit: 'binary' }).map((s) => new Uint8Array(Buffer.from(s, 'utf8'))),
      fc
        .array(fc.constantFrom(0x41, 0x80, 0xbf, 0xc2, 0xe0, 0xed, 0xf0, 0xf4, 0x9f, 0x90, 0xa0), { maxLength: 12 })
        .map((a) => new Uint8Array(a)),
    );
    fc.assert(
      fc.property(arb, (u) => {
        let ok = true;
        try {
          platform.decode(u);
        } catch {
          ok = false;
        }
        expect(utf8ErrorOffset(u) === -1).toBe(ok);
        expect(utf8DecodeOrNull(u) !== null).toBe(ok);
      }),
      { numRuns: 1000 },
    );
  });
});
