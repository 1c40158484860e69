import { describe, expect, it } from 'vitest';
import { isJsonObject } from '../../src/core/is-json-object';

describe('isJsonObject', () => {
  it('accepts plain objects, whatever their prototype', () => {
    expect(isJsonObject({})).toBe(true);
    expect(isJsonObject(JSON.parse('{"a":1}'))).toBe(true);
    expect(isJsonObject(Object.create(null))).toBe(true);
  });

  it.each([null, undefined, [], [1], 'x', 1, true, () => {}])('refuses %j', (value) => {
    expect(isJsonObject(value)).toBe(false);
  });
});
