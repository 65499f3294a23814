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
    // The same object twice, not inside itself, is written twice.
    const shared = { s: 'é' };
    expect(jsonBytes([shared, shared])).toBe(written([shared, shared]));
  });
});
