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

/** Sets a value inside a (cloned) document; '' replaces the whole document. */
export function setAt(document: Json, pointer: string, value: Json): Json {
  const path = tokens(pointer);
  if (path.length === 0) return value;
  let here = document as Record<string, Json>;
  for (const token of path.slice(0, -1)) {
    if (here[token] === null || typeof here[token] !== 'object') here[token] = {};
    here = here[token] as Record<string, Json>;
  }
  here[path.at(-1)!] = value;
  return document;
}

export const clone = <T>(value: T): T => structuredClone(value);
