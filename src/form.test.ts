import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { BodyFieldError, isBoxed, toFormBody } from './form.js';

describe('toFormBody', () => {
  it('writes nested objects and arrays as bracketed keys', () => {
    const form = toFormBody({
      firstName: 'Ann',
      customDetails: { size: 'M', vip: true },
      marketingChannels: [
        { type: 'email', optIn: 1 },
        { type: 'sms', optIn: 0 },
      ],
    });
    expect([...form.entries()]).toEqual([
      ['firstName', 'Ann'],
      ['customDetails[size]', 'M'],
      ['customDetails[vip]', 'true'],
      ['marketingChannels[0][type]', 'email'],
      ['marketingChannels[0][optIn]', '1'],
      ['marketingChannels[1][type]', 'sms'],
      ['marketingChannels[1][optIn]', '0'],
    ]);
  });

  it('percent-encodes brackets and values on the wire', () => {
    expect(toFormBody({ a: { 'b c': '1&2' } }).toString()).toBe('a%5Bb+c%5D=1%262');
  });

  it('leaves out null and undefined fields, and NaN and Infinity (JSON writes them as null)', () => {
    expect(toFormBody({ a: null, b: undefined, c: '' }).toString()).toBe('c=');
    expect(toFormBody({ n: NaN, i: -Infinity, boxed: new Number(Infinity), ok: 1.5 }).toString()).toBe('ok=1.5');
  });

  it('says which field, and what rule, in its message', () => {
    expect(new BodyFieldError('a[b]', 'is an invalid Date').message).toBe('body field "a[b]" is an invalid Date');
    expect(new BodyFieldError('', 'must be an object of fields (got an array)').message).toBe('body must be an object of fields (got an array)');
  });

  it('refuses a body that is not an object of fields', () => {
    expect(() => toFormBody(['x'])).toThrow(new BodyFieldError('', 'must be an object of fields (got an array)'));
    expect(() => toFormBody(new Map([['name', 'Ann']]))).toThrow(new BodyFieldError('', 'must be an object of fields (got a Map: convert it to an object or an array first)'));
    expect(() => toFormBody(new Blob(['a']))).toThrow(new BodyFieldError('', 'must be an object of fields (got a Blob: a file goes in a FormData body, sent as multipart)'));
  });

  // PHP, Rack and qs split a name at its brackets once decoded: "Height [cm]" would be stored as "Height " holding "cm".
  it('refuses a nested key holding a bracket, naming the object it is in; a top-level name is the caller\'s own', () => {
    expect(() => toFormBody({ customDetails: { 'Height [cm]': 172 } })).toThrow(
      new BodyFieldError('customDetails', 'has a key the server would read as another field: "Height [cm]" (no [ or ]: the form names nested fields with them)'),
    );
    expect(() => toFormBody({ customDetails: { size: { 'Shoe]size': 39 } } })).toThrow('body field "customDetails[size]" has a key the server would read as another field: "Shoe]size"');
    expect(String(toFormBody({ 'customDetails[size]': 'M' }))).toBe('customDetails%5Bsize%5D=M');
  });

  it('sends no fields for a null or undefined body', () => {
    expect(toFormBody(null).toString()).toBe('');
    expect(toFormBody(undefined).toString()).toBe('');
  });

  it('refuses a string or a number as the body: the fields must be named', () => {
    expect(() => toFormBody('name=Ann')).toThrow(new BodyFieldError('', 'must be an object of fields (got a string)'));
    expect(() => toFormBody(42)).toThrow(new BodyFieldError('', 'must be an object of fields (got a number)'));
    expect(() => toFormBody(new String('name=Ann'))).toThrow(new BodyFieldError('', 'must be an object of fields (got a string)'));
  });

  it('sends dates as ISO 8601, also inside arrays', () => {
    const when = new Date('2024-03-01T12:00:00Z');
    expect([...toFormBody({ birthday: when, visits: [when] }).entries()]).toEqual([
      ['birthday', '2024-03-01T12:00:00.000Z'],
      ['visits[0]', '2024-03-01T12:00:00.000Z'],
    ]);
  });

  it('refuses an invalid date, naming the field, instead of a bare RangeError', () => {
    expect(() => toFormBody({ customDetails: { birthday: new Date('31/02/1990') } })).toThrow(
      new BodyFieldError('customDetails[birthday]', 'is an invalid Date'),
    );
  });

  it('refuses a circular body, naming the field, but sends an object that appears twice side by side', () => {
    const member: Record<string, unknown> = { name: 'Ann' };
    member.self = { again: member };
    expect(() => toFormBody({ member })).toThrow(new BodyFieldError('member[self][again]', 'contains an object it is already inside (a circular reference)'));
    const tag = { id: 1 };
    expect([...toFormBody({ tags: [tag, tag] }).entries()]).toEqual([
      ['tags[0][id]', '1'],
      ['tags[1][id]', '1'],
    ]);
  });

  it('leaves out the holes of a sparse array', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect([...toFormBody({ name: 'Ann', list: [1, , 3] }).entries()]).toEqual([
      ['name', 'Ann'],
      ['list[0]', '1'],
      ['list[2]', '3'],
    ]);
  });

  it('reads values as JSON.stringify does: toJSON honoured (given the field\'s key), boxed primitives unwrapped', () => {
    class Money {
      constructor(private readonly cents: number, private readonly currency: string) {}
      toJSON() {
        return { amount: (this.cents / 100).toFixed(2), currency: this.currency };
      }
    }
    const keys: string[] = [];
    const id = { _bytes: [1, 2], toJSON: (key: string) => (keys.push(key), '65f0c0ffee') };
    const body = {
      price: new Money(1999, 'EUR'),
      ids: [id],
      owner: id,
      site: new URL('https://shop.example/a?b=1'),
      name: new String('abc'),
      count: new Number(3),
      vip: new Boolean(false),
      big: Object(10n),
      // A toJSON answering undefined leaves the field out, as in JSON.
      hidden: { toJSON: () => undefined },
      // JSON asks a function for its toJSON too.
      formatted: Object.assign(() => 'x', { toJSON: () => 'as text' }),
    };
    expect([...toFormBody(body).entries()]).toEqual([
      ['price[amount]', '19.99'],
      ['price[currency]', 'EUR'],
      ['ids[0]', '65f0c0ffee'],
      ['owner', '65f0c0ffee'],
      ['site', 'https://shop.example/a?b=1'],
      ['name', 'abc'],
      ['count', '3'],
      ['vip', 'false'],
      ['big', '10'],
      ['formatted', 'as text'],
    ]);
    expect(keys).toEqual(['0', 'owner']);
    // The body's own toJSON too, given the empty key.
    expect(toFormBody({ toJSON: () => ({ a: 1 }) }).toString()).toBe('a=1');
  });

  const carries = 'must be what a form carries: text, a number, a boolean, a Date, or an object or array of them';
  it.each([
    ['a Map', { customDetails: { sizes: new Map([['a', 1]]) } }, 'customDetails[sizes]', 'got a Map: convert it to an object or an array first'],
    ['a Set', { tags: new Set(['a']) }, 'tags', 'got a Set: convert it to an object or an array first'],
    ['a Blob inside an object', { documents: { contract: new Blob(['%PDF']) } }, 'documents[contract]', 'got a Blob: a file goes in a FormData body, sent as multipart'],
    ['a File inside an array', { documents: [new File(['%PDF'], 'a.pdf')] }, 'documents[0]', 'got a File: a file goes in a FormData body, sent as multipart'],
    ['binary data', { scan: new Uint8Array([1, 2]) }, 'scan', 'got a Uint8Array: binary data has no form field'],
    ['a function (a method not called)', { name: 'Ann', fullName: () => 'Ann Lee' }, 'fullName', 'got a function'],
    ['a symbol', { tag: Symbol('t') }, 'tag', 'got a symbol'],
    ['a WeakMap, whose data no field shows', { cache: new WeakMap() }, 'cache', 'got a WeakMap, which has no fields to send'],
    ['an object whose fields are all inherited', { customDetails: Object.create({ size: 'M' }) }, 'customDetails', 'got an Object, which has no fields to send'],
    ['a toJSON answering what a form cannot carry', { when: { toJSON: () => new Set([1]) } }, 'when', 'got a Set: convert it to an object or an array first'],
  ])('refuses %s, naming the field, instead of dropping it', (_, body, field, got) => {
    expect(() => toFormBody(body)).toThrow(new BodyFieldError(field, `${carries} (${got})`));
  });

  it('sends an empty plain object, one made without a prototype or in another realm, as no fields', () => {
    expect(toFormBody({ a: {}, b: Object.create(null), other: runInNewContext('({})'), c: 1 }).toString()).toBe('c=1');
  });

  it('passes multipart and pre-encoded forms through as the caller built them', () => {
    const multipart = new FormData();
    const encoded = new URLSearchParams('a=1');
    expect(toFormBody(multipart)).toBe(multipart);
    expect(toFormBody(encoded)).toBe(encoded);
  });
});

describe('isBoxed', () => {
  it('tries no valueOf on an object that cannot be a boxed value: each that throws costs a stack trace, for every object of a body', () => {
    const kinds = [String, Number, Boolean, BigInt] as const;
    const originals = kinds.map((kind) => kind.prototype.valueOf);
    let tried = 0;
    kinds.forEach((kind, i) => {
      kind.prototype.valueOf = function (this: unknown) {
        tried += 1;
        return (originals[i] as (this: unknown) => unknown).call(this);
      } as never;
    });
    try {
      const plain = [{ a: 1 }, [1], new Date(0), Object.create(null), new (class Lead {})()];
      expect(plain.map(isBoxed)).toEqual([false, false, false, false, false]);
      expect(tried).toBe(0);
      // Still found: of this realm under another tag, of another, and not fooled by a tag alone.
      const renamed = Object.defineProperty(new String('x'), Symbol.toStringTag, { value: 'Label' });
      expect([renamed, runInNewContext('new Number(1)'), Object(1n)].map(isBoxed)).toEqual([true, true, true]);
      expect(isBoxed(Object.defineProperty(new Map(), Symbol.toStringTag, { value: 'String' }))).toBe(false);
    } finally {
      kinds.forEach((kind, i) => (kind.prototype.valueOf = originals[i] as never));
    }
  });
});
