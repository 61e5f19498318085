/**
 * A bounded map with least-recently-used eviction. Expiry is the resolver's business (it needs
 * the expired entry for stale-on-error), so entries are kept until evicted or deleted.
 */
export class LruMap<K, V> {
  readonly #max: number;
  readonly #map = new Map<K, V>();

  /** @param maxEntries most entries kept; the least recently used goes first. */
  constructor(maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
    this.#max = maxEntries;
  }

  get size(): number {
    return this.#map.size;
  }

  /** Returns the entry and marks it most recently used. */
  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      // Map keeps insertion order: re-inserting moves the key to the young end.
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }

  /** Returns the entry without touching its recency. */
  peek(key: K): V | undefined {
    return this.#map.get(key);
  }

  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.#max) {
      const oldest = this.#map.keys().next().value as K;
      this.#map.delete(oldest);
    }
  }

  delete(key: K): boolean {
    return this.#map.delete(key);
  }

  clear(): void {
    this.#map.clear();
  }

  values(): IterableIterator<V> {
    return this.#map.values();
  }

  keys(): IterableIterator<K> {
    return this.#map.keys();
  }
}
