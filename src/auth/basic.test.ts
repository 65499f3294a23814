import { describe, expect, it } from 'vitest';
import { basicAuthorization, readBasicAuthorization } from './basic.js';

describe('readBasicAuthorization', () => {
  it('reads back what basicAuthorization writes, a password holding colons and non-Latin text included', () => {
    const credentials = { username: 'zoë', password: 'pa:ss:wörd' };
    expect(readBasicAuthorization(basicAuthorization(credentials))).toEqual(credentials);
  });

  it('splits at the first colon only (RFC 7617), takes any case of the scheme and unpadded base64', () => {
    expect(readBasicAuthorization(`basic ${btoa('a:b:c').replace(/=+$/, '')}`)).toEqual({ username: 'a', password: 'b:c' });
    expect(readBasicAuthorization(`Basic ${btoa(':')}`)).toEqual({ username: '', password: '' });
  });

  it.each([
    ['no header', undefined],
    ['another scheme', `Bearer ${btoa('a:b')}`],
    ['no colon in the decoded text', `Basic ${btoa('ab')}`],
    ['text that is not base64', 'Basic a'],
    ['characters base64 does not use', 'Basic YTpi!'],
    ['no credentials after the scheme', 'Basic '],
  ])('is undefined for %s', (_, value) => {
    expect(readBasicAuthorization(value)).toBeUndefined();
  });
});
