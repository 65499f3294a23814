import { PassThrough } from 'node:stream';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { BodyFieldError } from './form.js';
import { toJsonBody } from './json-body.js';

/** What a body's refusal says: the field and its rule, or that nothing was thrown. */
function refusal(body: unknown): string {
  try {
    toJsonBody(body);
  } catch (error) {
    if (error instanceof BodyFieldError) return `${error.field}: ${error.rule}`;
    throw error;
  }
  return 'nothing thrown';
}

describe('toJsonBody', () => {
  it('writes JSON data as JSON.stringify does: toJSON honoured, boxed values unboxed, undefined fields as JSON has them', () => {
    class Lead {
      email = 'a@b.c';
    }
    const body = { when: new Date(0), money: { toJSON: () => '1.50' }, name: new String('Ann'), n: new Number(2), lead: new Lead(), empty: {}, list: [1, undefined], gone: undefined, big: 1e300, negative: -0.5 };
    expect(toJsonBody(body)).toBe(JSON.stringify(body));
    expect(toJsonBody(Object.create(null))).toBe('{}');
    // Objects that iterate but hold their data in fields, and boxed values of another realm (a second round found them refused).
    const args = (function (..._: unknown[]) {
      return arguments;
    })(1, 2);
    const iterable = { a: 1, *[Symbol.iterator]() {} };
    const foreign = runInNewContext('({ s: new String("x"), n: new Number(2), b: new Boolean(true) })');
    for (const data of [args, iterable, foreign]) expect(toJsonBody(data)).toBe(JSON.stringify(data));
    expect(toJsonBody('text')).toBe('"text"');
  });

  it('hands a FormData, and a body typed as a form, to openapi-fetch as it is', () => {
    const form = new FormData();
    expect(toJsonBody(form)).toBe(form);
    expect(toJsonBody({ a: 1 }, new Headers({ 'content-type': 'application/x-www-form-urlencoded' }))).toBe('a=1');
    expect(toJsonBody({ a: 1 }, { 'Content-Type': 'application/x-www-form-urlencoded' })).toBe('a=1');
  });

  it('names the field of what JSON would send as something else', () => {
    const fieldOf = (body: unknown) => {
      try {
        toJsonBody(body);
      } catch (error) {
        if (error instanceof BodyFieldError) return error.field;
        throw error;
      }
      return 'nothing thrown';
    };
    expect(fieldOf(new Set())).toBe('');
    expect(fieldOf({ a: { b: [0, new Map()] } })).toBe('a.b[1]');
    expect(fieldOf([{ x: () => 1 }])).toBe('[0].x');
    expect(fieldOf({ re: /x/ })).toBe('re');
    expect(fieldOf({ hidden: new (class { #secret = 1; peek() { return this.#secret; } })() })).toBe('hidden');
    expect(fieldOf({ params: new URLSearchParams('a=1') })).toBe('params');
    // A collection given a field of its own, or a tag of a boxed value, still: its entries would be dropped.
    expect(fieldOf({ field: Object.assign(new Map([['email', 'a@b.example']]), { label: 'x' }) })).toBe('field');
    expect(fieldOf({ tagged: Object.defineProperty(new Map([['a', 1]]), Symbol.toStringTag, { value: 'String' }) })).toBe('tagged');
    expect(fieldOf({ foreign: runInNewContext('new Set([1])') })).toBe('foreign');
    // A key that is not a name is written in brackets: `a.b` and '' are not read as paths.
    expect(fieldOf({ '': { 'a.b': new Set() } })).toBe('[""]["a.b"]');
  });

  it('refuses, naming the field, what JSON writes as null or as something else after its toJSON, or cannot write (CLIENT-86)', () => {
    // Each was sent as null before, answered 200: a failed Number(), a division by zero, a Date that did not parse.
    expect(refusal({ amount: Number('12,50') })).toMatch(/^amount: .*\(got NaN: JSON writes it as null\)$/);
    expect(refusal({ totals: [1, 1 / 0] })).toMatch(/^totals\[1\]: .*\(got Infinity: JSON writes it as null\)$/);
    expect(refusal({ birthday: new Date('31/12/1990') })).toMatch(/^birthday: .*\(got an invalid Date: JSON writes it as null\)$/);
    // A Buffer's toJSON wrote its bytes as {"type":"Buffer","data":[…]}; a Node stream its internals, a file's path among them.
    expect(refusal({ file: Buffer.from('hi') })).toMatch(/^file: .*got a Buffer: binary data has no JSON form/);
    expect(refusal({ attachment: new PassThrough() })).toMatch(/^attachment: .*got a stream: its bytes are not JSON/);
    // JSON.stringify's own messages named no field.
    expect(refusal({ leads: [{ points: 10n }] })).toMatch(/^leads\[0\]\.points: .*got a BigInt/);
    const lead: Record<string, unknown> = { id: 1 };
    lead.self = lead;
    expect(refusal({ leads: [lead] })).toMatch(/^leads\[0\]\.self: .*JSON cannot write a cycle/);
    expect(refusal({ amount: new Number(NaN) })).toMatch(/^amount: .*got a Number object of NaN/);
    // Plain data that only looks like a stream, or only calls itself a Date, is sent as JSON sends it.
    class Pipeline {
      stage = 'draft';
      pipe() {}
      on() {}
    }
    expect(toJsonBody({ p: new Pipeline(), tagged: { [Symbol.toStringTag]: 'Date', v: 1 } })).toBe('{"p":{"stage":"draft"},"tagged":{"v":1}}');
    // A value shared by two fields is no cycle: sent twice, as JSON.stringify does.
    const twice = { a: 1 };
    expect(toJsonBody({ x: twice, y: [twice, { z: twice }] })).toBe('{"x":{"a":1},"y":[{"a":1},{"z":{"a":1}}]}');
    const shared = { a: 1 };
    expect(toJsonBody({ x: shared, y: shared })).toBe('{"x":{"a":1},"y":{"a":1}}');
  });

  it('judges a field behind a getter as JSON.stringify sees it, reading the getter once', () => {
    // Sent as {"type":"Buffer","data":[…]} and as null before: the check read data fields only.
    expect(refusal({ lead: { get file() { return Buffer.from('hi'); } } })).toMatch(/^lead\.file: .*got a Buffer: binary data has no JSON form/);
    expect(refusal({ list: [1, { get birthday() { return new Date('31/12/1990'); } }] })).toMatch(/^list\[1\]\.birthday: .*got an invalid Date/);
    const items = [0];
    Object.defineProperty(items, 0, { get: () => new Uint16Array(2), enumerable: true });
    expect(refusal({ items })).toMatch(/^items\[0\]: .*got a Uint16Array/);
    // Read once, and what was checked is what is sent: a getter that counts, or answers anew each time.
    let reads = 0;
    const counted = { get n() { return ++reads; }, when: new Date(0) };
    expect(toJsonBody({ counted })).toBe('{"counted":{"n":1,"when":"1970-01-01T00:00:00.000Z"}}');
    expect(reads).toBe(1);
    let calls = 0;
    const flips = { get value() { return ++calls === 1 ? 'ok' : Buffer.from('x'); } };
    expect(toJsonBody(flips)).toBe('{"value":"ok"}');
    // A getter that answers the object holding it is a cycle, named, not a stack overflow.
    const self: Record<string, unknown> = { id: 1 };
    Object.defineProperty(self, 'me', { get: () => self, enumerable: true });
    expect(refusal({ self })).toMatch(/^self\.me: .*JSON cannot write a cycle/);
  });

  it('names a cycle where JSON.stringify meets it, after each toJSON', () => {
    // Its raw fields cycle, its toJSON does not: written whole.
    const lead: Record<string, unknown> = { id: 1, toJSON: () => ({ id: 1 }) };
    lead.self = lead;
    // Its raw fields do not cycle, what its toJSON answers does.
    const inner: Record<string, unknown> = { id: 2 };
    const wrapped = { toJSON: () => inner };
    inner.back = wrapped;
    expect(toJsonBody({ lead })).toBe('{"lead":{"id":1}}');
    expect(refusal({ lead, other: wrapped })).toMatch(/^other\.back: .*JSON cannot write a cycle/);
  });
});
