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

/**
 * The module; where it cannot be reached, an error saying what needed it and what to do `instead`.
 * A runtime with Node's APIs but no `getBuiltinModule` (Node before 20.16, an older Deno or Bun)
 * has the module, only not this way to it: the error says so rather than call it missing.
 */
export function nodeBuiltin<T>(id: string, neededBy: string, instead?: string): T {
  const module = optionalBuiltin<T>(id);
  if (module !== undefined) return module;
  // Deno and Bun report a Node version too; a browser's `process` shim does not.
  const nodeLike = typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === 'string';
  const why = nodeLike ? 'reached through process.getBuiltinModule, which this runtime lacks (Node has it from 20.16; an older Deno or Bun does not)' : 'which this runtime does not have';
  throw new Error(`${neededBy} needs Node's ${id}, ${why}${instead ? `: ${instead}` : ''}`);
}
