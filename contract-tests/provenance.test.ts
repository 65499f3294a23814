/**
 * Each operation says how sure we are of it (docs/spec-style.md): `high` only when the vendor
 * states the request and the answer, so what it lists as inferred (`x-inferred`) may only be how
 * errors and statuses are answered. An inferred field, type, limit, default or meaning makes it
 * `medium`. A review found 17 operations rated `high` while inferring request or answer facts.
 */
import { describe, expect, it } from 'vitest';
import { loadSpecs } from './lib/spec.js';

/**
 * An inference about how a call is answered, which a `high` operation may list: an HTTP status
 * named as one ("answers 404", "HTTP 400", "status 200", "the 400/401 error responses"). A bare
 * number ("capped at 100") or the word "status" alone (a `status` field) is not one.
 */
const aboutStatuses = (fact: string) => /\b(?:answers|HTTP|status)\s+[1-5]\d\d\b|\b[1-5]\d\d(?:\/[1-5]\d\d)*\s+error\s+respons/i.test(fact);

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
    // Found 2026-12-01: any number from 100 to 599, or the word "status", passed as a status.
    expect(['The page size is capped at 100 merchants.', 'Names are at most 255 characters.', 'The status field is active or paused.'].some(aboutStatuses)).toBe(false);
  });
});
