/**
 * The bytes a value takes written as JSON, counted without writing it: a recorder bounds what it
 * keeps by what its file will hold (`maxKeptBytes`), and counted in characters, JSON's escapes
 * (`\u0001` is six bytes) and UTF-8 (`€` is three) made the file several times the bound. Writing
 * each entry to count it would cost a second stringify of every body. Browser-safe: no Buffer.
 */

/** Printable ASCII: one byte a character, and two for `"` and `\`, which JSON escapes. */
const PRINTABLE = /^[\x20-\x7e]*$/;
/** Control characters JSON writes with a two-character escape (`\b \t \n \f \r`); the others take six (`\u0001`). */
const SHORT_ESCAPES = new Set([0x08, 0x09, 0x0a, 0x0c, 0x0d]);

/** The UTF-8 bytes of a string as JSON.stringify writes it, its quotes included. */
export function jsonStringBytes(text: string): number {
  // Most texts (URLs, headers, JSON bodies) are counted by native scans: as a loop over each
  // character, an 8 MiB JSON body took longer (160 ms) than writing it (130 ms).
  if (PRINTABLE.test(text)) return text.length + 2 + occurrences(text, '"') + occurrences(text, '\\');
  let bytes = 2;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20) bytes += SHORT_ESCAPES.has(code) ? 2 : 6;
    else if (code === 0x22 || code === 0x5c) bytes += 2;
    else if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) (bytes += 4), i++;
    // A lone surrogate is written escaped (`\udc00`).
    else if (code >= 0xd800 && code <= 0xdfff) bytes += 6;
    else bytes += 3;
  }
  return bytes;
}

function occurrences(text: string, character: string): number {
  let count = 0;
  for (let at = text.indexOf(character); at >= 0; at = text.indexOf(character, at + 1)) count++;
  return count;
}

const BOXES = new Set(['[object Number]', '[object String]', '[object Boolean]', '[object BigInt]']);

/** Whether `valueOf` (a primitive's own) takes `node`: it holds that primitive, boxed. */
function holds(valueOf: (this: unknown) => unknown, node: object): boolean {
  try {
    valueOf.call(node);
    return true;
  } catch {
    return false;
  }
}

/**
 * A boxed primitive (`new String('ab')`) as JSON.stringify reads it: the primitive, read by
 * Number() and String() as it reads them. Counted as an object, `new String('ab')` was 26 bytes
 * (`{"0": "a", "1": "b"}` indented) where the file holds `"ab"`. Only what may be a box is tried
 * (its tag says so, or names another): a failed try costs a thrown error.
 */
function unboxed(node: object): unknown {
  if (!BOXES.has(Object.prototype.toString.call(node)) && !(Symbol.toStringTag in node)) return node;
  if (holds(Number.prototype.valueOf, node)) return Number(node);
  if (holds(String.prototype.valueOf, node)) return String(node);
  if (holds(Boolean.prototype.valueOf, node)) return Boolean.prototype.valueOf.call(node);
  if (holds(BigInt.prototype.valueOf, node)) return BigInt.prototype.valueOf.call(node);
  return node;
}

/**
 * The UTF-8 bytes of `JSON.stringify(value, null, 2)` with each of its lines after the first
 * indented `indent` more, as a HAR file holds an entry; undefined where JSON writes nothing (a
 * function, undefined). Throws a TypeError where JSON.stringify would (a cycle, a BigInt), naming
 * why: the file could never be written.
 */
export function jsonBytes(value: unknown, indent = 0): number | undefined {
  const open = new Set<object>();
  const size = (node: unknown, key: string, depth: number): number | undefined => {
    if (typeof (node as { toJSON?: unknown } | null)?.toJSON === 'function') node = (node as { toJSON: (key: string) => unknown }).toJSON(key);
    if (typeof node === 'object' && node !== null) node = unboxed(node);
    if (node === null) return 4;
    switch (typeof node) {
      case 'string':
        return jsonStringBytes(node);
      case 'number':
        return Number.isFinite(node) ? String(node).length : 4;
      case 'boolean':
        return node ? 4 : 5;
      case 'bigint':
        throw new TypeError(`it holds a BigInt (${key || 'the value'}), which JSON cannot write`);
      case 'object':
        break;
      default:
        return undefined;
    }
    const object = node as object;
    if (open.has(object)) throw new TypeError(`it holds itself (${key || 'the value'}), which JSON cannot write`);
    open.add(object);
    // Each member on a line of its own, indented one step (2) more than its bracket's, with a comma between.
    const line = 1 + indent + 2 * (depth + 1);
    let members = 0;
    let bytes = 0;
    if (Array.isArray(object)) {
      for (let i = 0; i < object.length; i++) bytes += line + (size(object[i], String(i), depth + 1) ?? 4) + (members++ > 0 ? 1 : 0);
    } else {
      for (const name of Object.keys(object)) {
        const member = size((object as Record<string, unknown>)[name], name, depth + 1);
        if (member !== undefined) bytes += line + jsonStringBytes(name) + 2 + member + (members++ > 0 ? 1 : 0);
      }
    }
    open.delete(object);
    // `{}` or `[]`; else the members and the closing bracket on a line of its own.
    return members === 0 ? 2 : 2 + bytes + 1 + indent + 2 * depth;
  };
  return size(value, '', 0);
}
