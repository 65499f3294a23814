import type { Finding, Json, JsonObject, SchemaRule } from '../types.js';
import { sameSchema } from '../schema-equal.js';
import { itemsAfterPrefix, prefixOf } from '../schema-shape.js';
import { tighteningReporter } from './tightening.js';

/** Upper limits tighten when they go down, lower limits when they go up. */
const limits: Array<{ keyword: string; upper: boolean; words: string; read?: (schema: JsonObject) => number | undefined }> = [
  { keyword: 'maxLength', upper: true, words: 'maximum length' },
  { keyword: 'maxItems', upper: true, words: 'maximum number of items', read: mostItems },
  { keyword: 'maxProperties', upper: true, words: 'maximum number of properties' },
  { keyword: 'minLength', upper: false, words: 'minimum length' },
  { keyword: 'minItems', upper: false, words: 'minimum number of items' },
  { keyword: 'minProperties', upper: false, words: 'minimum number of properties' },
];

const number = (value: Json | undefined) => (typeof value === 'number' ? value : undefined);

/**
 * The most items an array may hold: `maxItems`, or where items stop being allowed, whichever is
 * fewer. Items stop at the first prefix item that is `false` (no array reaches past a place no
 * item may take), else after the prefix where nothing may follow it (`items` or `unevaluatedItems`
 * false). Closing a tuple is a count, so closing it with any of these, or with `maxItems`, is the same limit.
 */
function mostItems(schema: JsonObject): number | undefined {
  const prefix = prefixOf(schema);
  const refused = prefix.indexOf(false);
  const closedAt = refused !== -1 ? refused : itemsAfterPrefix(schema) === false ? prefix.length : undefined;
  const max = number(schema.maxItems);
  return max === undefined || closedAt === undefined ? (max ?? closedAt) : Math.min(max, closedAt);
}

/**
 * A range's end, read from both its keywords at once: `maximum: 10` beside or instead of
 * `exclusiveMaximum: 100` is one bound, the tighter of the two (at a tie, the exclusive one).
 * Compared keyword by keyword, 10 → exclusive 100 read as a new limit, though it loosens.
 */
const ends = [
  { words: 'maximum', inclusive: 'maximum', exclusive: 'exclusiveMaximum', upper: true },
  { words: 'minimum', inclusive: 'minimum', exclusive: 'exclusiveMinimum', upper: false },
] as const;
type End = (typeof ends)[number];
type Bound = { value: number; exclusive: boolean };

function boundOf(schema: JsonObject, end: End): Bound | undefined {
  // Of integers, below 10 is up to 9: an exclusive whole bound is the inclusive one next to it.
  const whole = (b: Bound): Bound => (schema.type === 'integer' && b.exclusive && Number.isInteger(b.value) ? { value: end.upper ? b.value - 1 : b.value + 1, exclusive: false } : b);
  const found = [
    { value: number(schema[end.inclusive]), exclusive: false },
    { value: number(schema[end.exclusive]), exclusive: true },
  ]
    .filter((b): b is Bound => b.value !== undefined)
    .map(whole);
  return found.reduce<Bound | undefined>((best, b) => (best === undefined || narrower(b, best, end.upper) ? b : best), undefined);
}

/** Whether bound `a` admits less than `b` does. */
const narrower = (a: Bound, b: Bound, upper: boolean) => (upper ? a.value < b.value : a.value > b.value) || (a.value === b.value && a.exclusive && !b.exclusive);
const written = (b: Bound | undefined, upper: boolean) => (b === undefined ? 'none' : `${upper ? (b.exclusive ? '<' : '≤') : b.exclusive ? '>' : '≥'} ${b.value}`);

/** A number as the decimal the spec writes: digits and a power of ten (1.5e-7 → [15n, -8]). */
const decimal = (n: number): [bigint, number] => {
  const [mantissa = '0', exponent = '0'] = String(n).toLowerCase().split('e');
  const [whole = '0', fraction = ''] = mantissa.split('.');
  return [BigInt(whole + fraction), Number(exponent) - fraction.length];
};

/**
 * Whether `step` divides `value` a whole number of times, read as the decimals the spec writes:
 * in binary floating point 1 % 0.1 is not 0, yet every multiple of 1 is one of 0.1. Both are
 * brought to the same power of ten and divided exactly, exponents included (3 does not divide 1e21).
 */
const divides = (step: number, value: number) => {
  const [[s, se], [v, ve]] = [decimal(step), decimal(value)];
  const e = Math.min(se, ve);
  const [divisor, dividend] = [s * 10n ** BigInt(se - e), v * 10n ** BigInt(ve - e)];
  return divisor !== 0n && dividend % divisor === 0n;
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
    for (const end of ends) {
      const [old, now] = [boundOf(before, end), boundOf(after, end)];
      if (old?.value === now?.value && old?.exclusive === now?.exclusive) continue;
      const tighter = now !== undefined && (old === undefined || narrower(now, old, end.upper));
      // Said as before where one keyword changes alone (`maximum changed (100 → 10)`).
      const kind = (b: Bound) => (b.exclusive ? `exclusive ${end.words}` : end.words);
      const change =
        old === undefined ? `${kind(now!)} added (none → ${now!.value})` : now === undefined ? `${kind(old)} removed (${old.value} → none)` : old.exclusive === now.exclusive ? `${kind(now)} changed (${old.value} → ${now.value})` : `${end.words} changed (${written(old, end.upper)} → ${written(now, end.upper)})`;
      report(tighter, change);
    }
    for (const { keyword, upper, words, read = (schema: JsonObject) => number(schema[keyword]) } of limits) {
      const [old, now] = [read(before), read(after)];
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
    // unevaluatedProperties: false (2020-12) closes an object as additionalProperties: false does.
    const closedBy = (schema: JsonObject) => (['additionalProperties', 'unevaluatedProperties'] as const).find((keyword) => schema[keyword] === false);
    const [wasClosed, isClosed] = [closedBy(before), closedBy(after)];
    if (!wasClosed !== !isClosed) report(isClosed !== undefined, `other properties ${isClosed ? 'no longer allowed' : 'now allowed'} (${isClosed ?? wasClosed})`);
    if (!sameSchema(before.not, after.not, context.docs)) report(after.not !== undefined, `\`not\` ${before.not === undefined ? 'added' : after.not === undefined ? 'removed' : 'changed'}`);
    return findings;
  },
};

const show = (schema: JsonObject) => (typeof schema.pattern === 'string' ? `/${schema.pattern}/` : 'none');
