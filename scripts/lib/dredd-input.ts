/**
 * What dredd is given and what it must run, from a bundled spec:
 * - `forDredd`: the dereferenced document dredd reads, minus what dredd cannot expand. Dredd
 *   builds each request from a URI template and refuses (it drops every transaction of the
 *   operation, with only a warning) a query parameter whose name is not a plain template
 *   variable, e.g. Placewise's `ids[]`. Such parameters are optional, so they are left out of
 *   dredd's requests, and each one is returned as a note so the run says so.
 * - `expectedTransactions`: one `METHOD path status` per documented response, the set dredd
 *   must have run; anything missing from a run was dropped (`droppedTransactions`), and the
 *   vendor fails.
 */
import { dereference } from './dereference.js';
import { listOperations, type OpenApiDocument } from './openapi.js';

const TEMPLATE_NAME = /^[A-Za-z0-9_.]+$/;

export function forDredd(doc: OpenApiDocument): { doc: OpenApiDocument; notes: string[] } {
  const copy = dereference(doc);
  const notes: string[] = [];
  const keeper = (where: string) => (param: any) => {
    if (param.in !== 'query' || TEMPLATE_NAME.test(param.name)) return true;
    if (param.required) throw new Error(`${where}: dredd cannot send the required query parameter "${param.name}"`);
    notes.push(`${where}: optional query parameter "${param.name}" left out of dredd's requests (dredd cannot expand the name)`);
    return false;
  };
  for (const [path, item] of Object.entries(copy.paths ?? {})) {
    if (Array.isArray(item.parameters)) item.parameters = item.parameters.filter(keeper(path));
  }
  for (const { method, path, operation } of listOperations(copy)) {
    if (operation.parameters) operation.parameters = operation.parameters.filter(keeper(`${method.toUpperCase()} ${path}`));
  }
  return { doc: copy, notes };
}

export function expectedTransactions(doc: OpenApiDocument): string[] {
  return listOperations(doc).flatMap(({ method, path, operation }) =>
    Object.keys(operation.responses ?? {}).map((status) => `${method.toUpperCase()} ${path} ${status}`),
  );
}

/** The expected transactions a run never reached, given those its hooks saw (`METHOD path status`). */
export function droppedTransactions(doc: OpenApiDocument, seen: Iterable<string>): string[] {
  const ran = new Set(seen);
  return expectedTransactions(doc).filter((transaction) => !ran.has(transaction));
}
