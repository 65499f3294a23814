/**
 * Payloads captured in the vendor notes and in the public client code bases are facts the specs
 * must accept: each validates against the schema it is an example of. The payloads are copied
 * into contract-tests/fixtures/<vendor>/payloads/*.json, each naming where it came from (tests
 * never read the notes themselves).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { vendors } from '../src/vendors.js';
import { loadSpec, pointerTo } from './lib/spec.js';
import { createValidator } from './lib/validator.js';

interface PayloadFixture {
  what: string;
  /** Where the payload was captured: the notes section and/or repository + file. */
  source: { notes?: string; from?: string };
  /** Path segments to the schema inside the bundled spec. */
  schema: string[];
  value: unknown;
}

const fixtures = new URL('./fixtures/', import.meta.url);

function loadPayloads(): { vendor: string; file: string; fixture: PayloadFixture }[] {
  const found = [];
  for (const vendor of readdirSync(fixtures)) {
    const dir = new URL(`${vendor}/payloads/`, fixtures);
    let files: string[];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    } catch {
      continue; // a vendor folder without captured payloads
    }
    for (const file of files) {
      const fixture = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as PayloadFixture;
      if (!Array.isArray(fixture.schema) || !fixture.what || !(fixture.source?.notes || fixture.source?.from)) {
        throw new Error(`${vendor}/payloads/${file}: needs "what", "schema" (path segments) and "source" (notes and/or from)`);
      }
      found.push({ vendor, file, fixture });
    }
  }
  return found;
}

const payloads = loadPayloads();

describe('captured vendor payloads', () => {
  it('has payloads for the vendors whose notes carry examples', () => {
    const withPayloads = new Set(payloads.map((p) => p.vendor));
    expect(withPayloads.has('perx') && withPayloads.has('xonvo')).toBe(true);
  });

  it.each(payloads.map((p) => [`${p.vendor}: ${p.fixture.what} (${p.file})`, p] as const))('%s validates against the spec', (_, p) => {
    const spec = loadSpec(vendors.find((v) => v.name === p.vendor)!);
    const validate = createValidator(spec.doc, `urn:notes:${p.vendor}`);
    expect(validate(pointerTo(...p.fixture.schema), p.fixture.value)).toEqual([]);
  });
});
