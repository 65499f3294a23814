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
});
