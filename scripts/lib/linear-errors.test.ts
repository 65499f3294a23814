import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { linearErrors } from './linear-errors.js';

const schema = {
  $defs: { member: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } } },
  type: 'object',
  properties: { members: { type: 'array', items: { $ref: '#/$defs/member' } }, other: { anyOf: [{ $ref: '#/$defs/member' }, { type: 'string' }] } },
};

// Refs not inlined, as Ajv leaves the large ones of the vendor specs: each is a function call whose errors are added.
const compile = (process?: (code: string) => string) => new Ajv2020({ allErrors: true, inlineRefs: false, code: { source: true, ...(process ? { process } : {}) } }).compile(schema);

describe('linearErrors', () => {
  it("leaves no copy of the error list per failing item in Ajv's code, and the errors are the same", () => {
    const plain = compile();
    const linear = compile(linearErrors);
    expect(String(plain.source?.validateCode)).toContain('vErrors.concat(');
    expect(linearErrors(String(plain.source?.validateCode))).not.toContain('.concat(');
    for (const data of [{ members: [{ id: 'a' }, {}, { id: 1 }, { id: 2.5 }] }, { other: { id: 'x' } }, { other: 'fine', members: [] }, { members: 'no' }]) {
      expect(linear(data)).toBe(plain(data));
      expect(linear.errors).toEqual(plain.errors);
    }
  });
});
