import { describe, expect, it } from 'vitest';
import { WebhookError } from './errors.js';

describe('WebhookError', () => {
  it('says who refused what and why, and is an Error named WebhookError', () => {
    const error = new WebhookError('placewise', 'not-json', 'the body is not JSON');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('WebhookError');
    expect(error.message).toBe('placewise webhook refused (not-json): the body is not JSON');
    expect(error.vendor).toBe('placewise');
    expect(error.reason).toBe('not-json');
  });

  it('answers 401 for token refusals, 413 for a body too large and 400 for everything else', () => {
    expect(new WebhookError('placewise', 'missing-token', '').status).toBe(401);
    expect(new WebhookError('placewise', 'wrong-token', '').status).toBe(401);
    expect(new WebhookError('placewise', 'too-large', '').status).toBe(413);
    expect(new WebhookError('placewise', 'not-json', '').status).toBe(400);
    expect(new WebhookError('placewise', 'schema', '').status).toBe(400);
  });

  it('lists the schema problems given, none otherwise, and keeps the cause', () => {
    const problems = [{ pointer: '/events', rule: 'type', message: 'must be array' }];
    const cause = new SyntaxError('Unexpected token');
    expect(new WebhookError('placewise', 'schema', 'x', { problems }).problems).toEqual(problems);
    expect(new WebhookError('placewise', 'wrong-token', 'x').problems).toEqual([]);
    expect(new WebhookError('placewise', 'not-json', 'x', { cause }).cause).toBe(cause);
    expect(new WebhookError('placewise', 'not-json', 'x').cause).toBeUndefined();
  });
});
