import { describe, expect, it } from 'vitest';
import { toFormBody } from './form.js';

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

  it('leaves out null and undefined fields', () => {
    expect(toFormBody({ a: null, b: undefined, c: '' }).toString()).toBe('c=');
  });

  it('refuses a body that is not an object of fields', () => {
    expect(() => toFormBody(['x'])).toThrow('form body must be an object of fields');
  });

  it('sends no fields for a null or undefined body', () => {
    expect(toFormBody(null).toString()).toBe('');
    expect(toFormBody(undefined).toString()).toBe('');
  });

  it('refuses a string or a number as the body: the fields must be named', () => {
    expect(() => toFormBody('name=Ann')).toThrow(new TypeError('form body must be an object of fields'));
    expect(() => toFormBody(42)).toThrow(TypeError);
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
      new TypeError('form body field "customDetails[birthday]" is an invalid Date'),
    );
  });

  it('refuses a circular body, naming the field, but sends an object that appears twice side by side', () => {
    const member: Record<string, unknown> = { name: 'Ann' };
    member.self = { again: member };
    expect(() => toFormBody({ member })).toThrow(new TypeError('form body field "member[self][again]" contains an object it is already inside (a circular reference)'));
    const tag = { id: 1 };
    expect([...toFormBody({ tags: [tag, tag] }).entries()]).toEqual([
      ['tags[0][id]', '1'],
      ['tags[1][id]', '1'],
    ]);
  });

  it('leaves out functions and symbols, as JSON does, and the holes of a sparse array', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect([...toFormBody({ name: 'Ann', toString: () => 'x', tag: Symbol('t'), list: [1, , 3] }).entries()]).toEqual([
      ['name', 'Ann'],
      ['list[0]', '1'],
      ['list[2]', '3'],
    ]);
  });

  it('passes multipart and pre-encoded forms through as the caller built them', () => {
    const multipart = new FormData();
    const encoded = new URLSearchParams('a=1');
    expect(toFormBody(multipart)).toBe(multipart);
    expect(toFormBody(encoded)).toBe(encoded);
  });
});
