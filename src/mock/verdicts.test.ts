import { describe, expect, it } from 'vitest';
import type { Violation } from './contract.js';
import type { MockResponse } from './exchange.js';
import type { Operation } from './prism.js';
import { createVerdicts } from './verdicts.js';

const operation = { id: 'listLeads' } as Operation;
const answer = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }): MockResponse => ({ status: 200, headers, body });
const broken = (body: string): Violation => ({ vendor: 'v', operationId: 'listLeads', method: 'GET', path: '/leads', status: 200, message: `bad ${body}`, rule: 'schema' }) as Violation;

/** A contract check that refuses any body holding "bad", counting its calls. */
function judge() {
  const calls: string[] = [];
  const check = (_operation: Operation, response: MockResponse) => (calls.push(String(response.body)), String(response.body).includes('bad') ? broken(String(response.body)) : undefined);
  return { calls, check };
}

describe('createVerdicts', () => {
  it('judges an answer once, and gives each body its own verdict', () => {
    const { calls, check } = judge();
    const verdict = createVerdicts(check);
    expect(verdict(operation, answer('{"ok":1}'))).toBeUndefined();
    // The same text again, as a new string (a first read in a new session builds it anew).
    expect(verdict(operation, answer(JSON.stringify({ ok: 1 })))).toBeUndefined();
    // Same operation, status and headers, another body: judged for itself, not given the last one's verdict.
    expect(verdict(operation, answer('{"bad":1}'))?.message).toBe('bad {"bad":1}');
    expect(verdict(operation, answer('{"ok":1}'))).toBeUndefined();
    expect(verdict(operation, answer('{"bad":1}'))?.message).toBe('bad {"bad":1}');
    expect(calls).toEqual(['{"ok":1}', '{"bad":1}']);
  });

  it('judges the same body with other headers or another status for itself', () => {
    const { calls, check } = judge();
    const verdict = createVerdicts(check);
    verdict(operation, answer('{"ok":1}'));
    verdict(operation, answer('{"ok":1}', { 'content-type': 'text/plain' }));
    verdict(operation, { ...answer('{"ok":1}'), status: 201 });
    expect(calls).toHaveLength(3);
  });

  it('judges a body past the kept length, or bytes, every time', () => {
    const { calls, check } = judge();
    const verdict = createVerdicts(check);
    const long = `"${'x'.repeat(70_000)}"`;
    verdict(operation, answer(long));
    verdict(operation, answer(long));
    verdict(operation, { status: 200, headers: {}, body: new Uint8Array([1]) });
    verdict(operation, { status: 200, headers: {}, body: new Uint8Array([1]) });
    expect(calls).toHaveLength(4);
  });
});
