export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Record_ = { [key: string]: Json };

/**
 * What a delete leaves: the record as it was (none when the delete named nothing), for the reads
 * the vendor answers about deleted records (Placewise's person-id look-up: `storage`).
 */
class Deleted {
  constructor(readonly record?: Record_) {}
}
const NOTHING_WRITTEN: ReadonlyMap<string, Record_ | Deleted> = new Map();

/** A write that would make the store hold more than its limit: what the call wrote is put back (MOCK-183). */
export class StoreFull extends Error {
  constructor(readonly limit: number) {
    super(`the session holds ${limit} records and links, as many as the mock keeps in one (MOCK-183)`);
  }
}

/**
 * One tenant's data, like a vendor sandbox: records per resource, seeded from the spec's examples
 * and shared by every caller, overlaid per owner (the user a token acts for) on first write, so
 * one user's changes never show in another user's reads. Relations are pairs of ids.
 */
export class Store {
  // Owner, then resource, then id: nested maps, not joined keys, as owners and ids are text a
  // client chooses (U+0000 included) and a joined key could spell another owner's.
  private readonly owned = new Map<string, Map<string, Map<string, Record_ | Deleted>>>();
  /** Per relation and owner, each id's partners, from either side. */
  private readonly relations = new Map<string, Map<string, Links>>();
  /** Per resource, the last number nextId made up: each resource counts on its own, as a vendor's tables do. */
  private readonly counters = new Map<string, number>();
  private readonly highest = new Map<string, number>();
  private readonly given = new Map<string, number>();
  /** While a call runs `atomically`: how to put back each change it made, oldest first. */
  private journal?: (() => void)[];
  /** Records (a deleted one's mark too) and links written: what the session's memory grows with. */
  private held = 0;

  constructor(
    private readonly seeds: Map<string, Map<string, Record_>>,
    links: { relation: string; left: string; right: string }[] = [],
    private readonly limit = Infinity,
    /** Told each entry held or freed (and each put back): the engine's count over all sessions (MOCK-185). */
    private readonly tally?: (by: number) => void,
  ) {
    for (const { relation, left, right } of links) this.link(relation, '', left, right, true);
  }

  /**
   * Runs `change` all or nothing: when `kept(result)` is false, or it throws, every record, link and
   * id count it changed is put back as it was, newest first. It costs what the call wrote, where a
   * copy of the store cost every record held (50-100 ms with 100,000). Nested, the outer call's
   * undo takes in what the inner one kept.
   */
  atomically<T>(change: () => T, kept: (result: T) => boolean): T {
    const outer = this.journal;
    const journal: (() => void)[] = [];
    this.journal = journal;
    let keep = false;
    try {
      const result = change();
      keep = kept(result);
      return result;
    } finally {
      this.journal = outer;
      if (!keep) for (let i = journal.length - 1; i >= 0; i--) journal[i]!();
      else if (outer) for (const undo of journal) outer.push(undo);
    }
  }

  /** Keeps an owner's record (or what a delete left) under its key. */
  private keep(resource: string, owner: string, id: string, entry: Record_ | Deleted): void {
    const bucket = this.writable(resource, owner);
    if (!bucket.has(id)) this.count(1);
    if (this.journal) {
      const before = bucket.get(id);
      // Map.set on a key it holds keeps its place: an undone change leaves the list's order as it was.
      this.journal.push(() => (before === undefined ? bucket.delete(id) : bucket.set(id, before)));
    }
    bucket.set(id, entry);
  }

  /** One more entry held (or one fewer), refused past the limit, put back with the call that wrote it. */
  private count(by: 1 | -1): void {
    if (by > 0 && this.held >= this.limit) throw new StoreFull(this.limit);
    this.held += by;
    this.tally?.(by);
    this.journal?.push(() => {
      this.held -= by;
      this.tally?.(-by);
    });
  }

  /** Records and links held, what the limits count. */
  get size(): number {
    return this.held;
  }

  /** What an owner has written of a resource (reads allocate nothing for an owner who wrote none). */
  private bucket(resource: string, owner: string): ReadonlyMap<string, Record_ | Deleted> {
    return this.owned.get(owner)?.get(resource) ?? NOTHING_WRITTEN;
  }

  /** The same, made on an owner's first write. */
  private writable(resource: string, owner: string) {
    let resources = this.owned.get(owner);
    if (!resources) {
      this.owned.set(owner, (resources = new Map()));
      // Undone, an owner who wrote nothing else is no longer among `owners()`.
      this.journal?.push(() => this.owned.delete(owner));
    }
    let bucket = resources.get(resource);
    if (!bucket) {
      const made = resources;
      made.set(resource, (bucket = new Map()));
      this.journal?.push(() => made.delete(resource));
    }
    return bucket;
  }

  /** In a stable order, seeds first: a changed record keeps its place, so paging through a list never shows it twice. */
  list(resource: string, owner: string): Record_[] {
    const mine = this.bucket(resource, owner);
    const seeds = this.seeds.get(resource);
    const out: Record_[] = [];
    for (const [id, seed] of seeds ?? []) {
      const own = mine.get(id);
      if (!(own instanceof Deleted)) out.push(own ?? seed);
    }
    for (const [id, record] of mine) if (!(record instanceof Deleted) && !seeds?.has(id)) out.push(record);
    return out;
  }

  /** The resource's first seed as the spec shows it, whatever anyone wrote since: what a create copies. */
  seed(resource: string): Record_ | undefined {
    for (const record of this.seeds.get(resource)?.values() ?? []) return record;
    return undefined;
  }

  /**
   * A record of the owner's for a read or adjust that names none, without building the list (it
   * must not cost a pass over them all): the first seed this owner has not written, else the
   * first record the owner wrote.
   */
  first(resource: string, owner: string): Record_ | undefined {
    const mine = this.bucket(resource, owner);
    for (const [id, record] of this.seeds.get(resource) ?? []) if (!mine.has(id)) return record;
    for (const record of mine.values()) if (!(record instanceof Deleted)) return record;
    return undefined;
  }

  /** The records an owner sees kept within a scope (see scopedId), seeds first, as `list` orders them. */
  inScope(resource: string, owner: string, scope: string): Record_[] {
    // An escaped part holds no two U+0000 in a row: the first pair in a key ends its scope.
    const prefix = scopedId(scope, '');
    const mine = this.bucket(resource, owner);
    const seeds = this.seeds.get(resource);
    const out: Record_[] = [];
    for (const [id, seed] of seeds ?? []) {
      const own = mine.get(id);
      if (id.startsWith(prefix) && !(own instanceof Deleted)) out.push(own ?? seed);
    }
    for (const [id, record] of mine) if (!(record instanceof Deleted) && id.startsWith(prefix) && !seeds?.has(id)) out.push(record);
    return out;
  }

  get(resource: string, owner: string, id: string): Record_ | undefined {
    const mine = this.bucket(resource, owner).get(id);
    if (mine instanceof Deleted) return undefined;
    return mine ?? this.seeds.get(resource)?.get(id);
  }

  /** The record as it was when this owner deleted it (undefined if it is kept, or was never deleted). */
  deleted(resource: string, owner: string, id: string): Record_ | undefined {
    const mine = this.bucket(resource, owner).get(id);
    return mine instanceof Deleted ? mine.record : undefined;
  }

  /** Every record this owner deleted, as each was, in the order of their ids' first writes. */
  deletedList(resource: string, owner: string): Record_[] {
    const out: Record_[] = [];
    for (const held of this.bucket(resource, owner).values()) if (held instanceof Deleted && held.record) out.push(held.record);
    return out;
  }

  hasOwn(resource: string, owner: string, id: string): boolean {
    const mine = this.bucket(resource, owner).get(id);
    return mine !== undefined && !(mine instanceof Deleted);
  }

  /** Records written through the API (not the spec's seeds), whoever owns them. */
  written(resource: string): Record_[] {
    const out: Record_[] = [];
    for (const resources of this.owned.values()) for (const record of resources.get(resource)?.values() ?? []) if (!(record instanceof Deleted)) out.push(record);
    return out;
  }

  owners(): string[] {
    return [...this.owned.keys()];
  }

  put(resource: string, owner: string, id: string, record: Record_): void {
    this.keep(resource, owner, id, record);
    if (/^\d{1,15}$/.test(id)) this.remember(this.highest, resource, Math.max(this.highestOf(resource), Number(id)));
  }

  /** The largest numeric id a resource has had, seeded or written by anyone (never lowered: an id is not reused). */
  private highestOf(resource: string): number {
    let highest = this.highest.get(resource);
    if (highest === undefined) {
      highest = 0;
      for (const id of this.seeds.get(resource)?.keys() ?? []) if (/^\d{1,15}$/.test(id)) highest = Math.max(highest, Number(id));
      this.remember(this.highest, resource, highest);
    }
    return highest;
  }

  /**
   * One above every number `read` finds in the resource's records (seeded, or written by anyone)
   * and every number given out before under this name: a deleted record's number is never given
   * again in the session, as Placewise keeps a deleted member's person id.
   */
  freshNumber(resource: string, name: string, read: (record: Record_) => unknown): number {
    const key = `${resource}\u0000${name}`;
    let highest = this.given.get(key) ?? 0;
    for (const record of [...(this.seeds.get(resource)?.values() ?? []), ...this.written(resource)]) {
      const held = read(record);
      if (typeof held === 'number' && held > highest) highest = held;
    }
    const next = Math.floor(highest) + 1;
    this.remember(this.given, key, next);
    return next;
  }

  /** Whether a record is, or was, kept under this key by anyone (a seed, any owner's write or delete). */
  everHeld(resource: string, key: string): boolean {
    if (this.seeds.get(resource)?.has(key)) return true;
    for (const resources of this.owned.values()) if (resources.get(resource)?.has(key)) return true;
    return false;
  }

  delete(resource: string, owner: string, id: string): boolean {
    const record = this.get(resource, owner, id);
    // A second delete keeps what the first one removed.
    if (record !== undefined || !(this.bucket(resource, owner).get(id) instanceof Deleted)) this.keep(resource, owner, id, new Deleted(record));
    return record !== undefined;
  }

  /**
   * A fresh id of the same kind as the seeds': numbers count up past the largest one the resource
   * has had, kept as records are written, so a create costs the same with a hundred thousand of them.
   * A number or `mock-<n>` that is not `free` (a client gave a record that id) is passed over.
   */
  nextId(resource: string, like: Json | undefined, free: (id: Json) => boolean = () => true): Json {
    let counter = this.counters.get(resource) ?? 0;
    if (typeof like === 'number') {
      do counter = Math.max(counter, this.highestOf(resource)) + 1;
      while (!free(counter));
      this.remember(this.counters, resource, counter);
      return counter;
    }
    if (typeof like === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(like)) return crypto.randomUUID();
    // Hex ids (Mongo ObjectIds and the like) get a fresh hex id of the same length.
    if (typeof like === 'string' && /^[0-9a-f]{12,}$/i.test(like)) {
      return Array.from(crypto.getRandomValues(new Uint8Array(like.length)), (b) => (b % 16).toString(16)).join('');
    }
    let id: string;
    do id = `mock-${++counter}`;
    while (!free(id));
    this.remember(this.counters, resource, counter);
    return id;
  }

  /** Sets one of the id counts, noting how to put it back: a refused call's ids are given again, as if it had never come. */
  private remember(counts: Map<string, number>, key: string, value: number): void {
    if (this.journal) {
      const before = counts.get(key);
      this.journal.push(() => (before === undefined ? counts.delete(key) : counts.set(key, before)));
    }
    counts.set(key, value);
  }

  link(relation: string, owner: string, left: string, right: string, present: boolean): void {
    let owners = this.relations.get(relation);
    if (!owners) {
      this.relations.set(relation, (owners = new Map()));
      this.journal?.push(() => this.relations.delete(relation));
    }
    let links = owners.get(owner);
    if (!links) {
      const made = owners;
      made.set(owner, (links = { left: new Map(), right: new Map() }));
      this.journal?.push(() => made.delete(owner));
    }
    // Held from both sides, a link counts once.
    if ((links.left.get(left)?.has(right) ?? false) !== present) this.count(present ? 1 : -1);
    this.pair(links.left, left, right, present);
    this.pair(links.right, right, left, present);
  }

  /** One side of a link: `partner` among `id`'s partners or not. */
  private pair(side: Map<string, Set<string>>, id: string, partner: string, present: boolean): void {
    let partners = side.get(id);
    if (!partners) {
      if (!present) return;
      side.set(id, (partners = new Set()));
      this.journal?.push(() => side.delete(id));
    }
    if (partners.has(partner) === present) return;
    const set = partners;
    if (present) {
      set.add(partner);
      this.journal?.push(() => set.delete(partner));
      return;
    }
    set.delete(partner);
    // Put back at the end of the list, as if linked again: keeping its place would cost a copy of
    // the list on every unlink (28 ms a call in a group of a million), and no refusable call unlinks.
    this.journal?.push(() => set.add(partner));
  }

  linked(relation: string, owner: string, side: 'left' | 'right', id: string): string[] {
    return [...(this.relations.get(relation)?.get(owner)?.[side].get(id) ?? [])];
  }
}

/** A relation's pairs of one owner: the right ids of each left id, and the left ids of each right id. */
interface Links {
  left: Map<string, Set<string>>;
  right: Map<string, Set<string>>;
}
// Every U+0000 in a part is followed by U+0001, so a key never holds two U+0000 in a row but where
// a scope ends: an id a client sends (ids are text, U+0000 included) cannot spell another account's.
const escaped = (part: string) => part.replaceAll('\u0000', '\u0000\u0001');

/**
 * Where a record that belongs to another (`scope`: a XONVO lead to its account) is kept: its id
 * within that record's, so one id under two accounts is two records. Unscoped, the id itself (as
 * every other record is kept), escaped as a scoped key's parts are.
 */
export const scopedId = (scope: string | undefined, id: string): string => (scope === undefined ? escaped(id) : `${escaped(scope)}\u0000\u0000${escaped(id)}`);

/**
 * The owner whose copy of a record a call made for anyone acts on ('' when only the shared seed
 * exists): the first whose copy is `wanted` (in the state the call's transition needs), else the
 * tenant if its copy is, else the first holding a copy, whose state the refusal then names. Users
 * each hold a copy of a seeded voucher they redeemed: the POS revert is for the one redeemed.
 */
export function ownerOf(store: Store, resource: string, id: string, owners: Iterable<string>, wanted: (record: Record_) => boolean = () => true): string {
  let holder: string | undefined;
  for (const owner of owners) {
    if (owner === '' || !store.hasOwn(resource, owner, id)) continue;
    if (wanted(store.get(resource, owner, id)!)) return owner;
    holder ??= owner;
  }
  const shared = store.get(resource, '', id);
  return holder === undefined || (shared !== undefined && wanted(shared)) ? '' : holder;
}
