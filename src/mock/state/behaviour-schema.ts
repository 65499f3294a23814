import { PAGE_NUMBERS, type Condition, type MockBehaviour, type ValueSource } from './behaviour.js';

/**
 * The JSON Schema (2020-12) of `x-mock`, which `npm run build` checks every operation's against:
 * a misspelt key (`mrege`) or a value of the wrong kind was silently ignored by the interpreter,
 * and the mock answered examples where the spec meant state. The `satisfies` clauses keep the
 * schema's keys and the types' keys the same: a field added to one and not the other is a type error.
 */
const source = {
  type: 'object',
  additionalProperties: false,
  // A duration is added to the time of the call only: on any other value it was silently dropped.
  dependentRequired: { plus: ['now'] },
  properties: {
    body: { type: 'string' },
    query: { type: 'string' },
    path: { type: 'string' },
    header: { type: 'string' },
    record: { type: 'string' },
    holds: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^/' } },
    namesHeld: { type: 'object', minProperties: 1, additionalProperties: { type: 'string', pattern: '^/' } },
    value: {},
    negate: { type: 'boolean' },
    pattern: { type: 'string' },
    caller: { type: 'boolean' },
    // The record is named by its id, or found by fields equal to values (the rate between two programs).
    lookup: {
      type: 'object',
      additionalProperties: false,
      required: ['resource', 'at'],
      oneOf: [{ required: ['id'] }, { required: ['where'] }],
      properties: { resource: { type: 'string' }, id: { $ref: '#/$defs/source' }, where: { type: 'object', minProperties: 1, additionalProperties: { $ref: '#/$defs/source' } }, at: { type: 'string', pattern: '^(/|$)' } },
    },
    times: { $ref: '#/$defs/source' },
    per: { $ref: '#/$defs/source' },
    fresh: { type: 'string', pattern: '^/' },
    now: { const: true },
    join: { type: 'array', minItems: 1, items: { $ref: '#/$defs/source' } },
    // Milliseconds: a constant that is not a number of them ('PT15M') gave no date, silently.
    plus: { $ref: '#/$defs/source', properties: { value: { type: 'number' } } },
  } satisfies Record<keyof ValueSource, object>,
};

const condition = {
  type: 'object',
  additionalProperties: false,
  properties: {
    query: { type: 'string' },
    body: { type: 'string' },
    header: { type: 'string' },
    path: { type: 'string' },
    equals: { type: ['string', 'number', 'boolean'] },
    matches: { type: 'string' },
    absent: { type: 'boolean' },
    httpUrl: { type: 'boolean' },
  } satisfies Record<keyof Condition, object>,
};

/** Request parameters, each matched against a field of the records (see MockBehaviour.filters). */
const filters = {
  type: 'object',
  additionalProperties: {
    anyOf: [{ type: 'string' }, { type: 'object', additionalProperties: false, required: ['field'], properties: { field: { type: 'string' }, separator: { type: 'string', minLength: 1 } } }],
  },
};

const conditions = { anyOf: [{ $ref: '#/$defs/condition' }, { type: 'array', items: { $ref: '#/$defs/condition' } }] };
const pointers = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };

/** Where a list's paging parameters are read and its numbers shown (see MockBehaviour.page). */
const page = {
  type: 'object',
  additionalProperties: false,
  properties: {
    page: { type: 'string' },
    size: { type: 'string' },
    offset: { type: 'string' },
    first: { type: 'integer' },
    defaultSize: { type: 'integer', minimum: 1 },
    meta: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(PAGE_NUMBERS.map((name) => [name, pointers])),
    },
    headers: { type: 'object', additionalProperties: false, properties: Object.fromEntries(PAGE_NUMBERS.map((name) => [name, { type: 'string', minLength: 1 }])) },
  },
};

/** How a list is ordered by the request (see MockBehaviour.sort). */
const sort = {
  type: 'object',
  additionalProperties: false,
  properties: {
    // Without it, the list is always in the default order (a program's points history, which takes no sort parameter).
    by: { type: 'string' },
    order: { anyOf: [{ type: 'string' }, { type: 'array', minItems: 1, items: { type: 'string' } }] },
    default: { type: 'object', additionalProperties: false, properties: { by: { type: 'string' }, order: { enum: ['asc', 'desc'] } } },
  },
};

const fields = {
  resource: { type: 'string' },
  action: { enum: ['list', 'read', 'create', 'update', 'delete', 'link', 'unlink', 'adjust', 'token'] },
  at: { type: 'string' },
  key: { type: 'string' },
  id: { type: 'string' },
  scope: { type: 'string' },
  idFrom: { $ref: '#/$defs/source' },
  owner: { anyOf: [{ enum: ['token', 'any'] }, { $ref: '#/$defs/source' }] },
  filters: { $ref: '#/$defs/filters' },
  page,
  echo: { type: 'object', additionalProperties: { $ref: '#/$defs/source' } },
  search: { type: 'object', additionalProperties: false, required: ['param'], properties: { param: { type: 'string' }, fields: { type: 'array', minItems: 1, items: { type: 'string' } } } },
  sort,
  missing: { type: 'object', additionalProperties: false, required: ['status'], properties: { status: { type: 'integer' }, example: { type: 'string' } } },
  malformed: { type: 'object', additionalProperties: false, required: ['status'], properties: { status: { type: 'integer' }, example: { type: 'string' } } },
  deleted: { type: 'object', additionalProperties: false, required: ['status'], properties: { status: { type: 'integer' }, example: { type: 'string' } } },
  counts: {
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: false, required: ['resource', 'scope'], properties: { resource: { type: 'string' }, scope: { type: 'string' }, where: { type: 'object' } } },
  },
  requires: {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['resource', 'id'],
      properties: { resource: { type: 'string' }, id: { anyOf: [{ type: 'string' }, { $ref: '#/$defs/source' }] }, status: { type: 'integer' }, example: { type: 'string' } },
    },
  },
  embed: {
    type: 'object',
    additionalProperties: false,
    required: ['resource', 'at'],
    properties: { resource: { type: 'string' }, at: { type: 'string', pattern: '^/' }, filters: { $ref: '#/$defs/filters' }, sort, page },
  },
  notify: { type: 'object', additionalProperties: false, required: ['webhook', 'subscribers'], properties: { webhook: { type: 'string' }, subscribers: { type: 'string' } } },
  returns: { enum: ['record', 'id', 'nothing'] },
  named: { type: 'boolean' },
  idsApartFrom: { type: 'array', items: { type: 'string' } },
  blank: { type: 'boolean' },
  omit: { type: 'array', items: { type: 'string', pattern: '^/' } },
  freeForm: { type: 'array', items: { type: 'string', pattern: '^/[^/]+$' } },
  nullRemoves: { type: 'array', items: { type: 'string', pattern: '^/[^/]+$' } },
  unique: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['field', 'status'], properties: { field: { type: 'string', pattern: '^/' }, status: { type: 'integer' }, example: { type: 'string' } } } },
  merge: { type: ['boolean', 'string'] },
  set: { type: 'object' },
  assign: { type: 'object', additionalProperties: { $ref: '#/$defs/source' } },
  upsert: { type: 'boolean' },
  from: { type: 'object', additionalProperties: false, required: ['field', 'in', 'status'], properties: { field: { type: 'string' }, in: { type: 'array' }, status: { type: 'integer' }, example: { type: 'string' } } },
  relation: { type: 'string' },
  left: { type: 'string' },
  right: { type: 'string' },
  via: {
    type: 'object',
    additionalProperties: false,
    required: ['relation', 'side'],
    // The record on the other side is named by a path parameter, or found by fields of the request.
    oneOf: [{ required: ['param'] }, { required: ['find'] }],
    properties: {
      relation: { type: 'string' },
      param: { type: 'string' },
      side: { enum: ['left', 'right'] },
      find: { type: 'object', additionalProperties: false, required: ['resource', 'filters'], properties: { resource: { type: 'string' }, filters: { $ref: '#/$defs/filters' } } },
    },
  },
  adjust: {
    type: 'object',
    additionalProperties: false,
    required: ['field', 'by'],
    properties: { field: { type: 'string' }, by: { $ref: '#/$defs/source' }, sign: { enum: [1, -1] }, record: { $ref: '#/$defs/source' }, floor: { type: 'number' }, status: { type: 'integer' }, example: { type: 'string' } },
  },
  cases: { type: 'array', items: { $ref: '#/$defs/case' } },
  each: { type: 'string' },
  also: { type: 'array', items: { $ref: '#/$defs/effect' } },
  token: {
    type: 'object',
    additionalProperties: false,
    required: ['fields'],
    properties: {
      identity: { $ref: '#/$defs/source' },
      fields: { type: 'array', items: { type: 'string' } },
      known: { type: 'object', additionalProperties: false, required: ['resource', 'field', 'status'], properties: { resource: { type: 'string' }, field: { type: 'string' }, status: { type: 'integer' }, example: { type: 'string' } } },
    },
  },
  violations: {
    type: 'object',
    additionalProperties: false,
    required: ['status', 'at', 'symbols'],
    properties: { status: { type: 'integer' }, at: { type: 'string', pattern: '^(/|$)' }, symbols: { type: 'object', minProperties: 1, additionalProperties: { type: 'string' } }, nest: { type: 'string', minLength: 1 }, filedAs: { type: 'object', propertyNames: { pattern: '^(/|$)' }, additionalProperties: { type: 'string', pattern: '^/' } } },
  },
  examples: {
    type: 'array',
    items: { type: 'object', additionalProperties: false, required: ['when', 'example'], properties: { when: conditions, example: { type: 'string' }, status: { type: 'integer' } } },
  },
} satisfies Record<keyof MockBehaviour, object>;

// A case overrides the behaviour's fields (its own `also` included) but has no cases of its own; an
// effect in `also` runs alone (no cases, no further effects). Only the top level announces (`notify`)
// and names a refused body's violations (`violations`), as both concern the call, not one effect;
// an effect answers nothing, so it has no `embed` to show.
const { cases: _cases, examples: _examples, notify: _notify, violations: _violations, ...caseFields } = fields;
const { also: _also, embed: _embed, ...effectFields } = caseFields;

export const behaviourSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $defs: {
    source,
    condition,
    filters,
    // `cases` and `also` hold behaviours without examples (and a case has no cases of its own).
    case: { type: 'object', additionalProperties: false, required: ['when'], properties: { when: conditions, ...caseFields } },
    effect: { type: 'object', additionalProperties: false, properties: effectFields },
  },
  type: 'object',
  additionalProperties: false,
  properties: fields,
};
