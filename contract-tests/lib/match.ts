import type { OperationRef } from '../../scripts/lib/openapi.js';
import type { LoadedSpec } from './spec.js';

export interface Template {
  path: string;
  segments: RegExp[];
  /** Per segment: 2 literal, 1 literal with a parameter in it, 0 parameter — compared left to right. */
  rank: number[];
  operations: Map<string, OperationRef>;
}

export function compileTemplates(operations: OperationRef[]): Template[] {
  const byPath = new Map<string, Template>();
  for (const op of operations) {
    let template = byPath.get(op.path);
    if (!template) {
      const parts = op.path.split('/').slice(1).filter((part, i, all) => part !== '' || i < all.length - 1);
      template = {
        path: op.path,
        // Segments are compared decoded, after the path is cut at its slashes: a `/` left in one was
        // sent as %2F inside a value (a base64 id), which the servers route as that one parameter.
        segments: parts.map((part) => new RegExp(`^${part.split(/\{[^}]+\}/).map(escape).join('[\\s\\S]+')}$`)),
        rank: parts.map((part) => (!part.includes('{') ? 2 : /^\{[^}]+\}$/.test(part) ? 0 : 1)),
        operations: new Map(),
      };
      byPath.set(op.path, template);
    }
    template.operations.set(op.method.toUpperCase(), op);
  }
  // Most specific first, so `/lead/action/{id}` wins over `/lead/{leadId}/{type}` for `/lead/action/5`.
  return [...byPath.values()].sort((a, b) => compareRank(b.rank, a.rank));
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? -1) - (b[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function matchingTemplates(templates: Template[], path: string): Template[] {
  const segments = path === '/' ? [] : path.split('/').slice(1).map(decodeSegment);
  return templates.filter(
    (t) => t.segments.length === segments.length && t.segments.every((regex, i) => regex.test(segments[i]!)),
  );
}

/** A path segment as the server reads it; a malformed escape is left as it is. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The operation a request addresses, by method and path relative to the server. */
export function matchOperation(spec: LoadedSpec, method: string, pathname: string): OperationRef | undefined {
  return matchingTemplates(compileTemplates(spec.operations), pathname)
    .map((t) => t.operations.get(method.toUpperCase()))
    .find(Boolean);
}
