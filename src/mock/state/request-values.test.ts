import { describe, expect, it } from 'vitest';
import { formFields, holds, queryValues, readSource, type RequestView } from './request-values.js';

function view(parts: Partial<RequestView> & { search?: string } = {}): RequestView {
  const { search = '', ...rest } = parts;
  return { params: {}, query: new URLSearchParams(search), headers: {}, body: undefined, ...rest };
}

describe('queryValues', () => {
  it('reads repeated keys of exactly the declared name, not another spelling Prism did not validate', () => {
    const query = new URLSearchParams('tag[]=b&tag=a&tag=c&other=x');
    expect(queryValues(query, 'tag')).toEqual(['a', 'c']);
    expect(queryValues(query, 'tag[]')).toEqual(['b']);
  });

  it('counts a value joined by the declared separator as its items, and whole; without one, only whole', () => {
    expect(queryValues(new URLSearchParams('ids=1|2&ids=3'), 'ids', '|')).toEqual(['1|2', '3', '1', '2']);
    expect(queryValues(new URLSearchParams('name=Sale%2C+spring&name=Red|Blue'), 'name')).toEqual(['Sale, spring', 'Red|Blue']);
  });

  it('is empty for a missing parameter', () => {
    expect(queryValues(new URLSearchParams('a=1'), 'b')).toEqual([]);
  });
});

describe('readSource', () => {
  const request = view({
    params: { id: '42' },
    search: 'q=from-query&q=second',
    headers: { 'x-product-name': 'kiosk' },
    body: { user: { id: 'u-1' }, points: '15', ref: 'order-777' },
  });

  it('reads a constant, a record field, a body pointer, a query value, a path parameter or a header (by its name in any case)', () => {
    expect(readSource({ header: 'X-Product-Name' }, request)).toBe('kiosk');
    expect(readSource({ header: 'x-subproduct-name' }, request)).toBeUndefined();
    expect(readSource({ value: 'fixed' }, request)).toBe('fixed');
    expect(readSource({ value: 0 }, request)).toBe(0);
    expect(readSource({ record: '/name' }, request, { name: 'rec' })).toBe('rec');
    expect(readSource({ body: '/user/id' }, request)).toBe('u-1');
    expect(readSource({ query: 'q' }, request)).toBe('from-query');
    expect(readSource({ path: 'id' }, request)).toBe('42');
  });

  it('prefers value, then record, then body, then query, then path', () => {
    expect(readSource({ value: 'v', record: '/name', body: '/points', query: 'q', path: 'id' }, request, { name: 'rec' })).toBe('v');
    expect(readSource({ record: '/name', body: '/points', query: 'q', path: 'id' }, request, { name: 'rec' })).toBe('rec');
    expect(readSource({ body: '/points', query: 'q', path: 'id' }, request)).toBe('15');
    expect(readSource({ query: 'q', path: 'id' }, request)).toBe('from-query');
  });

  it('is undefined when the named place is empty, or no place is named', () => {
    expect(readSource({ body: '/missing' }, request)).toBeUndefined();
    expect(readSource({ query: 'none' }, request)).toBeUndefined();
    expect(readSource({ path: 'none' }, request)).toBeUndefined();
    expect(readSource({ record: '/name' }, request)).toBeUndefined();
    expect(readSource({}, request)).toBeUndefined();
  });

  it("takes a pattern's first group, and undefined when it does not match", () => {
    expect(readSource({ body: '/ref', pattern: '^order-(\\d+)$' }, request)).toBe('777');
    expect(readSource({ body: '/ref', pattern: '^invoice-(\\d+)$' }, request)).toBeUndefined();
    // Nothing to match: the value stays absent rather than matching the text "undefined".
    expect(readSource({ body: '/missing', pattern: '(\\w+)' }, request)).toBeUndefined();
  });

  it('negates numbers, and leaves an absent value absent', () => {
    expect(readSource({ body: '/points', negate: true }, request)).toBe(-15);
    expect(readSource({ body: '/missing', negate: true }, request)).toBeUndefined();
    expect(readSource({ body: '/ref', pattern: 'order-(\\d+)', negate: true }, request)).toBe(-777);
  });
});

describe('holds', () => {
  const request = view({
    params: { kind: 'gift' },
    search: 'confirm=false&tags[]=a',
    headers: { 'x-mode': 'sandbox' },
    body: { amount: 5, flag: true },
  });

  it('reads headers by their lower-case name', () => {
    expect(holds({ header: 'X-Mode', equals: 'sandbox' }, request)).toBe(true);
    expect(holds({ header: 'X-Mode', equals: 'live' }, request)).toBe(false);
  });

  it('reads query parameters under the declared name only', () => {
    expect(holds({ query: 'confirm', equals: 'false' }, request)).toBe(true);
    expect(holds({ query: 'confirm', equals: false }, request)).toBe(true);
    expect(holds({ query: 'tags[]', equals: 'a' }, request)).toBe(true);
    expect(holds({ query: 'tags', absent: true }, request)).toBe(true);
  });

  it('compares body and path values as text', () => {
    expect(holds({ body: '/amount', equals: 5 }, request)).toBe(true);
    expect(holds({ body: '/amount', equals: '5' }, request)).toBe(true);
    expect(holds({ body: '/flag', equals: true }, request)).toBe(true);
    expect(holds({ body: '/amount', equals: 6 }, request)).toBe(false);
    expect(holds({ path: 'kind', equals: 'gift' }, request)).toBe(true);
  });

  it('matches regular expressions', () => {
    expect(holds({ path: 'kind', matches: '^gi' }, request)).toBe(true);
    expect(holds({ path: 'kind', matches: '^ft' }, request)).toBe(false);
    expect(holds({ header: 'x-mode', matches: 'box$' }, request)).toBe(true);
  });

  it('tells an http(s) URL a webhook can be sent to from one it cannot, as the delivery does', () => {
    const url = (value: unknown, httpUrl: boolean) => holds({ body: '/url', httpUrl }, view({ body: { url: value } }));
    for (const good of ['https://hooks.example.com/x', 'HTTP://127.0.0.1:3000/x?key=1']) expect([url(good, true), url(good, false)]).toEqual([true, false]);
    for (const bad of ['http://', 'http://user:pass@127.0.0.1/x', 'http:///ops@hooks.example.com/', 'ftp://hooks.example.com/', 'hooks.example.com/x', 5, 'http://bücher.example/', 'http://h/a b']) {
      expect([url(bad, true), url(bad, false)]).toEqual([false, true]);
    }
  });

  it('tests presence with absent, both ways', () => {
    expect(holds({ query: 'confirm', absent: false }, request)).toBe(true);
    expect(holds({ query: 'confirm', absent: true }, request)).toBe(false);
    expect(holds({ query: 'missing', absent: true }, request)).toBe(true);
    expect(holds({ query: 'missing', absent: false }, request)).toBe(false);
    expect(holds({ header: 'x-missing', absent: true }, request)).toBe(true);
  });

  it('is true for a present value with nothing to compare, false for an absent one', () => {
    expect(holds({ body: '/amount' }, request)).toBe(true);
    expect(holds({ body: '/missing' }, request)).toBe(false);
    expect(holds({ body: '/missing', equals: 'undefined' }, request)).toBe(false);
    expect(holds({ query: 'missing', matches: '.*' }, request)).toBe(false);
  });
});

describe('formFields', () => {
  it('nests bracketed names', () => {
    expect(formFields('a[b][0]=x&a[b][1]=y&a[c]=z&plain=1')).toEqual({ a: { b: { 0: 'x', 1: 'y' }, c: 'z' }, plain: '1' });
  });

  it('keeps a name that is not of the bracketed form whole, as Prism validates it: `status]` is not `status`', () => {
    expect(formFields('status]=bogus&a]b[c]=1&[x]=2&a[b]c=3&ok[]=4&open[b=5')).toEqual({ 'status]': 'bogus', 'a]b[c]': '1', '[x]': '2', 'a[b]c': '3', ok: { '': '4' }, 'open[b': '5' });
  });

  it('decodes values like a form does', () => {
    expect(formFields('name=J%C3%BCrgen+M&email=a%40b.c')).toEqual({ name: 'Jürgen M', email: 'a@b.c' });
  });

  it("keeps names that reach a prototype as the body's own fields, and changes no prototype", () => {
    const fields = formFields('__proto__[polluted]=1&constructor[prototype][polluted]=2&a[__proto__][polluted]=3');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(fields))).toEqual(JSON.parse('{"__proto__":{"polluted":"1"},"constructor":{"prototype":{"polluted":"2"}},"a":{"__proto__":{"polluted":"3"}}}'));
  });

  it('a field given both as a value and as a parent keeps the later one', () => {
    expect(formFields('a=1&a[b]=2')).toEqual({ a: { b: '2' } });
    expect(formFields('a[b]=2&a=1')).toEqual({ a: '1' });
  });

  it('is empty for an empty body', () => {
    expect(formFields('')).toEqual({});
  });
});
