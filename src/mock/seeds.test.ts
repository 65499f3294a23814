import { describe, expect, it } from 'vitest';
import type { MockBehaviour } from './state/behaviour.js';
import type { Operation } from './prism.js';
import { linksFrom, seedsFrom } from './seeds.js';

/** An operation as Prism hands it over (every $ref resolved), reduced to what seeding reads. */
interface Shape {
  mock?: MockBehaviour;
  /** Status → example values of its JSON content, or a response without content or without examples. */
  responses?: Record<string, unknown[] | 'no content' | 'no examples'>;
  /** Path parameter → its example value (undefined: a parameter without examples). */
  pathParams?: Record<string, unknown>;
}
function operation({ mock, responses = {}, pathParams = {} }: Shape): Operation {
  return {
    id: 'op',
    method: 'get',
    path: '/x',
    extensions: mock ? { 'x-mock': mock } : {},
    request: { path: Object.entries(pathParams).map(([name, value]) => ({ name, style: 'simple', examples: value === undefined ? [] : [{ key: 'default', value }] })) },
    responses: Object.entries(responses).map(([code, values]) => {
      if (values === 'no content') return { code };
      if (values === 'no examples') return { code, contents: [{ mediaType: 'application/json' }] };
      return { code, contents: [{ mediaType: 'application/json', examples: values.map((value, i) => ({ key: `example${i}`, value })) }] };
    }),
  } as unknown as Operation;
}
const behaviourOf = (op: Operation) => (op.extensions as { 'x-mock'?: MockBehaviour })['x-mock'];
const seeds = (...shapes: Shape[]) => seedsFrom(shapes.map(operation), behaviourOf);
/** resource → id → record, as plain objects for comparison. */
const plain = (map: ReturnType<typeof seedsFrom>) => Object.fromEntries([...map].map(([resource, records]) => [resource, Object.fromEntries(records)]));

describe('seedsFrom: the records the spec shows', () => {
  it("seeds every record of a list's 2xx examples, by id, and none from error examples", () => {
    const found = seeds({
      mock: { resource: 'groups', action: 'list' },
      responses: { '200': [[{ id: 1, name: 'a' }, { id: 2, name: 'b' }]], '201': [[{ id: 3 }]], '202': 'no examples', '204': 'no content', '404': [[{ id: 9, name: 'error' }]] },
    });
    expect(plain(found)).toEqual({ groups: { '1': { id: 1, name: 'a' }, '2': { id: 2, name: 'b' }, '3': { id: 3 } } });
  });

  it('reads the records at the pointer and by the key the behaviour names', () => {
    const found = seeds({ mock: { resource: 'members', action: 'list', at: '/data', key: 'member_id' }, responses: { '200': [{ data: [{ member_id: 'm1' }, { id: 5 }] }] } });
    expect(plain(found)).toEqual({ members: { m1: { member_id: 'm1' } } });
  });

  it('seeds what reads show, and what creates answer with when they answer with the record', () => {
    const found = seeds(
      { mock: { resource: 'a', action: 'read' }, responses: { '200': [{ id: 1 }] } },
      { mock: { resource: 'b', action: 'create' }, responses: { '200': [{ id: 2 }] } },
      { mock: { resource: 'c', action: 'create', returns: 'record' }, responses: { '200': [{ id: 3 }] } },
    );
    expect(plain(found)).toEqual({ a: { '1': { id: 1 } }, b: { '2': { id: 2 } }, c: { '3': { id: 3 } } });
  });

  it('seeds nothing from creates that answer with an id only, updates, operations without a resource or without x-mock', () => {
    const found = seeds(
      { mock: { resource: 'a', action: 'create', returns: 'id' }, responses: { '200': [{ id: 1 }] } },
      { mock: { resource: 'b', action: 'update' }, responses: { '200': [{ id: 2 }] } },
      { mock: { action: 'list' }, responses: { '200': [[{ id: 3 }]] } },
      { responses: { '200': [[{ id: 4 }]] } },
    );
    expect(found.size).toBe(0);
  });

  it("gives a read's record without an id the path parameter's example as its id", () => {
    const found = seeds({ mock: { resource: 'stats', action: 'read', id: 'accountId' }, pathParams: { other: 'x', accountId: 21 }, responses: { '200': [{ leads: 3 }] } });
    expect(plain(found)).toEqual({ stats: { '21': { leads: 3, id: 21 } } });
  });

  it("keeps the record's own id over the path example", () => {
    const found = seeds({ mock: { resource: 'stats', action: 'read', id: 'accountId' }, pathParams: { accountId: 21 }, responses: { '200': [{ id: 5 }] } });
    expect(plain(found)).toEqual({ stats: { '5': { id: 5 } } });
  });

  it('skips records without an id when no path example gives one', () => {
    const found = seeds(
      { mock: { resource: 'a', action: 'read', id: 'missing' }, pathParams: { accountId: 21 }, responses: { '200': [{ leads: 1 }] } },
      { mock: { resource: 'b', action: 'read', id: 'accountId' }, pathParams: { accountId: undefined }, responses: { '200': [{ leads: 1 }] } },
      // A list's `id` names no record: its items are not given the path example.
      { mock: { resource: 'c', action: 'list', id: 'accountId' }, pathParams: { accountId: 21 }, responses: { '200': [[{ leads: 1 }, { id: 7 }]] } },
    );
    expect(plain(found)).toEqual({ c: { '7': { id: 7 } } });
  });

  it('takes only objects as records', () => {
    const found = seeds({ mock: { resource: 'a', action: 'read', id: 'id' }, pathParams: { id: 1 }, responses: { '200': ['text', null, [[{ id: 2 }]], 42] } });
    expect(found.size).toBe(0);
  });

  it('keeps the fuller record when examples show the same id twice, and the first of two as full', () => {
    const list = { mock: { resource: 'a', action: 'list' as const }, responses: { '200': [[{ id: 1, name: 'list' }, { id: 2, name: 'first' }]] } };
    const read = { mock: { resource: 'a', action: 'read' as const }, responses: { '200': [{ id: 1, name: 'read', extra: true }, { id: 2, name: 'second' }] } };
    const expected = { a: { '1': { id: 1, name: 'read', extra: true }, '2': { id: 2, name: 'first' } } };
    expect(plain(seeds(list, read))).toEqual(expected);
    expect(plain(seeds(read, list))).toEqual({ a: { '1': { id: 1, name: 'read', extra: true }, '2': { id: 2, name: 'second' } } });
  });
});

describe('linksFrom: the links a member list shows', () => {
  const memberList = (via: MockBehaviour['via'], more: MockBehaviour = {}) => ({
    mock: { resource: 'members', action: 'list' as const, via, ...more },
    pathParams: { other: 'o', groupId: 7 },
    responses: { '200': [[{ id: 1 }, { id: 2 }, { name: 'no id' }]] },
  });
  const links = (...shapes: Shape[]) => linksFrom(shapes.map(operation), behaviourOf);

  it("links each listed record to the path parameter's example, on the side the behaviour names", () => {
    expect(links(memberList({ relation: 'membership', param: 'groupId', side: 'left' }))).toEqual([
      { relation: 'membership', left: '7', right: '1' },
      { relation: 'membership', left: '7', right: '2' },
    ]);
    expect(links(memberList({ relation: 'membership', param: 'groupId', side: 'right' }))).toEqual([
      { relation: 'membership', left: '1', right: '7' },
      { relation: 'membership', left: '2', right: '7' },
    ]);
  });

  it('reads the records at the pointer and by the key the behaviour names', () => {
    const shape = { ...memberList({ relation: 'r', param: 'groupId', side: 'left' }, { at: '/data', key: 'member_id' }), responses: { '200': [{ data: [{ member_id: 'm1', id: 9 }] }] } };
    expect(links(shape)).toEqual([{ relation: 'r', left: '7', right: 'm1' }]);
  });

  it('links nothing for lists without via, other actions, or a parameter without an example', () => {
    const via = { relation: 'r', param: 'groupId', side: 'left' as const };
    expect(links({ ...memberList(via), mock: { resource: 'members', action: 'list' } })).toEqual([]);
    expect(links({ ...memberList(via), mock: { resource: 'members', action: 'read', via } })).toEqual([]);
    expect(links({ ...memberList(via), pathParams: { groupId: undefined } })).toEqual([]);
    expect(links({ responses: { '200': [[{ id: 1 }]] } })).toEqual([]);
  });
});
