/**
 * Node's built-in modules, reached at run time through `process.getBuiltinModule` (Node 20.16+)
 * and never through an import: a bundler follows `import('node:…')` as it follows a static import,
 * so a client entry whose graph names one fails to build for a browser or an edge runtime, even
 * where that code never runs.
 */
type Loader = { process?: { getBuiltinModule?: (id: string) => unknown } };

/** The module, or undefined in a runtime without Node's built-ins (a browser, an edge runtime). */
export function optionalBuiltin<T>(id: string): T | undefined {
  return (globalThis as Loader).process?.getBuiltinModule?.(id) as T | undefined;
}

/** The module; in a runtime without it, an error saying what needed it and what to do `instead`. */
export function nodeBuiltin<T>(id: string, neededBy: string, instead?: string): T {
  const module = optionalBuiltin<T>(id);
  if (module === undefined) throw new Error(`${neededBy} needs Node's ${id}, which this runtime does not have${instead ? `: ${instead}` : ''}`);
  return module;
}
