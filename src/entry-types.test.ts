/**
 * Types each vendor entry point must export: checked by `tsc` (expectTypeOf is a no-op at run
 * time). The README documents `client.use()` and a call's `middleware`; without `Middleware` from
 * the entry point, a consumer imported it from openapi-fetch, which a strict installer (pnpm)
 * does not let a package reach when it is only a dependency of a dependency.
 */
import type { Middleware as OpenApiFetchMiddleware } from 'openapi-fetch';
import { describe, expectTypeOf, it } from 'vitest';
import type { Middleware as FootprintsMiddleware } from './footprints.js';
import type { Middleware as ImprzdMiddleware } from './imprzd.js';
import type { Middleware as PerxMiddleware } from './perx.js';
import type { Middleware as PlacewiseMiddleware } from './placewise.js';
import type { Middleware as XonvoMiddleware } from './xonvo.js';

describe('vendor entry point types', () => {
  it("exports Middleware, openapi-fetch's own, from every vendor entry point", () => {
    expectTypeOf<PerxMiddleware>().toEqualTypeOf<OpenApiFetchMiddleware>();
    expectTypeOf<XonvoMiddleware>().toEqualTypeOf<OpenApiFetchMiddleware>();
    expectTypeOf<FootprintsMiddleware>().toEqualTypeOf<OpenApiFetchMiddleware>();
    expectTypeOf<PlacewiseMiddleware>().toEqualTypeOf<OpenApiFetchMiddleware>();
    expectTypeOf<ImprzdMiddleware>().toEqualTypeOf<OpenApiFetchMiddleware>();
  });
});
