import type { Finding, Json, JsonObject, SchemaContext, SchemaRule } from '../types.js';
import { isObject } from '../types.js';
import { admitsAll, sameSchema } from '../schema-equal.js';
import { tighteningReporter } from './tightening.js';

/** Each dependency `dependentRequired` states, as "sent → also required": `{ phone: ['email'] }` gives "phone → email". */
function dependencies(schema: JsonObject): Set<string> {
  const found = new Set<string>();
  const map = schema.dependentRequired;
  if (map && typeof map === 'object' && !Array.isArray(map)) {
    for (const [when, names] of Object.entries(map)) if (Array.isArray(names)) for (const name of names) found.add(`${when} → ${String(name)}`);
  }
  return found;
}

/**
 * What `contains` asks, or undefined where it asks nothing: at least `min` items (1 unless said)
 * match its schema, and at most `max`. With `minContains: 0` and no `maxContains` any array passes.
 */
function containsOf(schema: JsonObject): { schema: Json; min: number; max?: number } | undefined {
  if (schema.contains === undefined) return undefined;
  const [min, max] = [typeof schema.minContains === 'number' ? schema.minContains : 1, typeof schema.maxContains === 'number' ? schema.maxContains : undefined];
  return min > 0 || max !== undefined ? { schema: schema.contains, min, ...(max === undefined ? {} : { max }) } : undefined;
}

type Contains = NonNullable<ReturnType<typeof containsOf>>;

/**
 * What an added `contains` now asks, in words. Under `minContains: 0` no item need match it, and
 * it restricts only through `maxContains`: saying "an item must match" there misled the reader.
 */
function containsAdded({ min, max }: Contains): string {
  const least = min === 0 ? undefined : min === 1 ? 'an item must now match it' : `at least ${min} items must now match it`;
  const most = max === undefined ? undefined : max === 0 ? 'no item may now match it' : `at most ${max} ${max === 1 ? 'item' : 'items'} may now match it`;
  return least && most ? `${least}, ${most}` : (least ?? `${most!}; none need to, minContains 0`);
}

/** What a dropped `contains` no longer asks, in words (see containsAdded). */
function containsRemoved({ min, max }: Contains): string {
  const freed = [...(min > 0 ? ['no item need match it'] : []), ...(max !== undefined ? ['any number of items may match it'] : [])];
  return freed.join(', and ');
}

/** `contains` added, dropped or changed, then its counts where both sides ask it. */
function containsChanged(before: JsonObject, after: JsonObject, docs: SchemaContext['docs'], report: (tighter: boolean, what: string) => void): void {
  const [was, now] = [containsOf(before), containsOf(after)];
  if (!was || !now) {
    if (now) report(true, `\`contains\` added (${containsAdded(now)})`);
    else if (was) report(false, `\`contains\` removed (${containsRemoved(was)})`);
    return;
  }
  if (!sameSchema(was.schema, now.schema, docs)) report(true, '`contains` changed');
  if (was.min !== now.min) report(now.min > was.min, `items that must match \`contains\` changed (at least ${was.min} → ${now.min}, minContains)`);
  if (was.max !== now.max) report(now.max !== undefined && (was.max === undefined || now.max < was.max), `items that may match \`contains\` changed (at most ${was.max ?? 'any'} → ${now.max ?? 'any'}, maxContains)`);
}

const schemaValued = ['propertyNames', 'dependentSchemas', 'if', 'then', 'else'] as const;

/**
 * The schema-valued assertions as they act, not as written, so that what constrains nothing is
 * not read as a tightening: one that admits everything is absent, as is a `dependentSchemas`
 * entry that does (and the map left empty). `then`/`else` act only under an `if`, and an `if`
 * only with a `then` or `else` beside it that can apply. An `if` that admits everything stays:
 * under it the `then` always applies.
 */
function asserted(schema: JsonObject): Record<(typeof schemaValued)[number], Json | undefined> {
  const kept = (value: Json | undefined) => (admitsAll(value) ? undefined : value);
  const entries = isObject(schema.dependentSchemas) ? Object.entries(schema.dependentSchemas).filter(([, value]) => !admitsAll(value)) : [];
  // Under `if: false` the `then` never applies, under an `if` that admits everything the `else` never does.
  const [then, otherwise] = [schema.if === false ? undefined : kept(schema.then), admitsAll(schema.if) ? undefined : kept(schema.else)];
  const conditional = schema.if !== undefined && (then !== undefined || otherwise !== undefined);
  return {
    propertyNames: kept(schema.propertyNames),
    dependentSchemas: entries.length ? Object.fromEntries(entries) : undefined,
    if: conditional ? schema.if : undefined,
    then: conditional ? then : undefined,
    else: conditional ? otherwise : undefined,
  };
}

/**
 * The assertions no other rule reads: `uniqueItems`, `contains` with its counts, `propertyNames`,
 * `dependentRequired`, `dependentSchemas` and `if`/`then`/`else`. Each added (or, for the
 * schema-valued ones, changed) refuses values that were valid before: breaking for writers,
 * reported for readers, as limits are (limit-changed). A schema-valued one that changes is taken as tighter, as a changed
 * pattern is: telling whether one schema admits all another does is not attempted.
 */
export const constraintChanged: SchemaRule = {
  id: 'constraint-changed',
  check(before, after, context) {
    const findings: Finding[] = [];
    const report = tighteningReporter('constraint-changed', findings, context);
    if ((before.uniqueItems === true) !== (after.uniqueItems === true)) report(after.uniqueItems === true, after.uniqueItems === true ? 'items must now be unique (uniqueItems)' : 'items need no longer be unique (uniqueItems)');
    const [had, has] = [dependencies(before), dependencies(after)];
    const added = [...has].filter((d) => !had.has(d));
    const dropped = [...had].filter((d) => !has.has(d));
    if (added.length) report(true, `a property now requires another when sent (dependentRequired: ${added.join(', ')})`);
    if (dropped.length) report(false, `a property no longer requires another (dependentRequired: ${dropped.join(', ')})`);
    containsChanged(before, after, context.docs, report);
    const [was, now] = [asserted(before), asserted(after)];
    for (const keyword of schemaValued) {
      if (sameSchema(was[keyword], now[keyword], context.docs, keyword === 'dependentSchemas' ? 'schemas' : 'schema')) continue;
      const state = was[keyword] === undefined ? 'added' : now[keyword] === undefined ? 'removed' : 'changed';
      report(now[keyword] !== undefined, `\`${keyword}\` ${state}`);
    }
    return findings;
  },
};
