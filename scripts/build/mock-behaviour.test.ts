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
    components: {
      parameters: { Page: { name: 'page', in: 'query', schema: { type: 'integer' } } },
      responses: { Gone: { description: 'gone', content: { 'application/json': { examples: { gone: { value: {} } } } } } },
    },
    webhooks: { itemChanged: {} },
    paths: {
      '/items/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        get: {
          operationId: 'getItem',
          parameters: [{ $ref: '#/components/parameters/Page' }, { name: 'X-Channel', in: 'header', schema: { type: 'string' } }],
          'x-mock': xMock,
          responses: { '200': { description: 'ok', headers: { 'X-Page': { schema: { type: 'integer' } } }, content: { 'application/json': { examples: { found: { value: {} } } } } }, '404': { $ref: '#/components/responses/Gone' } },
        },
      },
    },
  }) as unknown as OpenApiDocument;

describe('the x-mock check', () => {
  it.each([
    [{ resource: 'items', action: 'read', id: 'id', missing: { status: 200, example: 'nosuch' } }, 'names the example "nosuch", which no answer of the operation documents'],
    [{ resource: 'items', action: 'update', id: 'id', from: { field: 'state', in: ['a'], status: 404, example: 'gnoe' } }, 'names the example "gnoe"'],
    [{ resource: 'items', action: 'create', notify: { webhook: 'itemChnaged', subscribers: 'subs' } }, 'notifies with the webhook "itemChnaged", which the spec\'s webhooks do not have'],
    [{ resource: 'items', action: 'list', filters: { 'props[{name}': 'props' } }, 'filter "props[{name}" → "props": a {name} filter has {name} once in the parameter and in the field'],
    [{ resource: 'items', action: 'list', filters: { 'p[{name}][{name}]': '/p/{name}' } }, 'a {name} filter has {name} once'],
    [{ resource: 'items', action: 'read', id: 'id', cases: [{ when: { query: 'page' }, missing: { status: 404, example: 'nosuch' } }] }, 'names the example "nosuch"'],
    [{ resource: 'items', action: 'create', unique: [{ field: '/email', status: 404, example: 'taken' }] }, 'names the example "taken"'],
    [{ resource: 'items', action: 'adjust', adjust: { field: 'n', by: { value: 1 }, floor: 0, status: 404, example: 'short' } }, 'names the example "short"'],
    [{ resource: 'items', action: 'create', unique: [{ field: '/email', status: 409 }] }, 'answers with status 409, which the operation does not document'],
    [{ resource: 'items', action: 'read', id: 'id', missing: { status: 410 } }, 'answers with status 410'],
    [{ resource: 'items', action: 'list', page: { page: 'page', headers: { page: 'X-Pgae' } } }, 'shows a paging number in the header "X-Pgae", which no success answer of the operation documents'],
    // A record a call needs answers 404 when missing unless it names a documented answer.
    [{ resource: 'items', action: 'create', requires: [{ resource: 'users', id: { body: '/userId' }, status: 400 }] }, 'answers with status 400'],
    [{ resource: 'items', action: 'create', requires: [{ resource: 'users', id: { body: '/userId' }, status: 404, example: 'gnoe' }] }, 'names the example "gnoe"'],
    [{ action: 'token', token: { fields: ['/t'], known: { resource: 'users', field: 'identifier', status: 403 } } }, 'answers with status 403'],
  ])('refuses %j, naming what the spec does not have', (xMock, problem) => {
    expect(mockBehaviourProblems(spec(xMock))).toEqual([expect.stringContaining(problem)]);
  });

  it("refuses an embed whose `at` is no array of the success answer's schema, and passes one that is (through allOf)", () => {
    const answering = (schema: unknown, at: string) => {
      const doc = spec({ resource: 'items', action: 'read', id: 'id', embed: { resource: 'lines', at } }) as unknown as { paths: Record<string, { get: { responses: Record<string, { content: Record<string, Record<string, unknown>> }> } }> };
      doc.paths['/items/{id}']!.get.responses['200']!.content['application/json']!.schema = schema;
      return mockBehaviourProblems(doc as unknown as OpenApiDocument);
    };
    const item = { type: 'object', properties: { data: { allOf: [{ type: 'object' }, { properties: { lines: { type: 'array', items: {} }, name: { type: 'string' } } }] } } };
    expect(answering(item, '/data/lines')).toEqual([]);
    expect(answering(item, '/data/lnies')).toEqual([expect.stringContaining('getItem: x-mock embeds lines at /data/lnies, where the success answer\'s schema has no array')]);
    expect(answering(item, '/data/name')).toEqual([expect.stringContaining('at /data/name')]);
  });

  it('refuses a filedAs or freeForm pointer to a field the request body does not declare, and passes one it does', () => {
    const withBody = (xMock: unknown) => {
      const doc = spec(xMock) as unknown as { paths: Record<string, { get: Record<string, unknown> }> };
      doc.paths['/items/{id}']!.get.requestBody = { content: { 'application/json': { schema: { properties: { props: { type: 'object', properties: { email: { type: 'string' } } } } } } } };
      return doc as unknown as OpenApiDocument;
    };
    const violations = (filedAs: Record<string, string>) => ({ status: 404, at: '', symbols: { '*': 'invalid' }, filedAs });
    expect(mockBehaviourProblems(withBody({ resource: 'items', action: 'update', id: 'id', violations: violations({ '/props/emial': '/email' }) }))).toEqual([expect.stringContaining('names the body field "/props/emial", which the operation\'s request body does not declare')]);
    expect(mockBehaviourProblems(withBody({ resource: 'items', action: 'update', id: 'id', freeForm: ['/prop'] }))).toEqual([expect.stringContaining('"/prop"')]);
    expect(mockBehaviourProblems(withBody({ resource: 'items', action: 'update', id: 'id', freeForm: ['/props'], violations: violations({ '/props/email': '/email' }) }))).toEqual([]);
    expect(mockBehaviourProblems(withBody({ resource: 'items', action: 'update', id: 'id', freeForm: ['/props'], nullRemoves: ['/other'] }))).toEqual([expect.stringContaining('nullRemoves "/other", which is not one of its freeForm objects')]);
    expect(mockBehaviourProblems(withBody({ resource: 'items', action: 'update', id: 'id', freeForm: ['/props'], nullRemoves: ['/props'] }))).toEqual([]);
  });

  it("passes examples and webhooks the spec has, a response component's examples included", () => {
    expect(mockBehaviourProblems(spec({ resource: 'items', action: 'read', id: 'id', missing: { status: 404, example: 'gone' }, examples: [{ when: { query: 'page', equals: 1 }, example: 'found' }], notify: { webhook: 'itemChanged', subscribers: 's' } }))).toEqual([]);
  });

  it("refuses a security scheme's x-mock-caller the engine does not know, or a misspelt x-mock key on one", () => {
    const withScheme = (scheme: Record<string, unknown>) => {
      const doc = spec({ resource: 'items', action: 'read', id: 'id' }) as unknown as { components: Record<string, unknown> };
      doc.components.securitySchemes = { userToken: { type: 'http', scheme: 'bearer', ...scheme } };
      return mockBehaviourProblems(doc as unknown as OpenApiDocument);
    };
    expect(withScheme({ 'x-mock-caller': 'user' })).toEqual([]);
    expect(withScheme({ 'x-mock-caller': 'users' })).toEqual(['securitySchemes.userToken: x-mock-caller must be user or tenant (got "users")']);
    expect(withScheme({ 'x-mock-calller': 'user' })).toEqual(['securitySchemes.userToken: x-mock-calller is not an extension the mock reads (x-mock-caller is)']);
  });

  it('passes every x-mock of every vendor spec', () => {
    for (const vendor of loadVendors()) {
      const doc = JSON.parse(readFileSync(`${root}${vendor.bundle}`, 'utf8')) as OpenApiDocument;
      expect({ vendor: vendor.name, problems: mockBehaviourProblems(doc) }).toEqual({ vendor: vendor.name, problems: [] });
    }
  });

  it('passes a scope a bulk call binds with a {name} token of its each', () => {
    expect(mockBehaviourProblems(spec({ resource: 'items', action: 'create', each: '/byAccount/{account}/*', scope: 'account' }))).toEqual([]);
  });

  it("passes a behaviour that uses the operation's own parameters", () => {
    expect(mockBehaviourProblems(spec({ resource: 'items', action: 'read', id: 'id', filters: { page: 'n', 'tags[{name}]': '/tags/{name}' }, page: { page: 'page' } }))).toEqual([]);
    // A paging number in a header the answer documents, named in any case.
    expect(mockBehaviourProblems(spec({ resource: 'items', action: 'list', page: { page: 'page', headers: { page: 'x-page', onPage: 'X-Page' } } }))).toEqual([]);
    // A header is named in any case, as HTTP reads it.
    expect(mockBehaviourProblems(spec({ resource: 'items', action: 'create', assign: { channel: { header: 'x-channel' } } }))).toEqual([]);
    // A record a call needs, named by a body field, answered with a documented status and example.
    expect(mockBehaviourProblems(spec({ resource: 'items', action: 'create', requires: [{ resource: 'users', id: { body: '/userId' }, status: 404, example: 'gone' }] }))).toEqual([]);
  });

  it.each([
    [{ resource: 'items', action: 'create', mrege: true }, 'getItem: x-mock/: unknown key "mrege"'],
    [{ resource: 'items', action: 'lsit' }, 'getItem: x-mock/action: must be one of "list", "read", "create"'],
    [{ resource: 'items', action: 'create', merge: 5 }, 'getItem: x-mock/merge: must be boolean or string'],
    [{ resource: 'items', action: 'list', cases: [{ when: { query: 'x' }, filterz: {} }] }, 'getItem: x-mock/cases/0: unknown key "filterz"'],
    [{ resource: 'items', action: 'list', filters: { ids: { feld: 'id' } } }, 'getItem: x-mock/filters/ids: '],
    // The interpreter announces only the top level, and an effect runs alone: keys it would ignore are refused.
    [{ resource: 'items', action: 'create', also: [{ resource: 'logs', action: 'create', notify: { webhook: 'w', subscribers: 's' } }] }, 'getItem: x-mock/also/0: unknown key "notify"'],
    [{ resource: 'items', action: 'create', also: [{ resource: 'logs', action: 'create', cases: [] }] }, 'getItem: x-mock/also/0: unknown key "cases"'],
    [{ resource: 'items', action: 'read', missing: { example: 'x' } }, "getItem: x-mock/missing/status: is required but missing"],
    [{ resource: 'items', action: 'create', unique: [{ field: '/e', status: 422, exmaple: 'x' }] }, 'getItem: x-mock/unique/0: unknown key "exmaple"'],
    [{ resource: 'items', action: 'create', omit: [3] }, 'getItem: x-mock/omit/0: must be string'],
    [{ resource: 'items', action: 'create', omit: ['email'] }, 'getItem: x-mock/omit/0: must match the pattern'],
    [{ resource: 'items', action: 'create', unique: [{ field: 'email', status: 200 }] }, 'getItem: x-mock/unique/0/field: must match the pattern'],
    [{ resource: 'items', action: 'create', assign: { n: { lookup: { resource: 'r', id: { value: 1 }, at: 'name' } } } }, 'getItem: x-mock/assign/n/lookup/at: must match the pattern'],
    [{ resource: 'items', action: 'list', filters: { ids: { field: 'id', separator: '' } } }, 'getItem: x-mock/filters/ids'],
    [{ resource: 'items', action: 'read', embed: { resource: 'lines', at: 'lines' } }, 'getItem: x-mock/embed/at: must match the pattern'],
    [{ resource: 'items', action: 'create', also: [{ resource: 'logs', action: 'read', embed: { resource: 'lines', at: '/lines' } }] }, 'getItem: x-mock/also/0: unknown key "embed"'],
    [{ resource: 'items', action: 'list', embed: { resource: 'lines', at: '/lines' } }, 'getItem: x-mock embeds lines in a list: only a read shows an embed'],
    [{ resource: 'items', action: 'read', embed: { at: '/lines', sort: { default: { by: 'id', order: 'down' } } } }, "getItem: x-mock/embed/resource: is required but missing"],
    [{ resource: 'items', action: 'create', assign: { who: { caller: 'yes' } } }, 'getItem: x-mock/assign/who/caller: must be boolean'],
    [{ resource: 'items', action: 'create', assign: { n: { fresh: 'person_id' } } }, 'getItem: x-mock/assign/n/fresh: must match the pattern'],
    [{ resource: 'items', action: 'create', assign: { who: { lookup: { resource: 'users' } } } }, "getItem: x-mock/assign/who/lookup/id: is required but missing"],
    [{ resource: 'items', action: 'list', cases: [{ set: {} }] }, "getItem: x-mock/cases/0/when: is required but missing"],
    // A duration from now is in milliseconds, and added to the time of the call only.
    [{ resource: 'items', action: 'create', assign: { due: { now: true, plus: { value: 'PT15M' } } } }, 'getItem: x-mock/assign/due/plus/value: must be number'],
    [{ resource: 'items', action: 'create', assign: { due: { query: 'page', plus: { value: 60000 } } } }, 'getItem: x-mock/assign/due: must have now when it has plus'],
    [{ resource: 'items', action: 'create', assign: { due: { now: true, plus: { valeu: 60000 } } } }, 'getItem: x-mock/assign/due/plus: unknown key "valeu"'],
    [{ resource: 'items', action: 'token', token: { fields: ['/t'], known: { resource: 'users', field: 'identifier' } } }, "getItem: x-mock/token/known/status: is required but missing"],
    // A code joined from no part, or from a part the schema cannot read, is a mistake in the spec.
    [{ resource: 'items', action: 'create', assign: { code: { join: [] } } }, 'getItem: x-mock/assign/code/join: must hold at least 1 item'],
    [{ resource: 'items', action: 'create', assign: { code: { join: [{ vaule: '-' }] } } }, 'getItem: x-mock/assign/code/join/0: unknown key "vaule"'],
    // A list via a relation names the record on its other side one way, not none or both.
    [{ resource: 'items', action: 'list', via: { relation: 'r', side: 'right' } }, "getItem: x-mock/via/param: is required but missing"],
    [{ resource: 'items', action: 'list', via: { relation: 'r', side: 'right', param: 'id', find: { resource: 'users', filters: { id: 'email' } } } }, 'getItem: x-mock/via: matches 2 of the documented shapes (1 and 2), where exactly one is allowed (oneOf)'],
    [{ resource: 'items', action: 'list', via: { relation: 'r', side: 'right', find: { resource: 'users' } } }, "getItem: x-mock/via/find/filters: is required but missing"],
  ])('refuses %j, naming the operation and the key', (xMock, problem) => {
    const problems = mockBehaviourProblems(spec(xMock));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toContain(problem);
  });

  it.each([
    [{ resource: 'items', action: 'read', id: 'itemId' }, 'uses the path parameter "itemId", which the operation does not declare'],
    [{ resource: 'items', action: 'list', filters: { statsu: 'status' } }, 'uses the path or query parameter "statsu"'],
    [{ resource: 'items', action: 'list', page: { page: 'page', size: 'per_page' } }, 'uses the query parameter "per_page"'],
    [{ resource: 'items', action: 'list', page: { offset: 'skip' } }, 'uses the query parameter "skip"'],
    [{ resource: 'items', action: 'token', token: { identity: { query: 'user' }, fields: ['access_token'] } }, 'uses the query parameter "user"'],
    [{ resource: 'items', action: 'read', id: 'id', also: [{ resource: 'logs', action: 'create', requires: [{ resource: 'items', id: 'item' }] }] }, 'uses the path parameter "item"'],
    [{ resource: 'items', action: 'read', id: 'page' }, 'uses the path parameter "page"'],
    [{ resource: 'items', action: 'create', requires: [{ resource: 'users', id: { query: 'user' }, status: 404, example: 'gone' }] }, 'uses the query parameter "user"'],
    [{ resource: 'items', action: 'read', id: 'id', cases: [{ when: { query: 'confrim', equals: 'false' }, set: {} }] }, 'uses the query parameter "confrim"'],
    [{ resource: 'items', action: 'read', id: 'id', examples: [{ when: [{ path: 'item' }], example: 'found' }] }, 'uses the path parameter "item"'],
    [{ resource: 'items', action: 'list', echo: { '/meta/type': { query: 'tpye' } } }, 'uses the query parameter "tpye"'],
    [{ resource: 'items', action: 'create', assign: { name: { lookup: { resource: 'rewards', id: { path: 'reward_id' }, at: '/name' } } } }, 'uses the path parameter "reward_id"'],
    [{ resource: 'items', action: 'list', via: { relation: 'r', side: 'right', find: { resource: 'users', filters: { user_email: '/email' } } } }, 'uses the path or query parameter "user_email"'],
    [{ resource: 'items', action: 'read', id: 'id', scope: 'accountId' }, 'uses the path parameter "accountId"'],
    [{ resource: 'items', action: 'list', search: { param: 'q' } }, 'uses the query parameter "q"'],
    // A read's embedded list reads the request as a list does.
    [{ resource: 'items', action: 'read', id: 'id', embed: { resource: 'lines', at: '/lines', filters: { item: 'item_id' } } }, 'uses the path or query parameter "item"'],
    [{ resource: 'items', action: 'read', id: 'id', embed: { resource: 'lines', at: '/lines', page: { page: 'page', size: 'size' } } }, 'uses the query parameter "size"'],
    [{ resource: 'items', action: 'list', sort: { by: 'sort_by' } }, 'uses the query parameter "sort_by"'],
    [{ resource: 'items', action: 'list', sort: { by: 'page', order: ['page', 'direction'] } }, 'uses the query parameter "direction"'],
    [{ resource: 'items', action: 'create', assign: { n: { query: 'page', times: { lookup: { resource: 'rates', where: { from: { path: 'program' } }, at: '/rate' } } } } }, 'uses the path parameter "program"'],
    [{ resource: 'items', action: 'create', assign: { n: { query: 'page', per: { query: 'per' } } } }, 'uses the query parameter "per"'],
    [{ resource: 'items', action: 'create', assign: { channel: { header: 'X-Chanel' } } }, 'uses the header parameter "X-Chanel"'],
    [{ resource: 'items', action: 'create', assign: { due: { now: true, plus: { query: 'timeout' } } } }, 'uses the query parameter "timeout"'],
    [{ resource: 'items', action: 'create', assign: { code: { join: [{ value: 'A-' }, { path: 'reward_id' }] } } }, 'uses the path parameter "reward_id"'],
    [{ resource: 'items', action: 'read', id: 'id', examples: [{ when: { header: 'X-Mode', equals: 'a' }, example: 'found' }] }, 'uses the header parameter "X-Mode"'],
    // A bulk call's `{name}` binds a parameter for its own items only, and only as a whole token.
    [{ resource: 'items', action: 'create', each: '/byAccount/*/*', scope: 'account' }, 'uses the path parameter "account"'],
    [{ resource: 'items', action: 'create', each: '/byAccount/x{account}/*', scope: 'account' }, 'uses the path parameter "account"'],
  ])('refuses %j, whose parameter the operation does not declare', (xMock, problem) => {
    expect(mockBehaviourProblems(spec(xMock))).toEqual([expect.stringContaining(problem)]);
  });

  it.each([
    [{ resource: 'items', action: 'create', each: '/byId/{id}/*' }, 'binds "id", a path parameter the operation declares'],
    [{ resource: 'items', action: 'create', each: '/by/{account}/{account}/*', scope: 'account' }, 'binds "account" twice'],
    [{ resource: 'items', action: 'create', each: '/byAccount/{account}', scope: 'account' }, 'ends with {account}'],
    // Read after unescaping, as the mock reads it: the name bound is "a/b", not "a~1b".
    [{ resource: 'items', action: 'create', each: '/by/{a~1b}/*', scope: 'a~1b' }, 'uses the path parameter "a~1b"'],
  ])('refuses the bulk pattern of %j', (xMock, problem) => {
    expect(mockBehaviourProblems(spec(xMock))).toEqual([expect.stringContaining(problem)]);
  });
});
