import { readFileSync } from 'node:fs';
import { JSONSchemaFaker } from 'json-schema-faker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePath } from '../bundles.js';
import { startMocks, type RunningMocks } from '../index.js';
import { loadOperations, type Operation } from '../prism.js';
import type { MockBehaviour } from '../state/behaviour.js';
import { vendors } from '../../vendors.js';
import { encodeBody, validRequest } from './requests.js';

/**
 * Writes, then reads, in one session of each vendor's mock, over HTTP: every write operation is
 * sent bodies generated from its request schema (json-schema-faker, fixed seed), some with the
 * record's id field set to values no record should take. Whatever the mock accepted must leave
 * every list and read answerable: a stored value the spec cannot show would make them 5xx.
 */
const ROUNDS = 12;
const WRITES = new Set(['create', 'update', 'delete', 'adjust', 'link', 'unlink']);
// Vendors whose spec declares no state (Imprzd's one read) have nothing to write.
const served = vendors.filter((v) => v.operationCount > 0 && readFileSync(bundlePath(v), 'utf8').includes('"x-mock"'));
const behaviourOf = (operation: Operation) => (operation.extensions as Record<string, unknown> | undefined)?.['x-mock'] as MockBehaviour | undefined;

let mocks: RunningMocks;
const bugs: string[] = [];
beforeAll(async () => {
  mocks = await startMocks({ portBase: 0, log: (l) => l.includes('MOCK BUG') && bugs.push(l) });
});
afterAll(() => mocks?.stop());

/** A repeatable random source for json-schema-faker (mulberry32). */
function seeded(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hostileIds = ['abc', 1.5, 42, '', null, 0];

function generatedBody(operation: Operation, round: number): unknown {
  const content = operation.request?.body?.contents?.find((c) => /json|x-www-form-urlencoded/.test(c.mediaType));
  if (!content?.schema) return undefined;
  const body = JSONSchemaFaker.generate(content.schema as never) as unknown;
  const key = behaviourOf(operation)?.key ?? 'id';
  // Every other round, the record's id field too, where the body is an object.
  if (round % 2 === 1 && body !== null && typeof body === 'object' && !Array.isArray(body)) (body as Record<string, unknown>)[key] = hostileIds[round % hostileIds.length];
  return body;
}

async function send(base: string, session: string, method: string, path: string, headers: Record<string, string>, body?: string) {
  const response = await fetch(`${base}${path}`, { method, headers: { ...headers, 'x-mock-session': session }, body });
  return { status: response.status, text: await response.text() };
}

describe.each(served.map((v) => v.name))('writes then reads on the %s mock', (vendor) => {
  it(`after ${ROUNDS} rounds of generated writes, every list and read still answers`, async () => {
    const operations = await loadOperations(bundlePath(served.find((v) => v.name === vendor)!));
    const writes = operations.filter((o) => WRITES.has(behaviourOf(o)?.action ?? ''));
    const reads = operations.filter((o) => o.method === 'get' && ['list', 'read'].includes(behaviourOf(o)?.action ?? ''));
    expect(writes.length + reads.length).toBeGreaterThan(0);
    JSONSchemaFaker.option({ random: seeded(7), alwaysFakeOptionals: false, failOnInvalidTypes: false, failOnInvalidFormat: false, useExamplesValue: false, maxItems: 3, maxLength: 24 });

    const base = mocks.urls[vendor]!;
    const session = `stateful-${vendor}`;
    const failures: string[] = [];
    let accepted = 0;
    const check = (what: string, answer: { status: number; text: string }) => {
      if (answer.status >= 500) failures.push(`${what} → ${answer.status}: ${answer.text.slice(0, 240)}`);
    };
    for (let round = 0; round < ROUNDS; round++) {
      for (const operation of writes) {
        const valid = validRequest(operation);
        const body = encodeBody(generatedBody(operation, round), valid.mediaType);
        const query = valid.query.toString();
        const headers = { ...valid.headers, ...(body === undefined ? {} : { 'content-type': valid.mediaType! }) };
        const answer = await send(base, session, operation.method.toUpperCase(), `${valid.path}${query ? `?${query}` : ''}`, headers, body);
        if (answer.status < 300) accepted++;
        check(`round ${round}: ${operation.iid} ${body?.slice(0, 120)}`, answer);
      }
      for (const operation of reads) {
        const valid = validRequest(operation);
        const query = valid.query.toString();
        check(`round ${round}: ${operation.iid} after the writes`, await send(base, session, 'GET', `${valid.path}${query ? `?${query}` : ''}`, valid.headers));
      }
    }
    expect(failures).toEqual([]);
    // The generated writes must reach the state, or this test would check nothing.
    expect(accepted).toBeGreaterThan(writes.length);
  });
});

it('no generated write led the mock to an answer that broke a spec', () => {
  expect(bugs).toEqual([]);
});
