import type { Operation } from './prism.js';

export interface Route {
  operation: Operation;
  params: Record<string, string>;
}

export type RouteResult = { route: Route } | { allowed: string[] } | undefined;

interface Compiled {
  operation: Operation;
  segments: (string | { param: string })[];
  literals: number;
}

/**
 * Matches a request to one operation with templates compiled once (Prism's own router rebuilds
 * regexes for every operation on every request). Literal segments beat templated ones, as in
 * Prism and the OpenAPI spec, so /members_groups/types wins over /members_groups/{id}.
 */
export function createRouter(operations: Operation[]) {
  const compiled: Compiled[] = operations.map((operation) => {
    const segments = operation.path.split('/').map((s) => {
      const m = /^\{([^}]+)\}$/.exec(s);
      return m ? { param: m[1]! } : s;
    });
    return { operation, segments, literals: segments.filter((s) => typeof s === 'string').length };
  });
  compiled.sort((a, b) => b.literals - a.literals);

  return function route(method: string, path: string): RouteResult {
    const parts = path.split('/');
    const allowed: string[] = [];
    for (const candidate of compiled) {
      if (candidate.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const matches = candidate.segments.every((segment, i) => {
        if (typeof segment === 'string') return segment === parts[i];
        if (parts[i] === '') return false;
        params[segment.param] = decodeURIComponent(parts[i]!);
        return true;
      });
      if (!matches) continue;
      if (candidate.operation.method === method) return { route: { operation: candidate.operation, params } };
      allowed.push(candidate.operation.method.toUpperCase());
    }
    return allowed.length ? { allowed } : undefined;
  };
}
