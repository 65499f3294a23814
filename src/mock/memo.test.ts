import { describe, expect, it } from 'vitest';
import { createMemo, memoKey } from './memo.js';

const key = (overrides: Partial<{ method: string; path: string; query: string; headers: Record<string, string | undefined>; body: string | undefined }> = {}) => {
  const r = { method: 'get', path: '/things', query: 'a=1', headers: { authorization: 'Basic dTpw' }, body: undefined, ...overrides };
  return memoKey(r.method, r.path, r.query, r.headers, r.body);
};

describe('memoKey: which requests share a remembered verdict', () => {
  it('gives the same request the same key', () => {
    expect(key()).toBeDefined();
    expect(key()).toBe(key());
  });

  it('tells apart requests that differ in method, path, query, a header value or the body', () => {
    const keys = [
      key(),
      key({ method: 'post' }),
      key({ path: '/other' }),
      key({ query: 'a=2' }),
      key({ headers: { authorization: 'Basic eDp5' } }),
      key({ headers: { authorization: 'Basic dTpw', prefer: 'code=404' } }),
      key({ body: '{"a":1}' }),
      key({ body: '{"a":2}' }),
      // A text body that reads "undefined" is still a body: it must not share the bodyless request's verdict.
      key({ body: 'undefined' }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('ignores header order', () => {
    expect(key({ headers: { accept: 'application/json', authorization: 'x' } })).toBe(key({ headers: { authorization: 'x', accept: 'application/json' } }));
  });

  // Transport and session headers do not change what Prism answers: polls through different
  // connections or sessions reuse one verdict.
  it.each(['host', 'connection', 'content-length', 'keep-alive', 'accept-encoding', 'x-mock-session'])('ignores the %s header', (name) => {
    expect(key({ headers: { authorization: 'Basic dTpw', [name]: 'anything' } })).toBe(key());
  });

  it('treats a header whose value is undefined as absent', () => {
    expect(key({ headers: { authorization: 'Basic dTpw', prefer: undefined } })).toBe(key());
  });

  it('remembers bodies up to 4096 characters, and no larger', () => {
    expect(key({ body: 'x'.repeat(4096) })).toBeDefined();
    expect(key({ body: 'x'.repeat(4097) })).toBeUndefined();
  });
});

describe('createMemo', () => {
  it('returns what was set, and undefined for an unknown key', () => {
    const memo = createMemo<number>();
    memo.set('a', 1);
    expect(memo.get('a')).toBe(1);
    expect(memo.get('b')).toBeUndefined();
  });

  it('keeps 512 entries and then forgets the oldest first', () => {
    const memo = createMemo<number>();
    for (let i = 0; i < 512; i++) memo.set(`k${i}`, i);
    expect(memo.get('k0')).toBe(0);
    expect(memo.get('k511')).toBe(511);
    memo.set('k512', 512);
    expect(memo.get('k0')).toBeUndefined();
    expect(memo.get('k1')).toBe(1);
    expect(memo.get('k512')).toBe(512);
  });

  it('remembers what make gives, an undefined too, and calls make once per key', () => {
    const memo = createMemo<string | undefined>();
    let made = 0;
    const make = () => (made++, undefined);
    expect(memo.remembered('a', make)).toBeUndefined();
    expect(memo.remembered('a', make)).toBeUndefined();
    expect(memo.remembered('b', () => 'x')).toBe('x');
    expect(memo.remembered('b', () => 'y')).toBe('x');
    expect(made).toBe(1);
  });
});
