import type { Middleware } from 'openapi-fetch';

/** Applies a middleware only to the spec paths `applies` accepts (e.g. only the token endpoint). */
export function forPaths(applies: (schemaPath: string) => boolean, middleware: Middleware): Middleware {
  return {
    onRequest: (params) => (applies(params.schemaPath) ? middleware.onRequest?.(params) : undefined),
    onResponse: (params) => (applies(params.schemaPath) ? middleware.onResponse?.(params) : undefined),
    onError: (params) => (applies(params.schemaPath) ? middleware.onError?.(params) : undefined),
  };
}
