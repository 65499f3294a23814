import { describe, expect, it } from 'vitest';
import { base64, base64Bytes } from './base64.js';

describe('base64', () => {
  it('encodes text as UTF-8, beyond what btoa takes', () => {
    expect(base64('user:pässwörd✓')).toBe(Buffer.from('user:pässwörd✓', 'utf8').toString('base64'));
  });

  it('encodes any bytes, in bodies larger than one slice', () => {
    const bytes = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 7919) % 256);
    expect(base64Bytes(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(base64Bytes(new Uint8Array())).toBe('');
  });
});
