import type { Finding, Json, JsonObject, SchemaRule } from '../types.js';

/** Upper limits tighten when they go down, lower limits when they go up. */
const limits: Array<{ keyword: string; upper: boolean; words: string }> = [
  { keyword: 'maxLength', upper: true, words: 'maximum length' },
  { keyword: 'maximum', upper: true, words: 'maximum' },
  { keyword: 'exclusiveMaximum', upper: true, words: 'exclusive maximum' },
  { keyword: 'maxItems', upper: true, words: 'maximum number of items' },
  { keyword: 'maxProperties', upper: true, words: 'maximum number of properties' },
  { keyword: 'minLength', upper: false, words: 'minimum length' },
  { keyword: 'minimum', upper: false, words: 'minimum' },
  { keyword: 'exclusiveMinimum', upper: false, words: 'exclusive minimum' },
  { keyword: 'minItems', upper: false, words: 'minimum number of items' },
  { keyword: 'minProperties', upper: false, words: 'minimum number of properties' },
];

const number = (value: Json | undefined) => (typeof value === 'number' ? value : undefined);

/**
 * Limits (lengths, ranges, item counts, pattern): a tighter one breaks writers whose values were
 * valid before; a looser one lets readers meet values they never saw (reported, not breaking:
 * the typed client cannot express limits). A new or changed pattern counts as tighter.
 */
export const limitChanged: SchemaRule = {
  id: 'limit-changed',
  check(before, after, { direction, path, whom }) {
    const field = path ? `\`${path}\`` : 'the value';
    const findings: Finding[] = [];
    const report = (tighter: boolean, what: string) =>
      findings.push(
        tighter && direction === 'write'
          ? { rule: 'limit-changed', severity: 'breaking' as const, message: `${field}: ${what}: ${whom} sending values valid before are refused` }
          : { rule: 'limit-changed', severity: 'info' as const, message: `${field}: ${what}` },
      );
    for (const { keyword, upper, words } of limits) {
      const old = number(before[keyword]);
      const now = number(after[keyword]);
      if (old === now) continue;
      const tighter = now !== undefined && (old === undefined || (upper ? now < old : now > old));
      report(tighter, `${words} ${old === undefined ? 'added' : now === undefined ? 'removed' : 'changed'} (${old ?? 'none'} → ${now ?? 'none'})`);
    }
    if (before.pattern !== after.pattern) {
      const tighter = typeof after.pattern === 'string';
      report(tighter, `pattern ${before.pattern === undefined ? 'added' : after.pattern === undefined ? 'removed' : 'changed'} (${show(before)} → ${show(after)})`);
    }
    return findings;
  },
};

const show = (schema: JsonObject) => (typeof schema.pattern === 'string' ? `/${schema.pattern}/` : 'none');
