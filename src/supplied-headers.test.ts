/**
 * WithSuppliedHeaders is a type only: these checks run in `tsc` (expectTypeOf is a no-op at run
 * time). The client sets some headers itself, so callers may leave them out, and may still pass them.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { WithSuppliedHeaders } from './supplied-headers.js';

interface Paths {
  '/members': {
    get: { parameters: { header: { 'X-User-Agent': string; 'X-Request-Id': string }; query: { page: number } }; responses: { 200: string } };
    post: { parameters: { query: { dryRun?: boolean } }; requestBody: { name: string } };
  };
}
type Supplied = WithSuppliedHeaders<Paths, 'X-User-Agent' | 'X-Product-Name'>;
type Header = NonNullable<Supplied['/members']['get']['parameters']['header']>;

describe('WithSuppliedHeaders', () => {
  it('makes the supplied headers optional and keeps the others required', () => {
    expectTypeOf<Header>().toEqualTypeOf<Omit<Paths['/members']['get']['parameters']['header'], 'X-User-Agent' | 'X-Product-Name'> & { 'X-User-Agent'?: string }>();
    expectTypeOf<{ 'X-Request-Id': string }>().toMatchTypeOf<Header>();
    expectTypeOf<{ 'X-User-Agent': string; 'X-Request-Id': string }>().toMatchTypeOf<Header>();
    expectTypeOf<{ 'X-User-Agent': string }>().not.toMatchTypeOf<Header>();
  });

  it('keeps the other parameters and the rest of the operation as they are', () => {
    expectTypeOf<Supplied['/members']['get']['parameters']['query']>().toEqualTypeOf<{ page: number }>();
    expectTypeOf<Supplied['/members']['get']['responses']>().toEqualTypeOf<{ 200: string }>();
    expectTypeOf<Supplied['/members']['post']>().toEqualTypeOf<Paths['/members']['post']>();
  });
});
