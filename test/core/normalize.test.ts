import { describe, expect, it } from 'vitest';
import { extractToken, normalizeTokenInput } from '../../src/core/normalize';

const T = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';

describe('normalizeTokenInput', () => {
  it.each([
    [T, T],
    [`Bearer ${T}`, T],
    [`"Bearer ${T}"`, T],
    [`Authorization: Bearer ${T}`, T],
    [`authorization:bearer ${T}`, T],
    [`DPoP ${T}`, T],
    [`'${T}',`, T],
    [`\`${T}\`;`, T],
    [`  ${T.slice(0, 10)}\n${T.slice(10, 20)}\r\n\t${T.slice(20)}  `, T],
  ])('%j → the bare token', (input, expected) => {
    expect(normalizeTokenInput(input)).toBe(expected);
  });

  it('keeps what it cannot explain', () => {
    expect(normalizeTokenInput('Bearerless')).toBe('Bearerless');
    expect(normalizeTokenInput('')).toBe('');
    expect(normalizeTokenInput(42 as unknown as string)).toBe('');
  });

  it('handles a long run of quotes inside the text without blowing up', () => {
    const hostile = `${'"'.repeat(1)}x${"'".repeat(500_000)}x`;
    expect(normalizeTokenInput(hostile)).toBe(`x${"'".repeat(500_000)}x`);
  });
});

describe('extractToken (context menu: a selection or a link)', () => {
  it('takes the token out of a sentence, a link and a fragment', () => {
    expect(extractToken(`my token is ${T}, thanks`)).toBe(T);
    expect(extractToken(`https://app.example/cb?code=1&id_token=${T}&state=2`)).toBe(T);
    expect(extractToken(`https://app.example/cb#access_token=${T}`)).toBe(T);
  });
  it('hands text without a token to the decoder as it is, for it to explain', () => {
    expect(extractToken(' not a token ')).toBe('notatoken');
  });
});
