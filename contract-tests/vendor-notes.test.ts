/**
 * The example payloads in the vendor notes (../shared/vendors/*.md, ```json blocks) are facts
 * the specs must accept: each validates against the schema it is an example of.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { vendors } from '../src/vendors.js';
import { loadSpec, pointerTo } from './lib/spec.js';
import { createValidator } from './lib/validator.js';

/** The JSON of each ```json block, without the request line / header lines some carry first. */
function notesBlocks(vendor: string): unknown[] {
  const notes = readFileSync(new URL(`../../shared/vendors/${vendor}.md`, import.meta.url), 'utf8');
  return [...notes.matchAll(/```json\n([\s\S]*?)```/g)].map(([, block]) => block!.slice(block!.indexOf('{')));
}

const cases: { vendor: string; block: number; what: string; schema: string[] }[] = [
  { vendor: 'perx', block: 0, what: 'list meta', schema: ['components', 'schemas', 'PagingMeta'] },
  { vendor: 'perx', block: 1, what: 'user-token request', schema: ['components', 'schemas', 'TokenRequest'] },
  { vendor: 'perx', block: 2, what: 'reward inventory', schema: ['components', 'schemas', 'Inventory'] },
  { vendor: 'perx', block: 3, what: 'show-reward response', schema: ['paths', '/v4/rewards/{reward_id}', 'get', 'responses', '200', 'content', 'application/json', 'schema'] },
  { vendor: 'perx', block: 4, what: 'category (taxonomy)', schema: ['components', 'schemas', 'Taxonomy'] },
  { vendor: 'perx', block: 5, what: 'POS loyalty transaction request', schema: ['components', 'schemas', 'PosLoyaltyTransactionRequest'] },
  { vendor: 'xonvo', block: 0, what: 'add-lead request', schema: ['components', 'schemas', 'Lead'] },
];

describe('vendor notes examples', () => {
  it.each(cases.map((c) => [`${c.vendor}: ${c.what}`, c] as const))('%s validates against the spec', (_, c) => {
    const spec = loadSpec(vendors.find((v) => v.name === c.vendor)!);
    const validate = createValidator(spec.doc, `urn:notes:${c.vendor}`);
    const value = JSON.parse(String(notesBlocks(c.vendor)[c.block]));
    expect(validate(pointerTo(...c.schema), value)).toEqual([]);
  });
});
