import { readBasicAuthorization } from '../auth/basic.js';
import type { MockRequest } from './exchange.js';
import { createMemo } from './memo.js';
import type { Operation, Violation } from './prism.js';

/** What JavaScript writes for a value never set, or set to the wrong thing, when it is put in a string. */
const UNSET = new Set(['undefined', 'null', 'NaN', '[object Object]']);

/**
 * A credential that is the text of a value never set: `Bearer ${token}` sent before the token came,
 * `btoa(`${user}:${password}`)` or an API key header from settings left unset. Prism takes any
 * token, so the app got data where the vendor answers 401, and the bug showed only against the
 * vendor. Looked for where the operation's security schemes read a credential (the Authorization
 * header, an API key's header or query parameter), and only where every alternative needs one: an
 * operation that may be called without credentials takes any.
 */
function unsetCredential(operation: Operation, request: MockRequest, fromHeader: (authorization: string | undefined) => readonly Sent[]): Violation | undefined {
  const alternatives = operation.security ?? [];
  if (alternatives.length === 0 || alternatives.some((schemes) => schemes.length === 0)) return undefined;
  const found = sentCredentials(alternatives.flat(), request, fromHeader).find(({ text }) => UNSET.has(text));
  if (!found) return undefined;
  return { location: [...found.location], severity: 'Error', message: `${found.what} is the text "${found.text}": the caller sent a value it had not set (a token not yet fetched, a setting left unset)` };
}

/**
 * The check, with what each Authorization value carries read once: a client sends the same one on
 * every call, and decoding a Basic one again cost each request ~0.5 µs.
 */
export function createUnsetCredential(): (operation: Operation, request: MockRequest) => Violation | undefined {
  const read = createMemo<readonly Sent[]>();
  const fromHeader = (authorization: string | undefined) => (authorization === undefined ? [] : read.remembered(authorization, () => fromAuthorization(authorization)));
  return (operation, request) => unsetCredential(operation, request, fromHeader);
}

/** One security scheme of an operation, as Prism reads it. */
type Scheme = NonNullable<Operation['security']>[number][number];

interface Sent {
  location: string[];
  what: string;
  text: string;
}

function sentCredentials(schemes: Scheme[], request: MockRequest, fromHeader: (authorization: string | undefined) => readonly Sent[]): Sent[] {
  const sent: Sent[] = [...fromHeader(request.headers.authorization)];
  let query: URLSearchParams | undefined;
  for (const scheme of schemes) {
    if (scheme.type !== 'apiKey') continue;
    if (scheme.in === 'header') {
      const value = request.headers[scheme.name.toLowerCase()];
      if (value !== undefined) sent.push({ location: ['request', 'header', scheme.name.toLowerCase()], what: `the header ${scheme.name}`, text: value.trim() });
    } else if (scheme.in === 'query') {
      for (const value of (query ??= new URLSearchParams(request.query)).getAll(scheme.name)) sent.push({ location: ['request', 'query', scheme.name], what: `the query parameter ${scheme.name}`, text: value.trim() });
    }
  }
  return sent;
}

function fromAuthorization(authorization: string | undefined): Sent[] {
  const at = ['request', 'header', 'authorization'];
  const bearer = /^Bearer\s+(.*)$/i.exec(authorization ?? '')?.[1];
  if (bearer !== undefined) return [{ location: at, what: "the Authorization header's bearer token", text: bearer.trim() }];
  const basic = readBasicAuthorization(authorization);
  if (!basic) return [];
  return [
    { location: at, what: "the Authorization header's Basic user name", text: basic.username },
    { location: at, what: "the Authorization header's Basic password", text: basic.password },
  ];
}
