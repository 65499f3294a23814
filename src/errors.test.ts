import { describe, expect, it } from 'vitest';
import { ConfigError, ContractViolationError, TimeoutError, TokenError } from './errors.js';
import type { ContractViolation } from './guard/violation.js';

describe('ConfigError', () => {
  it('is a TypeError naming the vendor, the option and the rule it breaks', () => {
    const error = new ConfigError('perx', 'clientId', 'is required');
    expect(error).toBeInstanceOf(TypeError);
    expect(error.name).toBe('ConfigError');
    expect(error.message).toBe('perx: option "clientId" is required');
    expect({ vendor: error.vendor, option: error.option, rule: error.rule }).toEqual({ vendor: 'perx', option: 'clientId', rule: 'is required' });
  });
});

describe('TokenError', () => {
  it('names the vendor, the detail and the HTTP status, and carries status, body and cause', () => {
    const cause = new SyntaxError('Unexpected token <');
    const error = new TokenError('footprints', 502, '<html>', 'token answer is not JSON', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('TokenError');
    expect(error.message).toBe('footprints: token answer is not JSON (HTTP 502)');
    expect({ vendor: error.vendor, status: error.status, body: error.body, cause: error.cause }).toEqual({ vendor: 'footprints', status: 502, body: '<html>', cause });
  });

  it('has a default detail, and no HTTP status in the message when no answer came (status 0)', () => {
    expect(new TokenError('perx', 401, { error: 'invalid_client' }).message).toBe('perx: token request failed (HTTP 401)');
    expect(new TokenError('perx', 0, undefined).message).toBe('perx: token request failed');
  });
});

describe('TimeoutError', () => {
  it('names the vendor, the operation and the limit', () => {
    const cause = new DOMException('aborted', 'AbortError');
    const error = new TimeoutError('perx', 'GET /v4/rewards', 500, { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('TimeoutError');
    expect(error.message).toBe('perx: GET /v4/rewards timed out after 500 ms');
    expect({ vendor: error.vendor, operation: error.operation, timeoutMs: error.timeoutMs, cause: error.cause }).toEqual({
      vendor: 'perx',
      operation: 'GET /v4/rewards',
      timeoutMs: 500,
      cause,
    });
  });
});

describe('ContractViolationError', () => {
  const violation = (pointer: string): ContractViolation => ({
    vendor: 'perx',
    operationId: 'listRewards',
    method: 'GET',
    path: '/v4/rewards',
    status: 200,
    pointer,
    rule: 'type',
    message: `body ${pointer} must be integer`,
  });
  const response = new Response('{}', { status: 200 });

  it('names the first violation, and carries all of them with the body, status and response', () => {
    const violations = [violation('/data/0/id')];
    const error = new ContractViolationError(violations, { data: [] }, response);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ContractViolationError');
    expect(error.message).toBe('perx: listRewards answered outside its contract: body /data/0/id must be integer');
    expect(error.violations).toBe(violations);
    expect(error.body).toEqual({ data: [] });
    expect(error.status).toBe(200);
    expect(error.response).toBe(response);
  });

  it('counts the further violations in the message', () => {
    const error = new ContractViolationError([violation('/data/0/id'), violation('/data/1/id'), violation('/data/2/id')], {}, response);
    expect(error.message).toBe('perx: listRewards answered outside its contract: body /data/0/id must be integer (and 2 more)');
  });
});
