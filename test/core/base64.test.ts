import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { base64Decode, base64Encode, base64Problem, base64urlProblem } from '../../src/core/base64';
import { base64urlIssue } from '../../src/core/base64url';

describe('base64.ts words base64url.ts decisions', () => {
  it('base64urlProblem refuses exactly what base64urlIssue refuses', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'AQgw-_+/= \n.é'), maxLength: 12 }), (s) => {
        expect(base64urlProblem(s) === undefined).toBe(base64urlIssue(s) === null);
      }),
    );
  });

  it('standard base64: accepts canonical text, names the first wrong character', () => {
    expect(base64Problem('+/8')).toBeUndefined();
    expect(Array.from(base64Decode('+/8'))).toEqual([0xfb, 0xff]);
    expect(base64Problem('-_8')).toEqual({ problem: '"-" at position 0', char: '-' });
    expect(base64Problem('QR')?.problem).toMatch(/non-zero padding bits/);
    expect(base64Problem('Q')?.problem).toMatch(/cannot encode whole bytes/);
    expect(base64Problem('QU J')?.problem).toBe('a space at position 2');
  });

  it('standard base64 round-trips with Node', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const encoded = base64Encode(bytes);
        expect(encoded).toBe(Buffer.from(bytes).toString('base64'));
        const body = encoded.replace(/=+$/, '');
        expect(base64Problem(body)).toBeUndefined();
        expect(Array.from(base64Decode(body))).toEqual(Array.from(bytes));
      }),
    );
  });
});
