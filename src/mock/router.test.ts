import { describe, expect, it } from 'vitest';
import { createRouter } from './router.js';
import type { Operation } from './prism.js';

// More router behaviour is checked in guard.test.ts (literal before template, decoding, 405 lists).
const op = (method: string, path: string) => ({ method, path, id: `${method} ${path}` }) as unknown as Operation;

describe('router templates', () => {
  // The router knows whole-segment templates only (all the bundled specs use). A segment that is
  // only partly a template stays a literal: it must not match any value as if it were `{name}`.
  it('treats a segment that is only partly a template as a literal', () => {
    const route = createRouter([op('get', '/files/{name}.json'), op('get', '/v{version}/status')]);
    expect(route('get', '/files/report.csv')).toBeUndefined();
    expect(route('get', '/v2/status')).toBeUndefined();
    expect(route('get', '/files/{name}.json')).toMatchObject({ route: { params: {} } });
  });

  it('names the parameter after the whole template', () => {
    const route = createRouter([op('get', '/members/{member_id}')]);
    expect(route('get', '/members/42')).toEqual({ route: { operation: expect.objectContaining({ path: '/members/{member_id}' }), params: { member_id: '42' } } });
  });
});
