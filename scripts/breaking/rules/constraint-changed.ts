import type { Finding, Json, JsonObject, SchemaRule } from '../types.js';
import { tighteningReporter } from './tightening.js';

const same = (a: Json | undefined, b: Json | undefined) => JSON.stringify(a) === JSON.stringify(b);

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
 * The assertions no other rule reads: `uniqueItems`, `propertyNames`, `dependentRequired`,
 * `dependentSchemas` and `if`/`then`/`else`. Each added (or, for the schema-valued ones, changed)
 * refuses values that were valid before: breaking for writers, reported for readers, as limits
 * are (limit-changed). A schema-valued one that changes is taken as tighter, as a changed
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
    for (const keyword of ['propertyNames', 'dependentSchemas', 'if', 'then', 'else']) {
      if (same(before[keyword], after[keyword])) continue;
      const state = before[keyword] === undefined ? 'added' : after[keyword] === undefined ? 'removed' : 'changed';
      report(after[keyword] !== undefined, `\`${keyword}\` ${state}`);
    }
    return findings;
  },
};
