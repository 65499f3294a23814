import type { Finding, Json, JsonObject, SchemaRule } from '../types.js';
import { sameSchema } from '../schema-equal.js';
import { tighteningReporter } from './tightening.js';

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
 * Whether `step` divides `value` a whole number of times, read as the decimals the spec writes:
 * in binary floating point 1 % 0.1 is not 0, yet every multiple of 1 is one of 0.1. Both are
 * scaled to whole numbers by their decimal places and divided exactly; a number written with an
 * exponent falls back to a quotient within a millionth of a whole number.
 */
const divides = (step: number, value: number) => {
  const places = (n: number) => (/e/i.test(String(n)) ? undefined : (String(n).split('.')[1] ?? '').length);
  const [a, b] = [places(step), places(value)];
  if (a === undefined || b === undefined) {
    const times = value / step;
    return Math.abs(times - Math.round(times)) < 1e-6;
  }
  const scale = 10 ** Math.max(a, b);
  return BigInt(Math.round(value * scale)) % BigInt(Math.round(step * scale)) === 0n;
};
/**
 * Limits (lengths, ranges, item counts, pattern, format, multipleOf, closed objects, `not`): a tighter one breaks writers whose values were
 * valid before; a looser one lets readers meet values they never saw (reported, not breaking:
 * the typed client cannot express limits). A new or changed pattern counts as tighter.
 */
export const limitChanged: SchemaRule = {
  id: 'limit-changed',
  check(before, after, context) {
    const findings: Finding[] = [];
    const report = tighteningReporter('limit-changed', findings, context);
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
    // A format, like a pattern, narrows the strings accepted; a new one or another one is tighter.
    if (before.format !== after.format) {
      report(typeof after.format === 'string', `format ${before.format === undefined ? 'added' : after.format === undefined ? 'removed' : 'changed'} (${before.format ?? 'none'} → ${after.format ?? 'none'})`);
    }
    const [oldStep, newStep] = [number(before.multipleOf), number(after.multipleOf)];
    if (oldStep !== newStep) {
      // Every multiple of 10 is one of 5: a step that divides the old one loosens.
      const tighter = newStep !== undefined && (oldStep === undefined || !divides(newStep, oldStep));
      report(tighter, `multiple of ${oldStep === undefined ? 'added' : newStep === undefined ? 'removed' : 'changed'} (${oldStep ?? 'none'} → ${newStep ?? 'none'})`);
    }
    const closed = (schema: JsonObject) => schema.additionalProperties === false;
    if (closed(before) !== closed(after)) report(closed(after), `other properties ${closed(after) ? 'no longer allowed' : 'now allowed'} (additionalProperties)`);
    if (!sameSchema(before.not, after.not, context.docs)) report(after.not !== undefined, `\`not\` ${before.not === undefined ? 'added' : after.not === undefined ? 'removed' : 'changed'}`);
    return findings;
  },
};

const show = (schema: JsonObject) => (typeof schema.pattern === 'string' ? `/${schema.pattern}/` : 'none');
