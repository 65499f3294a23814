import { ruleText, schemaProblem, type SchemaError } from '../../guard/schema-problem.js';
import type { Json, MockBehaviour } from './behaviour.js';
import { escapeToken, getAt, setAt, tokens } from './pointer.js';

type Violations = NonNullable<MockBehaviour['violations']>;

/**
 * The documented validation answer with, at `at`, the tree the vendor names a body's violation in
 * (Placewise's "Invalid parameters": one level per key of the field's path, an array index as its
 * text, and at the leaf a list of one error). The error keeps the fields the documented example's
 * first error has: `error` is the rule's symbol, `options` its parameters, `value` what was sent,
 * `message` the rule broken, in the words every finding of the package uses (`ruleText`); where that error is a text (Placewise's push-token call lists plain
 * messages), it is the message alone. With `nest` (Placewise's member-validation object), each key
 * below the first is filed inside the `nest` field of a list's one item, the way the vendor nests
 * club properties (`{properties: [{error: {language: [...]}}]}`), and the error names its field as
 * `property` where the example's does; `filedAs` files a field under another path, as the vendor
 * files a sent `properties.email` at the top level. A violation of the body as a whole (one that is
 * not an object, or one sent where none is taken) is filed where `filedAs` files `''`; without that,
 * there is no key to file it under, and the answer is undefined: the documented one stays.
 */
export function violationAnswer(documented: Json, violations: Violations, error: SchemaError, body: unknown): Json | undefined {
  const { path } = schemaProblem(error);
  if (path === '' && violations.filedAs?.[''] === undefined) return undefined;
  const example = firstError(getAt(documented, violations.at));
  const given = getAt(body, path);
  const keys = tokens(violations.filedAs?.[path] ?? path);
  const found: Record<string, Json> = {
    property: keys.at(-1)!,
    error: symbolOf(violations.symbols, error),
    options: optionsOf(error),
    ...(quotable(given) ? { value: given as Json } : {}),
    message: ruleText(error),
  };
  // An example without errors to copy shows every field but the member form's `property`; one with them, only the fields it shows.
  const { property: _property, ...unnamed } = found;
  const shown = typeof example === 'string' ? found.message! : example ? Object.fromEntries(Object.entries(found).filter(([name]) => Object.hasOwn(example, name))) : unnamed;
  const tree = keys.reduceRight<Json>((inner, key, index) => {
    const level = { [key]: inner };
    return index > 0 && violations.nest ? [{ [violations.nest]: level }] : level;
  }, [shown]);
  return setAt(documented, violations.at, tree);
}

/** The symbol for the broken rule: by rule and type for a type rule (`type:integer`), else by rule, else `*`'s. */
function symbolOf(symbols: Violations['symbols'], error: SchemaError): string {
  const type = error.keyword === 'type' ? `type:${[error.params.type].flat().join(',')}` : undefined;
  const named = [type, error.keyword, '*'].find((name) => name !== undefined && Object.hasOwn(symbols, name));
  return named === undefined ? error.keyword : symbols[named]!;
}

/**
 * The rule's parameters under the names the vendor's examples give them: the allowed values as
 * `in` (an event_schema_version not in [1, 2]), a bound as `number` (a per_page above 1000).
 */
function optionsOf({ keyword, params }: SchemaError): Record<string, Json> {
  if (keyword === 'enum') return { in: params.allowedValues as Json };
  if (keyword === 'const') return { in: [params.allowedValue as Json] };
  if (['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'].includes(keyword)) return { number: params.limit as Json };
  return {};
}

/** The first error of the documented tree, an object or a text, found depth-first: the shape a new one copies. */
function firstError(tree: unknown): Record<string, unknown> | string | undefined {
  if (Array.isArray(tree)) return tree.find((item) => typeof item === 'string' || (item !== null && typeof item === 'object')) as Record<string, unknown> | string | undefined;
  if (tree === null || typeof tree !== 'object') return undefined;
  for (const inner of Object.values(tree)) {
    const found = firstError(inner);
    if (found) return found;
  }
  return undefined;
}

/**
 * The documented answer with, in its tree at `at`, each error's `value` set to what the body sent at
 * the field the error is filed under: a documented example chosen for a fault the schema allows (a
 * subscription url the mock could not deliver to, one already taken) quotes the url sent, not the
 * example's. Errors without a `value`, fields the body did not send and numbers JSON cannot write stay.
 */
export function quotingSent(documented: Json, violations: Violations, body: unknown): Json {
  let answer = documented;
  const visit = (tree: unknown, path: string[]) => {
    if (Array.isArray(tree)) {
      const sent = getAt(body, pointerOf(path));
      if (!quotable(sent)) return;
      tree.forEach((error, index) => {
        if (error !== null && typeof error === 'object' && Object.hasOwn(error, 'value')) answer = setAt(answer, `${violations.at}${pointerOf([...path, String(index), 'value'])}`, sent as Json);
      });
      return;
    }
    if (tree !== null && typeof tree === 'object') for (const [key, inner] of Object.entries(tree)) visit(inner, [...path, key]);
  };
  if (body !== null && typeof body === 'object') visit(getAt(documented, violations.at), []);
  return answer;
}

/**
 * Whether a value sent can be quoted as it was sent: not where it holds, at any depth, a number past
 * what JSON reads (Infinity, written back as `null`) or a whole number past 2^53 - 1 (read as a
 * neighbour, `…993` as `…992`). A whole body, or an object field, is quoted with all it holds.
 */
function quotable(value: unknown): boolean {
  if (value === undefined) return false;
  const waiting = [value];
  while (waiting.length > 0) {
    const next = waiting.pop();
    if (typeof next === 'number' && (!Number.isFinite(next) || (Number.isInteger(next) && !Number.isSafeInteger(next)))) return false;
    if (next !== null && typeof next === 'object') for (const item of Object.values(next)) waiting.push(item);
  }
  return true;
}

const pointerOf = (keys: string[]) => keys.map((key) => `/${escapeToken(key)}`).join('');
