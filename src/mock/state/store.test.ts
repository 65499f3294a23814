import { describe, expect, it } from 'vitest';
import { ownerOf, scopedId, Store, StoreFull, type Record_ } from './store.js';

function seeded(resources: Record<string, Record_[]> = {}, key = 'id') {
  return new Map(Object.entries(resources).map(([name, records]) => [name, new Map(records.map((r) => [String(r[key]), r]))]));
}

const seeds = () => seeded({ members: [{ id: 1, name: 'Ann' }, { id: 2, name: 'Bob' }], groups: [{ id: 'g1' }] });

describe('Store reads and writes per owner', () => {
  it('shows the seeds to every owner', () => {
    const store = new Store(seeds());
    expect(store.list('members', 'alice')).toEqual([{ id: 1, name: 'Ann' }, { id: 2, name: 'Bob' }]);
    expect(store.get('members', '', '2')).toEqual({ id: 2, name: 'Bob' });
    expect(store.list('unknown', 'alice')).toEqual([]);
    expect(store.get('unknown', 'alice', '1')).toBeUndefined();
  });

  it("overlays one owner's writes on the seeds without another owner seeing them", () => {
    const store = new Store(seeds());
    store.put('members', 'alice', '1', { id: 1, name: 'Ann (edited)' });
    store.put('members', 'alice', '3', { id: 3, name: 'Cid' });
    // The edited seed appears once, as the owner's copy, in its place: paging does not show it twice.
    expect(store.list('members', 'alice')).toEqual([{ id: 1, name: 'Ann (edited)' }, { id: 2, name: 'Bob' }, { id: 3, name: 'Cid' }]);
    expect(store.get('members', 'alice', '1')).toEqual({ id: 1, name: 'Ann (edited)' });
    expect(store.list('members', 'bob')).toEqual([{ id: 1, name: 'Ann' }, { id: 2, name: 'Bob' }]);
    expect(store.get('members', 'bob', '3')).toBeUndefined();
  });

  it('hides a deleted record, seed or own, from its owner only', () => {
    const store = new Store(seeds());
    store.put('members', 'alice', '3', { id: 3 });
    expect(store.delete('members', 'alice', '1')).toBe(true);
    expect(store.delete('members', 'alice', '3')).toBe(true);
    expect(store.get('members', 'alice', '1')).toBeUndefined();
    expect(store.get('members', 'alice', '3')).toBeUndefined();
    expect(store.list('members', 'alice')).toEqual([{ id: 2, name: 'Bob' }]);
    expect(store.get('members', 'bob', '1')).toEqual({ id: 1, name: 'Ann' });
  });

  it('reports whether a delete found anything', () => {
    const store = new Store(seeds());
    expect(store.delete('members', 'alice', '99')).toBe(false);
    expect(store.delete('members', 'alice', '1')).toBe(true);
    expect(store.delete('members', 'alice', '1')).toBe(false);
  });

  it('keeps what a delete removed, for its owner only, and a second delete does not forget it', () => {
    const store = new Store(seeds());
    store.put('members', 'alice', '3', { id: 3, name: 'Cid' });
    store.put('members', 'alice', '3', { id: 3, name: 'Cid (edited)' });
    store.delete('members', 'alice', '3');
    store.delete('members', 'alice', '1');
    store.delete('members', 'alice', '3');
    store.delete('members', 'alice', '9');
    expect(store.deleted('members', 'alice', '3')).toEqual({ id: 3, name: 'Cid (edited)' });
    expect(store.deleted('members', 'alice', '1')).toEqual({ id: 1, name: 'Ann' });
    expect(store.deleted('members', 'alice', '9')).toBeUndefined();
    expect(store.deleted('members', 'alice', '2')).toBeUndefined();
    expect(store.deleted('members', 'bob', '1')).toBeUndefined();
    expect(store.deletedList('members', 'alice')).toEqual([{ id: 3, name: 'Cid (edited)' }, { id: 1, name: 'Ann' }]);
    store.put('members', 'alice', '3', { id: 3, name: 'Cid again' });
    expect(store.deleted('members', 'alice', '3')).toBeUndefined();
  });

  it('hasOwn is true only for an owner copy that is not deleted', () => {
    const store = new Store(seeds());
    expect(store.hasOwn('members', 'alice', '1')).toBe(false);
    store.put('members', 'alice', '1', { id: 1 });
    expect(store.hasOwn('members', 'alice', '1')).toBe(true);
    expect(store.hasOwn('members', 'bob', '1')).toBe(false);
    store.delete('members', 'alice', '1');
    expect(store.hasOwn('members', 'alice', '1')).toBe(false);
  });

  it('written lists the records put through the API for one resource, any owner, without seeds or deletions', () => {
    const store = new Store(seeds());
    store.put('members', 'alice', '3', { id: 3 });
    store.put('members', 'bob', '4', { id: 4 });
    store.put('members', 'bob', '5', { id: 5 });
    store.put('groups', 'bob', 'g2', { id: 'g2' });
    store.delete('members', 'bob', '5');
    expect(store.written('members')).toEqual([{ id: 3 }, { id: 4 }]);
    expect(store.written('groups')).toEqual([{ id: 'g2' }]);
    expect(store.written('nothing')).toEqual([]);
  });

  it('owners names each owner who wrote to the store once; reads leave no trace', () => {
    const store = new Store(seeds());
    expect(store.owners()).toEqual([]);
    store.put('members', 'alice', '3', { id: 3 });
    store.put('groups', 'alice', 'g2', { id: 'g2' });
    store.delete('members', 'carol', '1');
    // A reader allocates nothing: a fresh session or user on every read must not grow the mock.
    for (let i = 0; i < 1000; i++) {
      store.get('members', `bob-${i}`, '1');
      store.list('members', `bob-${i}`);
      store.first('members', `bob-${i}`);
      store.hasOwn('members', `bob-${i}`, '1');
    }
    expect(store.owners().sort()).toEqual(['alice', 'carol']);
  });
});

describe('Store.nextId', () => {
  it('counts numeric ids up past the largest one the resource has had, ignoring non-numeric ids', () => {
    const store = new Store(seeded({ members: [{ id: 7 }, { id: 'x' }, { id: 3 }] }));
    expect(store.nextId('members', 1)).toBe(8);
    store.put('members', 'alice', '20', { id: 20 });
    expect(store.nextId('members', 1)).toBe(21);
    // Never hands out a number twice.
    expect(store.nextId('members', 1)).toBe(22);
  });

  it('counts past the ids the records are kept by (their key field)', () => {
    const store = new Store(seeded({ cards: [{ id: 'a', number: 41 }] }, 'number'));
    expect(store.nextId('cards', 0)).toBe(42);
  });

  it('never lists the records to number or copy one, and never overflows the stack, with a hundred and fifty thousand of them (a bulk write)', () => {
    let listed = 0;
    class Counted extends Store {
      override list(resource: string, owner: string) {
        listed += 1;
        return super.list(resource, owner);
      }
    }
    const store = new Counted(seeded({ members: [{ id: 7 }] }));
    for (let i = 100; i < 150_100; i++) store.put('members', '', String(i), { id: i });
    expect(store.nextId('members', 1)).toBe(150_100);
    expect(store.seed('members')).toEqual({ id: 7 });
    expect(store.first('members', '')).toEqual({ id: 7 });
    expect(listed).toBe(0);
  });

  it('starts at 1 with no records', () => {
    expect(new Store(new Map()).nextId('members', 0)).toBe(1);
  });

  // Found 2026-12-01: a member created after a group took the group's sequence (43, then 6815).
  it('counts each resource on its own, as a vendor numbers each table', () => {
    const store = new Store(seeded({ members: [{ id: 42 }], groups: [{ id: 6813 }] }));
    expect(store.nextId('members', 1)).toBe(43);
    expect(store.nextId('groups', 1)).toBe(6814);
    expect(store.nextId('members', 1)).toBe(44);
    expect([store.nextId('cards', 'x'), store.nextId('tags', 'x'), store.nextId('cards', 'x')]).toEqual(['mock-1', 'mock-1', 'mock-2']);
    // An undone call puts back each resource's count.
    store.atomically(() => expect(store.nextId('groups', 1)).toBe(6815), () => false);
    expect([store.nextId('groups', 1), store.nextId('members', 1)]).toEqual([6815, 45]);
  });

  it('copies the first seed as seeded, whoever changed or deleted it (what a create copies)', () => {
    const store = new Store(seeded({ members: [{ id: 7, name: 'seed' }, { id: 8 }] }));
    store.put('members', 'alice', '7', { id: 7, name: 'changed' });
    expect(store.seed('members')).toEqual({ id: 7, name: 'seed' });
    store.delete('members', 'alice', '7');
    expect(store.seed('members')).toEqual({ id: 7, name: 'seed' });
    expect(store.seed('nothing')).toBeUndefined();
  });

  it('answers a uuid for a uuid-like id', () => {
    const store = new Store(new Map());
    const id = store.nextId('members', '0F8FAD5B-D9CB-469F-A165-70867728950E');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id).not.toBe(store.nextId('members', '0f8fad5b-d9cb-469f-a165-70867728950e'));
  });

  it('answers a fresh hex id of the same length for a hex id', () => {
    const store = new Store(new Map());
    const like = '5F3A9B2C1D4E6F708192A3B4';
    const id = store.nextId('members', like) as string;
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(id).not.toBe(store.nextId('members', like));
    expect(store.nextId('members', 'abcdef012345')).toMatch(/^[0-9a-f]{12}$/);
  });

  it('answers mock-<n> for other ids, counting up', () => {
    const store = new Store(new Map());
    // Too short for hex, not a uuid, contains non-hex characters, not a string.
    expect(store.nextId('members', 'abcdef01234')).toBe('mock-1');
    expect(store.nextId('members', '0f8fad5b-d9cb')).toBe('mock-2');
    expect(store.nextId('members', 'x0f8fad5b-d9cb-469f-a165-70867728950e')).toBe('mock-3');
    expect(store.nextId('members', '0f8fad5b-d9cb-469f-a165-70867728950g')).toMatch(/^[0-9a-f]{8}-/);
    expect(store.nextId('members', 'abcdef012345x')).toBe('mock-4');
    expect(store.nextId('members', 'Xabcdef012345')).toBe('mock-5');
    expect(store.nextId('members', '0f8fad5b-d9c-469f')).toBe('mock-6');
    expect(store.nextId('members', 'g0f8fad5-d9cb-469f')).toBe('mock-7');
    expect(store.nextId('members', 'SUMMER-2024-VOUCHER')).toBe('mock-8');
    expect(store.nextId('members', undefined)).toBe('mock-9');
    expect(store.nextId('members', null)).toBe('mock-10');
  });

  it('only takes a string id for a uuid or hex id, not something that prints like one', () => {
    const store = new Store(new Map());
    expect(store.nextId('members', ['0f8fad5b-d9cb-469f-a165-70867728950e'])).toBe('mock-1');
    expect(store.nextId('members', ['abcdef012345'])).toBe('mock-2');
  });
});

describe('Store owners', () => {
  it('names each owner whole and finds what it wrote, U+0000 in its name or not (MOCK-36)', () => {
    const store = new Store(seeds());
    store.put('members', 'a\u0000b', '7', { id: 7 });
    store.put('members\u0000x', 'c', '8', { id: 8 });
    expect(store.owners()).toEqual(['a\u0000b', 'c']);
    expect(ownerOf(store, 'members', '7', store.owners())).toBe('a\u0000b');
    expect(store.written('members')).toEqual([{ id: 7 }]);
    expect(store.get('members', 'a', '7')).toBeUndefined();
  });

  it('undoes writes to every owner and relation when a call is not kept', () => {
    const store = new Store(seeds());
    store.put('members', 'alice', '7', { id: 7 });
    store.link('r', 'alice', 'g', 'm', true);
    store.atomically(() => {
      store.put('members', 'alice', '8', { id: 8 });
      store.put('members', 'bob', '9', { id: 9 });
      store.link('r', 'alice', 'g', 'n', true);
      store.link('r', 'alice', 'g', 'm', false);
    }, () => false);
    expect(store.written('members')).toEqual([{ id: 7 }]);
    expect(store.owners()).toEqual(['alice']);
    expect(store.linked('r', 'alice', 'left', 'g')).toEqual(['m']);
  });
});

describe('Store relations', () => {
  it('links and unlinks pairs per owner, read from either side', () => {
    const store = new Store(new Map());
    store.link('members', 'alice', 'g1', 'm1', true);
    store.link('members', 'alice', 'g1', 'm2', true);
    store.link('members', 'alice', 'g2', 'm1', true);
    store.link('members', 'bob', 'g1', 'm3', true);
    expect(store.linked('members', 'alice', 'left', 'g1')).toEqual(['m1', 'm2']);
    expect(store.linked('members', 'alice', 'right', 'm1')).toEqual(['g1', 'g2']);
    expect(store.linked('members', 'bob', 'left', 'g1')).toEqual(['m3']);
    store.link('members', 'alice', 'g1', 'm1', false);
    expect(store.linked('members', 'alice', 'left', 'g1')).toEqual(['m2']);
    expect(store.linked('other', 'alice', 'left', 'g1')).toEqual([]);
  });

  it('keeps owners apart whatever their names and ids hold: U+0000 cannot spell another owner\'s pair (MOCK-36)', () => {
    const store = new Store(new Map());
    // Joined with U+0000, the pair ("\0g1\0m1", "6813", "42") of the second owner read as the first's.
    store.link('members', '\u0000g1\u0000m1', '6813', '42', true);
    store.link('members', 'tenant', 'a\u0000b', 'c', true);
    expect(store.linked('members', '', 'left', 'g1')).toEqual([]);
    expect(store.linked('members', '', 'right', 'm1')).toEqual([]);
    expect(store.linked('members', 'tenant', 'left', 'a')).toEqual([]);
    expect(store.linked('members', 'tenant', 'left', 'a\u0000b')).toEqual(['c']);
    expect(store.linked('members', 'tenant', 'right', 'c')).toEqual(['a\u0000b']);
  });

  it('reads only the side asked for, even when the id also appears on the other side', () => {
    const store = new Store(new Map());
    store.link('follows', '', 'a', 'b', true);
    store.link('follows', '', 'b', 'c', true);
    expect(store.linked('follows', '', 'left', 'b')).toEqual(['c']);
    expect(store.linked('follows', '', 'right', 'b')).toEqual(['a']);
  });

  it('keeps the links it was built with, for the tenant', () => {
    const store = new Store(new Map(), [
      { relation: 'members', left: 'g1', right: 'm1' },
      { relation: 'members', left: 'g1', right: 'm2' },
    ]);
    expect(store.linked('members', '', 'left', 'g1')).toEqual(['m1', 'm2']);
    expect(store.linked('members', 'alice', 'left', 'g1')).toEqual([]);
  });
});

describe('Store.atomically', () => {
  const refused = () => false;

  it('puts back, newest first, what each write replaced: a record, what a delete left, or nothing', () => {
    const store = new Store(seeds());
    store.put('members', 'alice', '1', { id: 1, v: 'before' });
    store.put('members', 'alice', '2', { id: 2 });
    store.delete('members', 'alice', '2');
    store.atomically(() => {
      store.put('members', 'alice', '1', { id: 1, v: 'during' });
      store.put('members', 'alice', '1', { id: 1, v: 'again' });
      store.put('members', 'alice', '2', { id: 2, v: 'back' });
      store.put('members', 'bob', '3', { id: 3 });
      store.delete('members', 'alice', '1');
    }, refused);
    expect(store.get('members', 'alice', '1')).toEqual({ id: 1, v: 'before' });
    expect([store.get('members', 'alice', '2'), store.deleted('members', 'alice', '2')]).toEqual([undefined, { id: 2 }]);
    expect(store.written('members')).toEqual([{ id: 1, v: 'before' }]);
    expect(store.owners()).toEqual(['alice']);
    // Over, it notes nothing more: a later write stays.
    store.put('members', 'alice', '4', { id: 4 });
    expect(store.get('members', 'alice', '4')).toEqual({ id: 4 });
  });

  it('keeps what a kept call wrote, and answers what the call answered', () => {
    const store = new Store(seeds());
    expect(store.atomically(() => (store.put('members', 'alice', '1', { id: 1 }), 'done'), (result) => result === 'done')).toBe('done');
    expect(store.get('members', 'alice', '1')).toEqual({ id: 1 });
  });

  it('undoes what a call wrote before it threw, and passes the error on', () => {
    const store = new Store(seeds());
    expect(() =>
      store.atomically(() => {
        store.put('members', 'alice', '1', { id: 1 });
        throw new Error('a mock bug');
      }, () => true),
    ).toThrow('a mock bug');
    expect(store.written('members')).toEqual([]);
  });

  it('undoes every write, deletion, link and id, and keeps each list of records in its order', () => {
    const store = new Store(seeds(), [{ relation: 'members', left: 'g1', right: 'm1' }]);
    store.link('members', '', 'g1', 'm0', true);
    store.put('members', 'alice', '3', { id: 3 });
    store.put('members', 'alice', '9', { id: 9 });
    expect(store.nextId('members', 'x')).toBe('mock-1');
    store.atomically(() => {
      store.put('members', 'alice', '4', { id: 4 });
      store.put('members', 'alice', '3', { id: 3, v: 'changed' });
      store.put('members', 'carol', '5', { id: 5 });
      store.delete('members', 'alice', '1');
      store.delete('members', 'alice', '3');
      store.link('members', '', 'g1', 'm2', true);
      store.link('members', '', 'g1', 'm1', false);
      store.link('members', '', 'g1', 'm1', true);
      store.link('members', '', 'g1', 'm1', false);
      store.link('members', '', 'x', 'y', false);
      store.link('new-relation', '', 'a', 'b', true);
      expect(store.nextId('members', 'x')).toBe('mock-2');
      expect(store.nextId('cards', 'x')).toBe('mock-1');
    }, refused);
    expect(store.list('members', 'alice')).toEqual([{ id: 1, name: 'Ann' }, { id: 2, name: 'Bob' }, { id: 3 }, { id: 9 }]);
    expect(store.written('members')).toEqual([{ id: 3 }, { id: 9 }]);
    expect(store.owners()).toEqual(['alice']);
    // An unlinked partner comes back at the end of the list (a copy per unlink would cost the list's size).
    expect(store.linked('members', '', 'left', 'g1')).toEqual(['m0', 'm1']);
    expect(store.linked('members', '', 'right', 'm1')).toEqual(['g1']);
    expect(store.linked('members', '', 'left', 'x')).toEqual([]);
    expect(store.linked('new-relation', '', 'left', 'a')).toEqual([]);
    expect([store.nextId('members', 'x'), store.nextId('cards', 'x')]).toEqual(['mock-2', 'mock-1']);
  });

  it('undoes, from an outer call, what an inner call kept; an inner call undone leaves the outer one\'s writes', () => {
    const store = new Store(seeds());
    store.put('members', 'alice', '0', { id: 0 });
    store.atomically(() => {
      store.put('members', 'alice', '1', { id: 1 });
      store.atomically(() => store.put('members', 'alice', '2', { id: 2 }), () => true);
      store.atomically(() => store.put('members', 'alice', '3', { id: 3 }), refused);
      expect(store.written('members')).toEqual([{ id: 0 }, { id: 1 }, { id: 2 }]);
    }, refused);
    expect(store.written('members')).toEqual([{ id: 0 }]);
  });
});

describe('ownerOf', () => {
  it('names the first owner holding their own copy of the record', () => {
    const store = new Store(seeds());
    store.put('members', 'bob', '1', { id: 1 });
    store.put('members', 'carol', '1', { id: 1 });
    expect(ownerOf(store, 'members', '1', ['alice', 'bob', 'carol'])).toBe('bob');
  });

  it("is '' when only the seed exists, and never picks the tenant itself", () => {
    const store = new Store(seeds());
    store.put('members', '', '2', { id: 2 });
    expect(ownerOf(store, 'members', '1', ['alice'])).toBe('');
    expect(ownerOf(store, 'members', '2', ['', 'alice'])).toBe('');
    store.put('members', 'alice', '2', { id: 2 });
    expect(ownerOf(store, 'members', '2', ['', 'alice'])).toBe('alice');
  });

  it('names the first owner whose copy is wanted, else the tenant whose copy is, else the first holding one', () => {
    const store = new Store(seeds());
    const open = (record: Record_) => record.state === 'open';
    store.put('members', 'alice', '1', { id: 1, state: 'closed' });
    store.put('members', 'bob', '1', { id: 1, state: 'open' });
    expect(ownerOf(store, 'members', '1', ['alice', 'bob'], open)).toBe('bob');
    store.put('members', 'bob', '1', { id: 1, state: 'closed' });
    expect(ownerOf(store, 'members', '1', ['alice', 'bob'], open)).toBe('alice');
    store.put('members', '', '1', { id: 1, state: 'open' });
    expect(ownerOf(store, 'members', '1', ['alice', 'bob'], open)).toBe('');
  });
});

describe('inScope', () => {
  it("lists what an owner sees within one scope only: the seeds there, the owner's own, no deleted one, no other scope's, whatever the ids hold", () => {
    const store = new Store(seeded({ leads: [] }));
    const put = (owner: string, scope: string | undefined, id: string) => store.put('leads', owner, scopedId(scope, id), { id });
    put('', '21', 'a');
    put('', '21\u0000', 'b');
    put('', undefined, '21\u0000\u0000c');
    put('', '2', '1\u0000\u0000d');
    put('bob', '21', 'e');
    put('', '21', 'f');
    store.delete('leads', '', scopedId('21', 'f'));
    expect(store.inScope('leads', '', '21').map((l) => l.id)).toEqual(['a']);
    expect(store.inScope('leads', 'bob', '21').map((l) => l.id)).toEqual(['e']);
  });
});

describe('the records and links one store holds (MOCK-183)', () => {
  it('refuses the write past its limit, putting back the whole call, and counts an overwrite, a delete mark and a link once', () => {
    const store = new Store(seeds(), [], 4);
    const call = (change: () => void) => store.atomically(change, () => true);
    call(() => store.put('members', 'alice', '3', { id: 3 }));
    call(() => store.put('members', 'alice', '3', { id: 3, name: 'again' })); // the same record: no more held
    call(() => store.delete('members', 'alice', '1')); // the seed's delete mark is held
    call(() => store.link('in', '', 'g1', '2', true));
    call(() => store.link('in', '', 'g1', '2', true)); // linked already
    // One entry is left: a call writing two is refused whole.
    expect(() => call(() => (store.put('members', 'bob', '7', { id: 7 }), store.put('members', 'bob', '8', { id: 8 })))).toThrow(StoreFull);
    expect(store.get('members', 'bob', '7')).toBeUndefined();
    call(() => store.put('members', 'bob', '7', { id: 7 }));
    expect(() => call(() => store.put('members', 'bob', '8', { id: 8 }))).toThrow('the session holds 4 records and links');
    // An unlink frees its entry.
    call(() => store.link('in', '', 'g1', '2', false));
    call(() => store.put('members', 'bob', '8', { id: 8 }));
    expect(store.list('members', 'bob').map((member) => member.id)).toEqual([1, 2, 7, 8]);
  });
});

