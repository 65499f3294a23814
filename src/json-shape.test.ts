import { describe, expect, it } from 'vitest';
import { measureJson } from './json-shape.js';

describe('measureJson', () => {
  // Brackets inside strings do not count, closing brackets of both kinds do, and an escaped
  // backslash does not escape the quote after it.
  it.each([
    ['{}', 1],
    ['[[1],[2,[3]]]', 3],
    ['{"a":"[[[[{{{{"}', 1],
    ['{"a":"\\"[[[["}', 1],
    ['"plain"', 0],
    ['{}{}', 1],
    ['[][]', 1],
    ['[{},{}]', 2],
    ['["\\\\", [1]]', 2],
    ['["\\\\"]', 1],
  ])('measures the JSON depth of %s as %i', (json, depth) => expect(measureJson(json).depth).toBe(depth));

  // Every value counts once: the root, each item and member, an empty array or object as one.
  it.each([
    ['1', 1],
    ['  ', 0],
    ['{}', 1],
    ['[ ]', 1],
    ['{"a":1,"b":[1,2]}', 5],
    ['[{},{}, [ ] ,[1]]', 6],
    ['{"a,b":"[1,2]"}', 2],
    ['["\\\\",1]', 3],
  ])('counts the values of %s as %i', (json, values) => expect(measureJson(json).values).toBe(values));
});
