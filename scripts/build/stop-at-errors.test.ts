/**
 * `stopAtErrors` (CLIENT-106) claims to change no verdict and to keep the first errors an uncapped
 * validator reports. Its own tests use small schemas; this holds the claim over every vendor's real
 * response schemas and webhook bodies, comparing the build's code with and without the early stop
 * on each documented example and on that example broken in many places.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JUDGED_ERRORS } from '../../src/guard/table.js';
import type { OpenApiDocument } from '../lib/openapi.js';
import { loadVendors, root } from '../lib/vendors.js';
import { responseValidators } from './response-validators.js';
import { generateWebhookValidators, MAX_ERRORS, webhookBodies } from './webhook-validators.js';

type Validator = { (data: unknown): boolean; errors?: object[] | null };

const load = async (js: string) => (await import(`data:text/javascript,${encodeURIComponent(js)}`)) as Record<string, unknown>;

/** What an array is grown to: past the cap even where each item makes one error. */
const GROWN = JUDGED_ERRORS + 20;

/** A value of another JSON type than `value`, so that a typed schema refuses it. */
const wrongType = (value: unknown): unknown => (typeof value === 'string' ? 12345 : typeof value === 'number' ? 'not a number' : typeof value === 'boolean' ? 'true' : value === null ? { unexpected: true } : 'not a container');

/** `value` with every leaf replaced by a value of another type. */
function breakAll(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(breakAll);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, breakAll(v)]));
  return wrongType(value);
}

type Path = (string | number)[];

function nodes(value: unknown, path: Path = [], out: { path: Path; value: unknown }[] = []) {
  out.push({ path, value });
  if (Array.isArray(value)) value.forEach((v, i) => nodes(v, [...path, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) nodes(v, [...path, k], out);
  return out;
}

/** A copy of `data` with the node at `path` given to `change`, which returns its replacement (undefined: removed). */
function at(data: unknown, path: Path, change: (node: unknown) => unknown): unknown {
  if (path.length === 0) return change(data);
  const copy = structuredClone(data) as any;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key];
  const last = path.at(-1)!;
  const next = change(parent[last]);
  if (next === undefined && !Array.isArray(parent)) delete parent[last];
  else parent[last] = next;
  return copy;
}

/**
 * The first item of each array of objects in `examples`, by its key. Added broken to an object
 * that lacks the key, it fails a oneOf/anyOf branch that knows the key past the cap, while a later
 * branch that does not may pass: where stopping a function that takes errors back would refuse.
 */
function arrayItemsByKey(examples: unknown[]): Map<string, unknown> {
  const found = new Map<string, unknown>();
  for (const example of examples) {
    for (const { path, value } of nodes(example)) {
      const key = path.at(-2);
      if (path.at(-1) === 0 && typeof key === 'string' && value && typeof value === 'object' && !found.has(key)) found.set(key, value);
    }
  }
  return found;
}

/**
 * The example, and the example broken: each leaf's type, each key removed, each node null, an extra
 * key in each object, each array grown past the cap, each object given another example's array of
 * broken items.
 */
function corpus(example: unknown, foreign: Map<string, unknown>): unknown[] {
  const inputs: unknown[] = [example, breakAll(example)];
  for (const { path, value } of nodes(example)) {
    inputs.push(at(example, path, () => null));
    if (Array.isArray(value)) {
      if (value.length === 0) continue;
      inputs.push(at(example, path, () => Array.from({ length: GROWN }, (_, i) => breakAll(value[i % value.length]))));
      inputs.push(at(example, path, () => [...Array.from({ length: GROWN }, (_, i) => value[i % value.length]), breakAll(value[0])]));
      inputs.push(at(example, path, () => Array.from({ length: GROWN }, () => wrongType(value[0]))));
    } else if (value && typeof value === 'object') {
      inputs.push(at(example, path, (node) => ({ ...(node as object), unexpected_extra_property: 'x' })));
      for (const [key, item] of foreign) {
        if (!(key in value)) inputs.push(at(example, path, (node) => ({ ...(node as object), [key]: Array.from({ length: GROWN }, () => breakAll(item)) })));
      }
      for (const key of Object.keys(value)) inputs.push(at(example, [...path, key], () => undefined));
    } else {
      inputs.push(at(example, path, wrongType));
    }
  }
  return inputs;
}

const key = (e: object) => JSON.stringify(e);

interface Tally {
  inputs: number;
  refused: number;
  overCap: number;
  problems: string[];
}

/**
 * Runs both validators on every input: the same verdict, and the capped errors exactly the first
 * min(cap, n) uncapped ones. Exactly, even where a schema's root takes errors back: each exported
 * validator is a `$ref` to the schema (response-validators.ts), a function that takes none back and
 * is cut at the cap; the webhook build refuses code that takes errors back. Past the cap, a function
 * that takes errors back holds a branch's first 100 and then the next branch's errors.
 */
function compare(name: string, capped: Validator, full: Validator, inputs: unknown[], cap: number, tally: Tally) {
  for (const data of inputs) {
    tally.inputs++;
    const verdict = full(data);
    const all = (full.errors ?? []).map(key);
    const cappedVerdict = capped(data);
    const kept = (capped.errors ?? []).map(key);
    const say = (what: string) => tally.problems.length < 10 && tally.problems.push(`${name}: ${what} for ${JSON.stringify(data).slice(0, 200)}`);
    if (cappedVerdict !== verdict) {
      say(`verdict ${cappedVerdict}, uncapped ${verdict}`);
      continue;
    }
    if (!verdict) tally.refused++;
    if (all.length > cap) tally.overCap++;
    const first = Math.min(cap, all.length);
    if (kept.length !== first || kept.join('\n') !== all.slice(0, first).join('\n')) say(`${kept.length} errors kept of ${all.length}, not the first ${first}`);
  }
}

const vendors = loadVendors().map((v) => ({ name: v.name, doc: JSON.parse(readFileSync(`${root}${v.bundle}`, 'utf8')) as OpenApiDocument }));

/** The documented examples of the media object a schema pointer sits in. */
function examplesAt(doc: OpenApiDocument, schemaPointer: string): unknown[] {
  let media: any = doc;
  for (const part of schemaPointer.slice(2).split('/').slice(0, -1)) media = media?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return [...(media?.example === undefined ? [] : [media.example]), ...Object.values<any>(media?.examples ?? {}).map((e) => e.value)];
}

describe('stopAtErrors over the real specs: no verdict changes and the errors kept are the first', () => {
  it.each(vendors)('$name: response validators', async ({ name, doc }) => {
    const built = responseValidators(name, doc);
    const capped = await load(built.js);
    const full = await load(responseValidators(name, doc, { stop: false }).js);
    const tally: Tally = { inputs: 0, refused: 0, overCap: 0, problems: [] };
    const foreign = arrayItemsByKey(Object.values(built.pointers).flatMap((p) => examplesAt(doc, p)));
    let covered = 0;
    for (const [exportName, pointer] of Object.entries(built.pointers)) {
      const examples = examplesAt(doc, pointer);
      if (examples.length === 0) continue;
      covered++;
      compare(`${name} ${exportName} (${pointer})`, capped[exportName] as Validator, full[exportName] as Validator, examples.flatMap((e) => corpus(e, foreign)), JUDGED_ERRORS, tally);
    }
    expect(tally.problems).toEqual([]);
    console.info(`${name}: ${covered} of ${built.schemas} schemas, ${tally.inputs} inputs, ${tally.refused} refused, ${tally.overCap} past ${JUDGED_ERRORS} errors uncapped`);
    // A schema with no documented example would go unchecked here.
    expect(covered).toBe(built.schemas);
    // The code compared is what ships (checked last, so that a broken cap is reported by what it changes).
    expect(built.js).toBe(readFileSync(`${root}generated/${name}/validators.js`, 'utf8'));
  });

  it.each(vendors.filter((v) => webhookBodies(v.doc).length > 0))('$name: webhook validators', async ({ name, doc }) => {
    const capped = await load(generateWebhookValidators(name, doc).js!);
    const full = await load(generateWebhookValidators(name, doc, { cap: false }).js!);
    const tally: Tally = { inputs: 0, refused: 0, overCap: 0, problems: [] };
    const foreign = arrayItemsByKey(webhookBodies(doc).flatMap((b) => Object.values(b.examples)));
    for (const body of webhookBodies(doc)) {
      compare(`${name} ${body.webhook}`, capped[body.exportName] as Validator, full[body.exportName] as Validator, Object.values(body.examples).flatMap((e) => corpus(e, foreign)), MAX_ERRORS, tally);
    }
    expect(tally.problems).toEqual([]);
    expect(tally.overCap).toBeGreaterThan(0);
    console.info(`${name} webhooks: ${webhookBodies(doc).length} bodies, ${tally.inputs} inputs, ${tally.refused} refused, ${tally.overCap} past ${MAX_ERRORS} errors uncapped`);
  });
});

describe('stopAtErrors where a schema takes errors back at its root', () => {
  const member = { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } };
  const doc = {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: { '/x': { get: { responses: { '200': { content: { 'application/json': { schema: { anyOf: [{ $ref: '#/components/schemas/List' }, { type: 'string' }] } } } } } } } },
    components: { schemas: { List: { type: 'array', items: { $ref: '#/components/schemas/Member' } }, Member: member } },
  } as unknown as OpenApiDocument;
  const broken = Array.from({ length: GROWN + 30 }, () => ({ id: 'a' }));

  // The anyOf function itself holds 102 of 152: List's first 100 (List stopped there), then the string branch's and its own.
  it('keeps exactly the first 100 errors: the exported validator is a `$ref` wrapper that takes none back', async () => {
    const capped = (await load(responseValidators('t', doc).js)).v0 as Validator;
    const full = (await load(responseValidators('t', doc, { stop: false }).js)).v0 as Validator;
    const tally: Tally = { inputs: 0, refused: 0, overCap: 0, problems: [] };
    compare('anyOf root', capped, full, [broken, 'fine', [{ id: 1 }]], JUDGED_ERRORS, tally);
    expect(tally).toEqual({ inputs: 3, refused: 1, overCap: 1, problems: [] });
  });
});
