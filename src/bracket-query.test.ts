import { createQuerySerializer } from 'openapi-fetch';
import { describe, expect, it } from 'vitest';
import { bracketQuery } from './bracket-query.js';

describe('bracketQuery', () => {
  it("writes lists inside a query object with brackets, Placewise's \"any of\" form", () => {
    expect(bracketQuery({ properties: { gender: ['man', 'woman'], city: 'Oslo' }, page_no: 2 })).toBe(
      'page_no=2&properties[gender][]=man&properties[gender][]=woman&properties[city]=Oslo',
    );
  });

  it('encodes names and values, and leaves out null and undefined entries and items', () => {
    expect(bracketQuery({ properties: { 'first name': ['Ø & Å', null, undefined], gone: null, unset: undefined, list: [] } })).toBe('properties[first%20name][]=%C3%98%20%26%20%C3%85');
  });

  it('writes any other query exactly as openapi-fetch does', () => {
    const query = { page_no: 1, 'ids[]': [1, 2], properties: { gender: 'man' }, search: 'a b' };
    expect(bracketQuery(query)).toBe(createQuerySerializer()(query));
  });
});
