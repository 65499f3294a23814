import type { Middleware } from 'openapi-fetch';
import { describe, expect, it } from 'vitest';
import { forPaths } from './scoped.js';

/** The hook parameters openapi-fetch passes, for one spec path. */
const params = (schemaPath: string) => ({ schemaPath, request: new Request('http://x/'), response: new Response(), error: new Error('down') }) as never;

describe('forPaths', () => {
  const seen: string[] = [];
  const inner: Middleware = {
    onRequest: ({ schemaPath }) => void seen.push(`request ${schemaPath}`),
    onResponse: ({ schemaPath }) => void seen.push(`response ${schemaPath}`),
    onError: ({ schemaPath }) => void seen.push(`error ${schemaPath}`),
  };
  const scoped = forPaths((path) => path === '/token', inner);

  it('runs every hook of the middleware on the paths it applies to, and none elsewhere', async () => {
    seen.length = 0;
    for (const path of ['/token', '/other']) {
      await scoped.onRequest!(params(path));
      await scoped.onResponse!(params(path));
      await scoped.onError!(params(path));
    }
    expect(seen).toEqual(['request /token', 'response /token', 'error /token']);
  });

  it('passes over hooks the middleware does not have', async () => {
    const onlyResponses = forPaths(() => true, { onResponse: () => undefined });
    expect(await onlyResponses.onRequest!(params('/token'))).toBeUndefined();
    expect(await onlyResponses.onError!(params('/token'))).toBeUndefined();
  });
});
