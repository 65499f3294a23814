import type { Json, Record_ } from './store.js';

/**
 * What an operation does to the mock's state, declared in the spec as `x-mock` (see
 * docs/mock-behaviour.md). One generic interpreter (./apply.ts) reads it for every vendor.
 */
export interface Condition {
  /** Where to look: a query parameter, a body pointer, a header, a path parameter. */
  query?: string;
  body?: string;
  header?: string;
  path?: string;
  equals?: string | number | boolean;
  matches?: string;
  /** True when the value is absent. */
  absent?: boolean;
}

export interface ValueSource {
  body?: string;
  query?: string;
  path?: string;
  /** A regular expression whose first group is the value. */
  pattern?: string;
}

export interface MockBehaviour {
  resource?: string;
  action?: 'list' | 'read' | 'create' | 'update' | 'delete' | 'link' | 'unlink' | 'adjust' | 'token';
  /** Where the record (or the list) sits in the 2xx body, as a JSON pointer; '' = the body. */
  at?: string;
  /** The record's id field (default `id`). */
  key?: string;
  /** The path parameter naming the record. */
  id?: string;
  /** Whose data: the caller's token (default), a value in the request, or whoever holds the record. */
  owner?: 'token' | 'any' | ValueSource;
  /** list: query (or path) parameter → record field, equality (a repeated or bracketed parameter: any of). */
  filters?: Record<string, string>;
  /** list: pagination parameters and where the paging numbers go in the body. */
  page?: { page?: string; size?: string; offset?: string; first?: number; meta?: Partial<Record<'total' | 'pages' | 'page' | 'size', string>> };
  /** create/update: what the answer carries: the record (default), only its id, or the documented example. */
  returns?: 'record' | 'id' | 'nothing';
  /** create/update: copy request body fields onto the record (same names, compatible types). */
  merge?: boolean | string;
  /** update: fields set by this call (a lifecycle transition). */
  set?: Record<string, Json>;
  /** update: the transition is legal only from these values of `field`; else `status` (+ example). */
  from?: { field: string; in: Json[]; status: number; example?: string };
  /** link/unlink/list-via: a many-to-many relation between two path parameters. */
  relation?: string;
  left?: string;
  right?: string;
  via?: { relation: string; param: string; side: 'left' | 'right' };
  /** adjust: add `by` (× sign) to a numeric field of the record named by `record`. */
  adjust?: { field: string; by: ValueSource; sign?: 1 | -1; record?: ValueSource };
  /** token: where the identity is in the request, and which body fields carry the token. */
  token?: { identity?: ValueSource; fields: string[] };
  /** Request-aware example choice, first match wins; applies in stateless mode too. */
  examples?: { when: Condition | Condition[]; example: string; status?: number }[];
}

export type { Json, Record_ };
