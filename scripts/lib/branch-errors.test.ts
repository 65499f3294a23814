import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { branchErrors } from './branch-errors.js';
import { linearErrors } from './linear-errors.js';
import { vendors } from '../../src/vendors.js';

const schema = {
  $defs: { member: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer' } } } },
  type: 'object',
  properties: {
    any: { anyOf: [{ $ref: '#/$defs/member' }, { type: 'object', required: ['error'] }] },
    one: { oneOf: [{ type: 'integer' }, { type: 'null' }, { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'boolean' }] } }] },
    // A map's values: the error's instancePath is an expression of the key (escaped, with commas in it).
    map: { type: 'object', additionalProperties: { anyOf: [{ type: 'string' }, { type: 'array' }] } },
  },
};

/** As the suite compiles (one long line) and as the build writes (a statement a line); refs inlined and not. */
const compilers = [false, true].flatMap((lines) =>
  [false, true].map((inlineRefs) => ({
    plain: new Ajv2020({ allErrors: true, inlineRefs, code: { lines } }).compile(schema),
    counted: new Ajv2020({ allErrors: true, inlineRefs, code: { lines, process: (code) => branchErrors(linearErrors(code)) } }).compile(schema),
  })),
);

describe('branchErrors', () => {
  it.each(compilers.map((c, i) => [i, c] as const))('gives an anyOf and a oneOf no branch of which passed the count of errors of each branch (%i)', (_, { counted }) => {
    expect(counted({ any: { id: 'x' }, one: [1], map: { 'a/b': 1 } })).toBe(false);
    expect(counted.errors!.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => [e.instancePath, e.params.branchErrors])).toEqual([
      ['/any', [2, 1]],
      ['/one/0', [1, 1]],
      ['/one', [1, 1, 3]],
      ['/map/a~1b', [1, 1]],
    ]);
  });

  it.each(compilers.map((c, i) => [i, c] as const))('changes no verdict and no other error (%i)', (_, { plain, counted }) => {
    for (const data of [{ any: { id: 1, name: 'n' }, one: null }, { any: { error: 1 }, one: ['a', true] }, { any: 'x', one: 'y' }, { any: { id: 'x' }, one: [1] }, { map: { a: 1, b: 's' } }]) {
      expect(counted(data)).toBe(plain(data));
      const strip = (errors: typeof plain.errors) => errors?.map(({ params: { branchErrors: _, ...params }, ...e }) => ({ ...e, params }));
      expect(strip(counted.errors)).toEqual(strip(plain.errors));
    }
  });
});

describe('the generated validators', () => {
  it.each(vendors.map((v) => v.name))('%s: every anyOf and oneOf of the bundle reports its branches', (vendor) => {
    const code = readFileSync(new URL(`../../generated/${vendor}/validators.js`, import.meta.url), 'utf8');
    const compositions = code.match(/keyword:"(?:anyOf|oneOf)"/g)?.length ?? 0;
    expect(code.match(/branchErrors: valid\d+b\}/g)?.length ?? 0).toBe(compositions);
  });
});
