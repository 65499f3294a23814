import { createRequire } from 'node:module';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { KeywordDefinition } from 'ajv';
import type { KeywordErrorCxt } from 'ajv/dist/types/index.js';

type Codegen = typeof import('ajv/dist/compile/codegen/index.js');

/**
 * Ajv's `not` and `if` errors carry nothing of what the schema said (`params: {}`, "must NOT be
 * valid"; `{failingKeyword}`, "must match \"then\" schema"), and a validator compiled to standalone
 * code has no schema left to ask. So the errors are given, when compiled, what the schema under
 * `not` forbids (`params.forbids`: its `description`, else `summary`'s few words) and the
 * `description`s of the `if` and of the `then` or `else` that failed (`params.condition`,
 * `params.rule`; Footprints writes one on each): the spec says the rule, and the finding
 * (`ruleText`, src/guard/schema-problem.ts) repeats it. Everything else of the two keywords is
 * Ajv's. Applied wherever the specs' schemas are compiled: the clients' generated validators, the
 * contract suite and traffic checker's Ajv, the mock's.
 */
export function describeRules(ajv: Ajv2020): Ajv2020 {
  // Resolved from the mock's own dependency, as contract.ts loads Ajv: an optional peer of the package.
  const require = createRequire(import.meta.url);
  const { _ } = require('ajv/dist/compile/codegen/index.js') as Codegen;
  const core = (name: string) => (require(`ajv/dist/vocabularies/applicator/${name}.js`) as { default: KeywordDefinition }).default;
  const said = (schema: unknown) => {
    const text = (schema as { description?: unknown } | undefined)?.description;
    return typeof text === 'string' ? text : null;
  };
  const forbidden = (schema: unknown) => said(schema) ?? summary(schema);
  const not = core('not');
  const ifKeyword = core('if');
  replace(ajv, { ...not, before: 'anyOf', error: { message: not.error!.message, params: ({ schema }) => _`{forbids: ${forbidden(schema)}}` } });
  replace(ajv, {
    ...ifKeyword,
    before: 'then',
    error: {
      message: ifKeyword.error!.message,
      // Ajv's failingKeyword, then the descriptions; with both `then` and `else` the clause is known only when validating.
      params: ({ schema, parentSchema, params }: KeywordErrorCxt) =>
        _`{failingKeyword: ${params.ifClause}, condition: ${said(schema)}, rule: ${params.ifClause} === "then" ? ${said(parentSchema?.then)} : ${said(parentSchema?.else)}}`,
    },
  });
  return ajv;
}

function replace(ajv: Ajv2020, definition: KeywordDefinition): void {
  ajv.removeKeyword(definition.keyword as string);
  ajv.addKeyword(definition);
}

/**
 * What a schema asks, in a few words, for the shapes a `not` is written in (Perx's identifier
 * body forbids `anyOf` of two `required`): fields it must have, a value it must be, and anyOf,
 * oneOf and allOf of those; null for anything else, which is then said without it.
 */
function summary(schema: unknown): string | null {
  if (typeof schema !== 'object' || schema === null) return null;
  const s = schema as Record<string, unknown>;
  const parts: string[] = [];
  if (Array.isArray(s.required) && s.required.length > 0) parts.push(`has ${s.required.map((name) => `\`${String(name)}\``).join(' and ')}`);
  if ('const' in s) parts.push(`is ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum)) parts.push(`is one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  for (const [keyword, joint] of [['anyOf', ' or '], ['oneOf', ' or '], ['allOf', ' and ']] as const) {
    if (!Array.isArray(s[keyword])) continue;
    const branches = (s[keyword] as unknown[]).map(summary);
    if (branches.some((b) => b === null)) return null;
    parts.push(branches.join(joint));
  }
  // Anything else it asks (a type, a pattern, properties' schemas) is not said: rather nothing than half.
  const told = new Set(['required', 'const', 'enum', 'anyOf', 'oneOf', 'allOf', 'properties', 'description', 'title', '$comment']);
  const other = Object.keys(s).some((k) => !told.has(k) && !k.startsWith('x-'));
  const propertiesAskNothing = Object.values((s.properties ?? {}) as Record<string, unknown>).every((p) => typeof p === 'object' && p !== null && Object.keys(p).length === 0);
  return parts.length === 0 || other || !propertiesAskNothing ? null : parts.join(' and ');
}
