import { isDeepStrictEqual } from 'node:util';
import { LIMITS } from '../guard.js';
import type { Embed, MockBehaviour, Json, Record_, ValueSource } from './behaviour.js';
import { clone, escapeToken, getAt, itemsAt, matchesAny, pointersAt, removeAt, setAt, setEach, setValues, tokens } from './pointer.js';
import { holds, queryValues, readSource, type RequestView } from './request-values.js';
import { ownerOf, scopedId, type Store } from './store.js';

/**
 * Answer with the documented response for this status (its example, if named), and with a record
 * shown in it at `at` when `shows` says so (a deleted member's person id). A refusal for one of
 * the mock's own limits is its `problem` instead (title and fields), as a body over a limit gets.
 */
type Refusal = { refuse: number; example?: string; detail: string; shows?: { at: string; record: Record_ }; problem?: { title: string; extra: Record<string, Json> }; wholeCall?: boolean };

/** What a call did: the answer's body and the changes it made (one per record; none for a read), or its refusal. */
export type Outcome = { body: Json; changes: Change[]; headers?: Record<string, string> } | Refusal;

/**
 * What one action did; `unapplied` names a query parameter it read but did not act on (a sort
 * direction for a field no record holds), which an `echo` must not report as done; `kept`, the
 * record a read found or an update that changed nothing acted on, which the call's other effects
 * and its `echo` read as they would a change's (Placewise's public info, derived from the member).
 */
type Step = { body: Json; change?: Change; unapplied?: string; kept?: Record_; headers?: Record<string, string> } | Refusal;

/** The webhook a change is announced with, and who subscribed to it. */
export interface Notify {
  webhook: string;
  /** Subscription records written through the API (the spec's example subscriptions are never called). */
  subscribers: Record<string, unknown>[];
}

/** What a write did, for listeners (webhook delivery). */
export interface Change {
  resource: string;
  action: string;
  owner: string;
  before?: Record_;
  after?: Record_;
  link?: { relation: string; left: string; right: string };
}

/** What the request schema says of the fields a create or update merges (found by record-schemas.ts). */
export interface RequestShape {
  /** The declared defaults: a new record takes them for the fields the caller leaves out. */
  defaults: Record_;
  /**
   * The fields the request may set, or undefined when the schema names none (a free-form body):
   * the vendors ignore others, so an update that sends `created_at` must not change it.
   */
  fields?: ReadonlySet<string>;
}

interface Context {
  behaviour: MockBehaviour;
  request: RequestView;
  store: Store;
  /** Who the caller's token acts for ('' = the tenant). */
  identity: string;
  /** The 2xx body Prism chose (the documented example): the shape every answer is built on. */
  template: Json;
  /** In an `also` effect: the record the main action touched. */
  main?: Record_;
  /**
   * The first field of a record the resource's schemas refuse (see record-schemas.ts), or
   * undefined when it fits: a written record must stay showable by every later read.
   */
  fits?: (resource: string, record: Record_) => string | undefined;
  /** What the request schema says of the fields a create or update merges: their defaults, and which there are. */
  shape?: RequestShape;
  /**
   * The time of the call, read once: every `now` of one call is one instant, so the consents an
   * update dates carry the member's own `updated_at`, not one a millisecond later.
   */
  time?: number;
}

export type ApplyContext = Omit<Context, 'main' | 'time'>;

/** The example a request asks for, by the operation's `examples` rules. */
export function chooseExample(behaviour: MockBehaviour | undefined, request: RequestView): { example: string; status?: number } | undefined {
  for (const rule of behaviour?.examples ?? []) {
    const conditions = Array.isArray(rule.when) ? rule.when : [rule.when];
    if (conditions.every((c) => holds(c, request))) return rule;
  }
  return undefined;
}

/** Whether the record is in a state the behaviour's transition may start from (any, without `from`). */
const allowedFrom = ({ from }: MockBehaviour, record: Record_) => !from || from.in.includes(record[from.field] ?? null);

function ownerFor(context: Context, id?: string): string {
  const { owner = 'token' } = context.behaviour;
  if (owner === 'token') return context.identity;
  if (owner === 'any') return id === undefined ? context.identity : ownerOf(context.store, context.behaviour.resource!, id, context.store.owners(), (record) => allowedFrom(context.behaviour, record));
  const value = readSource(owner, context.request);
  return value === undefined || value === null ? context.identity : String(value);
}

// Strings the record holds in a recognisable format take only values in the same format: a form
// date "2021-01-12 06:42:55" must not land in a date-time field of the answer.
const FORMATS = [/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, /^\d{4}-\d{2}-\d{2}$/, /^[^@\s]+@[^@\s]+$/, /^[0-9a-f]{8}-[0-9a-f]{4}-/i];

// JSON has no Infinity (a body's 1e999 parses to it): stored, it would break every later read.
const unwritable = (value: unknown) => typeof value === 'number' && !Number.isFinite(value);

function compatible(current: Json | undefined, incoming: unknown): Json | undefined {
  if (incoming === undefined || unwritable(incoming)) return undefined;
  if (typeof current === 'string' && typeof incoming === 'string') {
    const format = FORMATS.find((f) => f.test(current));
    return !format || format.test(incoming) ? incoming : undefined;
  }
  if (current === undefined || current === null) return incoming as Json;
  if (typeof current === 'number' && typeof incoming === 'string' && incoming.trim() !== '' && Number.isFinite(Number(incoming))) return Number(incoming);
  // Form bodies carry booleans as text (Footprints' consent flags).
  if (typeof current === 'boolean' && (incoming === 'true' || incoming === 'false')) return incoming === 'true';
  if (isObject(current) && isObject(incoming)) {
    // Nested objects merge field by field: `{ properties: { last_name } }` changes one property.
    const out = { ...current };
    for (const [name, value] of Object.entries(incoming)) {
      const next = compatible(own(out, name), value);
      if (next !== undefined) put(out, name, next);
    }
    return out;
  }
  // A null is not an object (whatever typeof says): it does not replace one, as it replaces no string.
  if (incoming !== null && typeof current === typeof incoming && Array.isArray(current) === Array.isArray(incoming)) return incoming as Json;
  return undefined;
}

const isObject = (value: unknown): value is Record_ => value !== null && typeof value === 'object' && !Array.isArray(value);

// A record's own fields only: a member property named `constructor` or `valueOf` read Object's
// methods, which no value matched, and was dropped without a word.
const own = (object: Record_, name: string): Json | undefined => (Object.hasOwn(object, name) ? object[name] : undefined);

/** Sets a field as data: assigning `__proto__` replaced the stored record's prototype instead. */
function put(object: Record_, name: string, value: Json): void {
  if (name === '__proto__') Object.defineProperty(object, name, { value, writable: true, enumerable: true, configurable: true });
  else object[name] = value;
}

/** The request fields `merge` points at, if the body has them. */
function mergeSource(context: Pick<Context, 'behaviour' | 'request'>): Record_ | undefined {
  const { merge } = context.behaviour;
  // '' is the whole body, as `at`'s '' is the whole answer: only false or absent means no merge.
  if (merge === undefined || merge === false) return undefined;
  const fields = getAt(context.request.body, typeof merge === 'string' ? merge : '');
  return isObject(fields) ? fields : undefined;
}

/**
 * Copies request fields the record already has (or, for a `blank` record, that `known` has: the
 * seed, so a body's `password` is not kept), where the types agree and the request schema
 * declares them (the vendor ignores the rest: an update's `created_at`). The record's id is not
 * one of them: a body's `id` neither renames a record nor picks a new one's (see `named`).
 */
function merged(record: Record_, context: Context, known: Record_ = record): Record_ {
  const fields = mergeSource(context);
  if (!fields) return record;
  const key = context.behaviour.key ?? 'id';
  const declared = context.shape?.fields;
  const free = new Set(context.behaviour.freeForm ?? []);
  const removable = new Set(context.behaviour.nullRemoves ?? []);
  const out = { ...record };
  for (const [name, value] of Object.entries(fields)) {
    const held = Object.hasOwn(out, name);
    if ((!held && !Object.hasOwn(known, name)) || name === key || (declared && !declared.has(name))) continue;
    // A free-form object's keys are the caller's: the seed's value for one says nothing of its type
    // (what the record's schemas refuse, `settled` takes back).
    const pointer = `/${escapeToken(name)}`;
    const next = free.has(pointer) && isObject(value) ? asSent(held ? out[name] : undefined, value, removable.has(pointer)) : held ? compatible(out[name], value) : taken(known[name], value);
    if (next !== undefined) put(out, name, next);
  }
  return out;
}

/**
 * What a free-form object holds once a body's keys are written over it: each value as JSON writes
 * it back (a number past JSON's range as `null`). A `null` replaces nothing, as elsewhere in a
 * merge, unless the vendor documents it as removing the key (`nullRemoves`: a Placewise update's
 * `properties`); a number past JSON's range is not taken for such a `null`.
 */
function asSent(current: Json | undefined, incoming: Record_, nullRemoves: boolean): Record_ {
  const out: Record_ = isObject(current) ? { ...current } : {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === null && nullRemoves) delete out[name];
    else if (value !== null && !unwritable(value)) put(out, name, JSON.parse(JSON.stringify(value)) as Json);
  }
  return out;
}

/**
 * What a record that lacks a field takes of a value sent for it: what `compatible` takes with the
 * seed's value as the reference (a form's `"false"` fills a boolean), but none of the seed's own
 * content: an object holds only the fields sent, not the example's others.
 */
function taken(reference: Json | undefined, incoming: unknown): Json | undefined {
  if (!isObject(reference) || !isObject(incoming)) return compatible(reference, incoming);
  const out: Record_ = {};
  for (const [name, value] of Object.entries(incoming)) {
    const next = taken(own(reference, name), value);
    if (next !== undefined) put(out, name, next);
  }
  return out;
}

/**
 * A written record as every answer can show it: each field the resource's schemas refuse goes
 * back to its value in `fallback` (the record before the write; for a create, the record it was
 * made from), so a value the vendor would store in another form (a form's "1990-10-23" shown as
 * a date string) or refuse never breaks a later read. Undefined when it cannot be made to fit.
 */
function settled(record: Record_, fallback: Record_, context: Context): Record_ | undefined {
  const resource = context.behaviour.resource ?? '';
  const key = context.behaviour.key ?? 'id';
  const reverted = new Set<string>();
  const out = { ...record };
  for (let field = context.fits?.(resource, out); field !== undefined; field = context.fits?.(resource, out)) {
    if (field === '' || field === key || reverted.has(field)) return undefined;
    // A value the spec's own `set` gives that the spec's schemas refuse is the spec's mistake, not
    // the caller's: dropped quietly, a release that released nothing answered 200.
    const set = context.behaviour.set ?? {};
    if (Object.hasOwn(set, field) && isDeepStrictEqual(out[field], set[field])) {
      throw new Error(`x-mock sets ${resource} ${field} to ${JSON.stringify(set[field])}, which the spec's ${resource} schemas refuse: correct the x-mock's set or the schema`);
    }
    reverted.add(field);
    if (field in fallback) out[field] = clone(fallback[field]!);
    else delete out[field];
  }
  return out;
}

/**
 * A new record starts as the one it is copied from, except where the request schema declares a
 * default: a field the caller leaves out takes the vendor's default, not the example's value (a
 * Placewise subscription's `is_person_id_sent` is false unless asked for).
 */
function withDefaults(record: Record_, context: Context): Record_ {
  for (const [name, value] of Object.entries(context.shape?.defaults ?? {})) if (name in record) record[name] = clone(value);
  return record;
}

/**
 * The first record the spec shows for the resource, as seeded (whatever the caller did to it
 * since, so a create answers the same whatever came before), else the documented answer's.
 */
const seedOf = ({ store, behaviour, template }: Context): Record_ => store.seed(behaviour.resource ?? '') ?? recordAt(template, behaviour.at ?? '');

/** What identifies the record a new one is copied from (Placewise's e-mail) is not copied: two members would share it. */
function omitted(copied: Record_, { omit = [] }: MockBehaviour): Record_ {
  for (const pointer of omit) removeAt(copied, pointer);
  return copied;
}

function recordAt(template: Json, at: string): Record_ {
  const found = getAt(template, at);
  return found && typeof found === 'object' && !Array.isArray(found) ? clone(found as Record_) : {};
}

/**
 * A record shown in a single-record answer: the documented answer's fields, with the record's
 * values where it has them. Read and write answers often use a wider or narrower schema than the
 * list items the record came from; keeping the documented field set keeps the answer valid. A
 * field the record lacks shows the example's value, unless `heldOnly` (the behaviour's `blank`):
 * then it is left out, as the example's consents are not a new member's.
 */
export function present(body: Json, at: string, record: Record_, heldOnly = false, freeForm: string[] = []): Json {
  if (body === null || body === undefined) return body; // a documented answer without a body stays so
  const shown = getAt(body, at);
  if (!shown || typeof shown !== 'object' || Array.isArray(shown)) return setAt(body, at, clone(record));
  return setAt(body, at, shape(shown as Record_, record, heldOnly, new Set(freeForm)));
}

/**
 * The documented fields, each with the record's value where it fits (a list's ISO timestamp does
 * not go into an answer whose timestamps are "Y-m-d H:i:s"). An object the record holds is shown
 * with its own fields, not the example's: a member's `properties` shows what the member has, not
 * the example member's interests besides.
 */
function shape(documented: Record_, record: Record_, heldOnly: boolean, freeForm: Set<string>): Record_ {
  const out = { ...documented };
  for (const name of Object.keys(out)) {
    const value = Object.hasOwn(record, name) ? record[name] : undefined;
    if (heldOnly && value === undefined) delete out[name];
    // What a free-form object holds passed the schemas when written (see `settled`): the example's types say nothing of it.
    else if (freeForm.has(`/${escapeToken(name)}`) && isObject(value)) out[name] = clone(value);
    else if (isObject(out[name]) && isObject(value)) out[name] = recordShaped(out[name] as Record_, value);
    // A record that holds null has no value there (a lead delivered nothing yet): the example's is not its own.
    else if (value === null) out[name] = null;
    else {
      const fitted = compatible(out[name], value);
      if (fitted !== undefined) out[name] = clone(fitted);
    }
  }
  return out;
}

function recordShaped(documented: Record_, held: Record_): Record_ {
  const out: Record_ = {};
  for (const [name, value] of Object.entries(held)) {
    const example = own(documented, name);
    const fitted = isObject(example) && isObject(value) ? recordShaped(example, value) : compatible(example, value);
    if (fitted !== undefined) put(out, name, clone(fitted));
  }
  return out;
}

/**
 * The query keys a filter reads, each group with the record field it compares: the parameter
 * itself, or for a filter named with `{name}` (`properties[{name}]` → `/properties/{name}`), the
 * keys of that form the request sends, grouped by name (`properties[a]` and `properties[a][]`, the
 * one value and the list form, are one filter).
 */
function filterParams(param: string, field: string, request: RequestView): [string[], string][] {
  if (!param.includes('{name}')) return [[[param], field]];
  const [before, after] = param.split('{name}') as [string, string];
  const out = new Map<string, string[]>();
  for (const key of new Set(request.query.keys())) {
    const bare = key.replace(/\[\]$/, '');
    const name = bare.startsWith(before) && bare.endsWith(after) ? bare.slice(before.length, bare.length - after.length) : '';
    if (name !== '' && !/[[\]]/.test(name)) out.set(name, [...(out.get(name) ?? []), key]);
  }
  // A replacement function, not text: in replacement text `$$`, `$&` and `$'` are patterns, and a name is the client's (`price$$`).
  return [...out].map(([name, keys]) => [keys, field.replace('{name}', () => escapeToken(name))]);
}

/** A record's field named by `x-mock` data: a name, or a pointer when it starts with `/`. */
const fieldValue = (record: Record_, field: string): unknown => (field.startsWith('/') ? getAt(record, field) : Object.hasOwn(record, field) ? record[field] : undefined);

/** The first record the request's values for these filters match (a read by e-mail, a list via a member found by e-mail). */
function firstMatching(items: Record_[], filters: NonNullable<MockBehaviour['filters']>, request: RequestView): Record_ | undefined {
  // A look-up by an empty value (`?email=`) finds no one, rather than the first record.
  return filtered(items, { filters }, request, false)[0];
}

/**
 * The records whose fields equal what the request's filter parameters say (any of the values a
 * parameter repeats). A list filter sent empty (`?state=`, a front end's unset filter) says
 * nothing, as an empty page size does (MOCK-45): it was read as "the text ''", and matched nothing.
 */
function filtered(items: Record_[], behaviour: MockBehaviour, request: RequestView, emptyIsUnset = true): Record_[] {
  for (const [param, filter] of Object.entries(behaviour.filters ?? {})) {
    const { field, separator } = typeof filter === 'string' ? { field: filter, separator: undefined } : filter;
    for (const [sent, at] of filterParams(param, field, request)) {
      const given = sent.length === 1 && sent[0]! in request.params ? [request.params[sent[0]!]!] : sent.flatMap((name) => queryValues(request.query, name, separator));
      const wanted = emptyIsUnset ? given.filter((value) => value !== '') : given;
      if (wanted.length) {
        items = items.filter((item) => {
          const value = fieldValue(item, at);
          // A record without the field matches no value (not the text "undefined"); a number matches
          // any spelling of it Prism accepts as that number (`ids[]=042`).
          return value !== undefined && wanted.some((w) => w === String(value) || (typeof value === 'number' && w.trim() !== '' && Number(w) === value));
        });
      }
    }
  }
  return items;
}

/**
 * The records one of the search's fields holds the text of (every value of the record, nested
 * ones too, without `fields`), in any case. An empty search says nothing, as an empty filter.
 */
function searched(items: Record_[], behaviour: MockBehaviour, request: RequestView): Record_[] {
  const { search } = behaviour;
  const text = search === undefined ? undefined : queryValues(request.query, search.param).find((value) => value !== '')?.toLowerCase();
  if (search === undefined || text === undefined) return items;
  const contains = (value: unknown): boolean =>
    typeof value === 'string' || typeof value === 'number' ? String(value).toLowerCase().includes(text) : value !== null && typeof value === 'object' && Object.values(value).some(contains);
  return items.filter((item) => (search.fields ? search.fields.some((field) => contains(fieldValue(item, field))) : contains(item)));
}

// Numbers, then text, then booleans; then what has no value to sort by (absent, null, an object),
// which so comes last ascending and first descending, as PostgreSQL orders NULL.
const rank = (value: unknown) => (typeof value === 'number' ? 0 : typeof value === 'string' ? 1 : typeof value === 'boolean' ? 2 : 3);
function compareValues(a: unknown, b: unknown): number {
  const [ra, rb] = [rank(a), rank(b)];
  if (ra !== rb || ra === 3) return ra - rb;
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

/**
 * The records in the order the request asks (see MockBehaviour.sort): by the fields it names,
 * each in the direction given at the same place (text compared by code unit, so ISO dates sort
 * as dates), ties in the list's order. A direction alone, with no default field, turns the list's
 * own order round; one that is neither `asc` nor `desc` (in any case) is the default direction.
 * The direction parameter is `unapplied` when no record listed holds a field named: the list
 * keeps its order, whatever the direction says.
 */
function sorted(items: Record_[], behaviour: MockBehaviour, request: RequestView): { items: Record_[]; unapplied?: string } {
  const { sort } = behaviour;
  if (!sort) return { items };
  const sent = (name: string) => queryValues(request.query, name).some((value) => value !== '');
  const orderParam = [sort.order ?? []].flat().find(sent);
  const directions = orderParam === undefined ? [] : queryValues(request.query, orderParam);
  const descending = (i: number) => {
    const direction = directions[i]?.toLowerCase();
    return (direction === 'asc' || direction === 'desc' ? direction : (sort.default?.order ?? 'asc')) === 'desc';
  };
  // A name the client sends is a field of the record, never a pointer into it.
  const named = (sort.by === undefined ? [] : queryValues(request.query, sort.by)).filter((name) => name !== '').map((name) => `/${escapeToken(name)}`);
  const fallback = sort.default?.by;
  const fields = named.length ? named : fallback === undefined ? [] : [fallback.startsWith('/') ? fallback : `/${escapeToken(fallback)}`];
  if (fields.length === 0) return { items: descending(0) ? [...items].reverse() : items };
  // A field named again changes nothing (its first place already ordered by it), and fields past
  // LIMITS.sortFields are ignored: each comparison reads every key, and one field named 1,300
  // times held up every vendor for seconds.
  const keys: { pointer: string; sign: number }[] = [];
  for (const [i, pointer] of fields.entries()) {
    if (keys.length === LIMITS.sortFields) break;
    if (!keys.some((key) => key.pointer === pointer)) keys.push({ pointer, sign: descending(i) ? -1 : 1 });
  }
  if (!keys.some(({ pointer }) => items.some((item) => rank(getAt(item, pointer)) < 3))) return { items, unapplied: orderParam };
  const ordered = [...items].sort((a, b) => {
    for (const { pointer, sign } of keys) {
      const order = compareValues(getAt(a, pointer), getAt(b, pointer));
      if (order !== 0) return order * sign;
    }
    return 0;
  });
  return { items: ordered };
}

/** The refusal the behaviour names when another record already holds a value that must be unique (Placewise's member e-mail). */
function takenBy(record: Record_, context: Context, owner: string): Refusal | undefined {
  const { resource = '', key = 'id', unique = [] } = context.behaviour;
  for (const rule of unique) {
    const value = getAt(record, rule.field);
    if (value === undefined || value === null || value === '') continue;
    const holder = context.store.list(resource, owner).find((other) => other[key] !== record[key] && sameValue(getAt(other, rule.field), value));
    if (holder) return { refuse: rule.status, ...(rule.example ? { example: rule.example } : {}), detail: `${resource} ${String(holder[key])} already has ${rule.field} ${JSON.stringify(value)}` };
  }
  return undefined;
}

/**
 * Whether two values are the same for a uniqueness rule: an http(s) URL by where it is sent
 * (`HTTP://H/x#a` is `http://h/x`: two subscriptions to one receiver got every change twice), any
 * other value as it is.
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (isDeepStrictEqual(a, b)) return true;
  // Without its fragment, which fetch never sends: `…/c#again` is `…/c`.
  const href = (v: unknown) => (typeof v === 'string' && /^https?:\/\//i.test(v) && URL.canParse(v) ? new URL(v).href.replace(/#.*$/, '') : undefined);
  const [left, right] = [href(a), href(b)];
  return left !== undefined && left === right;
}

/** Whether a value holds more than `limit` values, counted as a JSON body's are (itself, each member and item); stops counting there. */
function holdsMore(value: Json, limit: number): boolean {
  const waiting: Json[] = [value];
  for (let counted = 0; waiting.length > 0; ) {
    const next = waiting.pop()!;
    counted++;
    if (next !== null && typeof next === 'object') for (const inner of Object.values(next)) waiting.push(inner);
    if (counted + waiting.length > limit) return true;
  }
  return false;
}

/**
 * The mock's own refusal of a record grown past LIMITS.recordValues: merges add the keys of every
 * body to a free-form field, and each read of such a record held up every vendor for a second.
 */
function tooLarge(record: Record_, context: Context): Refusal | undefined {
  const limit = LIMITS.recordValues;
  if (!holdsMore(record, limit)) return undefined;
  const { resource = '', key = 'id' } = context.behaviour;
  const detail = `this write would make ${resource} ${String(record[key])} hold more than ${limit} JSON values (the record itself, each object member and each array item count); the mock keeps at most ${limit} in one record`;
  return { refuse: 413, detail, problem: { title: 'Record too large', extra: { limit } } };
}

/**
 * The same refusal, for a write whose body alone brings one record more values than it may hold,
 * made before any work on them: 85,000 `properties` keys were merged and checked against the
 * schemas for 1.8 s, every vendor waiting, before the record they made was refused. `bodyValues`
 * is the body's own count (guard.ts measured it), used where the whole body merges: counting its
 * members again costs as much as the merge, as V8 takes 70 ms to list 85,000 keys.
 */
function bringsTooMuch(context: Pick<Context, 'behaviour' | 'request'>, bodyValues?: number): Refusal | undefined {
  const fields = mergeSource(context);
  const limit = LIMITS.recordValues;
  if (!fields) return undefined;
  if (fields === context.request.body && bodyValues !== undefined ? bodyValues <= limit : !holdsMore(fields, limit)) return undefined;
  const detail = `this write gives one ${context.behaviour.resource ?? ''} record more than ${limit} JSON values (each object member and array item counts); the mock keeps at most ${limit} in one record`;
  return { refuse: 413, detail, problem: { title: 'Record too large', extra: { limit } } };
}

/**
 * bringsTooMuch for a create or update of one record, known before Prism validates the body. A
 * body of no more values than a record may hold is let through uncounted.
 */
export function mergesTooMuch(behaviour: MockBehaviour, request: RequestView, bodyValues: number): Refusal | undefined {
  if (bodyValues <= LIMITS.recordValues) return undefined;
  const chosen = resolveCases(behaviour, request);
  return chosen.each || (chosen.action !== 'create' && chosen.action !== 'update') ? undefined : bringsTooMuch({ behaviour: chosen, request }, bodyValues);
}

/** The mock's own refusal of an adjust whose result JSON cannot hold (Infinity, NaN): no record may store one. */
function unrepresentable(record: string, field: string, held: Json | undefined, by: number): Refusal {
  const detail = `${record} has ${String(held ?? 0)} ${field}; changing it by ${String(by)} gives no number JSON can hold, so this call changes nothing`;
  return { refuse: 422, detail, problem: { title: 'Number out of range', extra: { field } } };
}

/**
 * The answer for a record that does not exist: the documented one the behaviour names (Placewise's
 * public info: `null`; Footprints' 400, as it documents no 404), else 404.
 */
const missing = (behaviour: MockBehaviour, detail: string): Refusal => ({ refuse: behaviour.missing?.status ?? 404, ...(behaviour.missing?.example ? { example: behaviour.missing.example } : {}), detail });

/**
 * The answer a read's `deleted` names for a record deleted in the session, found as the read finds
 * a kept one (by id, or by its filters among the deleted), showing the record as it was deleted.
 */
function deletedRecord(context: Context, owner: string, id: string | undefined): Refusal | undefined {
  const { behaviour, store, request } = context;
  if (!behaviour.deleted) return undefined;
  const resource = behaviour.resource ?? '';
  const record = id !== undefined ? store.deleted(resource, owner, inScopeOf(context, id)) ?? store.deleted(resource, owner, scopedId(undefined, id)) : behaviour.filters ? firstMatching(store.deletedList(resource, owner), behaviour.filters, request) : undefined;
  if (!record) return undefined;
  const { status, example } = behaviour.deleted;
  return { refuse: status, ...(example ? { example } : {}), detail: `${resource} ${id ?? 'matching the request'} was deleted`, shows: { at: behaviour.at ?? '', record } };
}

/** The record with the fields its behaviour `counts` set from the records held (a copy; the record itself is not changed). */
function counted(record: Record_, context: Context, owner: string): Record_ {
  const { counts } = context.behaviour;
  if (!counts) return record;
  const out = { ...record };
  // Counts of one resource in one scope (XONVO's leads, and its unsubscribed leads) read its records once.
  const held = new Map<string, Record_[]>();
  for (const [field, { resource, scope, where = {} }] of Object.entries(counts)) {
    const within = context.request.params[scope];
    if (within === undefined) continue;
    const key = JSON.stringify([resource, within]);
    let records = held.get(key);
    if (!records) held.set(key, (records = context.store.inScope(resource, owner, within)));
    out[field] = records.filter((entry) => Object.entries(where).every(([name, value]) => isDeepStrictEqual(entry[name], value))).length;
  }
  return out;
}

function paginate(items: Record_[], context: Context): { items: Record_[]; meta: Record<string, number | boolean | null> } {
  const { page } = context.behaviour;
  if (!page) return { items, meta: {} };
  const first = page.first ?? 1;
  const number = (name: string | undefined, fallback: number) => {
    const raw = name === undefined ? undefined : queryValues(context.request.query, name)[0];
    // `?per_page=` says nothing, as `?order=` does (Prism lets it through): not Number('') = 0, a page of one.
    const n = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
    return Number.isInteger(n) && n >= 0 ? n : fallback;
  };
  const size = Math.max(1, number(page.size, page.defaultSize ?? Math.max(items.length, 1)));
  const asked = Math.max(first, number(page.page, first));
  const start = page.offset ? number(page.offset, 0) : (asked - first) * size;
  const pages = Math.max(1, Math.ceil(items.length / size));
  // From the page asked for, not the offset: a page number Prism accepts (1e308) has an offset past any number.
  const current = page.offset ? Math.floor(start / size) + first : asked;
  const shown = items.slice(start, start + size);
  return {
    items: shown,
    meta: { total: items.length, pages, page: current, size, next: current - first + 1 < pages ? current + 1 : null, prev: current > first ? current - 1 : null, isFirst: current === first, isLast: current - first + 1 >= pages, onPage: shown.length },
  };
}

/** A copy of the record without the fields a call sets to its time (`now`), as Rails leaves `updated_at` for a save that changes nothing. */
function undated(record: Record_, behaviour: MockBehaviour): Record_ {
  const dated = Object.entries(behaviour.assign ?? {}).flatMap(([field, source]) => (source.now ? [field] : []));
  // Copied deep only where a dated pointer leads (removeAt changes it in place): the whole record,
  // copied twice an update, copied a member's 9,000 properties to compare them unchanged.
  const within = new Set(dated.filter((field) => field.startsWith('/')).map((field) => tokens(field)[0]!));
  const whole = [...within].some(matchesAny);
  const out = whole ? clone(record) : { ...record };
  if (!whole) for (const name of within) if (Object.hasOwn(out, name)) put(out, name, clone(out[name]!));
  for (const field of dated) {
    if (field.startsWith('/')) for (const pointer of pointersAt(out, field)) removeAt(out, pointer);
    else delete out[field];
  }
  return out;
}

/** Sets `set` and `assign` on the record being written; `before` is what an update found (see `assigned`). */
function setFields(record: Record_, context: Context, before?: Record_) {
  for (const [field, value] of Object.entries(context.behaviour.set ?? {})) record[field] = value;
  for (const [field, source] of Object.entries(context.behaviour.assign ?? {})) {
    const value = sourceValue(source, context, record);
    if (value === undefined || unwritable(value)) continue;
    // A pointer names a field inside the record (`/user_account/identifier`).
    if (field.startsWith('/')) Object.assign(record, setEach(record, assigned(field, record, context, before), value as Json));
    else record[field] = value as Json;
  }
}

/**
 * The pointers an `assign` key names: itself, or where it has `*` tokens, one for each key the
 * request body has there whose parent the record holds and, in an update, the call changed (each
 * consent a call gives or changes is dated, not the others, nor one resent as it was alongside
 * another change; none is made up where the record kept no consent).
 */
function assigned(pattern: string, record: Record_, context: Context, before?: Record_): string[] {
  if (!tokens(pattern).includes('*')) return [pattern];
  const parentIn = (where: Record_, pointer: string) => getAt(where, pointer.slice(0, pointer.lastIndexOf('/')));
  const changed = (pointer: string) => !before || !isDeepStrictEqual(parentIn(record, pointer), parentIn(before, pointer));
  return pointersAt(context.request.body, pattern).filter((pointer) => isObject(parentIn(record, pointer)) && changed(pointer));
}

/**
 * A value from the request, or what only the mock knows: who the caller's token acts for
 * (`caller`), a field of another record the caller can read (`lookup`, the reward a voucher is
 * issued from), a number no record holds or held in the session (`fresh`), the time (`now`,
 * or a time from now: `plus`), or several of these written one after another (`join`);
 * scaled by `times` and `per` (points at an exchange rate). Undefined when any part is.
 */
function sourceValue(source: ValueSource, context: Context, written?: Record_): unknown {
  const value = unscaled(source, context, written);
  if (source.times === undefined && source.per === undefined) return value;
  const times = source.times === undefined ? 1 : sourceValue(source.times, context, written);
  const per = source.per === undefined ? 1 : sourceValue(source.per, context, written);
  if ([value, times, per].some((part) => part === undefined || part === null || part === '')) return undefined;
  // Multiplied first: 0.1 points at 10 per 100 is 0.01, not 0.010000000000000002. Divided first
  // when the product overflows and the result need not: 1e308 points at 10 per 100 are 1e307.
  const product = Number(value) * Number(times);
  return Number.isFinite(product) ? product / Number(per) : (Number(value) / Number(per)) * Number(times);
}

function unscaled(source: ValueSource, context: Context, written?: Record_): unknown {
  if (source.caller) return context.identity === '' ? undefined : context.identity;
  if (source.now) return fromNow(context.time ?? Date.now(), source.plus === undefined ? 0 : sourceValue(source.plus, context, written));
  if (source.fresh !== undefined) {
    const at = source.fresh;
    return context.store.freshNumber(context.behaviour.resource ?? '', at, (record) => getAt(record, at));
  }
  if (source.lookup) {
    const found = lookedUp(source.lookup, context, written);
    return found === undefined ? undefined : getAt(found, source.lookup.at);
  }
  if (source.join) return joined(source.join, context, written);
  // `record` is the main action's record inside `also`, and the record being written in the main action itself.
  return readSource(source, context.request, context.main ?? written);
}

/**
 * The sources' values written one after another, or undefined when one has no text to give: a
 * code made of `undefined` or `[object Object]` would look like a real one.
 */
function joined(parts: ValueSource[], context: Context, written?: Record_): string | undefined {
  const values = parts.map((part) => sourceValue(part, context, written));
  return values.every((value) => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') ? values.join('') : undefined;
}

/**
 * The time of the call plus a number of milliseconds (a query value is text), or undefined when
 * there is no number or the date it gives is past what a Date holds (`toISOString` throws there).
 */
function fromNow(now: number, milliseconds: unknown): string | undefined {
  const given = typeof milliseconds === 'number' || (typeof milliseconds === 'string' && milliseconds.trim() !== '');
  const date = new Date(now + (given ? Number(milliseconds) : NaN));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The record a `lookup` names by id, or the first the caller can read whose fields equal its `where` values. */
function lookedUp({ resource, id, where }: NonNullable<ValueSource['lookup']>, context: Context, written?: Record_): Record_ | undefined {
  const owner = ownerFor(context);
  if (id !== undefined) {
    const named = sourceValue(id, context, written);
    return named === undefined || named === null ? undefined : context.store.get(resource, owner, String(named));
  }
  const wanted = Object.entries(where ?? {}).map(([field, source]) => [field, sourceValue(source, context, written)] as const);
  if (wanted.some(([, value]) => value === undefined || value === null)) return undefined;
  const equal = (held: unknown, value: unknown) => held !== undefined && held !== null && typeof held !== 'object' && String(held) === String(value);
  return context.store.list(resource, owner).find((record) => wanted.every(([field, value]) => equal(fieldValue(record, field), value)));
}

/** What a source that gave no value looks up (the exchange rate between two programs), for the refusal. */
function unfound(source: ValueSource): string {
  const lookups = [source, source.times, source.per].flatMap((part) => (part?.lookup ? [part.lookup.resource] : []));
  return lookups.length ? `no ${lookups[0]} record matches the request` : 'the request does not give the amount';
}

function resolveCases(behaviour: MockBehaviour, request: RequestView): MockBehaviour {
  const chosen = behaviour.cases?.find((c) => (Array.isArray(c.when) ? c.when : [c.when]).every((w) => holds(w, request)));
  if (!chosen) return behaviour;
  const { when: _when, ...overrides } = chosen;
  return { ...behaviour, ...overrides };
}

/**
 * Runs an operation's declared behaviour against the store, all or nothing: when the call, one of
 * its other effects (`also`) or one of its items (`each`) refuses, every change it made is undone,
 * the ids it gave out included.
 */
export function apply(untimed: ApplyContext): Outcome {
  const context: Context = { ...untimed, time: Date.now() };
  const behaviour = resolveCases(context.behaviour, context.request);
  // A create refused after it numbered its record (a duplicate e-mail) gives that number again.
  return context.store.atomically(() => (behaviour.each ? applyEach(context, behaviour) : applyWhole(context, behaviour)), applied);
}

const applied = (outcome: Outcome) => !('refuse' in outcome);

/** The call's action and each of its other effects (`also`), up to the first that refuses. */
function applyWhole(context: Context, behaviour: MockBehaviour): Outcome {
  const main = applyOne({ ...context, behaviour });
  if ('refuse' in main) return main;
  const record = main.change?.after ?? main.change?.before ?? main.kept;
  for (const effect of behaviour.also ?? []) {
    const outcome = applyOne({ ...context, behaviour: effect, template: null, main: record });
    if ('refuse' in outcome) return outcome;
  }
  return { body: echoed(main.body, { ...context, behaviour, main: record }, main.unapplied), changes: main.change ? [main.change] : [], ...(main.headers ? { headers: main.headers } : {}) };
}

/**
 * The answer with the fields `echo` names set from the request or the data (only fields the
 * documented answer has). The query parameter the call did not act on is not echoed: the
 * documented value stays, as for a value not sent.
 */
function echoed(body: Json, context: Context, unapplied?: string): Json {
  let answer = body;
  for (const [pointer, source] of Object.entries(context.behaviour.echo ?? {})) {
    if (unapplied !== undefined && source.query === unapplied) continue;
    const value = sourceValue(source, context);
    // A `blank` answer leaves out what the record lacks; an echo still fills a field the documented
    // answer has (a Footprints lead's `skuId`, kept as its populated `sku`, MOCK-136).
    const documented = getAt(answer, pointer) !== undefined || getAt(context.template, pointer) !== undefined;
    // `?order=` says nothing (Prism lets an empty value through an enum): the documented value stays.
    if (value !== undefined && value !== '' && !unwritable(value) && documented) answer = setAt(answer, pointer, value as Json);
  }
  return answer;
}

/**
 * A call that writes many records from one body (`each`: XONVO's bulk leads): the action once per
 * item, with the item as the body, and the documented answer. An item the action cannot apply to
 * (an update naming a record the mock does not know) is left out, not the call refused: the
 * vendors document no per-item answer for their bulk calls. An item past one of the mock's own
 * limits, or naming a record the call `requires` that does not exist (a XONVO account), refuses
 * the whole call, as a body past a limit does, and the items before it are undone.
 */
function applyEach(context: Context, behaviour: MockBehaviour): Outcome {
  const { each, ...one } = behaviour;
  const changes: Change[] = [];
  for (const { value: item, bound } of itemsAt(context.request.body, each!)) {
    if (!isObject(item)) continue;
    // Past 2^53 two keys read as one number: refused, as such a path parameter is, not kept where no path can name it.
    const unreadable = Object.entries(bound).find(([, key]) => /^\d+$/.test(key) && !Number.isSafeInteger(Number(key)));
    if (unreadable) {
      const [name, key] = unreadable;
      const detail = `the key "${key.length > 40 ? `${key.slice(0, 40)}…` : key}" of an item at ${each} names ${name}, which must be a number a record can have: it is beyond ${LARGEST_WHOLE}`;
      return { refuse: 422, detail, problem: { title: 'Invalid request', extra: { field: name } } };
    }
    // What the item's place names (the account a bulk lead is listed under) is read as a path parameter is.
    const step = applyOne({ ...context, behaviour: one, request: { ...context.request, body: item, params: { ...context.request.params, ...asNumbers(bound) } } });
    // Refused for a limit of the mock's (a problem), or for a record the item names that does not
    // exist: the whole call is, and `apply` undoes the items before.
    if ('refuse' in step && (step.problem || step.wholeCall)) return step;
    if (!('refuse' in step) && step.change) changes.push(step.change);
  }
  return { body: context.template, changes };
}

/**
 * The keys an item's place names, a number in any spelling read as that number (`"022"` is 22), as
 * the engine reads a numeric path parameter: the account a bulk lead is listed under is then the one
 * `/accounts/22/…` names. (A key past 2^53 - 1 has refused the call before: see applyEach.)
 */
function asNumbers(bound: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, key] of Object.entries(bound)) out[name] = /^\d+$/.test(key) ? String(Number(key)) : key;
  return out;
}

/** Where a number stops naming one record: past it, two ids read as one number. */
export const LARGEST_WHOLE = 'the largest whole number told apart from its neighbours, 2^53 - 1';

/** Where a record this call writes is kept: within the record its scope names, if any. */
const inScopeOf = ({ behaviour, request }: Context, id: string) => scopedId(behaviour.scope === undefined ? undefined : request.params[behaviour.scope], id);

/**
 * Where the record a call names is kept: under the call's scope, or, when only a record written
 * without one exists (a XONVO lead added by addLead, which names no account), there.
 */
function located(context: Context, owner: string, id: string): string {
  const { store, behaviour } = context;
  const resource = behaviour.resource ?? '';
  const [inScope, unscoped] = [inScopeOf(context, id), scopedId(undefined, id)];
  return inScope !== unscoped && !store.get(resource, owner, inScope) && store.get(resource, owner, unscoped) ? unscoped : inScope;
}

/**
 * Whether an id the mock would make up for a new record is taken: by a record of its resource (or
 * of those it shares numbering with, `idsApartFrom`) that is or was kept, within the call's scope or
 * without one (where `located` also looks).
 */
function heldAnywhere(context: Context, id: string): boolean {
  const { store, behaviour } = context;
  const keys = [inScopeOf(context, id), scopedId(undefined, id)];
  return [behaviour.resource ?? '', ...(behaviour.idsApartFrom ?? [])].some((resource) => keys.some((key) => store.everHeld(resource, key)));
}

/**
 * The refusal for the first record the call needs that the caller cannot see (see
 * MockBehaviour.requires). It is the request's fault, not one item's: a bulk call is refused
 * whole, as a body the vendor calls bad input is.
 */
function unmetRequirement(context: Context): Refusal | undefined {
  for (const { resource, id: source, status = 404, example } of context.behaviour.requires ?? []) {
    const named = typeof source === 'string' ? context.request.params[source] : readSource(source, context.request);
    // A body that names no lead asks for none (a Footprints action may be added without one).
    if (typeof source !== 'string' && (named === undefined || named === null)) continue;
    const id = named === undefined || named === null ? undefined : String(named);
    if (id === undefined || !context.store.get(resource, ownerFor(context), id)) return { refuse: status, ...(example ? { example } : {}), detail: `${resource} ${id} does not exist`, wholeCall: true };
  }
  return undefined;
}

function applyOne(context: Context): Step {
  const { behaviour, store, request } = context;
  const unmet = unmetRequirement(context);
  if (unmet) return unmet;
  const resource = behaviour.resource ?? '';
  const key = behaviour.key ?? 'id';
  const at = behaviour.at ?? '';
  const named = behaviour.idFrom ? readSource(behaviour.idFrom, request, context.main) : behaviour.id === undefined ? undefined : request.params[behaviour.id];
  const id = named === undefined || named === null ? undefined : String(named);
  // Never changed in place: setAt copies what it changes.
  const body = context.template;

  switch (behaviour.action) {
    case 'list': {
      const owner = ownerFor(context);
      const { via } = behaviour;
      let other = via?.param === undefined ? undefined : request.params[via.param];
      if (via?.find) {
        const found = firstMatching(store.list(via.find.resource, owner), via.find.filters, request);
        if (!found) return { refuse: 404, detail: `${via.find.resource} matching the request does not exist` };
        other = String(found.id);
      }
      let items = via
        ? store.linked(via.relation, owner, via.side, other ?? '').flatMap((linked): Record_[] => {
            const record = store.get(resource, owner, linked);
            return record ? [record] : [];
          })
        : store.list(resource, owner);
      const { items: ordered, unapplied } = sorted(searched(filtered(items, behaviour, request), behaviour, request), behaviour, request);
      const { items: shown, meta } = paginate(ordered, context);
      const listed = setAt(body, at, shown);
      // A vendor may show one paging number under two names (Perx: `count` and `total_count`).
      // Set in one copy of the answer: one copy per number cost a Perx list ~18 copies of its answer and meta.
      const paging = Object.entries(behaviour.page?.meta ?? {}).flatMap(([name, pointers]) => [pointers].flat().filter((pointer) => getAt(listed, pointer) !== undefined).map((pointer): [string, Json] => [pointer, meta[name]!]));
      const answer = paging.length > 0 ? setValues(listed, paging) : listed;
      const headers = Object.fromEntries(Object.entries(behaviour.page?.headers ?? {}).map(([name, header]) => [header, String(meta[name])]));
      return { body: answer, unapplied, ...(behaviour.page?.headers ? { headers } : {}) };
    }
    case 'read': {
      const owner = ownerFor(context, id);
      // A read by other fields than the id (Placewise's member by e-mail): the first record they match.
      const record = id !== undefined ? store.get(resource, owner, located(context, owner, id)) : behaviour.filters ? firstMatching(store.list(resource, owner), behaviour.filters, request) : store.first(resource, owner);
      if (!record) return deletedRecord(context, owner, id) ?? missing(behaviour, `${resource} ${id ?? 'matching the request'} does not exist`);
      const shown = counted(record, context, owner);
      const answer = present(body, at, shown, behaviour.blank, behaviour.freeForm);
      return { body: behaviour.embed ? embedded(answer, behaviour.embed, context) : answer, kept: shown };
    }
    case 'create': {
      const owner = ownerFor(context);
      // A new record looks like the first one the spec shows for this resource (unless `blank`).
      const seeded = seedOf(context);
      const template = behaviour.blank ? {} : withDefaults(omitted(clone(seeded), behaviour), context);
      const oversized = bringsTooMuch(context);
      if (oversized) return oversized;
      // The seed gives each field its type, so a field the copy `omit`s is still one the body may give.
      const written = merged(template, context, seeded);
      // Where the vendor lets the caller name the record (XONVO's externalId); otherwise the mock numbers it.
      const supplied = behaviour.named ? mergeSource(context)?.[key] : undefined;
      written[key] = supplied !== undefined && supplied !== null && typeof supplied !== 'object' && !unwritable(supplied) ? supplied : store.nextId(resource, seeded[key] ?? (getAt(body, `${at}/${key}`) as Json), (made) => !heldAnywhere(context, String(made)));
      setFields(written, context);
      const record = settled(written, { ...template, [key]: written[key]! }, context);
      // Only a record the spec's own examples could not show gets here: the documented answer, nothing stored.
      if (!record) return { body };
      const taken = takenBy(record, context, owner) ?? tooLarge(record, context);
      if (taken) return taken;
      store.put(resource, owner, inScopeOf(context, String(record[key])), record);
      // A field the copy omitted and the body did not give is not shown from the example either.
      const answer = behaviour.returns === 'id' ? setAt(body, `${at}/${key}`, record[key]!) : present(body, at, record, behaviour.blank || (behaviour.omit?.length ?? 0) > 0, behaviour.freeForm);
      return { body: answer, change: { resource, action: 'create', owner, after: record } };
    }
    case 'update': {
      const owner = ownerFor(context, id);
      const where = id === undefined ? undefined : located(context, owner, id);
      let before = where === undefined ? undefined : store.get(resource, owner, where);
      // A PUT that creates what it names (a subscription by its id): the documented answer is the record.
      const creates = !before && behaviour.upsert === true && id !== undefined;
      if (creates) before = withDefaults({ ...recordAt(body, at), [key]: /^\d+$/.test(id) ? Number(id) : id }, context);
      if (!before) return missing(behaviour, `${resource} ${id} does not exist`);
      if (behaviour.from && !allowedFrom(behaviour, before)) {
        return { refuse: behaviour.from.status, example: behaviour.from.example, detail: `${resource} ${id} is ${String(before[behaviour.from.field])}; this call needs it to be ${behaviour.from.in.join(' or ')}` };
      }
      const oversized = bringsTooMuch(context);
      if (oversized) return oversized;
      const written = merged(clone(before), context, behaviour.blank ? seedOf(context) : before);
      setFields(written, context, before);
      const after = settled(written, before, context) ?? before;
      // An update that changes nothing but its date is no change: nothing is kept, dated or announced.
      if (!creates && isDeepStrictEqual(undated(after, behaviour), undated(before, behaviour))) {
        return { body: behaviour.returns === 'nothing' ? body : present(body, at, before, behaviour.blank, behaviour.freeForm), kept: before };
      }
      const taken = takenBy(after, context, owner) ?? tooLarge(after, context);
      if (taken) return taken;
      store.put(resource, owner, where!, after);
      const shaped = behaviour.returns === 'nothing' ? body : present(body, at, after, behaviour.blank, behaviour.freeForm);
      return { body: shaped, change: creates ? { resource, action: 'create', owner, after } : { resource, action: 'update', owner, before, after } };
    }
    case 'delete': {
      const owner = ownerFor(context, id);
      const where = id === undefined ? undefined : located(context, owner, id);
      const before = where === undefined ? undefined : store.get(resource, owner, where);
      if (!before || !store.delete(resource, owner, where!)) return missing(behaviour, `${resource} ${id} does not exist`);
      return { body: behaviour.returns === 'record' ? present(body, at, before, behaviour.blank, behaviour.freeForm) : body, change: { resource, action: 'delete', owner, before } };
    }
    case 'link':
    case 'unlink': {
      const owner = ownerFor(context);
      const left = request.params[behaviour.left!] ?? '';
      const right = request.params[behaviour.right!] ?? '';
      store.link(behaviour.relation!, owner, left, right, behaviour.action === 'link');
      return { body, change: { resource, action: behaviour.action, owner, link: { relation: behaviour.relation!, left, right } } };
    }
    case 'adjust': {
      const { adjust } = behaviour;
      const owner = ownerFor(context);
      const target = adjust?.record ? readSource(adjust.record, request, context.main) : store.first(resource, owner)?.[key];
      const before = target === undefined || target === null ? undefined : store.get(resource, owner, String(target));
      const amount = sourceValue(adjust!.by, context);
      const by = Number(amount);
      // Points on a program the mock does not know, or at a rate it does not list: on its own, the
      // vendor's answer is all the mock can give; as one effect of several (a transfer, an earn that
      // records its movement) it refuses, so the call's other effects are undone rather than points
      // lost or made up.
      const alone = context.main === undefined && !behaviour.also?.length;
      // The refusal is the behaviour's `missing` where it names one (Perx's documented 400), else 404.
      if (!before) return alone ? { body } : missing(behaviour, `${resource} ${String(target)} does not exist`);
      if (amount === undefined && !alone) return missing(behaviour, `nothing to change ${resource} ${String(target)} by: ${unfound(adjust!.by)}`);
      // By a value that is not a number, or to a total that overflows (1e308 twice): alone, the
      // vendor's answer; as one effect of several, a refusal, so the others are undone too.
      const value = Number(before[adjust!.field] ?? 0) + by * (adjust!.sign ?? 1);
      if (unwritable(value)) return alone ? { body } : unrepresentable(`${resource} ${String(target)}`, adjust!.field, before[adjust!.field], by * (adjust!.sign ?? 1));
      if (adjust!.floor !== undefined && value < adjust!.floor) {
        return { refuse: adjust!.status ?? 400, example: adjust!.example, detail: `${resource} ${String(target)} has ${String(before[adjust!.field])} ${adjust!.field}; this call needs ${Math.abs(by)}` };
      }
      const after = { ...clone(before), [adjust!.field]: value };
      store.put(resource, owner, String(target), after);
      return { body, change: { resource, action: 'adjust', owner, before, after } };
    }
    case 'token': {
      const identity = behaviour.token?.identity ? readSource(behaviour.token.identity, request) : undefined;
      const unknown = identity === undefined || identity === null ? undefined : unknownIdentity(String(identity), context);
      if (unknown) return unknown;
      let answer = body;
      for (const field of behaviour.token?.fields ?? []) {
        if (typeof getAt(answer, field) === 'string') answer = setAt(answer, field, mintToken(identity === undefined ? '' : String(identity)));
      }
      return { body: answer };
    }
    default:
      return { body };
  }
}

/**
 * The answer with a page of another resource's records at the embed's pointer, listed as a `list`
 * lists them, its paging numbers where the answer has them. Each record shows the fields the
 * documented entry there has, and only those: one kept to filter by is not the vendor's to show.
 */
function embedded(answer: Json, embed: Embed, context: Context): Json {
  const listed = applyOne({ ...context, behaviour: { ...embed, action: 'list' }, template: answer });
  if ('refuse' in listed) return answer;
  const documented = getAt(context.template, `${embed.at}/0`);
  if (!isObject(documented)) return listed.body;
  const names = Object.keys(documented);
  const records = getAt(listed.body, embed.at) as Record_[];
  return setAt(listed.body, embed.at, records.map((record) => Object.fromEntries(names.filter((name) => Object.hasOwn(record, name)).map((name) => [name, clone(record[name]!)]))));
}

/**
 * The refusal `token.known` names for an identity no record of the tenant's holds (a user Perx
 * does not have: the app must create it first), or undefined for one it knows.
 */
function unknownIdentity(identity: string, { behaviour, store }: Context): Refusal | undefined {
  const known = behaviour.token?.known;
  const holds = (record: Record_) => {
    const value = fieldValue(record, known!.field);
    // A user signed up without an identifier (`null`, or `""`) is not the user "null", nor one a scope naming no user names.
    return ((typeof value === 'string' && value !== '') || typeof value === 'number') && String(value) === identity;
  };
  if (!known || store.list(known.resource, '').some(holds)) return undefined;
  return { refuse: known.status, ...(known.example ? { example: known.example } : {}), detail: `no ${known.resource} record has ${known.field} "${identity}": create it first` };
}

let minted = 0;
/** Tokens the mock issues carry who they act for, so later calls see that user's data. */
export function mintToken(identity: string): string {
  return `mock.${Buffer.from(identity).toString('base64url')}.${(++minted).toString(36)}`;
}

export function identityOf(authorization: string | undefined): string {
  return mintedFor(authorization) ?? '';
}

/** Who a token the mock issued acts for ('' = the tenant's own, the app token); undefined for a token it did not issue. */
export function mintedFor(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+mock\.([A-Za-z0-9_-]*)\.[0-9a-z]+$/i.exec(authorization ?? '');
  return match ? Buffer.from(match[1]!, 'base64url').toString() : undefined;
}
