/**
 * A map that keeps only its `limit` most recently used entries.
 *
 * Perx makes one client per user identifier (each with its own token cache, about 12 kB); a
 * server that acts for many users must not keep one for every user it has ever served. The mock
 * keeps its sessions' data so (MOCK-182), and must forget what a dropped session's data let it keep:
 * `dropped` is told each entry the limit pushes out (not one deleted by name).
 */
export interface RecentlyUsed<K, V> {
  /** The entry for `key`, made by `make` when there is none (any longer). */
  get(key: K, make: () => V): V;
  /** The entry for `key`, if one is kept: counts as a use, as `get` does. */
  find(key: K): V | undefined;
  delete(key: K): void;
  clear(): void;
  /** The least recently used entry, if any: not a use. */
  oldest(): [K, V] | undefined;
  /** The entries kept, least recently used first. */
  values(): IterableIterator<V>;
  readonly size: number;
}

export function recentlyUsed<K, V>(limit: number, dropped?: (key: K, value: V) => void): RecentlyUsed<K, V> {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<K, V>();
  const used = (key: K, value: V) => {
    entries.delete(key);
    entries.set(key, value);
    if (entries.size <= limit) return;
    const [oldest, held] = entries.entries().next().value as [K, V];
    entries.delete(oldest);
    dropped?.(oldest, held);
  };
  return {
    get(key, make) {
      const value = entries.has(key) ? entries.get(key)! : make();
      used(key, value);
      return value;
    },
    find(key) {
      if (!entries.has(key)) return undefined;
      const value = entries.get(key)!;
      used(key, value);
      return value;
    },
    oldest: () => entries.entries().next().value,
    delete: (key) => void entries.delete(key),
    clear: () => entries.clear(),
    values: () => entries.values(),
    get size() {
      return entries.size;
    },
  };
}
