import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadVendors, root } from '../lib/vendors.js';
import type { OpenApiDocument } from '../lib/openapi.js';
import { mockBehaviourProblems } from './mock-behaviour.js';

/** One operation with path parameter `id` and query parameter `page`, carrying the x-mock given. */
const spec = (xMock: unknown): OpenApiDocument =>
  ({
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    components: { parameters: { Page: { name: 'page', in: 'query', schema: { type: 'integer' } } } },
    paths: {
      '/items/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        get: { operationId: 'getItem', parameters: [{ $ref: '#/components/parameters/Page' }], 'x-mock': xMock, responses: { '200': { description: 'ok' } } },
      },
    },
  }) as unknown as OpenApiDocument;

describe('the x-mock check', () => {
  it('passes every x-mock of every vendor spec', () => {
    for (const vendor of loadVendors()) {
      const doc = JSON.parse(readFileSync(`${root}${vendor.bundle}`, 'utf8')) as OpenApiDocument;
      expect({ vendor: vendor.name, problems: mockBehaviourProblems(doc) }).toEqual({ vendor: vendor.name, problems: [] });
    }
  });

  it("passes a behaviour that uses the operation's own parameters", () => {
    expect(mockBehaviourProblems(spec({ resource: 'items', action: 'read', id: 'id', filters: { page: 'n', 'tags[{name}]': '/tags/{name}' }, page: { page: 'page' } }))).toEqual([]);
  });

  it.each([
    [{ resource: 'items', action: 'create', mrege: true }, 'getItem: x-mock/: unknown key "mrege"'],
    [{ resource: 'items', action: 'lsit' }, 'getItem: x-mock/action: must be equal to one of the allowed values'],
    [{ resource: 'items', action: 'create', merge: 5 }, 'getItem: x-mock/merge: must be boolean,string'],
    [{ resource: 'items', action: 'list', cases: [{ when: { query: 'x' }, filterz: {} }] }, 'getItem: x-mock/cases/0: unknown key "filterz"'],
    [{ resource: 'items', action: 'list', filters: { ids: { feld: 'id' } } }, 'getItem: x-mock/filters/ids: '],
  ])('refuses %j, naming the operation and the key', (xMock, problem) => {
    const problems = mockBehaviourProblems(spec(xMock));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toContain(problem);
  });

  it.each([
    [{ resource: 'items', action: 'read', id: 'itemId' }, 'uses the path parameter "itemId", which the operation does not declare'],
    [{ resource: 'items', action: 'list', filters: { statsu: 'status' } }, 'uses the path or query parameter "statsu"'],
    [{ resource: 'items', action: 'list', page: { page: 'page', size: 'per_page' } }, 'uses the query parameter "per_page"'],
    [{ resource: 'items', action: 'read', id: 'id', also: [{ resource: 'logs', action: 'create', requires: [{ resource: 'items', id: 'item' }] }] }, 'uses the path parameter "item"'],
    [{ resource: 'items', action: 'read', id: 'page' }, 'uses the path parameter "page"'],
  ])('refuses %j, whose parameter the operation does not declare', (xMock, problem) => {
    expect(mockBehaviourProblems(spec(xMock))).toEqual([expect.stringContaining(problem)]);
  });
});
