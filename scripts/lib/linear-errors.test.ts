import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { describe, expect, it } from 'vitest';
import { linearErrors, stopAtErrors } from './linear-errors.js';

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

const standaloneCode = (standaloneModule as unknown as { default: (ajv: Ajv2020, validate: unknown) => string }).default;

/** A schema's standalone validator, as the build writes it (a statement a line), its code passed through `process`. */
function standalone(root: object, process: (code: string) => string) {
  const ajv = new Ajv2020({ allErrors: true, inlineRefs: false, code: { source: true, lines: true } });
  const module = { exports: {} as any };
  new Function('module', 'exports', process(standaloneCode(ajv, ajv.compile(root))))(module, module.exports);
  return module.exports as { (data: unknown): boolean; errors?: unknown[] | null };
}

describe('stopAtErrors', () => {
  const member = { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } };
  const broken = Array.from({ length: 150 }, () => ({ id: 'a' }));

  it('stops a validator that takes no error back at the cap', () => {
    const validate = standalone({ $defs: { member }, type: 'array', items: { $ref: '#/$defs/member' } }, (code) => stopAtErrors(code, '100'));
    expect(validate(broken)).toBe(false);
    expect(validate.errors).toHaveLength(100);
  });

  it('leaves one that takes errors back to collect them: a later branch that passes still passes', () => {
    // The first branch fails 150 times, in this function; the second takes the same list.
    const root = { $defs: { member }, anyOf: [{ type: 'array', items: { $ref: '#/$defs/member' } }, { type: 'array', items: { type: 'object' } }] };
    const validate = standalone(root, (code) => stopAtErrors(code, '100'));
    expect(validate(broken)).toBe(true);
    expect(validate([1, ...broken])).toBe(false);
  });
});
