/**
 * The type of a vendor client: openapi-fetch's client with leaner call signatures.
 *
 * openapi-fetch types each call as `<Path, Init extends MaybeOptionalInit<…>>(url, ...init:
 * InitParam<Init>)`: TypeScript infers `Init` from the options literal through a conditional
 * tuple and an intersection with an index signature, then checks it against the operation's
 * options (which include all of RequestInit). Measured on a consumer of every vendor, that
 * inference was ~75% of the consumer's check time (~100 ms per call with options). Here the
 * options parameter is not inferred: it is computed from the path and method and the literal is
 * checked against it, as for any parameter. Paths, parameters, bodies and responses are typed
 * exactly as before (same openapi-fetch FetchOptions / FetchResponse); unknown option keys are
 * now refused instead of silently accepted. Only `parseAs` still needs inference (it changes the
 * type of `data`), so it has its own overload.
 */
import type { Client, FetchOptions, FetchResponse, Middleware, ParseAs } from 'openapi-fetch';

type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';
type AnyMedia = `${string}/${string}`;

/** The paths that have an operation for `M` (openapi-typescript-helpers' PathsWithMethod). */
export type PathsWith<Paths, M extends HttpMethod> = { [P in keyof Paths]: Paths[P] extends { [K in M]: any } ? P : never }[keyof Paths];
type Operation<Paths, P extends keyof Paths, M extends HttpMethod> = Paths[P] extends { [K in M]: infer O extends Record<string, any> } ? O : never;
type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];
/** Options are optional exactly when the operation has no required parameter and no required body. */
type InitArgs<O> = [RequiredKeys<FetchOptions<O>>] extends [never] ? [init?: FetchOptions<O>] : [init: FetchOptions<O>];
type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 206 | 207 | '2XX';
type SuccessMedia<O> = O extends { responses: infer R } ? { [S in keyof R]: S extends SuccessStatus ? (R[S] extends { content: infer C } ? keyof C : never) : never }[keyof R] : never;
/**
 * Without `parseAs` a success body is parsed as JSON, so an operation documented to answer only
 * another type (Imprzd's PNG) fails every success with a RequestError: such a call must say how to
 * read it.
 */
type PlainArgs<O> = [SuccessMedia<O>] extends [never] ? InitArgs<O> : [Extract<SuccessMedia<O>, `${string}/json${string}` | `${string}+json${string}`>] extends [never] ? [init: FetchOptions<O> & { parseAs: Exclude<ParseAs, 'json'> }] : InitArgs<O>;

export interface CallMethod<Paths, M extends HttpMethod> {
  /** With `parseAs` other than 'json': `data` is text, a Blob, an ArrayBuffer or the stream. */
  <P extends PathsWith<Paths, M>, As extends Exclude<ParseAs, 'json'>>(
    url: P,
    init: FetchOptions<Operation<Paths, P, M>> & { parseAs: As },
  ): Promise<FetchResponse<Operation<Paths, P, M>, { parseAs: As }, AnyMedia>>;
  <P extends PathsWith<Paths, M>>(url: P, ...init: PlainArgs<Operation<Paths, P, M>>): Promise<FetchResponse<Operation<Paths, P, M>, {}, AnyMedia>>;
}

/** A typed client for one vendor's `paths` (what every `create<Vendor>Client` returns). */
export interface VendorClient<Paths extends {}> {
  GET: CallMethod<Paths, 'get'>;
  PUT: CallMethod<Paths, 'put'>;
  POST: CallMethod<Paths, 'post'>;
  DELETE: CallMethod<Paths, 'delete'>;
  OPTIONS: CallMethod<Paths, 'options'>;
  HEAD: CallMethod<Paths, 'head'>;
  PATCH: CallMethod<Paths, 'patch'>;
  TRACE: CallMethod<Paths, 'trace'>;
  /** Any method by name (openapi-fetch's own, inferring signature). */
  request: Client<Paths>['request'];
  use(...middleware: Middleware[]): void;
  eject(...middleware: Middleware[]): void;
}
