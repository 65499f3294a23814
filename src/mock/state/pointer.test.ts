import { describe, expect, it, vi } from 'vitest';
import type { Json } from './store.js';
import { clone, getAt, itemsAt, removeAt, setAt, setEach, setValues, tokens, valuesAt } from './pointer.js';

describe('getAt', () => {
  it("reads the whole document at '' and nested object and array members", () => {
    const doc = { data: { items: [{ id: 1 }, { id: 2 }] } };
    expect(getAt(doc, '')).toBe(doc);
    expect(getAt(doc, '/data/items/1/id')).toBe(2);
  });

  it('unescapes ~1 to / and ~0 to ~ in tokens (RFC 6901)', () => {
    const doc = { 'a/b': 1, 'c~d': 2, '~1': 3 };
    expect(getAt(doc, '/a~1b')).toBe(1);
    expect(getAt(doc, '/c~0d')).toBe(2);
    // ~01 is the literal "~1", not "/": ~1 is decoded before ~0.
    expect(getAt(doc, '/~01')).toBe(3);
  });

  it('reads own members only: an inherited name is no member of a record', () => {
    expect(getAt({ a: {} }, '/a/constructor')).toBeUndefined();
    expect(getAt({}, '/toString')).toBeUndefined();
  });

  it('is undefined for a path through a missing member, null or a primitive', () => {
    expect(getAt({ a: 1 }, '/b/c')).toBeUndefined();
    expect(getAt({ a: null }, '/a/b')).toBeUndefined();
    expect(getAt(null, '/a')).toBeUndefined();
    // A string has a length, but it is not a JSON member.
    expect(getAt({ a: 'text' }, '/a/length')).toBeUndefined();
    expect(getAt({ a: 5 }, '/a/toFixed')).toBeUndefined();
  });
});

describe('setAt', () => {
  it("replaces the whole document at ''", () => {
    expect(setAt({ a: 1 }, '', [1, 2])).toEqual([1, 2]);
  });

  it('sets a nested member and copies only the path, never changing the original', () => {
    const shared = { keep: true };
    const doc = { data: { name: 'old', other: shared }, sibling: shared };
    const out = setAt(doc, '/data/name', 'new') as any;
    expect(out).toEqual({ data: { name: 'new', other: { keep: true } }, sibling: { keep: true } });
    expect(doc.data.name).toBe('old');
    expect(out.sibling).toBe(shared);
    expect(out.data.other).toBe(shared);
  });

  it('sets array elements in a copied array', () => {
    const list = [1, 2, 3];
    const out = setAt({ list }, '/list/1', 9) as any;
    expect(out.list).toEqual([1, 9, 3]);
    expect(Array.isArray(out.list)).toBe(true);
    expect(list).toEqual([1, 2, 3]);
    expect(setAt([{ a: 1 }, { a: 2 }], '/0/a', 5)).toEqual([{ a: 5 }, { a: 2 }]);
  });

  it('creates the missing objects on the path, and replaces primitives and null in the way', () => {
    expect(setAt({}, '/a/b/c', 1)).toEqual({ a: { b: { c: 1 } } });
    expect(setAt({ a: null }, '/a/b', 1)).toEqual({ a: { b: 1 } });
    expect(setAt({ a: 'xy' }, '/a/b', 1)).toEqual({ a: { b: 1 } });
    expect(setAt({ a: 7 }, '/a/b', 1)).toEqual({ a: { b: 1 } });
    expect(setAt('text', '/b', 1)).toEqual({ b: 1 });
  });

  it('keeps escaped tokens intact below the first level', () => {
    expect(setAt({}, '/a/b~1c', 1)).toEqual({ a: { 'b/c': 1 } });
    expect(setAt({}, '/a/b~0c', 1)).toEqual({ a: { 'b~c': 1 } });
    expect(setAt({}, '/a/~01/x', 1)).toEqual({ a: { '~1': { x: 1 } } });
    expect(setAt({}, '/x~1y', 1)).toEqual({ 'x/y': 1 });
  });
});

describe('tokens', () => {
  it("gives each caller its own tokens: a caller's change to them changes no later read", () => {
    // Tokens are kept per pointer (every answer reads the same few); removeAt pops the ones it is given.
    const first = tokens('/a/b~1c');
    first.pop();
    expect(tokens('/a/b~1c')).toEqual(['a', 'b/c']);
    expect(getAt({ a: { 'b/c': 1 } }, '/a/b~1c')).toBe(1);
    const doc = { a: { 'b/c': 1, d: 2 } };
    removeAt(doc, '/a/b~1c');
    expect(getAt(doc, '/a/d')).toBe(2);
    expect(setAt(doc, '/a/b~1c', 3)).toEqual({ a: { 'b/c': 3, d: 2 } });
  });
});

describe('setEach', () => {
  it('copies each object on the paths once, however many pointers pass through it', () => {
    // Copied once per consent dated, the map of a member's 3,300 consents was copied 3,300 times (27 s).
    const record = { id: 1, consents: { a: { status: true }, b: { status: false }, c: { status: true } } };
    // Each copy is noted in the call's own set of copies, so it is not copied again: count them there.
    const noted = vi.spyOn(Set.prototype, 'add');
    let out: any;
    let made: number;
    try {
      out = setEach(record, ['/consents/a/at', '/consents/b/at', '/consents/c/at'], 'now');
      made = noted.mock.calls.length;
    } finally {
      noted.mockRestore();
    }
    // The record, its consents, and each consent: five copies, not three per pointer.
    expect(made).toBe(5);
    expect(out.consents).toEqual({ a: { status: true, at: 'now' }, b: { status: false, at: 'now' }, c: { status: true, at: 'now' } });
    expect(record.consents.a).toEqual({ status: true });
  });

  it('sets each pointer its own value in one copy, the shared objects left as they were', () => {
    const answer = { data: [1], meta: { count: 0, page: 0 } };
    const out = setValues(answer, [['/meta/count', 3], ['/meta/page', 1], ['/meta/x~1y', 2]]) as any;
    expect(out).toEqual({ data: [1], meta: { count: 3, page: 1, 'x/y': 2 } });
    expect(out.data).toBe(answer.data);
    expect(answer.meta).toEqual({ count: 0, page: 0 });
  });

  it('takes a key named __proto__ or constructor as a key, found only as its own', () => {
    const sent = JSON.parse('{"__proto__": {"status": true}}') as Json;
    const out = setEach({ consents: sent }, ['/consents/__proto__/at', '/consents/constructor/at'], 'now') as any;
    expect(JSON.stringify(out)).toBe('{"consents":{"__proto__":{"status":true,"at":"now"},"constructor":{"at":"now"}}}');
    expect(Object.getPrototypeOf(out.consents)).toBe(Object.prototype);
    // Where the object holds no such key, it is made as one, not given a prototype.
    expect(JSON.stringify(setEach({ consents: {} }, ['/consents/__proto__'], { status: true }))).toBe('{"consents":{"__proto__":{"status":true}}}');
    expect(({} as Record<string, unknown>).at).toBeUndefined();
  });
});

describe('clone', () => {
  it('is a deep copy', () => {
    const value = { a: { b: [1, { c: 2 }] } };
    const copy = clone(value);
    expect(copy).toEqual(value);
    expect(copy.a).not.toBe(value.a);
    expect(copy.a.b[1]).not.toBe(value.a.b[1]);
  });
});

describe('valuesAt', () => {
  it('matches every key or index at a * token, and follows plain tokens as getAt does', () => {
    const body = { byAccount: { '18': [{ id: 'a' }, { id: 'b' }], '21': [{ id: 'c' }] }, other: 1 };
    expect(valuesAt(body, '/byAccount/*/*')).toEqual([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
    expect(valuesAt(body, '/byAccount/18/1')).toEqual([{ id: 'b' }]);
    expect(valuesAt(body, '')).toEqual([body]);
  });

  it('finds nothing through a missing member, a primitive or null, and never reads inherited keys', () => {
    expect(valuesAt({ a: 1 }, '/b/*')).toEqual([]);
    expect(valuesAt({ a: 1 }, '/a/*')).toEqual([]);
    expect(valuesAt({ a: null }, '/a/*')).toEqual([]);
    expect(valuesAt({ a: {} }, '/a/constructor')).toEqual([]);
  });
});

describe('itemsAt', () => {
  it('matches a {name} token as *, giving each value the key it was found under', () => {
    const body = { byAccount: { '18': [{ id: 'a' }], '21': [{ id: 'c' }] } };
    expect(itemsAt(body, '/byAccount/{account}/*')).toEqual([
      { value: { id: 'a' }, bound: { account: '18' } },
      { value: { id: 'c' }, bound: { account: '21' } },
    ]);
    expect(itemsAt(body, '/byAccount/*/0')).toEqual([{ value: { id: 'a' }, bound: {} }, { value: { id: 'c' }, bound: {} }]);
  });
});

describe('removeAt', () => {
  it('removes what the pointer names, escaped tokens included, and nothing else', () => {
    const doc = { a: { 'b/c': 1, 'd~e': 2, keep: 3 }, 'x/y': { z: 5, keep: 6 }, top: 4 };
    removeAt(doc, '/a/b~1c');
    removeAt(doc, '/a/d~0e');
    removeAt(doc, '/x~1y/z');
    removeAt(doc, '/nothing/here');
    expect(doc).toEqual({ a: { keep: 3 }, 'x/y': { keep: 6 }, top: 4 });
  });
});
