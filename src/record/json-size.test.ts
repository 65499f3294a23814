import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonBytes, jsonStringBytes } from './json-size.js';

/** What the counts must equal: the bytes JSON.stringify writes, each line after the first indented `indent` more. */
const written = (value: unknown, indent = 0) => Buffer.byteLength(JSON.stringify(value, null, 2).replaceAll('\n', `\n${' '.repeat(indent)}`));

describe('the bytes a value takes as JSON, counted without writing it', () => {
  it('counts a string as JSON writes it in UTF-8: escapes, multi-byte letters, emoji, lone surrogates', () => {
    const texts = ['', 'plain https://x/?a=1', 'quote " and \\ backslash', '\u0000\u0001\u001f', '\b\t\n\f\r', 'é€', '😀 pair', '\ud800 lone', 'lone \udfff', '\udbff\udfff', '\u007f\u0080\u07ff\u0800\uffff'];
    for (const text of texts) expect([text, jsonStringBytes(text)]).toEqual([text, Buffer.byteLength(JSON.stringify(text))]);
    // Every UTF-16 code unit, one at a time and after a high surrogate.
    const wrong: string[] = [];
    for (let code = 0; code < 0x10000; code++) {
      for (const text of [String.fromCharCode(code), `\ud83d${String.fromCharCode(code)}`]) if (jsonStringBytes(text) !== Buffer.byteLength(JSON.stringify(text))) wrong.push(JSON.stringify(text));
    }
    expect(wrong).toEqual([]);
  });

  it('counts what JSON.stringify(value, null, 2) writes, indented or not, whatever the value holds', () => {
    const values: unknown[] = [
      null,
      true,
      false,
      0,
      -1.5e-7,
      NaN,
      Infinity,
      'x',
      [],
      {},
      [[], {}, [1, [2, { a: [] }]]],
      { a: undefined, b: () => 1, c: Symbol('s'), d: 1 },
      { a: undefined },
      [undefined, () => 1, Symbol('s')],
      { date: new Date(0), custom: { toJSON: (key: string) => `key ${key}` }, gone: { toJSON: () => undefined } },
      { 'ké"y\n': { '': 'v' }, nested: { deeper: { deepest: ['€', '\u0001', 3] } } },
    ];
    for (const value of values) for (const indent of [0, 6]) expect(jsonBytes(value, indent)).toBe(written(value, indent));
    expect(jsonBytes(undefined)).toBeUndefined();
    expect(jsonBytes(() => 1)).toBeUndefined();
  });

  it('refuses, naming why, what JSON.stringify cannot write: a value that holds itself, a BigInt', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = { back: cycle };
    expect(() => jsonBytes(cycle)).toThrow('it holds itself (back), which JSON cannot write');
    expect(() => jsonBytes({ size: 1n })).toThrow('it holds a BigInt (size), which JSON cannot write');
    expect(() => jsonBytes({ size: Object(1n) })).toThrow('it holds a BigInt (size), which JSON cannot write');
    // The same object twice, not inside itself, is written twice.
    const shared = { s: 'é' };
    expect(jsonBytes([shared, shared])).toBe(written([shared, shared]));
  });
});

describe('jsonBytes against JSON.stringify, on values fast-check makes (found 2026-12-02)', () => {
  // Every UTF-16 code unit (lone surrogates, U+2028, controls), and what a caller's entry may hold
  // besides plain data: boxed primitives, Dates, toJSON methods, undefined, functions, -0, NaN.
  const text = fc.string({ unit: 'binary' });
  const leaf = fc.oneof(
    text,
    fc.double(),
    fc.integer(),
    fc.constantFrom(-0, NaN, Infinity, -Infinity, null, true, false, undefined, () => 1, Symbol('s')),
    fc.date({ noInvalidDate: false }),
    text.map((value) => new String(value)),
    fc.double().map((value) => new Number(value)),
    fc.boolean().map((value) => new Boolean(value)),
  );
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object'), tie('toJSON')),
    array: fc.array(tie('value'), { maxLength: 5 }),
    object: fc.dictionary(text, tie('value'), { maxKeys: 5 }),
    // Shown with what it returns when a run fails.
    toJSON: tie('value').map((inner) => ({ toJSON: () => inner, [fc.toStringMethod]: () => `{ toJSON: () => ${fc.stringify(inner)} }` })),
  }));

  it('counts exactly the bytes written, indented or not', () => {
    fc.assert(
      fc.property(value, fc.constantFrom(0, 6), (value, indent) => {
        const json = JSON.stringify(value, null, 2) as string | undefined;
        expect(jsonBytes(value, indent)).toBe(json === undefined ? undefined : written(value, indent));
      }),
      { numRuns: 2000 },
    );
  });
});
