import { describe, expect, it } from 'vitest';
import type { MockRequest } from './exchange.js';
import type { Operation } from './prism.js';
import { createUnsetCredential } from './unset-credential.js';

const operation = { security: [[{ type: 'http', scheme: 'basic', key: 'basic' }], [{ type: 'apiKey', in: 'query', name: 'access_token', key: 'token' }]] } as unknown as Operation;
const request = (authorization: string | undefined, query = ''): MockRequest => ({ method: 'GET', path: '/x', query, headers: authorization === undefined ? {} : { authorization } });
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('createUnsetCredential', () => {
  it('finds an unset credential however often the same Authorization value comes, each finding its own', () => {
    const unset = createUnsetCredential();
    const first = unset(operation, request(basic('user', 'undefined')));
    expect(first).toEqual({ location: ['request', 'header', 'authorization'], severity: 'Error', message: expect.stringContaining('Basic password is the text "undefined"') });
    // A finding is the caller's to change (a violation list is built from it); the next request's is whole.
    first!.location.pop();
    expect(unset(operation, request(basic('user', 'undefined')))?.location).toEqual(['request', 'header', 'authorization']);
    expect(unset(operation, request(basic('user', 'set')))).toBeUndefined();
  });

  it('reads an API key in the query only where a scheme puts one there', () => {
    const unset = createUnsetCredential();
    expect(unset(operation, request(undefined, 'access_token=null'))?.location).toEqual(['request', 'query', 'access_token']);
    expect(unset(operation, request(undefined, 'access_token=t'))).toBeUndefined();
  });
});
