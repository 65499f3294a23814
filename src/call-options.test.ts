/**
 * What a call is given, checked before anything is sent: a JavaScript caller's mistake is a
 * ConfigError naming the field and the rule, and no request leaves. A real XONVO client against a
 * real server that counts what reaches it.
 */
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { createXonvoClient } from './xonvo.js';

let baseUrl = '';
let received = 0;
/** What reached the server, as `METHOD url body`, with the x-trace header when one came. */
const arrived: string[] = [];
const server = createServer((req, res) => {
  received++;
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk));
  req.on('end', () => {
    arrived.push(`${req.method} ${req.url} ${body}${req.headers['x-trace'] ? ` x-trace=${req.headers['x-trace']}` : ''}`.trim());
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"leadCount":1}');
  });
});
beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => ((baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`), resolve()))));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const client = () => createXonvoClient({ baseUrl, username: 'u', password: 'p' }) as unknown as Record<string, (...args: unknown[]) => Promise<{ response: Response }>>;
const stats = '/accounts/{accountId}/statistics';
const pause = '/accounts/{accountId}/pause';
const params = { path: { accountId: 21 } };

type Row = [what: string, method: string, path: unknown, init: unknown, option: string, rule: string];
const rows: Row[] = [
  ['a path that is not a string', 'GET', 42, undefined, 'path', 'must be a path of the spec, as a string (got a number)'],
  ['TRACE, which fetch refuses to send', 'TRACE', stats, { params }, 'method', 'must be one fetch can send: it refuses CONNECT, TRACE, TRACK (no vendor documents them)'],
  ['a path that would extend the base URL\'s host', 'GET', '.attacker.example/v4/merchants', undefined, 'path', 'must start with "/", as the spec\'s paths do (it is appended to the base URL: anything else would change its host)'],
  ['a path without its leading slash', 'GET', 'v4/merchants', undefined, 'path', 'must start with "/", as the spec\'s paths do (it is appended to the base URL: anything else would change its host)'],
  ['an init that is not an object', 'GET', stats, 'hello', 'init', 'must be an object (got a string)'],
  // The URL parser would resolve these, or cut the path at them: `/../etc` leaves the base URL's path.
  ...(['/../accounts', '/accounts/%2E%2e/x', '/accounts/./1/statistics', '/accounts#x', '/accounts?limit=1', '/acc\nounts', '/..\\..\\admin'] as const).map(
    (path): Row => [`a path holding ${JSON.stringify(path)}`, 'GET', path, undefined, 'path', 'must be a path of the spec: no "?", "#", "\\", whitespace or control characters, and no "." or ".." segment (a query goes in params.query)'],
  ),
  // Half of a surrogate pair (a string cut through an emoji): encodeURIComponent threw a URIError naming nothing.
  ['a path value cut through an emoji', 'GET', stats, { params: { path: { accountId: 'ab\uD83D' } } }, 'params.path.accountId', 'must be a string or a finite number, or a list of them (got a string holding half of a surrogate pair (one cut through an emoji?))'],
  ['a query value cut through an emoji', 'GET', stats, { params: { ...params, query: { from: '\uDE00' } } }, 'params.query.from', 'must be a string, number or boolean, or an array or object of them (got a string holding half of a surrogate pair (one cut through an emoji?))'],
  ['a query name cut through an emoji', 'GET', stats, { params: { ...params, query: { 'x\uD83D': 1 } } }, 'params.query', 'has a name that is a string holding half of a surrogate pair (one cut through an emoji?)'],
  // Passed the check, the write was sent, and the call then failed on removeEventListener.
  ['a signal without removeEventListener', 'GET', stats, { params, signal: { aborted: false, addEventListener: () => undefined } }, 'signal', 'must be an AbortSignal (got an object)'],
  ['a stream body without duplex', 'PUT', pause, { params, body: new ReadableStream() }, 'duplex', "is required with a stream body: pass duplex: 'half' (fetch sends a stream body only so)"],
  ['no params for a path with a placeholder', 'GET', stats, {}, 'params.path.accountId', 'is required (it fills the path)'],
  ['the placeholder missing from params.path', 'GET', stats, { params: { path: {} } }, 'params.path.accountId', 'is required (it fills the path)'],
  // Written as its source text, or as what its toString says (".." would leave the path).
  ['a function as a path value (a method not called)', 'GET', stats, { params: { path: { accountId: Object.assign(() => 1, { toString: () => '..' }) } } }, 'params.path.accountId', 'must be a string or number (got a function: call it for its value)'],
  ['a symbol as a path value', 'GET', stats, { params: { path: { accountId: Symbol('id') } } }, 'params.path.accountId', 'must be a string or number (got a symbol)'],
  ['the placeholder null', 'GET', stats, { params: { path: { accountId: null } } }, 'params.path.accountId', 'is required (it fills the path)'],
  ['the placeholder ".." (would climb to /statistics)', 'GET', stats, { params: { path: { accountId: '..' } } }, 'params.path.accountId', 'must not be ".." (it would send the call to another path)'],
  ['the placeholder "."', 'GET', stats, { params: { path: { accountId: '.' } } }, 'params.path.accountId', 'must not be "." (it would send the call to another path)'],
  ['the placeholder empty', 'GET', stats, { params: { path: { accountId: '' } } }, 'params.path.accountId', 'must not be empty (it would send the call to another path)'],
  ['the placeholder [".."]', 'GET', stats, { params: { path: { accountId: ['..'] } } }, 'params.path.accountId', 'must not be ".." (it would send the call to another path)'],
  ['params null', 'GET', stats, { params: null }, 'params', 'must be an object (got null)'],
  ['params with a misspelt part (the query would be dropped)', 'GET', stats, { params: { ...params, qurey: { from: 1 } } }, 'params.qurey', 'is unknown: did you mean "query"?'],
  ['params.query a string', 'GET', stats, { params: { ...params, query: 'from=1' } }, 'params.query', 'must be an object (got a string)'],
  ['params.header an array', 'GET', stats, { params: { ...params, header: [] } }, 'params.header', 'must be an object (got an array)'],
  ['headers a number', 'GET', stats, { params, headers: 5 }, 'headers', 'must be an object of header values, or a Headers (got a number)'],
  ['headers as pairs', 'GET', stats, { params, headers: [['x-trace', '1']] }, 'headers', 'must be an object of header values, or a Headers (got an array)'],
  // fetch would refuse these when sending, quoting the value.
  ['a header value with a line break', 'GET', stats, { params, headers: { 'x-trace': 'a\nX-Evil: 1' } }, 'headers.x-trace', 'must be usable in a header: no control characters other than tab, and none above U+00FF'],
  ['a header parameter outside Latin-1', 'GET', stats, { params: { ...params, header: { 'X-User': 'Zoë€' } } }, 'params.header.X-User', 'must be usable in a header: no control characters other than tab, and none above U+00FF'],
  ['a header value list holding a NUL', 'GET', stats, { params, headers: { 'x-tags': ['a', 'b\u0000'] } }, 'headers.x-tags', 'must be usable in a header: no control characters other than tab, and none above U+00FF'],
  // openapi-fetch reads an object's own keys: a Map's entries would be dropped.
  ['headers a Map', 'GET', stats, { params, headers: new Map([['x-trace', '1']]) }, 'headers', 'must be an object of header values, or a Headers (got a Map: pass a plain object)'],
  // Copied into a plain object to be read once, these were emptied and the call sent without them (found 2026-12-01).
  ['params.query a URLSearchParams', 'GET', stats, { params: { ...params, query: new URLSearchParams({ from: '2022-01-01' }) } }, 'params.query', 'must be an object (got a URLSearchParams: pass Object.fromEntries(params))'],
  ['params.query a Map', 'GET', stats, { params: { ...params, query: new Map([['from', '2022-01-01']]) } }, 'params.query', 'must be an object (got a Map: pass a plain object)'],
  ['params.query a Headers', 'GET', stats, { params: { ...params, query: new Headers({ from: '2022-01-01' }) } }, 'params.query', 'must be an object (got a Headers)'],
  ['params.header a Map', 'GET', stats, { params: { ...params, header: new Map([['x-trace', 'abc']]) } }, 'params.header', 'must be an object (got a Map: pass a plain object)'],
  // Written into the URL as the words "NaN", "Infinity", "undefined".
  ['a path value that is NaN (a failed Number())', 'GET', stats, { params: { path: { accountId: Number('abc') } } }, 'params.path.accountId', 'must be a string or a finite number, or a list of them (got NaN)'],
  ['a path value that is Infinity', 'GET', stats, { params: { path: { accountId: 1 / 0 } } }, 'params.path.accountId', 'must be a string or a finite number, or a list of them (got Infinity)'],
  ['a path list with a missing item', 'GET', stats, { params: { path: { accountId: [undefined, '7'] } } }, 'params.path.accountId', 'must be a string or a finite number, or a list of them (got a list holding nothing)'],
  ['a query value that is NaN', 'GET', stats, { params: { ...params, query: { from: Number.NaN } } }, 'params.query.from', 'must be a string, number or boolean, or an array or object of them (got NaN)'],
  ['a query list holding -Infinity', 'GET', stats, { params: { ...params, query: { from: [1, -1 / 0] } } }, 'params.query.from', 'must be a string, number or boolean, or an array or object of them (got an array holding -Infinity)'],
  // openapi-fetch writes query names as they are: one more parameter, or the rest of the query cut off.
  ['a query name holding "&"', 'GET', stats, { params: { ...params, query: { 'from&admin': 'true' } } }, 'params.query', 'has a name that would change the URL: "from&admin" (no &, =, #, + or %: openapi-fetch writes names as they are)'],
  ['a query name holding "#"', 'GET', stats, { params: { ...params, query: { 'tag#': 'x', from: '2022-01-01' } } }, 'params.query', 'has a name that would change the URL: "tag#" (no &, =, #, + or %: openapi-fetch writes names as they are)'],
  ['a deepObject key holding "="', 'GET', stats, { params: { ...params, query: { filter: { 'a=b': 1 } } } }, 'params.query.filter', 'has a key that would change the URL: "a=b" (no &, =, #, + or %: openapi-fetch writes names as they are)'],
  // A Set of ids, a Map of filters, another library's Headers (node-fetch's): read by their own keys, none, so sent as nothing.
  ['a query value that is a Set', 'GET', stats, { params: { ...params, query: { from: new Set(['a', 'b']) } } }, 'params.query.from', 'must be a string, number or boolean, or an array or object of them (got a Set: pass a list ([...set]))'],
  ['a query value that is a Map', 'GET', stats, { params: { ...params, query: { filter: new Map([['state', 'open']]) } } }, 'params.query.filter', 'must be a string, number or boolean, or an array or object of them (got a Map: pass a plain object)'],
  ['headers from another library', 'GET', stats, { params, headers: new (class Headers { *[Symbol.iterator]() { yield ['x-trace', '1']; } })() }, 'headers', "must be an object of header values, or a Headers (got another library's Headers, read as empty: pass new Headers(it) or a plain object)"],
  ['a query value nested twice', 'GET', stats, { params: { ...params, query: { from: { a: { b: 1 } } } } }, 'params.query.from', 'must be a string, number or boolean, or an array or object of them (got an object nested deeper)'],
  ['a query value that is a function', 'GET', stats, { params: { ...params, query: { from: () => 1 } } }, 'params.query.from', 'must be a string, number or boolean, or an array or object of them (got a function)'],
  ['a path parameter that is an object (its keys would go into the path unescaped)', 'GET', stats, { params: { path: { accountId: { '../../admin?': '' } } } }, 'params.path.accountId', 'must be a string or number (got an object: its keys would be written into the path unescaped)'],
  ['a header name that is not one', 'GET', stats, { params, headers: { 'x trace': '1' } }, 'headers', 'has a header name that is not one: "x trace" (letters, digits and !#$%&\'*+.^_`|~- only)'],
  ['a query value that is a Date', 'GET', stats, { params: { ...params, query: { from: new Date(0) } } }, 'params.query.from', 'must be a string, number or boolean, or an array or object of them (got a Date: send it as text, e.g. toISOString())'],
  ['headers a Set', 'GET', stats, { params, headers: new Set(['x']) }, 'headers', 'must be an object of header values, or a Headers (got a Set: pass a list ([...set]))'],
  // Objects openapi-fetch would write as no fields at all: the call went out unfiltered (found 2026-12-01).
  ['a query value that is a boxed number', 'GET', stats, { params: { ...params, query: { from: new Number(3) } } }, 'params.query.from', 'must be a string, number or boolean, or an array or object of them (got a Number object: pass its value, value.valueOf())'],
  ['a query value that is a boxed boolean', 'GET', stats, { params: { ...params, query: { from: new Boolean(true) } } }, 'params.query.from', 'must be a string, number or boolean, or an array or object of them (got a Boolean object: pass its value, value.valueOf())'],
  ['a query value that is a String object', 'GET', stats, { params: { ...params, query: { from: new String('2022') } } }, 'params.query.from', 'must be a string, number or boolean, or an array or object of them (got a String object: pass its text, String(value))'],
  ['a query value that is a Uint8Array', 'GET', stats, { params: { ...params, query: { from: new Uint8Array([1]) } } }, 'params.query.from', 'must be a string, number or boolean, or an array or object of them (got a Uint8Array: pass a list (Array.from(value)))'],
  ['a query value that is a URL (openapi-fetch threw a plain Error)', 'GET', stats, { params: { ...params, query: { from: new URL('https://x.example/') } } }, 'params.query.from', 'must be a string, number or boolean, or an array or object of them (got a URL: send it as text, e.g. url.href)'],
  // Inherited keys are written too (openapi-fetch reads with for…in): checked like own ones.
  ['a deepObject key, inherited, holding "&"', 'GET', stats, { params: { ...params, query: { filter: Object.create({ 'x&admin=1': 1 }) } } }, 'params.query.filter', 'has a key that would change the URL: "x&admin=1" (no &, =, #, + or %: openapi-fetch writes names as they are)'],
  // A server splits a key at its brackets (decoded first): "Height [cm]" is stored as another field.
  ['a deepObject key holding brackets', 'GET', stats, { params: { ...params, query: { filter: { 'Height [cm]': 172 } } } }, 'params.query.filter', 'has a key the server would read as another field: "Height [cm]" (no [ or ]: the query names an object\'s fields with them)'],
  ['a query object holding a Date', 'GET', stats, { params: { ...params, query: { filter: { from: new Date(0) } } } }, 'params.query.filter', 'must be a string, number or boolean, or an array or object of them (got an object holding a Date: send it as text, e.g. toISOString())'],
  // openapi-fetch sets a header with String(): "[object Object]", a function's source, a local-time date, "NaN"; a symbol threw a raw TypeError.
  ['a header value that is an object', 'GET', stats, { params, headers: { 'x-trace': { id: 7 } } }, 'headers.x-trace', 'must be a string or a number (got an object: pass its text)'],
  ['a header value that is a function', 'GET', stats, { params, headers: { 'x-trace': () => 'id' } }, 'headers.x-trace', 'must be a string or a number (got a function: call it for its value)'],
  ['a header value that is a Date', 'GET', stats, { params, headers: { 'x-trace': new Date(0) } }, 'headers.x-trace', 'must be a string or a number (got a Date: send it as text, e.g. toUTCString())'],
  ['a header value that is NaN', 'GET', stats, { params: { ...params, header: { 'x-trace': Number.NaN } } }, 'params.header.x-trace', 'must be a string or a number (got NaN)'],
  ['a header value that is a symbol', 'GET', stats, { params, headers: { 'x-trace': Symbol('id') } }, 'headers.x-trace', 'must be a string or a number (got a symbol)'],
  ['a header list holding an object', 'GET', stats, { params, headers: { 'x-tags': ['a', {}] } }, 'headers.x-tags', 'must be a string or a number (got a list holding an object: pass its text)'],
  ['a header value with a control character', 'GET', stats, { params, headers: { 'x-trace': 'a\vb' } }, 'headers.x-trace', 'must be usable in a header: no control characters other than tab, and none above U+00FF'],
  // Headers() takes these, and fetch then refused to send the call ("fetch failed").
  ['a Headers holding a control character', 'GET', stats, { params, headers: new Headers({ 'x-trace': 'a\u0001b' }) }, 'headers', 'has a header that fetch would refuse to send: x-trace must be usable in a header: no control characters other than tab, and none above U+00FF'],
  ['a header list holding null (sent as the word)', 'GET', stats, { params, headers: { 'x-tags': ['a', null] } }, 'headers.x-tags', 'must be a string or a number (got a list holding null)'],
  // A call's own base URL takes the client's rules.
  ['a baseUrl with a password', 'GET', stats, { params, baseUrl: 'http://ops:S3cret@127.0.0.1:1' }, 'baseUrl', 'must not contain a user name or password (got "http://…@127.0.0.1:1")'],
  ['a baseUrl with a query (it would swallow the path)', 'GET', stats, { params, baseUrl: 'https://api.example.com/v1?region=eu' }, 'baseUrl', `must not have a query or fragment: each call's path is appended to it (got "https://api.example.com/v1?…")`],
  ['a baseUrl that is not http', 'GET', stats, { params, baseUrl: 'ftp://x' }, 'baseUrl', 'must be an absolute URL with http: or https: (got "ftp://x")'],
  ['a baseUrl that is not a string', 'GET', stats, { params, baseUrl: 42 }, 'baseUrl', 'must be an absolute URL string (got a number)'],
  ['signal a string', 'GET', stats, { params, signal: 'x' }, 'signal', 'must be an AbortSignal (got a string)'],
  ['signal a plain object', 'GET', stats, { params, signal: {} }, 'signal', 'must be an AbortSignal (got an object)'],
  ['parseAs unknown', 'GET', stats, { params, parseAs: 'bogus' }, 'parseAs', "must be one of 'json', 'text', 'blob', 'arrayBuffer', 'stream' (got 'bogus')"],
  ['middleware not an array', 'GET', stats, { params, middleware: {} }, 'middleware', 'must be an array (got an object)'],
  ['middleware that is not one', 'GET', stats, { params, middleware: [5] }, 'middleware', '[0] must be a middleware: an object with onRequest, onResponse or onError (got a number)'],
  ['a body on a GET', 'GET', stats, { params, body: { a: 1 } }, 'body', 'must be left out of a GET call'],
  // Mistyped keys would be dropped without a word.
  ['params mistyped', 'GET', stats, { params, parms: { query: { from: 'x' } } }, 'parms', 'is unknown: did you mean "params"?'],
  ['parseAs in another case', 'GET', stats, { params, parseas: 'text' }, 'parseas', 'is unknown: did you mean "parseAs"?'],
  ['signal with two letters swapped', 'GET', stats, { params, sginal: new AbortController().signal }, 'sginal', 'is unknown: did you mean "signal"?'],
  // A client option on one call would be ignored: the call would take the client's.
  ['timeoutMs on a call', 'GET', stats, { params, timeoutMs: 200 }, 'timeoutMs', 'is a client option: set it when creating the client (to give one call less time, pass signal: AbortSignal.timeout(ms))'],
  ['retry on a call', 'GET', stats, { params, retry: { retries: 2 } }, 'retry', 'is a client option: set it when creating the client'],
  ['validate on a call', 'GET', stats, { params, validate: 'throw' }, 'validate', 'is a client option: set it when creating the client'],
  ['onViolation on a call', 'GET', stats, { params, onViolation: () => undefined }, 'onViolation', 'is a client option: set it when creating the client'],
  ['sample on a call', 'GET', stats, { params, sample: 0.5 }, 'sample', 'is a client option: set it when creating the client'],
  ['record on a call', 'GET', stats, { params, record: () => undefined }, 'record', 'is a client option: set it when creating the client'],
  ['a client option mistyped on a call', 'GET', stats, { params, timeoutMS: 200 }, 'timeoutMS', 'is unknown: did you mean "timeoutMs"?'],
];

describe('bodies the serializer cannot write', () => {
  // JSON.stringify's own messages named only "body" (CLIENT-86).
  it.each([
    ['a BigInt', { n: 1n }, 'body.n', 'must be JSON data: text, a number, a boolean, null, or an object or array of them (got a BigInt, which JSON cannot write: pass it as text, String(value))'],
    [
      'a circular object',
      (() => { const o: Record<string, unknown> = {}; o.self = o; return o; })(),
      'body.self',
      'must be JSON data: text, a number, a boolean, null, or an object or array of them (got a reference back to a field that holds it: JSON cannot write a cycle)',
    ],
  ])('%s → ConfigError naming the field, nothing sent', async (_, body, option, rule) => {
    const before = received;
    const error = await client().PUT!(pause, { params, body }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ option, rule, message: `xonvo: option "${option}" ${rule}` });
    expect(received).toBe(before);
  });

  // JSON.stringify would send each as {}, as bytes by index, or as no body at all, and the call answer 200.
  const JSON_DATA = 'must be JSON data: text, a number, a boolean, null, or an object or array of them';
  it.each([
    ['a Map', new Map([['email', 'a@b.c']]), 'body', `${JSON_DATA} (got a Map: JSON writes it as {}; convert it to an object or an array first)`],
    ['a Uint8Array', new TextEncoder().encode('{}'), 'body', `${JSON_DATA} (got a Uint8Array: binary data has no JSON form (pass a list, Array.from(value), if the vendor wants numbers))`],
    ['a Blob', new Blob(['{}']), 'body', `${JSON_DATA} (got a Blob: its bytes are not JSON (to send them as they are, pass bodySerializer: (body) => body))`],
    ['a stream', new ReadableStream(), 'body', `${JSON_DATA} (got a ReadableStream, which has no fields: JSON writes it as {})`],
    ['a function', () => 1, 'body', `${JSON_DATA} (got a function)`],
    ['a toJSON that answers nothing', { toJSON: () => undefined }, 'body', `${JSON_DATA} (JSON.stringify writes nothing for it)`],
    ['a Set inside a list', { leads: [{ tags: new Set(['a']) }] }, 'body.leads[0].tags', `${JSON_DATA} (got a Set: JSON writes it as {}; convert it to an object or an array first)`],
    ['a symbol field', { lead: { id: Symbol('x') } }, 'body.lead.id', `${JSON_DATA} (got a symbol)`],
    // Named `body[0]`, not `body.[0]` (CLIENT-86); NaN went as null.
    ['a NaN in a list body', [Number('12,50')], 'body[0]', `${JSON_DATA} (got NaN: JSON writes it as null)`],
  ])('%s → ConfigError naming the field, nothing sent', async (_, body, option, rule) => {
    const before = received;
    const error = await client().PUT!(pause, { params, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ option, rule, message: `xonvo: option "${option}" ${rule}` });
    expect(received).toBe(before);
  });
});

describe("a call's own querySerializer", () => {
  it('must answer text: what else it answers is a ConfigError naming it, nothing sent', async () => {
    const before = received;
    const error = await client().GET!(stats, { params, querySerializer: () => ({ from: 1 }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ option: 'querySerializer', rule: 'must return the query as a string (got an object)' });
    expect(received).toBe(before);
    expect((await client().GET!(stats, { params, querySerializer: () => 'from=1' })).response.status).toBe(200);
    expect(arrived.at(-1)).toBe('GET /accounts/21/statistics?from=1');
  });
});

describe("a call's baseUrl", () => {
  it('is trimmed, as the factory\'s is, and an empty one means the client\'s (openapi-fetch\'s reading)', async () => {
    const seen: string[] = [];
    const recorder = createServer((req, res) => (seen.push(req.url!), res.writeHead(200, { 'content-type': 'application/json' }).end('{"leadCount":1}')));
    await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
    try {
      const other = `http://127.0.0.1:${(recorder.address() as { port: number }).port}`;
      const spaced = createXonvoClient({ baseUrl: ` ${other}/v1 \n`, username: 'u', password: 'p' });
      expect((await spaced.GET(stats, { params } as never)).response.status).toBe(200);
      expect((await client().GET!(stats, { params, baseUrl: `${other}/v2 ` })).response.status).toBe(200);
      const before = received;
      expect((await client().GET!(stats, { params, baseUrl: '' })).response.status).toBe(200);
      expect(received).toBe(before + 1);
      expect(seen).toEqual(['/v1/accounts/21/statistics', '/v2/accounts/21/statistics']);
    } finally {
      await new Promise((resolve) => recorder.close(resolve));
    }
  });
});

describe('checkCall', () => {
  it.each(rows)('%s → ConfigError naming the field, nothing sent', async (_, method, path, init, option, rule) => {
    const before = received;
    const error = await client()[method]!(path, init).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ option, rule, message: `xonvo: ${method} ${String(path)}: option "${option}" ${rule}` });
    expect(received).toBe(before);
  });

  it('a method that is not a string, or not an HTTP token → ConfigError from request()', async () => {
    const error = await client().request!(42, stats, { params }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ConfigError', option: 'method', message: "xonvo: option \"method\" must be an HTTP method such as 'GET' (got a number)" });
    const spaced = await client().request!('GE T', stats, { params }).catch((e: unknown) => e);
    expect(spaced).toMatchObject({ name: 'ConfigError', option: 'method', message: "xonvo: option \"method\" must be an HTTP method such as 'GET' (got \"GE T\")" });
    // Ones fetch refuses to send, whatever their case.
    for (const method of ['connect', 'Track']) {
      const before = received;
      const refused = await client().request!(method, stats, { params }).catch((e: unknown) => e);
      expect(refused).toMatchObject({ name: 'ConfigError', option: 'method', rule: 'must be one fetch can send: it refuses CONNECT, TRACE, TRACK (no vendor documents them)' });
      expect(received).toBe(before);
    }
  });

  it("a call's own fetch is used for that call, as openapi-fetch uses it, and gets a real Request", async () => {
    const seen: unknown[] = [];
    const before = received;
    const own = async (request: Request) => (seen.push(request instanceof Request), new Response('{"leadCount":7}', { headers: { 'content-type': 'application/json' } }));
    const { data } = (await client().GET!(stats, { params, fetch: own })) as unknown as { data: { leadCount: number } };
    expect(data).toEqual({ leadCount: 7 });
    expect(seen).toEqual([true]);
    expect(received).toBe(before);
  });

  it('lets through every well-formed call, and the keys it leaves to fetch', async () => {
    const xonvo = client();
    const before = received;
    const ok = [
      xonvo.GET!(stats, { params: { path: { accountId: 0 }, query: { from: '2022-02-20T01:30:00.000Z' } } }),
      xonvo.GET!(stats, { params, headers: new Headers({ 'x-trace': '1' }), signal: new AbortController().signal, parseAs: 'text' }),
      xonvo.GET!(stats, { params, headers: { 'x-trace': '1' }, middleware: [{ onRequest: () => undefined }, false, undefined], cache: 'no-store' }),
      xonvo.PUT!(pause, { params: { path: { accountId: 'a-21' } }, body: { paused: true } }),
      xonvo.GET!(stats, { params: { path: { accountId: '...' } } }),
      xonvo.GET!(stats, { params: { path: { accountId: 'a/../b' } } }),
      xonvo.GET!(stats, { params, parseAs: 'stream' }).then(async (r) => (await (r as unknown as { data: ReadableStream }).data.cancel(), r)),
      xonvo.request!('get', stats, { params }),
      // Header values of every kind fetch sends (Latin-1 included), and every query shape openapi-fetch serialises.
      xonvo.GET!(stats, { params: { ...params, header: { 'x-n': 5, 'x-name': 'Zoë', 'x-gone': null } }, headers: { 'x-tags': ['a', 'b'], 'x-off': undefined } }),
      xonvo.GET!(stats, { params: { ...params, query: { from: ['a', 1, true], filter: { state: 'open', n: 2 }, big: 10n, none: null } } }),
      xonvo.GET!(stats, { params, headers: Object.assign(Object.create(null), { 'x-trace': '1' }) }),
      xonvo.PUT!(pause, { params, body: { when: new Date(0), list: [1, { deep: { deeper: true } }] } }),
      // fetch's own leniencies: no signal as null, a header value with a newline at its end (read from a file).
      xonvo.GET!(stats, { params, signal: null, headers: { 'x-trace': 'req-7\n' } }),
      // A query or header object from a class (a DTO): openapi-fetch reads its own keys.
      xonvo.GET!(stats, { params: { ...params, query: new (class Query { from = '2022-01-01'; })() } }),
      // A DTO of optional filters with none set (NestJS's empty query), or one whose data is private: no fields sent, as for {}.
      xonvo.GET!(stats, { params: { ...params, query: new (class ListQuery { from?: string; })() } }),
      // What String() writes as text is a header's text: a URL, a String object.
      xonvo.GET!(stats, { params, headers: { 'x-trace': new URL('https://x.example/t'), 'x-name': new String('Ann') } }),
      // And an object with a text of its own: a token class's toString(), a Buffer (a third round found them refused).
      xonvo.GET!(stats, { params, headers: { 'x-trace': new (class Token { toString() { return 'tok-1'; } })(), 'x-raw': Buffer.from('raw-1') } }),
      // A caller with its own querySerializer decides what a query value may be.
      xonvo.GET!(stats, { params: { ...params, query: { filter: { a: { b: 1 } } } }, querySerializer: (q: unknown) => `q=${encodeURIComponent(JSON.stringify(q))}` }),
      // Keys named as Object's own (they were looked up among the rules, and threw "r.check is not a function").
      xonvo.GET!(stats, { params, constructor: 'x', toString: 1 }),
      // An init parsed from JSON may hold a "__proto__" key: it is a key, not the copy's prototype (whose body would be a GET's).
      xonvo.GET!(stats, JSON.parse('{"params":{"path":{"accountId":1}},"__proto__":{"body":{"a":1}}}')),
      // A header parameter given as a Headers, which openapi-fetch merges as one.
      xonvo.GET!(stats, { params: { ...params, header: new Headers({ 'x-trace': 'from-params' }) } }),
    ];
    for (const { response } of await Promise.all(ok)) expect(response.status).toBe(200);
    expect(received - before).toBe(ok.length);
    expect(arrived).toContain('GET /accounts/21/statistics  x-trace=from-params');
    expect(arrived).toContain('GET /accounts/21/statistics  x-trace=tok-1');
  });
});

describe('an init that is not a plain object', () => {
  const sentFor = async (init: unknown, method = 'PUT', path = pause) => {
    const before = arrived.length;
    const { response } = await client()[method]!(path, init);
    expect(response.status).toBe(200);
    return arrived.slice(before);
  };

  it('fills the path with the values it checked: a getter that answers ".." once the checks have read it is not read again', async () => {
    let reads = 0;
    const path = {
      get accountId() {
        reads += 1;
        return reads <= 2 ? 42 : '..';
      },
    };
    expect(await sentFor({ params: { path }, body: { paused: true } })).toEqual(['PUT /accounts/42/pause {"paused":true}']);
  });

  it('reads a header value once: a getter that answers a line break on a later read sends what was checked', async () => {
    let reads = 0;
    const header = {
      get 'x-trace'() {
        reads += 1;
        return reads === 1 ? 'ok' : 'line\nbreak';
      },
    };
    expect(await sentFor({ params: { path: { accountId: 3 }, header }, body: { paused: true } })).toEqual(['PUT /accounts/3/pause {"paused":true} x-trace=ok']);
  });

  it('takes a client option given as undefined as not given (a wrapper passing its own options through)', async () => {
    expect(await sentFor({ params: { path: { accountId: 7 } }, body: { paused: true }, timeoutMs: undefined, validate: undefined })).toEqual(['PUT /accounts/7/pause {"paused":true}']);
  });

  it('sends the inherited fields of a query and of its objects, as openapi-fetch writes them (for…in), checked', async () => {
    const query = Object.create({ from: '2022-01-01' });
    query.filter = Object.create({ state: 'open' });
    expect(await sentFor({ params: { ...params, query } }, 'GET', stats)).toEqual(['GET /accounts/21/statistics?filter[state]=open&from=2022-01-01']);
  });

  it("sends an ES5-compiled class's fields, not the methods its prototype holds enumerable (a regression, found 2026-12-01)", async () => {
    function Query(this: Record<string, unknown>) {
      this.from = '2022-01-01';
    }
    Query.prototype.isEmpty = function () {
      return false;
    };
    const query = new (Query as unknown as new () => object)();
    expect(await sentFor({ params: { ...params, query } }, 'GET', stats)).toEqual(['GET /accounts/21/statistics?from=2022-01-01']);
  });

  it("sends what a prototype holds (an Object.create(defaults)), as checked: openapi-fetch's spread would drop it", async () => {
    const defaults = { params: { path: { accountId: 42 } }, body: { paused: true }, headers: { 'x-trace': 't-1' } };
    expect(await sentFor(Object.create(defaults))).toEqual(['PUT /accounts/42/pause {"paused":true} x-trace=t-1']);
  });

  it("sends a class's getters, which are not enumerable, and checks them", async () => {
    class PauseCall {
      constructor(private readonly id: number) {}
      get params() {
        return { path: { accountId: this.id } };
      }
      get body() {
        return { paused: true };
      }
    }
    expect(await sentFor(new PauseCall(7))).toEqual(['PUT /accounts/7/pause {"paused":true}']);
    const before = received;
    const broken = class extends PauseCall {
      get signal() {
        return 'x';
      }
    };
    await expect(client().PUT!(pause, new broken(7))).rejects.toMatchObject({ name: 'ConfigError', option: 'signal', rule: 'must be an AbortSignal (got a string)' });
    const timed = class extends PauseCall {
      get timeoutMs() {
        return 5;
      }
    };
    await expect(client().PUT!(pause, new timed(7))).rejects.toMatchObject({ name: 'ConfigError', option: 'timeoutMs' });
    expect(received).toBe(before);
  });

  it('reads each key once: a getter that answers otherwise the second time sends what was checked', async () => {
    let reads = 0;
    const init = {
      get params() {
        reads++;
        return { path: { accountId: reads === 1 ? 21 : '..' } };
      },
    };
    expect(await sentFor(init, 'GET', stats)).toEqual(['GET /accounts/21/statistics']);
    expect(reads).toBe(1);
    // An inherited getter, found by for…in, is not read again by name.
    reads = 0;
    expect(await sentFor(Object.create(init), 'GET', stats)).toEqual(['GET /accounts/21/statistics']);
    expect(reads).toBe(1);
  });
});
