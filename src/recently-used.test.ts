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

  it('tells `dropped` of each entry the limit pushes out, not of one deleted by name', () => {
    const dropped: string[] = [];
    const cache = recentlyUsed<string, string>(2, (key) => dropped.push(key));
    const get = (key: string) => cache.get(key, () => key);
    get('a');
    get('b');
    expect(cache.find('a')).toBe('a'); // a is now the most recently used
    get('c'); // drops b
    cache.delete('a');
    get('d');
    get('e'); // drops c
    expect(dropped).toEqual(['b', 'c']);
    expect(cache.find('b')).toBeUndefined();
    expect([...cache.values()]).toEqual(['d', 'e']);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('names its least recently used entry without counting that as a use', () => {
    const cache = recentlyUsed<string, number>(3);
    expect(cache.oldest()).toBeUndefined();
    cache.get('a', () => 1);
    cache.get('b', () => 2);
    cache.find('a');
    expect(cache.oldest()).toEqual(['b', 2]);
    expect(cache.oldest()).toEqual(['b', 2]);
  });
});
