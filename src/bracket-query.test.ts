import { createQuerySerializer } from 'openapi-fetch';
import { describe, expect, it } from 'vitest';
import { bracketQuery } from './bracket-query.js';

describe('bracketQuery', () => {
  it("writes lists inside a query object with brackets, Placewise's \"any of\" form", () => {
    expect(bracketQuery({ properties: { gender: ['man', 'woman'], city: 'Oslo' }, page_no: 2 })).toBe(
      'properties[gender][]=man&properties[gender][]=woman&properties[city]=Oslo&page_no=2',
    );
  });

  it('encodes names and values, and leaves out null and undefined entries and items', () => {
    expect(bracketQuery({ properties: { 'first name': ['Ø & Å', null, undefined], gone: null, unset: undefined, list: [] } })).toBe('properties[first%20name][]=%C3%98%20%26%20%C3%85');
  });

  // A club's property names are its own: openapi-fetch wrote `first name` into the URL as it is (found 2026-12-01).
  it("encodes an object's keys with no list in it too, each name in the query's order", () => {
    expect(bracketQuery({ page_no: 1, properties: { 'first name': 'Ann', 'fav&x': 'y' }, search: 'a' })).toBe('page_no=1&properties[first%20name]=Ann&properties[fav%26x]=y&search=a');
  });

  it('writes any other query exactly as openapi-fetch does', () => {
    const query = { page_no: 1, 'ids[]': [1, 2], properties: { gender: 'man' }, search: 'a b' };
    expect(bracketQuery(query)).toBe(createQuerySerializer()(query));
  });
});
