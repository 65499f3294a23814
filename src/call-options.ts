/**
 * The checks on what a call is given: its path and its init (params, signal, parseAs, …).
 *
 * TypeScript holds typed callers to the spec; a JavaScript caller's mistake would otherwise
 * surface as a TypeError from deep inside openapi-fetch or fetch ("caller.addEventListener is not
 * a function"), or not at all: a request sent to a URL with `{accountId}` still in it. Here it is
 * a ConfigError naming the field and the rule, with the rules options.ts keeps. Only the fields a
 * call passes are checked, so a call pays for what it uses; keys fetch itself takes (`cache`,
 * `keepalive`, …) are left to fetch.
 */
import { ConfigError } from './errors.js';
import { checkValue, commonRules, HEADER_RULE, isHttpToken, isObject, kindOf, list, misspelt, object, oneOf, unsendableInHeader, url, type Rule, type Rules } from './options.js';

const PARSE_AS = ['json', 'text', 'blob', 'arrayBuffer', 'stream'] as const;

// null is RequestInit's "no signal", as fetch takes it.
const abortSignal = (): Rule => ({
  required: false,
  check: (v) =>
    v === null || (isObject(v) && typeof v.aborted === 'boolean' && typeof v.addEventListener === 'function' && typeof v.removeEventListener === 'function')
      ? undefined
      : `must be an AbortSignal (got ${kindOf(v)})`,
});

/**
 * Objects whose entries are not their own keys (a Map, a Set, a URLSearchParams, a Headers, this
 * runtime's or another library's): spread into a copy, or read as openapi-fetch reads an object,
 * they are empty. Told by being iterable, which a plain object or a class instance is not.
 */
const keyless = (v: unknown): v is Iterable<unknown> => isObject(v) && typeof (v as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';

/** A class's name, for a message: "Set", "Uint8Array", "Filters"; undefined for a plain object. */
function className(v: object): string | undefined {
  const name = (v as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' && name !== 'Object' ? name : undefined;
}

/** A keyless object as a message names it, with what to pass instead. */
function keylessKind(v: Iterable<unknown>): string {
  const kind = className(v) ?? 'iterable object';
  if (kind === 'URLSearchParams') return 'a URLSearchParams: pass Object.fromEntries(params)';
  if (kind === 'Headers') return "another library's Headers, read as empty: pass new Headers(it) or a plain object";
  if (v instanceof String) return 'a String object: pass its text, String(value)';
  if (kind === 'Set') return 'a Set: pass a list ([...set])';
  if (ArrayBuffer.isView(v)) return `a ${kind}: pass a list (Array.from(value))`;
  return `a ${kind}: pass a plain object`;
}

/**
 * A value openapi-fetch would write into a query as nothing, or throw on, named with what to pass
 * instead: a boxed number or boolean (no fields), a URL (its getters, a deepObject of them).
 * A class instance with no fields set is sent as no fields, as an empty object is: a DTO of
 * optional filters, none given, is the usual one.
 */
function fieldless(v: object): string | undefined {
  if (v instanceof Number || v instanceof Boolean) return `a ${className(v)} object: pass its value, value.valueOf()`;
  if (typeof URL === 'function' && v instanceof URL) return 'a URL: send it as text, e.g. url.href';
  return undefined;
}

/** Whether openapi-fetch writes a value field by field (an object or an array), not as a value or as nothing (a Date, a Map, a boxed number). */
const writtenByFields = (v: unknown): v is object => typeof v === 'object' && v !== null && !(v instanceof Date) && !keyless(v) && !fieldless(v);

/**
 * A query object's fields as openapi-fetch writes them (for…in: inherited ones too, an
 * `Object.create(defaults)`'s), copied into a plain object, each read once: the checks and the
 * writers (openapi-fetch, bracketQuery) then see the same keys. An inherited function is a
 * method (a class compiled to ES5 puts its methods on the prototype, enumerable), not a field.
 * Anything else is kept as it is, for the checks to name.
 */
function fieldsCopy(v: unknown): unknown {
  if (!writtenByFields(v) || Array.isArray(v)) return v;
  const copy: Record<string, unknown> = {};
  for (const key in v) {
    const own = Object.prototype.hasOwnProperty.call(v, key);
    const value = (v as Record<string, unknown>)[key];
    if (!own && typeof value === 'function') continue;
    // Defined, not assigned: a "__proto__" field would set the copy's prototype.
    Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/**
 * An object whose every value takes `value`, each checked (and named) as `<name>.<key>`. A Headers
 * passes where `headers` says so: openapi-fetch merges one into the request's headers.
 */
const eachValue = (what: string, value: Rule, key?: (name: string) => string | undefined, { headers = false } = {}): Rule => ({
  required: false,
  check: (v) => {
    if (!isObject(v)) return `must be ${what} (got ${kindOf(v)})`;
    // openapi-fetch reads an object's own keys (a class instance's too): a Map's, a Set's or a
    // URLSearchParams' entries would be dropped without a word.
    if (keyless(v) && !(headers && v instanceof Headers)) return `must be ${what} (got ${v instanceof Headers ? 'a Headers' : keylessKind(v)})`;
    // A boxed value would send nothing, a URL its getters.
    const none = v instanceof Headers ? undefined : fieldless(v);
    if (none) return `must be ${what} (got ${none})`;
    // A Headers takes a control character fetch then refuses to send: its values are checked too.
    if (v instanceof Headers) {
      let problem: string | undefined;
      v.forEach((text, name) => (problem ??= unsendableInHeader(text) ? `has a header that fetch would refuse to send: ${name} ${HEADER_RULE}` : undefined));
      return problem;
    }
    if (!key) return undefined;
    for (const name of Object.keys(v)) {
      const problem = key(name);
      if (problem) return problem;
    }
    return undefined;
  },
  fields: (v) => (v instanceof Headers ? {} : Object.fromEntries(Object.keys(v).map((name) => [name, value]))),
});

// fetch refuses a header name that is not an HTTP token, with a TypeError naming nothing of ours.
const headerName = (name: string) => (isHttpToken(name) ? undefined : `has a header name that is not one: "${name}" (letters, digits and !#$%&'*+.^_\`|~- only)`);

/**
 * What a header value cannot be: openapi-fetch sets any value with String() (null removes the
 * header), so an object would go as "[object Object]", a function as its source, a Date in its
 * local-time form, NaN as the word; a symbol throws a TypeError naming nothing of ours. What
 * String() writes as its text is sent as that text (a URL, a String object), checked.
 */
function headerValueProblem(v: unknown): string | undefined {
  const text = typeof v === 'string' ? v : typeof v === 'object' && v !== null && !(v instanceof Date) ? ownText(v) : undefined;
  if (text !== undefined) return unsendableInHeader(text) ? HEADER_RULE : undefined;
  if (typeof v === 'boolean' || typeof v === 'bigint' || (typeof v === 'number' && Number.isFinite(v))) return undefined;
  const got = v instanceof Date ? 'a Date: send it as text, e.g. toUTCString()' : typeof v === 'function' ? 'a function: call it for its value' : `${notSendable(v)}${typeof v === 'object' && v !== null ? ': pass its text' : ''}`;
  return `must be a string or a number (got ${got})`;
}

/** What String() writes of an object that has a text of its own (a URL, a String object, a Buffer, a token class's toString()), else undefined. */
function ownText(v: object): string | undefined {
  try {
    const text = String(v);
    return text.startsWith('[object ') ? undefined : text;
  } catch {
    // No toString at all (Object.create(null)), or one that throws.
    return undefined;
  }
}
const headerValue = (): Rule => ({
  required: false,
  check: (v) => {
    // null removes a fixed header, as openapi-fetch reads it; inside a list it would be sent as the word.
    if (v === null || v === undefined) return undefined;
    if (!Array.isArray(v)) return headerValueProblem(v);
    for (const item of v) {
      const problem = headerValueProblem(item);
      if (problem) return problem === HEADER_RULE ? problem : problem.replace('(got ', '(got a list holding ');
    }
    return undefined;
  },
});

// A query value openapi-fetch can serialise: a primitive, or an array or object (deepObject) of
// primitives. NaN and Infinity would be sent as those words; a string holding half of a surrogate
// pair (one cut through an emoji) makes encodeURIComponent throw a URIError naming nothing.
const wellFormed = (text: string) => !/\p{Cs}/u.test(text);
const primitive = (v: unknown) =>
  v === null || (typeof v === 'string' && wellFormed(v)) || ['boolean', 'bigint', 'undefined'].includes(typeof v) || (typeof v === 'number' && Number.isFinite(v));
const HALF_PAIR = 'a string holding half of a surrogate pair (one cut through an emoji?)';
const QUERY_VALUE = 'must be a string, number or boolean, or an array or object of them';
/** What a value is, named where `primitive` refuses it: NaN, Infinity, a string that cannot be encoded, or its kind. */
const notSendable = (v: unknown) => (typeof v === 'number' && !Number.isNaN(v) ? String(v) : typeof v === 'string' ? HALF_PAIR : kindOf(v));

/** What a value that `primitive` refuses is, with what to send instead where there is a better way. */
function unsendableKind(v: unknown): string {
  // A Date is an object without keys: openapi-fetch would send nothing for it.
  if (v instanceof Date) return 'a Date: send it as text, e.g. toISOString()';
  if (typeof v !== 'object' || v === null) return notSendable(v);
  // A Set of ids, a Map of filters: openapi-fetch reads their own keys, none, and sends nothing.
  if (keyless(v)) return keylessKind(v);
  return fieldless(v) ?? kindOf(v);
}

/**
 * A query value: a primitive, or an array of them, or an object (deepObject) of them; with
 * `lists`, an object's values may be lists too (bracketQuery's Rails form). The object is the
 * one checkCall copied (fieldsCopy): its keys are the ones that are sent.
 */
function queryValueProblem(v: unknown, lists = false): string | undefined {
  if (primitive(v)) return undefined;
  if (!writtenByFields(v)) return `${QUERY_VALUE} (got ${unsendableKind(v)})`;
  const badKey = Array.isArray(v) ? undefined : Object.keys(v).find((key) => queryKey(key));
  if (badKey !== undefined) return queryKey(badKey);
  const held = kindOf(v);
  for (const item of Object.values(v)) {
    if (primitive(item)) continue;
    if (lists && !Array.isArray(v) && Array.isArray(item)) {
      const bad = item.find((each) => !primitive(each));
      if (bad === undefined) continue;
      return `${QUERY_VALUE} (got ${held} holding a list holding ${unsendableKind(bad)})`;
    }
    return `${QUERY_VALUE} (got ${writtenByFields(item) ? `${held} nested deeper` : `${held} holding ${unsendableKind(item)}`})`;
  }
  return undefined;
}
const queryValue = (): Rule => ({ required: false, check: (v) => queryValueProblem(v) });

/**
 * openapi-fetch writes query names (and a deepObject's keys) as they are: `{'a&b': 1}` would send
 * two parameters, a `#` would cut off the rest of the query, a `+` reads as a space, a `%` as the
 * start of an escape. (A space, or a character the URL parser escapes, arrives as written.)
 */
const queryName = (name: string, as = 'a name') =>
  /[&=#+%]/.test(name)
    ? `has ${as} that would change the URL: ${JSON.stringify(name)} (no &, =, #, + or %: openapi-fetch writes names as they are)`
    : wellFormed(name)
      ? undefined
      : `has ${as} that is ${HALF_PAIR}`;

/**
 * A query object's key is written inside brackets (`properties[gender]`): one holding a bracket
 * is split by the server into other fields (`Height [cm]` read as `Height ` holding `cm`),
 * escaped or not, as servers decode names before they split them.
 */
const queryKey = (key: string) =>
  /[[\]]/.test(key) ? `has a key the server would read as another field: ${JSON.stringify(key)} (no [ or ]: the query names an object's fields with them)` : queryName(key, 'a key');

const anyQuery = (): Rule => ({ required: false, check: (v) => (isObject(v) ? undefined : `must be an object (got ${kindOf(v)})`) });
// A client that writes lists inside query objects with brackets (Placewise) takes those too.
const bracketQueryValue = (): Rule => ({
  required: false,
  // Such an object is written by bracketQuery, which encodes its keys (Placewise's property names are a club's, not the spec's), but not its brackets.
  check: (v) => queryValueProblem(v, true),
});

// openapi-fetch merges header objects and Headers; an array of pairs would become headers named "0", "1", ….
const headersInit = (): Rule => eachValue('an object of header values, or a Headers', headerValue(), headerName, { headers: true });

// openapi-fetch skips empty entries of a call's middleware list (`[debug && logger]`), so they pass.
const middleware = (): Rule => ({
  required: false,
  check: (v) =>
    v === undefined || v === null || v === false || (isObject(v) && ['onRequest', 'onResponse', 'onError'].some((hook) => typeof v[hook] === 'function'))
      ? undefined
      : `must be a middleware: an object with onRequest, onResponse or onError (got ${kindOf(v)})`,
});

/** What a call's init may hold besides callRules: openapi-fetch's own options and fetch's RequestInit. */
const otherKeys = new Set([
  'body', 'fetch', 'Request', 'querySerializer', 'bodySerializer', 'pathSerializer',
  'cache', 'credentials', 'duplex', 'integrity', 'keepalive', 'method', 'mode', 'priority', 'redirect', 'referrer', 'referrerPolicy', 'window', 'dispatcher',
]);

const callRules: Rules = {
  params: object({ path: object({}), query: eachValue('an object', queryValue(), queryName), header: eachValue('an object', headerValue(), headerName, { headers: true }), cookie: object({}) }),
  headers: headersInit(),
  signal: abortSignal(),
  parseAs: oneOf(PARSE_AS),
  middleware: list(middleware(), 0),
  // A call's own base URL takes the client's rules: its credentials would reach fetch's error, a
  // query would swallow the path. An empty one is openapi-fetch's "the client's".
  baseUrl: { required: false, check: (v) => (v === '' ? undefined : url().check(v)) },
};

const customQueryRules: Rules = { params: object({ ...(callRules.params!.fields!({}) as Rules), query: anyQuery() }) };
const bracketRules: Rules = { params: object({ ...(callRules.params!.fields!({}) as Rules), query: eachValue('an object', bracketQueryValue(), queryName) }) };

// Looked up by a caller's key: a Map, so "constructor" or "toString" finds no rule of Object's.
const ruleOf = new Map(Object.entries(callRules));

/**
 * The client options a call cannot take (timeoutMs, retry, validate, …): each is fixed when the
 * client is made, and a call given one would ignore it. baseUrl and fetch are call options too.
 */
const clientOnly = new Set(Object.keys(commonRules).filter((name) => !ruleOf.has(name) && !otherKeys.has(name)));
const clientOption = (name: string) =>
  `is a client option: set it when creating the client${name === 'timeoutMs' ? ' (to give one call less time, pass signal: AbortSignal.timeout(ms))' : ''}`;

/** Every name a call's init is read for, and a mistyped key is compared with. */
const callKeys = [...ruleOf.keys(), ...otherKeys, ...clientOnly];

/** Checks one key of a call's init and keeps it for sending (params is checked once all are in: its rule depends on querySerializer). */
function take(label: string, sent: Record<string, unknown>, key: string, value: unknown): void {
  const rule = ruleOf.get(key);
  if (rule) {
    if (key !== 'params') checkValue(label, key, value, rule);
  } else if (otherKeys.has(key)) {
    // openapi-fetch spreads a call's init over the client's: an undefined `redirect` (a wrapper's
    // `redirect: o.redirect`) unset the client's 'manual' and fetch followed, credentials and all (CLIENT-234).
    if (value === undefined) return;
  } else {
    // Undefined is not given, as everywhere else: a wrapper passing its own options through (`timeoutMs: o.timeoutMs`) is not refused for it.
    if (clientOnly.has(key)) {
      if (value === undefined) return;
      throw new ConfigError(label, key, clientOption(key));
    }
    // A mistyped key would be dropped without a word: `parms` sends the call without its query.
    const problem = misspelt(key, callKeys);
    if (problem) throw new ConfigError(label, key, problem);
    // Other keys go on for the caller's middleware (openapi-fetch copies them onto the request);
    // assigned, "__proto__" would set the copy's prototype instead.
    if (key === '__proto__') return;
  }
  sent[key] = value;
}

/**
 * `params` with each of its objects (path, query, header, cookie) copied, every value read once.
 * A Map, a URLSearchParams, a Headers is kept as it is, for the checks to name (copied, it was an empty object).
 */
function onceRead(params: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...params };
  // openapi-fetch reads the path's values by name and the query with for…in (inherited fields too),
  // header objects by their own keys (Object.entries): each part is copied as it is read.
  // Only parts given are written: V8 (Node 20) adds a field to an object made by spreading
  // slowly, a new hidden class per call (about 3 µs, and garbage), where it rewrites one quickly.
  for (const part of ['path', 'query']) if (copy[part] !== undefined) copy[part] = fieldsCopy(copy[part]);
  for (const part of ['header', 'cookie']) if (isObject(copy[part]) && !keyless(copy[part])) copy[part] = { ...(copy[part] as object) };
  // A query's objects are written field by field (deepObject, bracketQuery): read once too.
  if (isObject(copy.query) && !keyless(copy.query)) for (const name of Object.keys(copy.query)) copy.query[name] = fieldsCopy(copy.query[name]);
  return copy;
}

// The Fetch standard's forbidden methods: fetch throws a TypeError for them, naming nothing of ours.
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** The names in a spec path's `{…}` placeholders, kept per path (a client calls few paths). */
const placeholders = new Map<string, string[]>();
function placeholdersOf(path: string): string[] {
  let names = placeholders.get(path);
  if (!names) {
    names = [...path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!);
    // Paths are the spec's, a bounded set; a caller building paths by hand must not grow this.
    if (placeholders.size < 1000) placeholders.set(path, names);
  }
  return names;
}

/**
 * Throws a ConfigError ("perx: GET /v4/rewards/{id}: option "params.path.id" is required") for a
 * call given something it cannot send. Returns what was checked as a plain object, each key read
 * once, for the client to send: openapi-fetch spreads the init, which drops what a prototype holds
 * (an `Object.create(defaults)`, a class's getters), and a getter read again could answer
 * something else than what was checked.
 */
export function checkCall(vendor: string, method: string, path: unknown, init: unknown, bracketLists = false): Record<string, any> {
  const label = `${vendor}: ${method} ${String(path)}`;
  if (FORBIDDEN_METHODS.has(method)) throw new ConfigError(label, 'method', `must be one fetch can send: it refuses ${[...FORBIDDEN_METHODS].join(', ')} (no vendor documents them)`);
  if (typeof path !== 'string') throw new ConfigError(label, 'path', `must be a path of the spec, as a string (got ${kindOf(path)})`);
  // openapi-fetch appends the path to the base URL as text: ".attacker.example/x" would extend its host.
  if (!path.startsWith('/')) throw new ConfigError(label, 'path', 'must start with "/", as the spec\'s paths do (it is appended to the base URL: anything else would change its host)');
  // The URL parser would drop a line break, cut the path at "#", read "\" as "/" and resolve a "."
  // or ".." segment (written as %2e too): `/../admin` goes above the base URL's path, credentials and all.
  if (/[?#\\\s\x00-\x1f\x7f]/.test(path) || /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i.test(path)) {
    throw new ConfigError(label, 'path', 'must be a path of the spec: no "?", "#", "\\", whitespace or control characters, and no "." or ".." segment (a query goes in params.query)');
  }
  if (init !== undefined && !isObject(init)) throw new ConfigError(label, 'init', `must be an object (got ${kindOf(init)})`);
  const sent: Record<string, any> = {};
  if (init) {
    // Enumerable keys, own or inherited (an `Object.create(defaults)`'s too).
    for (const key in init) take(label, sent, key, init[key]);
    // A class's getters are not enumerable: an init with a prototype of its own is also read by
    // name, as openapi-fetch reads its options. A plain object (the usual init) skips this.
    const proto: unknown = Object.getPrototypeOf(init);
    if (proto !== Object.prototype && proto !== null) {
      for (const key of callKeys) {
        if (key in sent) continue;
        const value = init[key];
        if (value !== undefined) take(label, sent, key, value);
      }
    }
    // Its parts are read once, into the copy that is checked and sent: a getter read again by the
    // checks or by openapi-fetch could answer ".." or a line break after the check saw "a".
    if (isObject(sent.params)) sent.params = onceRead(sent.params);
    // A caller with its own querySerializer decides what a query value may be.
    if (sent.params !== undefined) checkValue(label, 'params', sent.params, (sent.querySerializer ? customQueryRules : bracketLists ? bracketRules : callRules).params!);
    if (sent.body !== undefined && (method === 'GET' || method === 'HEAD')) throw new ConfigError(label, 'body', `must be left out of a ${method} call`);
    // fetch refuses a stream body without it, with a TypeError naming nothing of ours.
    if (typeof ReadableStream === 'function' && sent.body instanceof ReadableStream && sent.duplex === undefined) {
      throw new ConfigError(label, 'duplex', "is required with a stream body: pass duplex: 'half' (fetch sends a stream body only so)");
    }
    // openapi-fetch appends what it answers to the URL as text: anything else failed inside it ("search.startsWith is not a function").
    if (typeof sent.querySerializer === 'function') {
      const own = sent.querySerializer as (query: unknown) => unknown;
      sent.querySerializer = (query: unknown) => {
        const written = own(query);
        if (typeof written !== 'string') throw new ConfigError(label, 'querySerializer', `must return the query as a string (got ${kindOf(written)})`);
        return written;
      };
    }
  }
  if (!path.includes('{')) return sent;
  const values = (sent.params as { path?: Record<string, unknown> } | undefined)?.path;
  for (const name of placeholdersOf(path)) {
    const value = values?.[name];
    if (value === undefined || value === null) throw new ConfigError(label, `params.path.${name}`, 'is required (it fills the path)');
    // Percent-encoding leaves dots alone, and a URL resolves "." and ".." segments (encoded too):
    // `accountId: '..'` would send the call, credentials and all, to another of the vendor's
    // paths; an empty value to a path with "//" in it.
    // openapi-fetch writes an object's keys into the path unescaped ("?", "/" and all).
    // A function (`acc.getId` for `acc.getId()`) would be written as its source text, or as whatever its toString says ("..").
    if (typeof value === 'function' || typeof value === 'symbol') {
      throw new ConfigError(label, `params.path.${name}`, `must be a string or number (got ${kindOf(value)}${typeof value === 'function' ? ': call it for its value' : ''})`);
    }
    if (typeof value === 'object' && !Array.isArray(value)) {
      throw new ConfigError(label, `params.path.${name}`, `must be a string or number (got ${kindOf(value)}: its keys would be written into the path unescaped)`);
    }
    // NaN, Infinity (a failed Number()) and a list's missing items would be written into the path as those words.
    const items: unknown[] = Array.isArray(value) ? value : [value];
    const bad = items.findIndex((item) => item === undefined || item === null || !primitive(item));
    if (bad >= 0) {
      const got = notSendable(items[bad]);
      throw new ConfigError(label, `params.path.${name}`, `must be a string or a finite number, or a list of them (got ${Array.isArray(value) ? `a list holding ${got}` : got})`);
    }
    const filled = Array.isArray(value) ? value.join(',') : value;
    if (filled === '' || filled === '.' || filled === '..') {
      throw new ConfigError(label, `params.path.${name}`, `must not be ${filled === '' ? 'empty' : `"${filled}"`} (it would send the call to another path)`);
    }
  }
  return sent;
}
