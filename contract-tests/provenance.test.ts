/**
 * Each operation says how sure we are of it (docs/spec-style.md): `high` only when the vendor
 * states the request and the answer, so what it lists as inferred (`x-inferred`) may only be how
 * errors and statuses are answered. An inferred field, type, limit, default or meaning makes it
 * `medium`. A review found 17 operations rated `high` while inferring request or answer facts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OpenApiDocument, OperationRef } from '../scripts/lib/openapi.js';
import { deref, loadSpecs, resolve } from './lib/spec.js';

/** Words that name a status as one, just before it ("status is 200", "gives 404", "HTTP 400", "the structured 422"). */
const NAMED_BEFORE = /\b(?:status|HTTP|answers?|answered|gives|refused|rejected|returns|structured|code)\b/i;
/** Words that name a status as one, just after it ("401 error responses", "466 bodies"). */
const NAMED_AFTER = new Set(['error', 'errors', 'response', 'responses', 'body', 'bodies']);
/** What may follow a status in a sentence about it; any other word makes the number a count ("answers 100 records"). */
const MAY_FOLLOW = new Set([...NAMED_AFTER, 'with', 'for', 'when', 'if', 'and', 'or', 'on', 'as', 'to', 'is', 'are', 'the']);

/**
 * An inference about how a call is answered, which a `high` operation may list: a number from 100
 * to 599 named as a status by the words around it. A bare number ("capped at 100 merchants", "a
 * page answers 100 records") or the word "status" alone (a `status` field) is not one.
 */
function aboutStatuses(fact: string): boolean {
  for (const match of fact.matchAll(/\b[1-5]\d\d\b(?:\/[1-5]\d\d)*(?:\s+([A-Za-z]+))?/g)) {
    const next = match[1]?.toLowerCase();
    if (next !== undefined && !MAY_FOLLOW.has(next)) continue;
    const before = fact.slice(0, match.index).split(/\s+/).slice(-3).join(' ');
    if (NAMED_BEFORE.test(before) || (next !== undefined && NAMED_AFTER.has(next))) return true;
  }
  return false;
}

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
    expect(['The page size is capped at 100 merchants.', 'Names are at most 255 characters.', 'The status field is active or paused.', 'A page answers 100 records at most.', 'The page size is 100.'].some(aboutStatuses)).toBe(false);
    // And a second round: the specs' own wordings of a status inference.
    const worded = ['The success status is 200.', 'An unknown group id gives 404.', 'A malformed e-mail is answered with the structured 422.', 'A refused JWT or bad credentials answer 401 with the OAuth error shape.', 'The 465 and 466 bodies are the generic error body.', 'HTTP status code 404 for an unknown id.', 'Business refusals (4103, 40) use HTTP 400.', 'Success status 200, and the 400/401 error responses, are assumed.'];
    expect(worded.filter((fact) => !aboutStatuses(fact))).toEqual([]);
  });
});

/**
 * The facts a part of an operation (a parameter, a header, a schema; shared or its own) is
 * inferred on, from that part's own `x-inferred`: every operation that uses it, directly, nested
 * or through a `$ref`, lists them, as the provenance page shows only the operation's list.
 */
function inheritedFacts(doc: OpenApiDocument, node: unknown, seen = new Set<string>()): Set<string> {
  const facts = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    const ref = (value as { $ref?: unknown }).$ref;
    if (typeof ref === 'string') {
      if (seen.has(ref)) return;
      seen.add(ref);
      return visit(resolve(doc, ref).value);
    }
    const own = (value as { 'x-inferred'?: unknown })['x-inferred'];
    if (Array.isArray(own)) for (const fact of own) facts.add(String(fact));
    Object.values(value).forEach(visit);
  };
  visit(node);
  return facts;
}

describe('x-inferred', () => {
  // Found 2026-12-03: XONVO's accountId is an integer by inference on nine calls, listed on one;
  // Footprints' page and X-Records inferences were listed on one of the four lists sharing them,
  // and Get Leads' pageSize limit on none.
  for (const { vendor, doc, operations } of loadSpecs()) {
    it(`${vendor.name}: an operation lists what the parts it uses are inferred on`, () => {
      const missing = operations.flatMap(({ operation, pathParameters }) => {
        const own = new Set((operation as { 'x-inferred'?: string[] })['x-inferred'] ?? []);
        const inherited = inheritedFacts(doc, [pathParameters, operation]);
        return [...inherited].filter((fact) => !own.has(fact)).map((fact) => `${operation.operationId}: ${fact}`);
      });
      expect(missing).toEqual([]);
    });
  }

  it('finds the facts of a part, own or shared, and of one reached through another', () => {
    const doc = {
      openapi: '3.1.0',
      paths: {},
      components: {
        parameters: { page: { name: 'page', in: 'query', schema: { $ref: '#/components/schemas/Page' }, 'x-inferred': ['page counts from 1.'] } },
        schemas: { Page: { type: 'integer', 'x-inferred': ['no upper limit.'] } },
      },
    } as unknown as OpenApiDocument;
    expect([...inheritedFacts(doc, { parameters: [{ $ref: '#/components/parameters/page' }] })]).toEqual(['page counts from 1.', 'no upper limit.']);
    expect([...inheritedFacts(doc, { parameters: [{ name: 'q', in: 'query' }] })]).toEqual([]);
    expect([...inheritedFacts(doc, { parameters: [{ name: 'size', in: 'query', 'x-inferred': ['size is at least 1.'] }] })]).toEqual(['size is at least 1.']);
  });
});

/** The answer fields an operation's success examples show only as null, by where they sit (`campaigns[].salesCost`, `[].image`). */
function nullOnlyFields(doc: OpenApiDocument, operation: OperationRef['operation']): string[] {
  const seen = new Map<string, { nulls: number; others: number }>();
  const walk = (value: unknown, at: string): void => {
    if (Array.isArray(value)) value.forEach((item) => walk(item, `${at}[]`));
    else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) walk(item, at ? `${at}.${key}` : key);
    const counts = seen.get(at) ?? { nulls: 0, others: 0 };
    counts[value === null ? 'nulls' : 'others'] += 1;
    seen.set(at, counts);
  };
  for (const [status, response] of Object.entries((operation as { responses?: Record<string, unknown> }).responses ?? {})) {
    if (!status.startsWith('2')) continue;
    for (const media of Object.values(deref<{ content?: Record<string, { examples?: Record<string, unknown> }> }>(doc, response).content ?? {})) {
      for (const example of Object.values(media.examples ?? {})) walk(deref<{ value?: unknown }>(doc, example).value, '');
    }
  }
  return [...seen].filter(([, c]) => c.nulls > 0 && c.others === 0).map(([at]) => at);
}

/**
 * Fields a vendor whose answers are typed from its printed examples shows only as `null`, as its
 * fixture (contract-tests/fixtures/<vendor>/null-only-fields.json) records them from the source.
 */
function recordedNullOnly(vendor: string): Record<string, string[]> | undefined {
  try {
    return (JSON.parse(readFileSync(new URL(`./fixtures/${vendor}/null-only-fields.json`, import.meta.url), 'utf8')) as { fields: Record<string, string[]> }).fields;
  } catch {
    return undefined;
  }
}

describe('fields the vendor shows only as null', () => {
  // Found 2026-12-03: Footprints typed ten fields F1 shows only as null (costs as numbers, an
  // image and draw settings as text) with two of their operations rated high and none listing it.
  for (const { vendor, doc, operations } of loadSpecs()) {
    const recorded = recordedNullOnly(vendor.name);
    if (!recorded) continue;
    it(`${vendor.name}: are the ones the source shows, and each operation lists their type as inferred`, () => {
      const found: Record<string, string[]> = {};
      for (const { operation } of operations) {
        const fields = nullOnlyFields(doc, operation);
        if (fields.length) found[operation.operationId ?? ''] = fields;
      }
      expect(found).toEqual(recorded);
      const unlisted = operations.flatMap(({ operation }) => {
        const facts = ((operation as { 'x-inferred'?: string[] })['x-inferred'] ?? []).join(' ');
        return (recorded[operation.operationId ?? ''] ?? []).filter((at) => !new RegExp(`\\b${at.split('.').pop()!.replace(/\[\]/g, '')}\\b`).test(facts)).map((at) => `${operation.operationId}: ${at}`);
      });
      expect(unlisted).toEqual([]);
    });
  }
});
