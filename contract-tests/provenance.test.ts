/**
 * Each operation says how sure we are of it (docs/spec-style.md): `high` only when the vendor
 * states the request and the answer, so what it lists as inferred (`x-inferred`) may only be how
 * errors and statuses are answered. An inferred field, type, limit, default or meaning makes it
 * `medium`. A review found 17 operations rated `high` while inferring request or answer facts.
 */
import { describe, expect, it } from 'vitest';
import { loadSpecs } from './lib/spec.js';

/** An inference about how a call is answered (a status, an error), which a `high` operation may list. */
const aboutStatuses = (fact: string) => /\b[1-5]\d\d\b|\bstatus/i.test(fact);

describe('x-confidence', () => {
  for (const { vendor, operations } of loadSpecs()) {
    it(`${vendor.name}: an operation rated high infers nothing but statuses`, () => {
      const overrated = operations.flatMap(({ operation }) => {
        const facts = ((operation as { 'x-inferred'?: string[] })['x-inferred'] ?? []).filter((fact) => !aboutStatuses(fact));
        return (operation as { 'x-confidence'?: string })['x-confidence'] === 'high' && facts.length ? [`${operation.operationId}: ${facts.join(' / ')}`] : [];
      });
      expect(overrated).toEqual([]);
    });
  }

  it('tells a status inference from another', () => {
    expect(['An unknown reward id answers 404.', 'Success status 200 and the 401 error response are assumed.'].every(aboutStatuses)).toBe(true);
    expect(['page counts from 1; the docs say only "page number".', 'transaction_reference filters on exact match.'].some(aboutStatuses)).toBe(false);
  });
});
