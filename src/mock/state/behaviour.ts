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
  /**
   * Whether the value is an http(s) URL a webhook can be delivered to (`false`: refuse one that is
   * not): the check the mock's delivery makes, so what is accepted is what it can send to, on a
   * text `format: uri` takes (an IDN host in punycode, `xn--bcher-kva.example`, not `bücher.example`).
   */
  httpUrl?: boolean;
}

/**
 * A value from the request, a constant, or (`caller`, `lookup`, `times`, `per`, `fresh`, `now`, `join`:
 * read in `assign`, `echo` and an adjust's `by` only) what the mock knows.
 */
export interface ValueSource {
  body?: string;
  query?: string;
  path?: string;
  /** A request header, by its name in any case (Placewise's `X-Product-Name`, a new member's opt-in channel). */
  header?: string;
  /** A field of the record this call's main action touched (in `also`), or of the record being written (the main action's `assign`). */
  record?: string;
  /**
   * Whether the record (as `record` reads it) holds a value other than null, false or '' at any of
   * these pointers: a fact about a record that is no field of it (whether a Placewise member can
   * sign in: with a password or an MSISDN).
   */
  holds?: string[];
  /** The names whose pointer the record holds a value at, as `holds` reads one, in order (a Placewise member's `available_identifiers`). */
  namesHeld?: Record<string, string>;
  /** A constant. */
  value?: Json;
  /** Use the number's negative (points deducted are stored as negative points). */
  negate?: boolean;
  /** A regular expression whose first group is the value. */
  pattern?: string;
  /** Who the caller's token acts for (absent for the tenant's own token). */
  caller?: boolean;
  /**
   * A field (`at`, a pointer) of another record the caller can read, named by `id`, or the first
   * whose fields equal the `where` values (Perx's exchange rate from one program to another).
   */
  lookup?: { resource: string; id?: ValueSource; where?: Record<string, ValueSource>; at: string };
  /** The value multiplied by this number (a rate read from another record, or a constant). */
  times?: ValueSource;
  /** The value divided by this number (with `times`, a rate given as two amounts: 100 points become 10). */
  per?: ValueSource;
  /** A number above every one this pointer holds in the resource's records or was given in the session (a second identifier the mock numbers: Placewise's person_id). */
  fresh?: string;
  /** The time of the call, as an RFC 3339 date-time in UTC with milliseconds (`2021-09-21T08:02:10.000Z`). */
  now?: boolean;
  /**
   * The text of each of these sources, one after another (a Perx voucher's code: its reward's name,
   * `-`, its own id); no value when one of them gives none, or gives an object or a list.
   */
  join?: ValueSource[];
  /**
   * With `now`: that time plus this many milliseconds (a reservation held for the `timeout` the
   * request gives); no value when the source gives no number, or one past the dates JSON can show.
   */
  plus?: ValueSource;
}

/** The paging numbers a list can show (see MockBehaviour.page). */
export const PAGE_NUMBERS = ['total', 'pages', 'page', 'size', 'next', 'prev', 'isFirst', 'isLast', 'onPage'] as const;
export type PageNumber = (typeof PAGE_NUMBERS)[number];

export interface MockBehaviour {
  resource?: string;
  action?: 'list' | 'read' | 'create' | 'update' | 'delete' | 'link' | 'unlink' | 'adjust' | 'token';
  /** Where the record (or the list) sits in the 2xx body, as a JSON pointer; '' = the body. */
  at?: string;
  /** The record's id field (default `id`). */
  key?: string;
  /** The path parameter naming the record. */
  id?: string;
  /**
   * read/create/update/delete: the path parameter (or `each` binding) naming the record this one
   * belongs to (XONVO's account of a lead): written under it, a record is found under it only; one
   * written by a call that names none is found under any.
   */
  scope?: string;
  /** Where the record's id is when it is not a path parameter (a body field, or the main record in `also`). */
  idFrom?: ValueSource;
  /** Whose data: the caller's token (default), a value in the request, or whoever holds the record. */
  owner?: 'token' | 'any' | ValueSource;
  /**
   * list: query (or path) parameter → record field, equality (a repeated parameter: any of). With
   * a `separator`, a value joined by it also counts as its items (Perx's `ids=205|206`).
   */
  filters?: Record<string, string | { field: string; separator?: string }>;
  /**
   * list: pagination parameters and where the paging numbers go: `meta`, pointers into the body;
   * `headers`, documented response headers (Footprints' catalogues: `X-Current-Page`). `onPage` is
   * the number of records on the page shown.
   */
  page?: { page?: string; size?: string; offset?: string; first?: number; defaultSize?: number; meta?: Partial<Record<PageNumber, string | string[]>>; headers?: Partial<Record<PageNumber, string>> };
  /**
   * Answer fields (JSON pointers the documented answer has) set from the request or the data: a
   * list's preset view echoed back, the points a transfer credits.
   */
  echo?: Record<string, ValueSource>;
  /**
   * list: only the records where one of `fields` (names or pointers; every value of the record
   * without it) holds the query parameter `param`'s text, in any case.
   */
  search?: { param: string; fields?: string[] };
  /**
   * list: sorted by the record fields the query parameter `by` names (repeated: first is most
   * significant; a repeat counts once, and past LIMITS.sortFields distinct fields the rest are
   * ignored), each in the direction the `order` parameter (the first of several names sent)
   * gives at the same position. `default` gives the field when none is named (without it, the
   * list's own order) and the direction when none is given (else `asc`); without `by`, the
   * request names none.
   */
  sort?: { by?: string; order?: string | string[]; default?: { by?: string; order?: 'asc' | 'desc' } };
  /**
   * read/update/delete: when the record does not exist, this documented answer instead of 404
   * (Placewise's public info: 200 with `null`; Footprints' updates: its 400, as it documents no 404).
   */
  missing?: { status: number; example?: string };
  /**
   * A body that is not JSON gets this documented answer (Placewise's 400 with an empty body,
   * PLACEWISE-8) instead of the mock's own `400 application/problem+json`; credentials are checked first.
   */
  malformed?: { status: number; example?: string };
  /**
   * read: when the record was deleted in the session, this documented answer instead of `missing`,
   * showing the record as it was (Placewise's person-id look-up: `storage`, with the member's id).
   */
  deleted?: { status: number; example?: string };
  /**
   * read: fields of the record shown set to how many records of `resource` the caller sees kept
   * within the record the path parameter `scope` names (see `scope`), those whose fields equal
   * `where` only: XONVO's account statistics count the account's leads, and the unsubscribed ones.
   */
  counts?: Record<string, { resource: string; scope: string; where?: Record<string, Json> }>;
  /**
   * Records that must exist for this call (a group to add a member to), each named by a path
   * parameter or by a source (a Footprints action's lead, `{ body: /leadId }`; a request that
   * names none through a source requires none): else 404, or the documented answer given.
   * Within a bulk call (`each`) an item naming one that does not exist refuses the whole call.
   */
  requires?: { resource: string; id: string | ValueSource; status?: number; example?: string }[];
  /**
   * read: the answer also holds, at `at` (a pointer into the documented answer), the records of
   * another resource the caller sees, listed as a `list` lists them (`filters`, whose parameters
   * may be path parameters; `sort`; `page`), each shown with the fields the documented entry there
   * has: a field kept to filter by (the program a Perx points-history line belongs to) is not shown.
   */
  embed?: Embed;
  /** A change made by this call is announced with this webhook (its name in the spec's `webhooks`) to the subscriptions written to `subscribers`. */
  notify?: { webhook: string; subscribers: string };
  /**
   * What the answer carries: the record, only its id, or the documented example. Creates and
   * updates default to the record; a delete shows the record as it was only when set to 'record'.
   */
  returns?: 'record' | 'id' | 'nothing';
  /**
   * The record holds and shows only its own values. create: a new record is not a copy of the
   * first seed: it holds what the body gives (of the fields the seed has), `set` and `assign`, and
   * nothing the caller did not send (a Placewise member with the example's consent and bounced
   * e-mail). update: the body may give a field the record lacks, if the seed has it. Any action:
   * a documented answer field the record lacks is left out, not filled from the example.
   */
  blank?: boolean;
  /**
   * create: fields (pointers) of the copied record a new one does not take; it holds them only where
   * the body gives them, and its answer does not show the example's (a Placewise group's optional
   * name, type and description).
   */
  omit?: string[];
  /**
   * create, update, read, delete: top-level objects whose keys the caller decides (Placewise's club
   * properties): a value sent under one is kept as sent, whatever type the seed's value there has,
   * and shown as held; an object the record's schemas refuse goes back to what it was, as any field does.
   */
  freeForm?: string[];
  /**
   * update: `freeForm` objects in which a key sent as `null` is removed, where the vendor says so
   * (a Placewise member update's `properties`); elsewhere a `null` replaces nothing.
   */
  nullRemoves?: string[];
  /** create/update: fields (pointers) no two records may share; a write that would is refused with `status` (+ example). */
  unique?: { field: string; status: number; example?: string }[];
  /** create: the caller names the record with the `key` field of the body; otherwise the mock numbers it and ignores one sent. */
  named?: boolean;
  /**
   * create: resources whose ids share this one's numbering (Perx's point holds and point
   * transactions are both loyalty transactions): an id the mock makes up is none they hold or held.
   */
  idsApartFrom?: string[];
  /** create/update: copy request body fields onto the record (same names, compatible types). */
  merge?: boolean | string;
  /** create/update: fields set by this call (a lifecycle transition). */
  set?: Record<string, Json>;
  /** create/update: fields (or pointers into the record) set from the request, the main record in `also`, the caller or another record. */
  assign?: Record<string, ValueSource>;
  /** update: a record that does not exist yet is created from the documented answer (PUT as create). */
  upsert?: boolean;
  /** update: the transition is legal only from these values of `field`; else `status` (+ example). */
  from?: { field: string; in: Json[]; status: number; example?: string };
  /**
   * link/unlink/list-via: a many-to-many relation between two path parameters. A list via the
   * relation names the record on its other side by a path parameter (`param`), or finds it by
   * fields of the request as a read by `filters` does, and named by its `id` (`find`: Placewise's
   * groups of a member given by e-mail); one that is not found is a 404.
   */
  relation?: string;
  left?: string;
  right?: string;
  via?: { relation: string; side: 'left' | 'right'; param?: string; find?: { resource: string; filters: NonNullable<MockBehaviour['filters']> } };
  /** adjust: add `by` (× sign) to a numeric field of the record named by `record`; a result below `floor` is refused with `status`. */
  adjust?: { field: string; by: ValueSource; sign?: 1 | -1; record?: ValueSource; floor?: number; status?: number; example?: string };
  /** Variants chosen by the request (first match), each overriding fields of this behaviour. */
  cases?: ({ when: Condition | Condition[] } & Omit<MockBehaviour, 'cases' | 'examples'>)[];
  /**
   * create/update: the body holds many records (a bulk call); the action runs once per value this
   * pointer finds, `*` matching every key or index, with that value as the body. A `{name}` token
   * matches as `*` does and gives the key it matched as the path parameter `name`.
   */
  each?: string;
  /** Further effects of the same call, in order, after the main action (e.g. a hold, then a balance change). */
  also?: Omit<MockBehaviour, 'examples'>[];
  /**
   * token: where the identity is in the request, and which body fields carry the token. With
   * `known`, a token for an identity no record of `resource` the tenant holds has in `field` is
   * refused with `status` (+ example): Perx refuses a user token for a user it does not have.
   */
  token?: { identity?: ValueSource; fields: string[]; known?: { resource: string; field: string; status: number; example?: string } };
  /**
   * A body that breaks its request schema, answered with this documented status, names its first
   * violation at `at` in the vendor's tree (see violations.ts): the field, and the rule as the
   * vendor's symbol (`symbols`: Ajv rule, or `type:<type>`, → symbol; `*` for any other); with a
   * body that breaks nothing, a scalar query parameter Prism refused, under its name. Placewise's
   * "Invalid parameters" 422 named the first example's field, whatever was broken. Applies in
   * stateless mode too.
   */
  /**
   * `nest`: the field of a list's one item that each level below the first is filed in (Placewise's
   * member-validation object files a club property as `{properties: [{error: {<name>: [...]}}]}`);
   * `filedAs`: request pointers the vendor files under another path (a sent `/properties/email`
   * at `/email`; `''`, the body as a whole, where the vendor's tree has no key for it).
   */
  violations?: { status: number; at: string; symbols: Record<string, string>; nest?: string; filedAs?: Record<string, string> };
  /** Request-aware example choice, first match wins; applies in stateless mode too. */
  examples?: { when: Condition | Condition[]; example: string; status?: number }[];
}

/** A page of another resource's records inside a read's answer (see MockBehaviour.embed). */
export type Embed = { resource: string; at: string } & Pick<MockBehaviour, 'filters' | 'sort' | 'page'>;

export type { Json, Record_ };

/** Whether every call of the operation, whichever of its cases applies, does only these actions (or none) and nothing else (`also`). */
export const onlyDoes = (behaviour: MockBehaviour, actions: ReadonlySet<string>) =>
  [behaviour, ...(behaviour.cases ?? [])].every((variant) => (variant.action === undefined || actions.has(variant.action)) && !variant.also?.length);
