import { describe, expect, it } from 'vitest';
import { base64, base64Bytes, byteString, stringBytes } from './base64.js';

describe('base64', () => {
  it('encodes text as UTF-8, beyond what btoa takes', () => {
    expect(base64('user:pässwörd✓')).toBe(Buffer.from('user:pässwörd✓', 'utf8').toString('base64'));
  });

  it('encodes any bytes, in bodies larger than one slice', () => {
    const bytes = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 7919) % 256);
    expect(base64Bytes(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(base64Bytes(new Uint8Array())).toBe('');
  });

  // Through iterators, a 5 MB upload recorded took 9 s of the event loop (spread walks each slice),
  // and a 200 MB one ran the process out of memory (Uint8Array.from lists every character first).
  it('converts bytes to one character each and back by index, through no iterator (found 2026-12-02)', () => {
    const bytes = Uint8Array.from({ length: 70_001 }, (_, i) => (i * 7919) % 256);
    const typed = Object.getPrototypeOf(Uint8Array.prototype) as { [Symbol.iterator]: unknown };
    const iterators = [String.prototype, typed] as { [Symbol.iterator]: unknown }[];
    const kept = iterators.map((prototype) => prototype[Symbol.iterator]);
    for (const prototype of iterators)
      prototype[Symbol.iterator] = () => {
        throw new Error('read through an iterator');
      };
    let binary: string, back: Uint8Array;
    try {
      binary = byteString(bytes);
      back = stringBytes(binary);
    } finally {
      iterators.forEach((prototype, i) => (prototype[Symbol.iterator] = kept[i]));
    }
    expect(binary).toBe(Buffer.from(bytes).toString('latin1'));
    expect(back).toEqual(bytes);
  });
});
