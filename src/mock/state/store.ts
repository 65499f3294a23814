export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Record_ = { [key: string]: Json };

const DELETED = Symbol('deleted');
const NOTHING_WRITTEN: ReadonlyMap<string, Record_ | typeof DELETED> = new Map();

/**
 * One tenant's data, like a vendor sandbox: records per resource, seeded from the spec's examples
 * and shared by every caller, overlaid per owner (the user a token acts for) on first write, so
 * one user's changes never show in another user's reads. Relations are pairs of ids.
 */
export class Store {
  private readonly owned = new Map<string, Map<string, Record_ | typeof DELETED>>();
  private readonly relations = new Map<string, Set<string>>();
  private counter = 0;
  private readonly highest = new Map<string, number>();
  private readonly given = new Map<string, number>();

  constructor(
    private readonly seeds: Map<string, Map<string, Record_>>,
    links: { relation: string; left: string; right: string }[] = [],
  ) {
    for (const { relation, left, right } of links) this.link(relation, '', left, right, true);
  }

  /** A copy of everything written, so a call with several effects can be undone when one refuses. */
  snapshot() {
    return { owned: new Map([...this.owned].map(([k, v]) => [k, new Map(v)])), relations: new Map([...this.relations].map(([k, v]) => [k, new Set(v)])), counter: this.counter };
  }

  restore(saved: ReturnType<Store['snapshot']>) {
    this.owned.clear();
    for (const [k, v] of saved.owned) this.owned.set(k, v);
    this.relations.clear();
    for (const [k, v] of saved.relations) this.relations.set(k, v);
    this.counter = saved.counter;
  }

  /** What an owner has written of a resource (reads allocate nothing for an owner who wrote none). */
  private bucket(resource: string, owner: string): ReadonlyMap<string, Record_ | typeof DELETED> {
    return this.owned.get(`${owner}\u0000${resource}`) ?? NOTHING_WRITTEN;
  }

  /** The same, made on an owner's first write. */
  private writable(resource: string, owner: string) {
    const name = `${owner}\u0000${resource}`;
    let bucket = this.owned.get(name);
    if (!bucket) this.owned.set(name, (bucket = new Map()));
    return bucket;
  }

  /** In a stable order, seeds first: a changed record keeps its place, so paging through a list never shows it twice. */
  list(resource: string, owner: string): Record_[] {
    const mine = this.bucket(resource, owner);
    const seeds = this.seeds.get(resource);
    const out: Record_[] = [];
    for (const [id, seed] of seeds ?? []) {
      const own = mine.get(id);
      if (own !== DELETED) out.push(own ?? seed);
    }
    for (const [id, record] of mine) if (record !== DELETED && !seeds?.has(id)) out.push(record);
    return out;
  }

  /**
   * The record a create copies, without building the list (it must not cost a pass over them all):
   * the first seed as the spec shows it, unless this owner changed or removed it.
   */
  first(resource: string, owner: string): Record_ | undefined {
    const mine = this.bucket(resource, owner);
    for (const [id, record] of this.seeds.get(resource) ?? []) if (!mine.has(id)) return record;
    for (const record of mine.values()) if (record !== DELETED) return record;
    return undefined;
  }

  get(resource: string, owner: string, id: string): Record_ | undefined {
    const mine = this.bucket(resource, owner).get(id);
    if (mine === DELETED) return undefined;
    return mine ?? this.seeds.get(resource)?.get(id);
  }

  hasOwn(resource: string, owner: string, id: string): boolean {
    const mine = this.bucket(resource, owner).get(id);
    return mine !== undefined && mine !== DELETED;
  }

  /** Records written through the API (not the spec's seeds), whoever owns them. */
  written(resource: string): Record_[] {
    const out: Record_[] = [];
    for (const [name, bucket] of this.owned) {
      if (name.split('\u0000')[1] !== resource) continue;
      for (const record of bucket.values()) if (record !== DELETED) out.push(record);
    }
    return out;
  }

  owners(): string[] {
    return [...new Set([...this.owned.keys()].map((name) => name.split('\u0000')[0]!))];
  }

  put(resource: string, owner: string, id: string, record: Record_): void {
    this.writable(resource, owner).set(id, record);
    if (/^\d{1,15}$/.test(id)) this.highest.set(resource, Math.max(this.highestOf(resource), Number(id)));
  }

  /** The largest numeric id a resource has had, seeded or written by anyone (never lowered: an id is not reused). */
  private highestOf(resource: string): number {
    let highest = this.highest.get(resource);
    if (highest === undefined) {
      highest = 0;
      for (const id of this.seeds.get(resource)?.keys() ?? []) if (/^\d{1,15}$/.test(id)) highest = Math.max(highest, Number(id));
      this.highest.set(resource, highest);
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
    this.given.set(key, next);
    return next;
  }

  delete(resource: string, owner: string, id: string): boolean {
    const existed = this.get(resource, owner, id) !== undefined;
    this.writable(resource, owner).set(id, DELETED);
    return existed;
  }

  /**
   * A fresh id of the same kind as the seeds': numbers count up past the largest one the resource
   * has had, kept as records are written, so a create costs the same with a hundred thousand of them.
   */
  nextId(resource: string, like: Json | undefined): Json {
    if (typeof like === 'number') {
      this.counter = Math.max(this.counter, this.highestOf(resource)) + 1;
      return this.counter;
    }
    if (typeof like === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(like)) return crypto.randomUUID();
    // Hex ids (Mongo ObjectIds and the like) get a fresh hex id of the same length.
    if (typeof like === 'string' && /^[0-9a-f]{12,}$/i.test(like)) {
      return Array.from(crypto.getRandomValues(new Uint8Array(like.length)), (b) => (b % 16).toString(16)).join('');
    }
    return `mock-${++this.counter}`;
  }

  link(relation: string, owner: string, left: string, right: string, present: boolean): void {
    let pairs = this.relations.get(relation);
    if (!pairs) this.relations.set(relation, (pairs = new Set()));
    const pair = `${owner}\u0000${left}\u0000${right}`;
    if (present) pairs.add(pair);
    else pairs.delete(pair);
  }

  linked(relation: string, owner: string, side: 'left' | 'right', id: string): string[] {
    const out: string[] = [];
    for (const pair of this.relations.get(relation) ?? []) {
      const [o, l, r] = pair.split('\u0000');
      if (o !== owner) continue;
      if (side === 'left' && l === id) out.push(r!);
      if (side === 'right' && r === id) out.push(l!);
    }
    return out;
  }
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

/** The owner whose copy of a record exists ('' when only the shared seed does). */
export function ownerOf(store: Store, resource: string, id: string, owners: Iterable<string>): string {
  for (const owner of owners) if (owner !== '' && store.hasOwn(resource, owner, id)) return owner;
  return '';
}
