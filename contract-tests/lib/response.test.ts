/**
 * The contract checks judge a response's documented headers as they judge its body, on the real
 * specs: Footprints' paging headers and Placewise's rate-limit headers are integers.
 */
import { describe, expect, it } from 'vitest';
import { findVendor } from '../../src/vendors.js';
import { exampleAnswer } from '../../scripts/traffic/example-server.js';
import { contractProblems } from './response.js';
import { loadSpec } from './spec.js';
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
    expect(contractProblems(footprints, validate, op, received({ ...paging, 'X-Total-Pages': '-1' }))).toEqual(['header X-Total-Pages must be >= 0 (got "-1")']);
  });
});
