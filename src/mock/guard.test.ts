import { describe, expect, it } from 'vitest';
import { checkContentType, checkJsonBody, checkPath, jsonDepth, LIMITS } from './guard.js';
import { createRouter } from './router.js';
import type { Operation } from './prism.js';

describe('guards', () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'text/plain;a="b c"', 'multipart/form-data; boundary=----x', 'application/vnd.api+json', ' application/json ', ''])(
    'lets the media type %j through',
    (value) => expect(checkContentType(value)).toBeUndefined(),
  );

  it.each(['garbage;;;===', 'json', 'application/', '/json', 'application/json; =x', 'application/json; a=', 'a b/c'])('refuses %j with a 415 naming the header', (value) => {
    const answer = checkContentType(value)!;
    expect(answer.status).toBe(415);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 415, header: 'content-type' });
    expect(answer.headers['content-type']).toBe('application/problem+json');
  });

  it('measures JSON depth without being fooled by brackets inside strings', () => {
    expect(jsonDepth('{}')).toBe(1);
    expect(jsonDepth('[[1],[2,[3]]]')).toBe(3);
    expect(jsonDepth('{"a":"[[[[{{{{"}')).toBe(1);
    expect(jsonDepth('{"a":"\\"[[[["}')).toBe(1);
    expect(jsonDepth('"plain"')).toBe(0);
  });

  it(`refuses JSON nested deeper than ${LIMITS.jsonDepth} levels, and no deeper`, () => {
    expect(checkJsonBody('['.repeat(LIMITS.jsonDepth) + ']'.repeat(LIMITS.jsonDepth))).toBeUndefined();
    const refused = checkJsonBody('['.repeat(LIMITS.jsonDepth + 1))!;
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body).detail).toContain(`${LIMITS.jsonDepth + 1} levels deep`);
  });

  it('names the malformed path segment, and passes well-formed escapes', () => {
    expect(checkPath('/v4/rewards/%20ok/%E2%82%AC')).toBeUndefined();
    const refused = checkPath('/v4/good/%zz/next')!;
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body)).toMatchObject({ segment: '%zz' });
  });
});

describe('router', () => {
  const op = (method: string, path: string) => ({ method, path, id: `${method} ${path}` }) as unknown as Operation;
  const route = createRouter([op('get', '/groups/{id}'), op('get', '/groups/types'), op('delete', '/groups/{id}'), op('post', '/groups/{id}/members/{member}')]);

  it('prefers a literal segment to a template, whatever the order in the spec', () => {
    expect(route('get', '/groups/types')).toMatchObject({ route: { operation: { path: '/groups/types' }, params: {} } });
    expect(route('get', '/groups/7')).toMatchObject({ route: { operation: { path: '/groups/{id}' }, params: { id: '7' } } });
  });

  it('decodes path parameters and matches every segment', () => {
    expect(route('post', '/groups/a%20b/members/9')).toMatchObject({ route: { params: { id: 'a b', member: '9' } } });
    expect(route('post', '/groups/1/members/')).toBeUndefined();
    expect(route('get', '/groups')).toBeUndefined();
    expect(route('get', '/groups/1/extra')).toBeUndefined();
  });

  it('lists the methods a matched path takes when the method is wrong', () => {
    expect(route('put', '/groups/7')).toEqual({ allowed: ['GET', 'DELETE'] });
  });
});
