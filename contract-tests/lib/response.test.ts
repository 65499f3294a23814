/**
 * The contract checks judge a response's documented headers as they judge its body, on the real
 * specs: Footprints' paging headers and Placewise's rate-limit headers are integers.
 */
import { describe, expect, it } from 'vitest';
import { findVendor } from '../../src/vendors.js';
import { exampleAnswer } from '../../scripts/traffic/example-server.js';
import { contractProblems } from './response.js';
import { listOperations, type OpenApiDocument } from '../../scripts/lib/openapi.js';
import { loadSpec, type LoadedSpec } from './spec.js';
import { createValidator } from './validator.js';

const footprints = loadSpec(findVendor('footprints')!);
const validate = createValidator(footprints.doc, 'urn:martech:response-test');
const op = footprints.operations.find((o) => o.operation.operationId === 'listOfferCategories')!;
const answer = exampleAnswer(footprints, 'listOfferCategories');
const received = (headers: Record<string, string>) => ({ status: answer.status, contentType: answer.contentType, text: String(answer.body), headers: new Headers(headers) });
const paging = { 'X-Current-Page': '1', 'X-Records': '2', 'X-Total-Pages': '1' };

// Found 2026-12-01: a vendor's header of the wrong type (ratelimit-remaining: "lots") passed the suite, dredd and the mock.
describe('contractProblems: documented response headers', () => {
  it('passes the documented example with headers that validate, and with optional ones left out', () => {
    expect(contractProblems(footprints, validate, op, received(paging))).toEqual([]);
    expect(contractProblems(footprints, validate, op, received({}))).toEqual([]);
  });

  it('names a header whose value breaks its schema', () => {
    expect(contractProblems(footprints, validate, op, received({ ...paging, 'X-Records': 'lots' }))).toEqual(['header X-Records must be integer (got "lots")']);
    expect(contractProblems(footprints, validate, op, received({ ...paging, 'X-Total-Pages': '-1' }))).toEqual(['header X-Total-Pages must be at least 0 (got "-1")']);
  });
});

// Found 2026-12-01: one category nested 5000 deep through `parent` (Perx's recursive Taxonomy
// allows it) ran the validator out of stack, and the suite then passed the body with every other
// drift in it: the guard's "unchecked" was not read.
describe('contractProblems: a body nested deeper than the validator goes', () => {
  const perx = loadSpec(findVendor('perx')!);
  const validatePerx = createValidator(perx.doc, 'urn:martech:response-test-perx');
  const listCategories = perx.operations.find((o) => o.operation.operationId === 'listCategories')!;
  const json = (text: string) => ({ status: 200, contentType: 'application/json', text });
  let deep = 'null';
  // 20,000 deep: past a worker thread's stack too (Stryker runs vitest in threads), where 5,000 was checked whole there.
  for (let i = 0; i < 20_000; i++) deep = `{"id":${i},"title":"t","parent":${deep}}`;
  const drift = '{"id":"not-a-number","title":"t","parent":null}';

  it('fails the body, saying it could not be checked, and still names the drift in its first levels', () => {
    expect(contractProblems(perx, validatePerx, listCategories, json(`{"data":[${drift},${deep}],"meta":"oops"}`))).toEqual([
      'body could not be checked whole: the body is nested too deep to check: the validator ran out of stack (20002 levels); drift was looked for in its first 256 levels only',
      'body /data/0/id must be integer',
      'body /meta must be object',
    ]);
  });

  it('says nothing of what the cut may have caused: a sound deep body is only "could not be checked"', () => {
    expect(contractProblems(perx, validatePerx, listCategories, json(`{"data":[${deep}]}`))).toEqual([
      'body could not be checked whole: the body is nested too deep to check: the validator ran out of stack (20002 levels); drift was looked for in its first 256 levels only',
    ]);
    // A chain whose links may not be null: what is cut off reads as null, which breaks the link
    // at the cut (anyOf) and the node above it (not); neither is said, a shallow drift is.
    const doc: OpenApiDocument = {
      openapi: '3.1.0',
      info: { title: 'chain', version: '1' },
      paths: { '/chain': { get: { operationId: 'getChain', responses: { '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Page' } } } } } } } },
      components: {
        schemas: {
          Page: { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Link' } }, total: { type: 'integer' } } },
          Link: { type: 'object', required: ['next'], properties: { next: { anyOf: [{ $ref: '#/components/schemas/Link' }, { type: 'integer' }] } }, not: { properties: { next: { type: 'null' } } } },
        },
      },
    };
    const chain: LoadedSpec = { vendor: perx.vendor, doc, operations: listOperations(doc) };
    let link = '1';
    for (let i = 0; i < 20_000; i++) link = `{"next":${link}}`;
    expect(contractProblems(chain, createValidator(chain.doc, 'urn:martech:response-test-chain'), chain.operations[0]!, json(`{"items":[${link}],"total":"x"}`))).toEqual([
      'body could not be checked whole: the body is nested too deep to check: the validator ran out of stack (20002 levels); drift was looked for in its first 256 levels only',
      'body /total must be integer',
    ]);
  });
});
