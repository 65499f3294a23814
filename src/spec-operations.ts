/** An operation of a vendor's spec, as generated/vendors.json lists those the runtime treats apart. */
export interface SpecOperation {
  method: string;
  /** The spec's path (a `{name}` matches one segment); matched at the end of a request's path, which a base URL may prefix. */
  path: string;
}

/**
 * Whether a request is one of `operations`, by its method and the end of its URL's path. The
 * method is compared first, so a request of a method none of them has parses no URL.
 */
export function operationTest(operations: readonly SpecOperation[] = []): (method: string, url: string) => boolean {
  const listed = operations.map(({ method, path }) => ({
    method: method.toUpperCase(),
    pattern: new RegExp(`${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^/}]*\}/g, '[^/]+')}/?$`),
  }));
  return (method, url) => {
    const named = listed.filter((operation) => operation.method === method.toUpperCase());
    if (named.length === 0) return false;
    const { pathname } = new URL(url);
    return named.some((operation) => operation.pattern.test(pathname));
  };
}
