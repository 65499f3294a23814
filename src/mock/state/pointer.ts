import type { Json } from './store.js';

/** RFC 6901 JSON pointers over plain JSON values. */
export function tokens(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** One pointer token written out: `~` and `/` escaped. */
export const escapeToken = (token: string): string => token.replace(/~/g, '~0').replace(/\//g, '~1');

/** The pointer with local `$ref`s (`#/…`) followed to what they name (at most 32 hops: a cycle ends). */
export function resolvedPointer(document: unknown, pointer: string): string {
  for (let hops = 0, node = getAt(document, pointer) as { $ref?: unknown } | undefined; hops < 32; hops++, node = getAt(document, pointer) as typeof node) {
    if (typeof node?.$ref !== 'string' || !node.$ref.startsWith('#/')) break;
    pointer = node.$ref.slice(1);
  }
  return pointer;
}

/** The value a pointer names; own members only (`/constructor` names nothing in a record). */
export function getAt(value: unknown, pointer: string): unknown {
  let here = value;
  for (const token of tokens(pointer)) {
    if (here === null || typeof here !== 'object' || !Object.hasOwn(here, token)) return undefined;
    here = (here as Record<string, unknown>)[token];
  }
  return here;
}

/** The values a pointer finds when each `*` token in it matches every key or index (`/byAccount/*` then `*` again: each item of each list). */
export function valuesAt(value: unknown, pattern: string): unknown[] {
  return itemsAt(value, pattern).map((item) => item.value);
}

/** The name a `{name}` token binds, read as itemsAt reads it (after unescaping); undefined for other tokens. */
const bindingOf = (token: string): string | undefined => /^\{(.+)\}$/.exec(token)?.[1];

/** Whether a pattern's token matches any key (`*`, or a `{name}` that binds the key it matched). */
export const matchesAny = (token: string): boolean => token === '*' || bindingOf(token) !== undefined;

/** The names a pattern's `{name}` tokens bind, in order (the x-mock check reads them as itemsAt does). */
export const boundNames = (pattern: string): string[] => tokens(pattern).flatMap((token) => bindingOf(token) ?? []);

/**
 * The same, where a `{name}` token matches as `*` does and binds the key it matched to `name`
 * (`/leadsByAccountId/{accountId}/*`: each lead with the account it is listed under).
 */
export function itemsAt(value: unknown, pattern: string): { value: unknown; bound: Record<string, string> }[] {
  let found = [{ value, bound: {} as Record<string, string> }];
  for (const token of tokens(pattern)) {
    const name = bindingOf(token);
    found = found.flatMap(({ value: here, bound }) => {
      if (here === null || typeof here !== 'object') return [];
      if (token !== '*' && name === undefined) return Object.hasOwn(here, token) ? [{ value: (here as Record<string, unknown>)[token], bound }] : [];
      return Object.entries(here).map(([key, item]) => ({ value: item, bound: name === undefined ? bound : { ...bound, [name]: key } }));
    });
  }
  return found;
}

/** The pointers a pattern names in a value, each `*` token standing for every key (or index) the value has there. */
export function pointersAt(value: unknown, pattern: string): string[] {
  let found = [{ path: [] as string[], here: value }];
  for (const token of tokens(pattern)) {
    found = found.flatMap(({ path, here }) => {
      const object = here !== null && typeof here === 'object' ? (here as Record<string, unknown>) : undefined;
      if (token !== '*') return [{ path: [...path, token], here: object && Object.hasOwn(object, token) ? object[token] : undefined }];
      return object ? Object.entries(object).map(([key, item]) => ({ path: [...path, key], here: item })) : [];
    });
  }
  return found.map(({ path }) => (path.length ? `/${path.map(escapeToken).join('/')}` : ''));
}

/**
 * A copy of the document with one value set; '' replaces the whole document. Only the objects on
 * the path are copied (shallowly): the answer is built without cloning the documented example
 * it starts from, and nothing shared (seeds, Prism's examples) is ever changed.
 */
export function setAt(document: Json, pointer: string, value: Json): Json {
  return setEach(document, [pointer], value);
}

type Container = Record<string, Json> | Json[];

/**
 * A copy of the document with the value set at each pointer, as setAt sets one, where each object
 * on the paths is copied once however many pointers pass through it: copied once per pointer, a
 * Placewise update dating its 3,300 consents copied the member's map of them 3,300 times (27 s).
 */
export function setEach(document: Json, pointers: string[], value: Json): Json {
  const copies = new Set<object>();
  // A container of this call's own to write into; what is no object on a path becomes one.
  const own = (here: Json | undefined): Container => {
    if (here !== null && typeof here === 'object' && copies.has(here)) return here;
    const copy: Container = Array.isArray(here) ? [...here] : Object.fromEntries(here !== null && typeof here === 'object' ? Object.entries(here) : []);
    copies.add(copy);
    return copy;
  };
  let root = document;
  for (const pointer of pointers) {
    const path = tokens(pointer);
    const last = path.pop();
    if (last === undefined) {
      root = value;
      continue;
    }
    root = own(root);
    let here = root;
    for (const token of path) here = put(here, token, own(member(here, token)));
    put(here, last, value);
  }
  return root;
}

/** A member of a container: an own one only (a body's `__proto__` key names no prototype). */
function member(container: Container, token: string): Json | undefined {
  if (Array.isArray(container)) return container[Number(token)];
  return Object.hasOwn(container, token) ? container[token] : undefined;
}

/** Sets a member, defined as data so that a `__proto__` key is a key, not the object's prototype. */
function put<T extends Json>(container: Container, token: string, value: T): T {
  if (Array.isArray(container)) container[Number(token)] = value;
  else Object.defineProperty(container, token, { value, enumerable: true, writable: true, configurable: true });
  return value;
}

export const clone = <T>(value: T): T => structuredClone(value);

/** Removes what a pointer names from a document (in place); nothing when it names nothing. */
export function removeAt(document: unknown, pointer: string): void {
  const path = tokens(pointer);
  const last = path.pop();
  const parent = path.length ? getAt(document, `/${path.map(escapeToken).join('/')}`) : document;
  if (last !== undefined && parent !== null && typeof parent === 'object' && Object.hasOwn(parent, last)) delete (parent as Record<string, unknown>)[last];
}
