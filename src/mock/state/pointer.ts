import type { Json } from './store.js';

/** RFC 6901 JSON pointers over plain JSON values. */
function tokens(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function getAt(value: unknown, pointer: string): unknown {
  let here = value;
  for (const token of tokens(pointer)) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<string, unknown>)[token];
  }
  return here;
}

/**
 * A copy of the document with one value set; '' replaces the whole document. Only the objects on
 * the path are copied (shallowly): the answer is built without cloning the documented example
 * it starts from, and nothing shared (seeds, Prism's examples) is ever changed.
 */
export function setAt(document: Json, pointer: string, value: Json): Json {
  const [head, ...rest] = tokens(pointer);
  if (head === undefined) return value;
  const here = document !== null && typeof document === 'object' ? document : {};
  const next = rest.length ? setAt((here as Record<string, Json>)[head] ?? null, `/${rest.map((t) => t.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`, value) : value;
  if (Array.isArray(here)) {
    const copy = [...here];
    copy[Number(head)] = next;
    return copy;
  }
  return { ...(here as Record<string, Json>), [head]: next };
}

export const clone = <T>(value: T): T => structuredClone(value);
