/**
 * Serializes a body the way PHP-style form APIs read it: nested objects and arrays become
 * bracketed keys (`customDetails[size]=M`, `marketingChannels[0][type]=email`).
 * Each value is read as JSON.stringify reads it, so a body sends the same data as a JSON one: its
 * `toJSON` is honoured (a Money, a Decimal or an ObjectId sends what it means, a URL its text)
 * and a boxed string, number or boolean is its value. null and undefined fields are left out;
 * booleans and numbers are sent as their string form, dates as ISO 8601.
 * What a form cannot carry is a BodyFieldError naming the field (the client makes it a ConfigError
 * on `body.<field>`) instead of being dropped: a function or a symbol, a Map, a Set or another
 * collection, a Blob or File (a file goes in a FormData body), binary data, an object none of
 * whose fields shows its data (a RegExp, a WeakMap).
 */
import { kindOf, withArticle } from './options.js';

/** A value a body cannot carry, at `field` (as the body's format names it, "" for the body itself). */
export class BodyFieldError extends TypeError {
  readonly field: string;
  readonly rule: string;
  constructor(field: string, rule: string) {
    super(`body ${field ? `field "${field}" ` : ''}${rule}`);
    this.field = field;
    this.rule = rule;
  }
}

/**
 * Why an object's data is not in its fields, which is all a form or JSON sends of it: a file, binary
 * data, a collection (a Map, a Set, a Headers, a generator, a String object), or an object made by
 * a class that shows no field (a RegExp, a WeakMap, a stream, a class keeping its data in #private
 * fields); undefined for an array or an object whose fields are its data. A plain object's (of any
 * realm) prototype is a root one, and an empty one is data.
 */
export function hiddenData(value: object): 'file' | 'binary' | 'collection' | 'fieldless' | undefined {
  if (Array.isArray(value)) return undefined;
  if (typeof Blob === 'function' && value instanceof Blob) return 'file';
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return 'binary';
  // A built-in collection, of any realm, whatever fields it was given besides (`Object.assign(new Map(…), { label })`).
  if (COLLECTIONS.has(Object.prototype.toString.call(value))) return 'collection';
  // Another iterable with fields of its own is sent by them (`arguments`, a query object that also iterates).
  if (Object.keys(value).length > 0) return undefined;
  if (typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function') return 'collection';
  const proto: unknown = Object.getPrototypeOf(value);
  return proto !== null && Object.getPrototypeOf(proto) !== null ? 'fieldless' : undefined;
}

const COLLECTIONS = new Set(['[object Map]', '[object Set]', '[object Headers]', '[object URLSearchParams]', '[object FormData]']);

const BOXED_TAGS = new Set(['[object String]', '[object Number]', '[object Boolean]', '[object BigInt]']);

/**
 * Whether a value is a boxed string, number, boolean or BigInt, of any realm: each valueOf throws
 * for anything else (a tag can be given to any object, and instanceof holds in one realm only).
 */
export function isBoxed(value: object): boolean {
  // Only what could be one is tried: each valueOf that throws costs a stack trace (four for every
  // object of a body: most of the JSON serializer's time). A boxed value of any realm has its tag,
  // unless given another; one of this realm is found by instanceof too.
  if (!BOXED_TAGS.has(Object.prototype.toString.call(value)) && !(value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof BigInt)) return false;
  const kinds: ((this: unknown) => unknown)[] = [String.prototype.valueOf, Number.prototype.valueOf, Boolean.prototype.valueOf, BigInt.prototype.valueOf];
  for (const valueOf of kinds) {
    try {
      valueOf.call(value);
      return true;
    } catch {
      // not this kind
    }
  }
  return false;
}

const FIELD_RULE = 'must be what a form carries: text, a number, a boolean, a Date, or an object or array of them';
const BODY_RULE = 'must be an object of fields';

export function toFormBody(body: unknown): URLSearchParams | FormData {
  // Multipart uploads and pre-encoded forms are sent as the caller built them.
  if (body instanceof FormData || body instanceof URLSearchParams) return body;
  const form = new URLSearchParams();
  const fields = asJson(body, '');
  if (fields === null || fields === undefined) return form;
  if (typeof fields !== 'object' || Array.isArray(fields)) throw new BodyFieldError('', `${BODY_RULE} (got ${kindOf(fields)})`);
  const inside = new Set<object>([fields]);
  for (const [key, value] of fieldsOf(fields, '')) append(form, key, key, value, inside);
  return form;
}

/** What JSON.stringify would write for `value` under the key `name`: its toJSON's answer, a boxed primitive's value. */
function asJson(value: unknown, name: string): unknown {
  if ((typeof value === 'object' && value !== null) || typeof value === 'function' || typeof value === 'bigint') {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    // A Date's own is left to append, which names an invalid Date where JSON would send null.
    if (typeof toJSON === 'function' && toJSON !== Date.prototype.toJSON) value = toJSON.call(value, name);
  }
  return typeof value === 'object' && value !== null && isBoxed(value) ? (value as { valueOf(): unknown }).valueOf() : value;
}

/**
 * `inside` holds the objects the field is nested in: one of them again is a cycle, which has no
 * form. `name` is the field's own key, which toJSON is given as JSON.stringify gives it.
 */
function append(form: URLSearchParams, field: string, name: string, raw: unknown, inside: Set<object>): void {
  const value = asJson(raw, name);
  // NaN and Infinity are JSON's null: left out, not sent as the text "NaN".
  if (value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value))) return;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new BodyFieldError(field, 'is an invalid Date');
    return form.append(field, value.toISOString());
  }
  if (typeof value === 'function' || typeof value === 'symbol') throw new BodyFieldError(field, `${FIELD_RULE} (got a ${typeof value})`);
  if (typeof value !== 'object') return form.append(field, String(value));
  if (inside.has(value)) throw new BodyFieldError(field, 'contains an object it is already inside (a circular reference)');
  const entries = fieldsOf(value, field);
  inside.add(value);
  for (const [child, item] of entries) {
    // The server splits a field's name at its brackets (decoded first): `customDetails[Height [cm]]` is stored as another field.
    if (/[[\]]/.test(child)) throw new BodyFieldError(field, `has a key the server would read as another field: ${JSON.stringify(child)} (no [ or ]: the form names nested fields with them)`);
    append(form, `${field}[${child}]`, child, item, inside);
  }
  inside.delete(value);
}

/** An object's fields as a form sends them (an array's items by index), or a BodyFieldError for one whose data no field shows. */
function fieldsOf(value: object, field: string): (readonly [string, unknown])[] {
  if (Array.isArray(value)) return Array.from(value, (item, index) => [String(index), item] as const);
  const hidden = hiddenData(value);
  if (hidden) throw new BodyFieldError(field, `${field ? FIELD_RULE : BODY_RULE} (got ${typeName(value)}${HIDDEN_WHY[hidden]})`);
  return Object.entries(value);
}

const HIDDEN_WHY = {
  file: ': a file goes in a FormData body, sent as multipart',
  binary: ': binary data has no form field',
  collection: ': convert it to an object or an array first',
  fieldless: ', which has no fields to send',
};

/** "a Map", "an Int8Array": a class's name says what was given without showing it. */
export function typeName(value: object): string {
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? withArticle(name) : 'an object';
}
