import { describe, expect, it } from 'vitest';
import { recentlyUsed } from './recently-used.js';

describe('recentlyUsed', () => {
  it('makes an entry once and hands back the same one while it is kept', () => {
    const made: string[] = [];
    const cache = recentlyUsed<string, object>(2);
    const a = cache.get('a', () => (made.push('a'), {}));
    expect(cache.get('a', () => (made.push('a again'), {}))).toBe(a);
    expect(made).toEqual(['a']);
  });

  it('drops the least recently used entry beyond its limit, so the next use makes it again', () => {
    const made: string[] = [];
    const cache = recentlyUsed<string, string>(2);
    const get = (key: string) => cache.get(key, () => (made.push(key), key));
    get('a');
    get('b');
    get('a'); // a is now the most recently used
    get('c'); // drops b
    expect(cache.size).toBe(2);
    get('a');
    get('b');
    expect(made).toEqual(['a', 'b', 'c', 'b']);
  });
});
