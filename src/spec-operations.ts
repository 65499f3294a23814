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
  const byMethod = new Map<string, RegExp[]>();
  for (const { method, path } of operations) {
    const pattern = new RegExp(`${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^/}]*\}/g, '[^/]+')}/?$`);
    byMethod.set(method.toUpperCase(), [...(byMethod.get(method.toUpperCase()) ?? []), pattern]);
  }
  return (method, url) => {
    const patterns = byMethod.get(method.toUpperCase());
    if (patterns === undefined) return false;
    const { pathname } = new URL(url);
    return patterns.some((pattern) => pattern.test(pathname));
  };
}
