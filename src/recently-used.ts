/**
 * A map that keeps only its `limit` most recently used entries.
 *
 * Perx makes one client per user identifier (each with its own token cache, about 12 kB); a
 * server that acts for many users must not keep one for every user it has ever served.
 */
export interface RecentlyUsed<K, V> {
  /** The entry for `key`, made by `make` when there is none (any longer). */
  get(key: K, make: () => V): V;
  /** The entries kept, least recently used first. */
  values(): IterableIterator<V>;
  readonly size: number;
}

export function recentlyUsed<K, V>(limit: number): RecentlyUsed<K, V> {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<K, V>();
  return {
    get(key, make) {
      const value = entries.has(key) ? entries.get(key)! : make();
      entries.delete(key);
      entries.set(key, value);
      if (entries.size > limit) entries.delete(entries.keys().next().value as K);
      return value;
    },
    values: () => entries.values(),
    get size() {
      return entries.size;
    },
  };
}
