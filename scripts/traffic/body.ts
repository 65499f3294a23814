import { measureJson } from '../../src/json-shape.js';

/** How a recorded body reads as a value its schema can describe. */
export type ParsedBody =
  | { kind: 'json'; value: unknown }
  | { kind: 'form'; value: Record<string, unknown> }
  /** `depth` is set when the body parses but nests deeper than the checks go (MAX_DEPTH). */
  | { kind: 'invalid'; message: string; depth?: number }
  /** A media type we do not read (multipart, binary, XML): its body is not checked. */
  | { kind: 'opaque' };

export const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json');
export const isForm = (mediaType: string) => mediaType === 'application/x-www-form-urlencoded';

/**
 * How deep a body the checks read. The schema validator and the suggestion's example walk a body
 * recursively, and a body thousands of levels deep (a recursive schema allows one: Perx's category
 * `parent` chain) ran them out of stack. No API answer this package knows of nests past 20 levels.
 */
export const MAX_DEPTH = 256;

export const tooDeep = (depth: number, why = `the checker reads at most ${MAX_DEPTH}`) => `nested too deep to check: ${depth} levels (${why})`;
export const OUT_OF_STACK = 'the validator ran out of stack';

/** The nesting depth of JSON text when it is deeper than the checks go, else undefined. */
export function excessDepth(text: string): number | undefined {
  const { depth } = measureJson(text);
  return depth > MAX_DEPTH ? depth : undefined;
}

/** How deep a parsed value nests (a scalar is 0), walked without recursion: it is called on values too deep to recurse through. */
export function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

export function parseBody(mediaType: string, text: string): ParsedBody {
  if (isJson(mediaType)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { kind: 'invalid', message: `body is not JSON: ${text.slice(0, 80)}` };
    }
    const depth = excessDepth(text);
    return depth === undefined ? { kind: 'json', value } : { kind: 'invalid', message: `body ${tooDeep(depth)}`, depth };
  }
  if (isForm(mediaType)) return decodeForm(text);
  return { kind: 'opaque' };
}

/** A form field that is a list (`a[]=`) or a set of keys (`a[b]=`); a plain value is a string. */
type Container = unknown[] | Record<string, unknown>;

/**
 * The inverse of src/form.ts: bracketed keys become nested values (`a[b]=1` → `{ a: { b: '1' } }`,
 * `a[0][b]=1` → `{ a: [{ b: '1' }] }`), which is how the specs model deepObject form fields.
 * Values stay strings; the validator coerces them to the schema's types as the server would.
 * A recording is input from anywhere: objects have no prototype (a field named `__proto__[x]`
 * wrote onto Object.prototype, and hid later findings), and a field sent both as a value and with
 * keys, or as a list and with keys, is a problem named by its field, not a crash.
 */
export function decodeForm(text: string): { kind: 'form'; value: Record<string, unknown> } | { kind: 'invalid'; message: string; depth?: number } {
  const root: Record<string, unknown> = Object.create(null);
  for (const [key, value] of new URLSearchParams(text)) {
    const match = key.match(/^([^[\]]+)((?:\[[^\]]*\])+)$/);
    const path = match ? [match[1]!, ...[...match[2]!.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!)] : [key];
    if (path.length > MAX_DEPTH) return { kind: 'invalid', message: `form field ${key.slice(0, 80)}… ${tooDeep(path.length)}`, depth: path.length };
    const problem = assign(root, path, value);
    if (problem) return { kind: 'invalid', message: problem };
  }
  return { kind: 'form', value: listed(root) as Record<string, unknown> };
}

const isIndex = (key: string) => /^(0|[1-9]\d{0,8})$/.test(key);
const named = (path: string[], upTo: number) => path[0]! + path.slice(1, upTo).map((k) => `[${k}]`).join('');

/** Puts one field's value at its place; a problem when the field's earlier entries gave it another shape. */
function assign(root: Record<string, unknown>, path: string[], value: string): string | undefined {
  let node: Container = root;
  for (let i = 0; i < path.length; i++) {
    const slot = slotIn(node, path[i]!);
    if (slot === undefined) {
      return Array.isArray(node)
        ? `form field ${named(path, i)} is sent both as a list (${named(path, i)}[]) and with keys (${named(path, i + 1)})`
        : `form field ${named(path, i)} is sent both with keys and as a list (${named(path, i)}[])`;
    }
    const held: unknown = (node as Record<string, unknown>)[slot];
    if (i === path.length - 1) {
      if (held !== undefined && typeof held !== 'string') return `form field ${named(path, i + 1)} is sent both as a value and with keys`;
      // A repeated plain field keeps its last value, as most servers read it.
      (node as Record<string, unknown>)[slot] = value;
      return undefined;
    }
    if (typeof held === 'string') return `form field ${named(path, i + 1)} is sent both as a value and with keys (${named(path, i + 2)})`;
    node = held === undefined ? place(node, slot, path[i + 1] === '' ? [] : Object.create(null)) : (held as Container);
  }
  return undefined;
}

/**
 * Where a key goes in a field's value: a list takes `[]` (a new item), the index of an item it
 * holds and the next index (`tags[]=a&tags[1]=b`, as PHP and qs read it); keys take any name, and
 * `[]` too when every key they hold is an index (`tags[0]=a&tags[]=b`: the next one). Undefined
 * when the key does not fit: a name on a list would be a property of the array object,
 * `Array.prototype` for `__proto__`.
 */
function slotIn(node: Container, key: string): string | undefined {
  if (Array.isArray(node)) {
    if (key === '') return String(node.length);
    return isIndex(key) && Number(key) <= node.length ? key : undefined;
  }
  if (key !== '') return key;
  let next = 0;
  for (const held of Object.keys(node)) {
    if (!isIndex(held)) return undefined;
    next = Math.max(next, Number(held) + 1);
  }
  return String(next);
}

function place(node: Container, slot: string, child: Container): Container {
  (node as Record<string, unknown>)[slot] = child;
  return child;
}

/** Keyed values whose keys are exactly 0…n-1 (`a[1]=x&a[0]=y`) as lists, in index order; the rest as they are. */
function listed(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(listed);
  if (node === null || typeof node !== 'object') return node;
  const keys = Object.keys(node);
  const values = node as Record<string, unknown>;
  if (keys.length > 0 && keys.every(isIndex) && keys.every((k) => Number(k) < keys.length)) {
    return Array.from({ length: keys.length }, (_, i) => listed(values[String(i)]));
  }
  for (const key of keys) values[key] = listed(values[key]);
  return node;
}
