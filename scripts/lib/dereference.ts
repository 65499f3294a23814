/**
 * Inlines every local `$ref` of a bundled document (dredd mislabels shared `$ref` responses).
 * A reference back into its own ancestry (a recursive schema such as a category with a parent
 * category) is cut to an unconstrained schema: JSON cannot hold the cycle, and dredd's shallow
 * body checks would not look that deep anyway.
 */
export function dereference<T>(doc: T): T {
  const lookup = (ref: string): unknown =>
    ref
      .replace(/^#\/?/, '')
      .split('/')
      .filter(Boolean)
      .reduce<any>((node, segment) => node?.[segment.replace(/~1/g, '/').replace(/~0/g, '~')], doc);

  const inline = (node: unknown, ancestry: string[]): unknown => {
    if (Array.isArray(node)) return node.map((item) => inline(item, ancestry));
    if (!node || typeof node !== 'object') return node;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith('#')) {
      if (ancestry.includes(ref)) return { description: `recursive reference to ${ref}, not expanded` };
      const target = lookup(ref);
      if (target === undefined) throw new Error(`unresolved $ref ${ref}`);
      return inline(target, [...ancestry, ref]);
    }
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, inline(value, ancestry)]));
  };
  return inline(doc, []) as T;
}
