import type { Json } from './store.js';

/** RFC 6901 JSON pointers over plain JSON values. */
export function tokens(pointer: string): string[] {
  return [...parsed(pointer)];
}

/**
 * Pointers read before, with their tokens. Every answer the state builds reads the same few
 * pointers (the spec's `at`, paging and echo pointers) on every request, and splitting one cost
 * more than the read itself: a Perx list's paging read and set 9 of them, ~3 µs of its ~40.
 * Bounded, and only for short pointers, as some are made from what a caller sent.
 */
const PARSED = new Map<string, readonly string[]>();
const PARSED_MAX = 1024;
const PARSED_LENGTH = 256;

/** The pointer's tokens, unescaped; the array is shared, and never changed. */
function parsed(pointer: string): readonly string[] {
  const known = PARSED.get(pointer);
  if (known) return known;
  const path = pointer === '' ? [] : pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (pointer.length <= PARSED_LENGTH) {
    if (PARSED.size >= PARSED_MAX) PARSED.delete(PARSED.keys().next().value!);
    PARSED.set(pointer, path);
  }
  return path;
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
  for (const token of parsed(pointer)) {
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
export const boundNames = (pattern: string): string[] => parsed(pattern).flatMap((token) => bindingOf(token) ?? []);

/**
 * The same, where a `{name}` token matches as `*` does and binds the key it matched to `name`
 * (`/leadsByAccountId/{accountId}/*`: each lead with the account it is listed under).
 */
export function itemsAt(value: unknown, pattern: string): { value: unknown; bound: Record<string, string> }[] {
  let found = [{ value, bound: {} as Record<string, string> }];
  for (const token of parsed(pattern)) {
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
  for (const token of parsed(pattern)) {
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
  return setValues(document, pointers.map((pointer) => [pointer, value]));
}

/** A copy of the document with each pointer's own value set, each object on the paths copied once, as setEach copies. */
export function setValues(document: Json, writes: [pointer: string, value: Json][]): Json {
  const copies = new Set<object>();
  // A container of this call's own to write into; what is no object on a path becomes one.
  const own = (here: Json | undefined): Container => {
    if (here !== null && typeof here === 'object' && copies.has(here)) return here;
    // A spread defines each key as data, as fromEntries did (a `__proto__` key stays a key), at a
    // fiftieth of its cost: copying a list answer's paging object that way was ~1 µs.
    const copy: Container = Array.isArray(here) ? [...here] : here !== null && typeof here === 'object' ? { ...here } : {};
    copies.add(copy);
    return copy;
  };
  let root = document;
  for (const [pointer, value] of writes) {
    const path = parsed(pointer);
    if (path.length === 0) {
      root = value;
      continue;
    }
    root = own(root);
    let here = root;
    for (let i = 0; i < path.length - 1; i++) here = put(here, path[i]!, own(member(here, path[i]!)));
    put(here, path[path.length - 1]!, value);
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
  // Only `__proto__` is an accessor a plain object inherits: any other key assigned is an own data member.
  if (Array.isArray(container)) container[Number(token)] = value;
  else if (token === '__proto__') Object.defineProperty(container, token, { value, enumerable: true, writable: true, configurable: true });
  else container[token] = value;
  return value;
}

// A primitive is its own copy: structuredClone's round trip cost every field an answer shows ~0.3 µs.
export const clone = <T>(value: T): T => (value !== null && typeof value === 'object' ? structuredClone(value) : value);

/** Removes what a pointer names from a document (in place); nothing when it names nothing. */
export function removeAt(document: unknown, pointer: string): void {
  const path = tokens(pointer);
  const last = path.pop();
  const parent = path.length ? getAt(document, `/${path.map(escapeToken).join('/')}`) : document;
  if (last !== undefined && parent !== null && typeof parent === 'object' && Object.hasOwn(parent, last)) delete (parent as Record<string, unknown>)[last];
}
