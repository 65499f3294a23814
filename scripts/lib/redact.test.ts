import { describe, expect, it } from 'vitest';
import { base64 } from '../../src/auth/base64.js';
import { createRedactor } from './redact.js';

describe('createRedactor', () => {
  it('masks secrets, their URL-encoded forms and Basic-auth pairs of them', () => {
    const redact = createRedactor(['user-42', 'p@ss/word']);
    const text = `u=user-42 p=p%40ss%2Fword auth=Basic ${base64('user-42:p@ss/word')} raw=p@ss/word`;
    expect(redact(text)).toBe('u=[redacted] p=[redacted] auth=Basic [redacted] raw=[redacted]');
  });

  it('leaves text alone when there are no secrets, and ignores values too short to be one', () => {
    expect(createRedactor([])('nothing to hide')).toBe('nothing to hide');
    expect(createRedactor(['abc'])('abc')).toBe('abc');
  });
});
