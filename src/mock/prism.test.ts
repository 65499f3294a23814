import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { preferences, type PrismInput } from './prism.js';

// Prism's own parser, which `preferences` skips for a request that asks for nothing.
const parse = createRequire(import.meta.url)('@stoplight/prism-http-server/dist/getHttpConfigFromRequest.js').getHttpConfigFromRequest as (input: PrismInput) => { _tag: string; right?: unknown; left?: { message: string } };

const input = (headers: Record<string, string>, query: Record<string, string> = {}): PrismInput => ({ method: 'get', url: { path: '/x', query }, headers });

describe('preferences', () => {
  it("gives a request that asks for nothing what Prism's parser gives it", () => {
    for (const asked of [input({}), input({ prefer: '' }), input({ authorization: 'Bearer t' }, { page: '2', code: '200' })]) {
      expect(preferences(asked)).toStrictEqual({ config: parse(asked).right });
    }
  });

  it('reads a Prefer header, or the query Prism reads without one, with Prism’s parser', () => {
    expect(preferences(input({ prefer: 'code=404, example=missing' })).config).toMatchObject({ code: 404, exampleKey: 'missing' });
    expect(preferences(input({}, { __code: '201' })).config).toMatchObject({ code: 201 });
    expect(preferences(input({}, { __dynamic: '' })).error?.message).toBe(parse(input({}, { __dynamic: '' })).left?.message);
    expect(preferences(input({ prefer: 'code=abc' })).error).toBeDefined();
  });
});
