/** The schema walk of diffSpecs on shapes the fixture set does not hold: components shared many ways. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffSpecs } from './diff.js';
import type { Json, JsonObject } from './types.js';

/** A spec whose request body is `body`, with `schemas` as its components. */
const spec = (body: JsonObject, schemas: JsonObject): JsonObject => ({
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: { '/x': { post: { operationId: 'op', requestBody: { content: { 'application/json': { schema: body } } }, responses: { '200': { description: 'ok' } } } } },
  components: { schemas },
});

/** The findings a reader would act on, as `severity rule: the message's first clause`. */
const found = (before: JsonObject, after: JsonObject) => diffSpecs('v', before, after).filter((c) => c.severity !== 'info').map((c) => `${c.severity} ${c.rule}: ${c.message.split(':')[0]}`);

/** Component L<n> holds L<n-1> twice, down to L0, which holds `leaf`: 2^levels paths reach the leaf. */
function shared(levels: number, leaf: JsonObject): JsonObject {
  const schemas: JsonObject = { L0: { type: 'object', properties: { v: leaf } } };
  for (let i = 1; i <= levels; i++) schemas[`L${i}`] = { type: 'object', properties: { left: { $ref: `#/components/schemas/L${i - 1}` }, right: { $ref: `#/components/schemas/L${i - 1}` } } };
  return spec({ $ref: `#/components/schemas/L${levels}` }, schemas);
}

describe('diffSpecs: shared components', () => {
  it('compares a component once however many paths reach it, and names the first', () => {
    // Walked path by path, 40 levels would be 2^40 comparisons: this test would never end.
    const changes = diffSpecs('v', shared(40, { type: 'string' }), shared(40, { type: 'integer' }));
    const breaking = changes.filter((c) => c.severity === 'breaking');
    expect(breaking.map((c) => [c.rule, c.message.split(' changed')[0]])).toEqual([['type-changed', `\`${'left.'.repeat(40)}v\``]]);
  });

  it('ends at components that reference each other', () => {
    const ring = (type: string): JsonObject => {
      const schemas: JsonObject = {};
      for (let i = 0; i < 12; i++) {
        const properties: JsonObject = { v: { type } };
        for (let j = 0; j < 12; j++) if (j !== i) properties[`to${j}`] = { $ref: `#/components/schemas/C${j}` };
        schemas[`C${i}`] = { type: 'object', properties };
      }
      return spec({ $ref: '#/components/schemas/C0' }, schemas);
    };
    expect(diffSpecs('v', ring('string'), ring('string'))).toEqual([]);
    expect(diffSpecs('v', ring('string'), ring('integer')).filter((c) => c.severity === 'breaking').length).toBe(12);
  });
});

describe('diffSpecs: components merged through allOf several ways per level', () => {
  it('merges each once: 3 parts per level, 16 levels, would be 3^16 merges path by path', () => {
    const levels = (type: string): JsonObject => {
      const schemas: JsonObject = { L16: { type: 'object', properties: { v: { type } } } };
      for (let i = 15; i >= 0; i--) schemas[`L${i}`] = { allOf: [0, 1, 2].map(() => ({ $ref: `#/components/schemas/L${i + 1}` })).concat([{ properties: { [`p${i}`]: { type: 'string' } } } as never]) };
      return spec({ $ref: '#/components/schemas/L0' }, schemas);
    };
    expect(found(levels('string'), levels('integer'))).toEqual(['breaking type-changed: `v` changed from string to integer']);
  });
});

describe('diffSpecs: a component met in several places', () => {
  it('is compared again where keywords sit beside its ref, or an inline schema stands against it', () => {
    const named = (maxLength: number) => spec({ type: 'object', properties: { a: { $ref: '#/components/schemas/Name' }, b: { $ref: '#/components/schemas/Name', maxLength } } }, { Name: { type: 'string' } });
    expect(diffSpecs('v', named(10), named(5)).map((c) => [c.rule, c.severity, c.message.split(':')[0]])).toEqual([['limit-changed', 'breaking', '`b`']]);
    // A refactor: two inline shapes become one shared component, and one of them loses a field.
    const inline = (country: boolean): JsonObject => ({ type: 'object', properties: { street: { type: 'string' }, ...(country ? { country: { type: 'string' } } : {}) } });
    const before = spec({ type: 'object', properties: { billing: inline(false), shipping: inline(true) } }, {});
    const after = spec({ type: 'object', properties: { billing: { $ref: '#/components/schemas/Address' }, shipping: { $ref: '#/components/schemas/Address' } } }, { Address: inline(false) });
    expect(diffSpecs('v', before, after).filter((c) => c.rule === 'property-removed').map((c) => c.message.split(' was')[0])).toEqual(['field `shipping.country`']);
  });
});

describe('diffSpecs: a discriminator on an allOf base schema', () => {
  const S = '#/components/schemas/';
  const pets = (catShape: string): JsonObject => ({
    Pet: { type: 'object', required: ['kind'], properties: { kind: { type: 'string' } }, discriminator: { propertyName: 'kind', mapping: { cat: S + catShape, dog: S + 'Dog' } } },
    Cat: { allOf: [{ $ref: S + 'Pet' }, { properties: { meows: { type: 'boolean' } } }] },
    Dog: { allOf: [{ $ref: S + 'Pet' }, { properties: { barks: { type: 'boolean' } } }] },
  });
  const body = { type: 'object', properties: { pet: { $ref: S + 'Pet' } } };

  it('is read though no oneOf sits beside it: a value moved to another shape breaks', () => {
    const changes = diffSpecs('v', spec(body, pets('Cat')), spec(body, pets('Dog')));
    expect(changes.map((c) => [c.rule, c.severity])).toEqual([['discriminator-changed', 'breaking']]);
    expect(diffSpecs('v', spec(body, pets('Cat')), spec(body, pets('Cat')))).toEqual([]);
  });

  it('says nothing of one subtype: a value mapped anew does not change a Cat', () => {
    const birds = (withBird: boolean): JsonObject => {
      const schemas = pets('Cat');
      const pet = schemas.Pet as { discriminator: { mapping: Record<string, string> } };
      if (withBird) pet.discriminator.mapping.bird = S + 'Dog';
      return schemas;
    };
    const cat = { type: 'object', properties: { pet: { $ref: S + 'Cat' } } };
    expect(diffSpecs('v', spec(cat, birds(false)), spec(cat, birds(true)))).toEqual([]);
  });
});

/** A spec whose only response is `body` (the consumer reads it), with `schemas` as its components. */
const answering = (body: JsonObject, schemas: JsonObject = {}): JsonObject => ({
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: { '/x': { get: { operationId: 'op', responses: { '200': { description: 'ok', content: { 'application/json': { schema: body } } } } } } },
  components: { schemas },
});

describe('diffSpecs: what sits beside alternatives and refs (REL-29)', () => {
  const either = { oneOf: [{ required: ['a'] }, { required: ['b'] }] };
  it('compares the keywords beside a oneOf or anyOf, which every alternative must also meet', () => {
    const shape = (name: boolean): JsonObject => ({ type: 'object', required: ['id'], properties: { id: { type: 'string' }, ...(name ? { name: { type: 'string' } } : {}) }, ...either });
    expect(found(answering(shape(true)), answering(shape(false)))).toEqual(['breaking property-removed: field `name` was removed']);
    // The same through an allOf base beside an anyOf (XONVO's Lead), in a request.
    const base = (maxLength: number): JsonObject => ({ type: 'object', properties: { firstName: { type: 'string', maxLength } } });
    const lead = (maxLength: number) => spec({ allOf: [{ $ref: '#/components/schemas/Base' }, { anyOf: [{ required: ['zip'] }, { required: ['city'] }] }] }, { Base: base(maxLength) });
    expect(found(lead(250), lead(5))).toEqual(['breaking limit-changed: `firstName`']);
  });

  it('reads keywords beside a $ref with its target, as 2020-12 does, not in its place', () => {
    const user = (required: string[]) => ({ User: { type: 'object', required, properties: { id: { type: 'string' }, email: { type: 'string' } } } });
    const ref = { $ref: '#/components/schemas/User', required: ['id'] };
    expect(found(answering(ref, user(['id', 'email'])), answering(ref, user(['id'])))).toEqual(['breaking required-changed: field `email` is no longer always present']);
    // Adding `required: [id]` beside the ref narrows nothing the target did not already say.
    expect(found(answering({ $ref: '#/components/schemas/User' }, user(['id', 'email'])), answering(ref, user(['id', 'email'])))).toEqual([]);
  });

  it('compares the keywords beside a recursive ref where the recursion ends', () => {
    const node = (parent: JsonObject) => spec({ $ref: '#/components/schemas/Node' }, { Node: { type: 'object', properties: { name: { type: 'string' }, parent } } });
    expect(found(node({ $ref: '#/components/schemas/Node' }), node({ $ref: '#/components/schemas/Node', maxProperties: 1 }))).toEqual(['breaking limit-changed: `parent`']);
  });

  it('reads the schema false as refusing everything, not as {}', () => {
    const body = (a: JsonObject | boolean) => spec({ type: 'object', properties: { a } as JsonObject }, {});
    expect(found(body({ type: 'string' }), body(false))).toEqual(['breaking limit-changed: `a`']);
  });

  it('warns of a ref it cannot follow (an $anchor, a $defs relative to an $id) instead of failing or reading it as {}', () => {
    const anchored = (type: string) => answering({ $ref: '#node' }, { N: { $anchor: 'node', type } });
    expect(found(anchored('string'), anchored('integer'))).toEqual(['warning ref-unfollowed: the schema is `#node`, a $ref the check cannot follow']);
  });
});

describe('diffSpecs: anyOf and oneOf (REL-29)', () => {
  it('anyOf becoming oneOf in a request is left to a person to judge; in a response it is listed only', () => {
    const shapes = (keyword: string): JsonObject => ({ [keyword]: [{ type: 'string' }, { type: 'string', format: 'email' }] as JsonObject[] });
    expect(found(spec(shapes('anyOf'), {}), spec(shapes('oneOf'), {}))).toEqual(['warning alternatives-changed: the value must now match exactly one of its shapes (anyOf → oneOf)']);
    expect(found(answering(shapes('anyOf')), answering(shapes('oneOf')))).toEqual([]);
  });
});

describe('diffSpecs: callbacks (REL-29)', () => {
  it("walks an operation's callbacks as webhooks: the vendor sends, the consumer's handler reads", () => {
    const subscribe = (id: string, required: string[]): JsonObject => ({
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: {
        '/subscribe': {
          post: {
            operationId: 'subscribe',
            responses: { '201': { description: 'ok' } },
            callbacks: { onEvent: { '{$request.body#/url}': { post: { requestBody: { content: { 'application/json': { schema: { type: 'object', required, properties: { id: { type: id }, amount: { type: 'number' } } } } } }, responses: { '200': { description: 'ok' } } } } } },
          },
        },
      },
    });
    const changes = diffSpecs('v', subscribe('string', ['id', 'amount']), subscribe('integer', ['id']));
    expect(changes.filter((c) => c.severity === 'breaking').map((c) => [c.operation, c.rule])).toEqual([
      ['callback onEvent POST {$request.body#/url} of POST /subscribe (subscribe)', 'required-changed'],
      ['callback onEvent POST {$request.body#/url} of POST /subscribe (subscribe)', 'type-changed'],
    ]);
  });
});

describe('diffSpecs: what a second attack on REL-29 found (REL-30)', () => {
  it('a keyword beside a $ref that the target also sets narrows it: the one beside it counts', () => {
    const status = (beside: JsonObject) => spec({ type: 'object', properties: { f: { $ref: '#/components/schemas/Status', ...beside } } }, { Status: { type: 'string', enum: ['a', 'b', 'c'], pattern: '^[a-z]$' } });
    expect(found(status({}), status({ enum: ['a'] }))).toEqual(['breaking enum-changed: `f` no longer accepts `"b"`, `"c"`']);
    expect(found(status({}), status({ pattern: '^a$' }))).toEqual(['breaking limit-changed: `f`']);
  });

  it('moving what sits beside a oneOf into each alternative changes nothing; dropping it is still a break, reported once', () => {
    const alt = (kind: string, id: boolean): JsonObject => ({ type: 'object', required: ['kind', ...(id ? ['id'] : [])], properties: { kind: { const: kind }, ...(id ? { id: { type: 'string' } } : {}) } });
    const besideIt = answering({ type: 'object', required: ['id'], properties: { id: { type: 'string' } }, oneOf: [alt('a', false), alt('b', false)] });
    const inEach = answering({ oneOf: [alt('a', true), alt('b', true)] });
    expect(found(besideIt, inEach)).toEqual([]);
    expect(found(besideIt, answering({ type: 'object', oneOf: [alt('a', false), alt('b', false)] }))).toEqual(['breaking property-removed: field `id` was removed']);
  });

  it('reads the refs of a schema object both documents share in each document', () => {
    const body = { type: 'object', properties: { x: { allOf: [{ $ref: '#/components/schemas/Base' }] } } } as JsonObject;
    const [before, after] = [spec(body, { Base: { type: 'object', properties: { v: { type: 'string' } } } }), spec(body, { Base: { type: 'object', properties: { v: { type: 'integer' } } } })];
    expect(found(before, after)).toEqual(['breaking type-changed: `x.v` changed from string to integer']);
  });

  it('ends at an allOf that holds itself several times, and leaves out a callback it cannot follow', () => {
    const selfish = (type: string) => spec({ $ref: '#/components/schemas/A' }, { A: { allOf: [{ $ref: '#/components/schemas/A' }, { $ref: '#/components/schemas/A' }, { $ref: '#/components/schemas/A' }, { properties: { v: { type } } }] } });
    expect(found(selfish('string'), selfish('integer'))).toEqual(['breaking type-changed: `v` changed from string to integer']);
    const hooked = answering({ type: 'string' });
    (hooked.paths as any)['/x'].get.callbacks = { onEvent: { $ref: 'other.yaml#/cb' } };
    expect(found(hooked, hooked)).toEqual([]);
  });
});

describe('diffSpecs: what an attack on REL-30 found (REL-31)', () => {
  it('lists a callback that holds itself once, and compares it', () => {
    const ping = (type: string): JsonObject => ({
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: { '/subscribe': { post: { operationId: 'subscribe', responses: { '201': { description: 'ok' } }, callbacks: { ping: { $ref: '#/components/callbacks/Ping' } } } } },
      components: {
        callbacks: {
          Ping: {
            '{$request.body#/url}': {
              post: {
                requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { at: { type } } } } } },
                responses: { '200': { description: 'ok' } },
                callbacks: { ping: { $ref: '#/components/callbacks/Ping' } },
              },
            },
          },
        },
      },
    });
    expect(found(ping('string'), ping('integer'))).toEqual(['breaking type-changed: `at` changed from string to integer']);
  });

  it('a newly required key that no property declares (a key of a map) is a break for writers', () => {
    const map = (required: string[]) => spec({ type: 'object', additionalProperties: { type: 'string' }, ...(required.length ? { required } : {}) }, {});
    expect(found(map([]), map(['locale']))).toEqual(['breaking required-changed: field `locale` is now required']);
    expect(found(answering({ type: 'object', additionalProperties: { type: 'string' } }), answering({ type: 'object', additionalProperties: { type: 'string' }, required: ['locale'] }))).toEqual([]);
  });
});

describe('diffSpecs: what allOf parts hold beside each other (REL-31)', () => {
  const bundle = (vendor: string): JsonObject => JSON.parse(readFileSync(new URL(`../../generated/${vendor}/openapi.json`, import.meta.url), 'utf8'));
  const edited = (vendor: string, edit: (doc: any) => void) => {
    const after = bundle(vendor);
    edit(after);
    return diffSpecs(vendor, bundle(vendor), after).filter((c) => c.severity === 'breaking').map((c) => `${c.operation} ${c.rule}: ${c.message.split(': ')[0]}`);
  };

  it("compares every group of alternatives, not the first: XONVO Lead's consent rule losing trustedFormId is a break", () => {
    expect(edited('xonvo', (doc) => doc.components.schemas.Lead.allOf[2].anyOf.splice(1, 1))).toEqual(['POST /lead (addLead) alternatives-changed: the value no longer accepts the `{"required":["trustedFormId"]}` shape']);
    const body = (second: JsonObject[]) => spec({ type: 'object', properties: { a: { type: 'string' }, c: { type: 'string' }, d: { type: 'string' } }, allOf: [{ oneOf: [{ required: ['a'] }, { type: 'object' }] }, { oneOf: second }] }, {});
    expect(found(body([{ required: ['c'] }, { type: 'object', properties: { d: { type: 'string' } } }]), body([{ required: ['c'] }]))).toEqual(['breaking alternatives-changed: the value no longer accepts the object shape']);
    const both = (any: JsonObject[]) => spec({ type: 'object', properties: { a: { type: 'string' } }, oneOf: [{ required: ['a'] }, { type: 'object' }], anyOf: any }, {});
    expect(found(both([{ type: 'object' }, { required: ['z'] }]), both([{ required: ['z'] }]))).not.toEqual([]);
  });

  it("compares every conditional: a later if/then of Footprints' AditionalDataRules tightened is a break", () => {
    expect(edited('footprints', (doc) => (doc.components.schemas.AditionalDataRules.allOf[2].then.properties.actionType.const = 'visit'))).not.toEqual([]);
  });

  it('intersects two enums and keeps a second pattern beside the first: narrowing either is a break', () => {
    const status = (part: JsonObject) => spec({ type: 'object', properties: { s: { allOf: [{ $ref: '#/components/schemas/Status' }, part] } } }, { Status: { type: 'string', enum: ['a', 'b', 'c'], pattern: '^[a-z]$' } });
    expect(found(status({ enum: ['a', 'b'] }), status({ enum: ['a'] }))).toEqual(['breaking enum-changed: `s` no longer accepts `"b"`']);
    expect(found(status({ pattern: '^[ab]$' }), status({ pattern: '^a$' }))).toEqual(['breaking limit-changed: `s`']);
    expect(found(status({ pattern: '^[ab]$' }), status({ pattern: '^[ab]$' }))).toEqual([]);
  });

  it('a key XONVO Attributes now requires, that no property declares, is a break for writers', () => {
    expect(edited('xonvo', (doc) => (doc.components.schemas.Attributes.required = ['EXTERNAL_ID'])).length).toBeGreaterThan(0);
  });
});

describe('diffSpecs: alternatives that only add a rule (REL-31)', () => {
  const contact = { type: 'object', properties: { email: { type: 'string' }, phone: { type: 'string' } } } as JsonObject;
  const eitherOf = { ...contact, anyOf: [{ required: ['email'] }, { required: ['phone'] }] } as JsonObject;
  it('an answer that gains them promises more: nothing breaks', () => {
    expect(found(answering(contact), answering(eitherOf))).toEqual([]);
  });
  it('a request that gains them refuses writers sending neither', () => {
    expect(found(spec(contact, {}), spec(eitherOf, {}))).toContain('breaking required-changed: field `email` is now required');
    expect(found(spec(eitherOf, {}), spec(contact, {}))).toEqual([]);
  });
});

describe('diffSpecs: a typed map and its declared keys (REL-31)', () => {
  const meta = (properties: JsonObject) => ({ type: 'object', properties: { meta: { type: 'object', additionalProperties: { type: 'string' }, properties } } }) as JsonObject;
  it('a key declared with another type than the map gave it is a break for writers that sent it', () => {
    expect(found(spec(meta({}), {}), spec(meta({ age: { type: 'integer' } }), {}))).toEqual(['breaking type-changed: `meta.age` changed from string to integer']);
    expect(found(spec(meta({}), {}), spec(meta({ age: { type: 'string' } }), {}))).toEqual([]);
  });
  it('a declared key that goes back to the map is compared with it too', () => {
    expect(found(answering(meta({ age: { type: 'integer' } })), answering(meta({})))).toContain('breaking type-changed: `meta.age` changed from integer to string');
  });
});

describe('diffSpecs: recursion through alternatives (REL-31)', () => {
  it('an alternative compared with what sits beside it does not cut the same component met plain below it', () => {
    const S = '#/components/schemas/';
    const schemas = (branchRequired: string[]): JsonObject => ({
      Node: { type: 'object', required: ['id'], properties: { id: { type: 'string' } }, oneOf: [{ $ref: `${S}Leaf` }, { $ref: `${S}Branch` }] },
      Leaf: { type: 'object', properties: { value: { type: 'string' } } },
      Branch: { type: 'object', required: branchRequired, properties: { id: { type: 'string' }, children: { type: 'array', items: { $ref: `${S}Branch` } } } },
    });
    expect(found(spec({ $ref: `${S}Node` }, schemas([])), spec({ $ref: `${S}Node` }, schemas(['id'])))).toContain('breaking required-changed: field `children[].id` is now required');
  });
});

/** One operation with a query parameter `q`, a JSON request body, and a 200 with a JSON body and an `X-Total` header. */
const operation = (schemas: { query?: Json; body?: Json; answer?: Json; header?: Json }): JsonObject => {
  const schema = (value: Json | undefined): JsonObject => (value === undefined ? {} : { schema: value });
  return {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: {
      '/x': {
        post: {
          operationId: 'op',
          parameters: [{ name: 'q', in: 'query', ...schema(schemas.query) }],
          requestBody: { content: { 'application/json': schema(schemas.body) } },
          responses: { '200': { description: 'ok', headers: { 'X-Total': schema(schemas.header) }, content: { 'application/json': schema(schemas.answer) } } },
        },
      },
    },
  };
};

describe('diffSpecs: a schema where there was none, or none where there was one', () => {
  const strict: JsonObject = { type: 'object', required: ['email'], additionalProperties: false, properties: { email: { type: 'string', maxLength: 3 } } };

  it('a request body or parameter gaining a schema that constrains is a break for callers', () => {
    expect(found(operation({}), operation({ body: strict }))).toEqual([
      'breaking property-added: new required field `email`',
      'breaking type-changed: the value changed from any type to object',
      'breaking limit-changed: the value',
    ]);
    expect(found(operation({}), operation({ query: { type: 'integer', maximum: 3 } }))).toEqual(['breaking type-changed: the value changed from any type to integer', 'breaking limit-changed: the value']);
  });

  it('a schema that admits everything (`{}`, `true`, annotations only) is no change', () => {
    for (const open of [{}, true, { description: 'anything' }] as Json[]) {
      expect(diffSpecs('v', operation({}), operation({ query: open, body: open, answer: open, header: open })), JSON.stringify(open)).toEqual([]);
    }
  });

  it('a response or response header losing its schema breaks readers, as any loosening of what they read does', () => {
    const answer: JsonObject = { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } };
    expect(found(operation({ answer }), operation({}))).toEqual(['breaking property-removed: field `id` was removed', 'breaking type-changed: the value changed from object to any type']);
    expect(found(operation({ header: { type: 'integer' } }), operation({}))).toEqual(['breaking type-changed: the value changed from integer to any type']);
  });

  it('a new parameter, media type or header is its own rule\'s to judge, not compared with nothing', () => {
    const before = operation({ body: strict });
    const after = structuredClone(before) as any;
    after.paths['/x'].post.parameters.push({ name: 'page', in: 'query', schema: { type: 'integer' } });
    after.paths['/x'].post.requestBody.content['application/xml'] = { schema: strict };
    after.paths['/x'].post.responses['200'].headers['X-Next'] = { schema: { type: 'string' } };
    expect(found(before, after)).toEqual([]);
  });
});

describe('diffSpecs: security schemes by what goes on the wire', () => {
  const secured = (name: string, scheme: JsonObject = { type: 'apiKey', in: 'header', name: 'X-Token' }): JsonObject => ({
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    security: [{ [name]: [] }],
    paths: { '/a': { get: { operationId: 'a', responses: { '200': { description: 'ok' } } } }, '/b': { get: { operationId: 'b', security: [{ [name]: [] }], responses: { '200': { description: 'ok' } } } } },
    components: { securitySchemes: { [name]: scheme } },
  });

  it('a scheme renamed with the same wire form breaks nothing: callers send the same header', () => {
    expect(diffSpecs('v', secured('clientToken'), secured('integrationToken'))).toEqual([]);
  });

  it('a scheme renamed and sent another way still breaks every operation using it', () => {
    const changes = diffSpecs('v', secured('clientToken'), secured('integrationToken', { type: 'apiKey', in: 'query', name: 'token' }));
    expect(changes.filter((c) => c.severity === 'breaking').map((c) => `${c.operation}: ${c.message}`)).toEqual([
      'GET /a (a): calls authenticated with clientToken are no longer accepted (now: integrationToken)',
      'GET /b (b): calls authenticated with clientToken are no longer accepted (now: integrationToken)',
    ]);
  });
});

describe('diffSpecs: defaults', () => {
  it('a default changed or dropped where the caller writes is to look at (callers leaving it out get other behaviour); added, or read, is listed', () => {
    const per = (value: Json | undefined) => operation({ query: { type: 'integer', ...(value === undefined ? {} : { default: value }) } });
    expect(diffSpecs('v', per(1000), per(25)).map((c) => [c.severity, c.where, c.message])).toEqual([
      ['warning', 'query parameter `q`', 'default changed (`1000` → `25`): callers that leave it out now get `25`'],
    ]);
    expect(found(per(1000), per(undefined))).toEqual(['warning default-changed: default removed (`1000` → none)']);
    expect(found(per(undefined), per(25))).toEqual([]);
    const field = (at: string, value: string) => operation({ [at]: { type: 'object', properties: { sort: { type: 'string', default: value } } } });
    expect(found(field('body', 'asc'), field('body', 'desc'))).toEqual(['warning default-changed: `sort`']);
    expect(found(field('answer', 'asc'), field('answer', 'desc'))).toEqual([]);
  });
});

describe('diffSpecs: a type swapped for another', () => {
  it('is one breaking change, not a break and an addition', () => {
    const typed = (type: string) => operation({ body: { type: 'object', properties: { id: { type } } }, answer: { type: 'object', properties: { id: { type } } } });
    expect(diffSpecs('v', typed('integer'), typed('string')).map((c) => [c.severity, c.where, c.message])).toEqual([
      ['breaking', 'request body (application/json)', '`id` changed from integer to string: callers sending integer are refused'],
      ['breaking', 'response 200 (application/json)', '`id` changed from integer to string: code that reads the response must now handle string'],
    ]);
  });
});

describe('diffSpecs: how a parameter is written on the wire', () => {
  const listing = (parameter: JsonObject): JsonObject => ({
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: { '/x': { get: { operationId: 'list', parameters: [{ in: 'query', name: 'ids[]', ...parameter }], responses: { '200': { description: 'ok' } } } } },
  });
  const ids = { schema: { type: 'array', items: { type: 'integer' } } };

  it('reports a list parameter no longer exploded (`ids[]=1&ids[]=2` → `ids[]=1,2`) as breaking callers', () => {
    expect(found(listing(ids), listing({ ...ids, explode: false }))).toEqual(['breaking parameter-changed: is now written form, not exploded (was form, exploded)']);
    expect(found(listing({ ...ids, explode: true }), listing({ ...ids, style: 'pipeDelimited' }))).toEqual(['breaking parameter-changed: is now written pipeDelimited, not exploded (was form, exploded)']);
  });

  it('says nothing where the defaults are written out, or of a plain value, which every style writes the same', () => {
    expect(found(listing(ids), listing({ ...ids, style: 'form', explode: true }))).toEqual([]);
    expect(found(listing({ schema: { type: 'integer' } }), listing({ schema: { type: 'integer' }, explode: false }))).toEqual([]);
  });
});

describe('diffSpecs: a map\'s other keys in words', () => {
  it('says a request object\'s other properties must now be integer, not "`{}` changed from any type"', () => {
    const object = (extra: JsonObject): JsonObject => spec({ type: 'object', properties: { name: { type: 'string' } }, ...extra }, {});
    expect(found(object({}), object({ additionalProperties: { type: 'integer' } }))).toEqual(['breaking type-changed: other properties must now be integer (were any type)']);
    expect(found(spec({ type: 'object', properties: { meta: { type: 'object' } } }, {}), spec({ type: 'object', properties: { meta: { type: 'object', additionalProperties: { type: 'integer' } } } }, {}))).toEqual([
      'breaking type-changed: other properties of `meta` must now be integer (were any type)',
    ]);
  });
});

describe('diffSpecs: 2020-12 array keywords', () => {
  const tags = (keywords: JsonObject) => ({ type: 'object', properties: { tags: { type: 'array', ...keywords } } });
  /** Each side's findings as `severity rule: the message's first clause`, the request body's then the response's. */
  const both = (before: JsonObject, after: JsonObject) =>
    (['body', 'answer'] as const).map((at) => diffSpecs('v', operation({ [at]: tags(before) }), operation({ [at]: tags(after) })).map((c) => `${c.severity} ${c.rule}: ${c.message.split(': ')[0]}`));
  const text = { type: 'string' };

  it('a request refusing arrays valid before breaks callers: contains, its counts, a prefix, a closed tuple', () => {
    expect(both({ items: text }, { items: text, contains: { const: 'a' } })[0]).toEqual(['breaking constraint-changed: `tags`']);
    expect(both({ contains: { const: 'a' } }, { contains: { const: 'a' }, minContains: 2 })[0]).toEqual(['breaking constraint-changed: `tags`']);
    expect(both({ contains: { const: 'a' } }, { contains: { const: 'a' }, maxContains: 2 })[0]).toEqual(['breaking constraint-changed: `tags`']);
    expect(both({ items: text }, { prefixItems: [{ const: 'a' }], items: text })[0]).toEqual(['breaking enum-changed: `tags[0]` is now limited to `"a"`']);
    expect(both({ prefixItems: [text] }, { prefixItems: [{ type: 'integer' }] })[0]).toEqual(['breaking type-changed: `tags[0]` changed from string to integer']);
    expect(both({ prefixItems: [text] }, { prefixItems: [text], unevaluatedItems: false })[0]).toEqual(['breaking limit-changed: `tags`']);
    expect(both({ prefixItems: [text] }, { prefixItems: [text], unevaluatedItems: { type: 'integer' } })[0]).toEqual(['breaking type-changed: `tags[]` changed from any type to integer']);
    // A prefix item turned `false`: no array reaches past it, so it is a maximum number of items (REL-43 left it out).
    expect(both({ prefixItems: [text, text] }, { prefixItems: [text, false] })[0]).toEqual(['breaking limit-changed: `tags`']);
    expect(both({ items: text }, { prefixItems: [text, false, text], items: text })[0]).toEqual(['breaking limit-changed: `tags`']);
  });

  it('in a response the same changes are listed, and a prefix item that may now be more breaks readers, as `items` does', () => {
    expect(both({ items: text }, { items: text, contains: { const: 'a' } })[1]).toEqual(['info constraint-changed: `tags`']);
    expect(both({ prefixItems: [text] }, { prefixItems: [text], unevaluatedItems: false })[1]).toEqual(['info limit-changed: `tags`']);
    expect(both({ prefixItems: [text, text] }, { prefixItems: [text, false] })[1]).toEqual(['info limit-changed: `tags`']);
    expect(both({ prefixItems: [{ const: 'a' }], items: text }, { items: text })[1]).toEqual(['breaking enum-changed: `tags[0]` is no longer limited to `"a"`']);
    expect(both({ prefixItems: [text] }, { prefixItems: [{ type: 'integer' }] })[1]).toEqual(['breaking type-changed: `tags[0]` changed from string to integer']);
  });

  it('says nothing of the same array written another way: a count of 1 said, contains asking none, a tuple closed by either keyword or maxItems', () => {
    expect(both({ contains: { const: 'a' } }, { contains: { const: 'a' }, minContains: 1 })).toEqual([[], []]);
    expect(both({ items: text }, { items: text, contains: { const: 'a' }, minContains: 0 })).toEqual([[], []]);
    expect(both({ prefixItems: [text], items: false }, { prefixItems: [text], unevaluatedItems: false })).toEqual([[], []]);
    expect(both({ prefixItems: [text], items: false }, { prefixItems: [text], maxItems: 1 })).toEqual([[], []]);
    expect(both({ prefixItems: [text], items: false }, { prefixItems: [text, false] })).toEqual([[], []]);
    expect(both({ prefixItems: [text, false] }, { prefixItems: [text], maxItems: 1 })).toEqual([[], []]);
    // `items` judges every item past the prefix: nothing is left for unevaluatedItems.
    expect(both({ items: text }, { items: text, unevaluatedItems: false })).toEqual([[], []]);
  });

  it('a looser request is listed: contains dropped, maxContains raised, a closed tuple grown', () => {
    expect(both({ contains: { const: 'a' } }, {})[0]).toEqual(['info constraint-changed: `tags`']);
    expect(both({ contains: { const: 'a' }, maxContains: 2 }, { contains: { const: 'a' }, maxContains: 3 })[0]).toEqual(['info constraint-changed: `tags`']);
    expect(both({ prefixItems: [text], items: false }, { prefixItems: [text, text], items: false })[0]).toEqual(['info limit-changed: `tags`']);
    expect(both({ prefixItems: [text, false] }, { prefixItems: [text, text] })[0]).toEqual(['info limit-changed: `tags`']);
  });
});
