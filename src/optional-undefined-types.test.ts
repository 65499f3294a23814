/**
 * A call's optional parameters and body fields take `undefined` (CLIENT-199), checked by `tsc`:
 * the calls are in a function never run. An array parameter takes `undefined` as a whole, not
 * in its items: openapi-typescript gives the items the parameter's own path, and the generator
 * once made them `(number | undefined)[]`, so `[1, undefined]` compiled.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { PlacewiseClient } from './placewise.js';

async function calls(placewise: PlacewiseClient, unset: string | undefined) {
  await placewise.GET('/members', { params: { query: { 'ids[]': undefined, search: unset } } });
  await placewise.GET('/members', { params: { query: { 'ids[]': [1, 2] } } });
  // @ts-expect-error — an item left out is no id: the list holds numbers only.
  await placewise.GET('/members', { params: { query: { 'ids[]': [1, undefined] } } });
}

describe('optional parameters', () => {
  it('take undefined as a whole, and an array parameter no undefined item (checked by tsc)', () => {
    expectTypeOf(calls).parameter(0).toEqualTypeOf<PlacewiseClient>();
  });
});
