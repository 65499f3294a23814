import { compileTemplates, matchingTemplates } from '../../contract-tests/lib/match.js';
import type { OpenApiDocument, OperationRef } from '../lib/openapi.js';
import type { Exchange } from './har.js';
import { serverPatterns, splits, type Split } from './servers.js';

export type Located =
  | { kind: 'documented'; exchange: Exchange; op: OperationRef; split: Split }
  /** `documentedPath` is set when the path is in the spec but this method is not. */
  | { kind: 'undocumented'; exchange: Exchange; split: Split; documentedPath?: string }
  | { kind: 'outside'; exchange: Exchange; reason: string };

/**
 * Finds the documented operation of every exchange. Requests no server accounts for are
 * `outside` (a browser recording also holds pages, fonts, analytics). So are requests whose
 * host only a server variable accepts, when other hosts served documented calls and theirs
 * did not: with `{host}` or `{environment}` every host would count otherwise. An undocumented
 * request is cut at the same server prefix as the documented requests to its host, so that
 * its suggested path lines up with the spec's paths.
 */
export function locate(doc: OpenApiDocument, operations: OperationRef[], exchanges: Exchange[], serverOverride?: string): Located[] {
  const patterns = serverPatterns(serverOverride ? [{ url: serverOverride }] : doc.servers);
  const templates = compileTemplates(operations);
  const basesByOrigin = new Map<string, Set<string>>();

  const firstPass = exchanges.map((exchange): Located | { kind: 'pending'; exchange: Exchange; candidates: Split[] } => {
    const candidates = splits(exchange.url, patterns);
    if (candidates.length === 0) return { kind: 'outside', exchange, reason: 'not under a server of the spec' };
    for (const split of candidates) {
      const op = matchingTemplates(templates, split.path)
        .map((t) => t.operations.get(exchange.method))
        .find(Boolean);
      if (op) {
        const bases = basesByOrigin.get(exchange.url.origin) ?? new Set();
        basesByOrigin.set(exchange.url.origin, bases.add(split.base));
        return { kind: 'documented', exchange, op, split };
      }
    }
    return { kind: 'pending', exchange, candidates };
  });

  return firstPass.map((located) => {
    if (located.kind !== 'pending') return located;
    const { exchange, candidates } = located;
    const known = basesByOrigin.get(exchange.url.origin);
    if (!known && basesByOrigin.size > 0 && candidates.every((c) => c.anyHost)) {
      return { kind: 'outside', exchange, reason: 'its host matches only a server variable and served no documented call' };
    }
    // A server that is one variable (XONVO's) matches any URL: on a host whose documented calls
    // went under one base path, a request outside it is the app's own (its scripts, its pages).
    if (known && candidates.every((c) => c.anyHost && !known.has(c.base))) {
      return { kind: 'outside', exchange, reason: `not under ${[...known].join(' or ')}, where the documented calls on this host went` };
    }
    const split =
      candidates.find((c) => known?.has(c.base)) ??
      candidates.find((c) => matchingTemplates(templates, c.path).length > 0) ??
      candidates[0]!;
    return { kind: 'undocumented', exchange, split, documentedPath: matchingTemplates(templates, split.path)[0]?.path };
  });
}
