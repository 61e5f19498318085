/**
 * A bounded map with least-recently-used eviction. Expiry is the resolver's business (it needs
 * the expired entry for stale-on-error), so entries are kept until evicted or deleted.
 */
export class LruMap<K, V> {
  readonly #max: number;
  readonly #map = new Map<K, V>();
  readonly #onDrop: ((value: V) => void) | undefined;

  /**
   * @param maxEntries most entries kept; the least recently used goes first.
   * @param onDrop called with a value that leaves the map (evicted, replaced, deleted or cleared).
   */
  constructor(maxEntries: number, onDrop?: (value: V) => void) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1)
      throw new RangeError('maxEntries must be a positive integer');
    this.#max = maxEntries;
    this.#onDrop = onDrop;
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
    const old = this.#map.get(key);
    this.#map.delete(key);
    if (old !== undefined && old !== value) this.#onDrop?.(old);
    this.#map.set(key, value);
    if (this.#map.size > this.#max) {
      const oldest = this.#map.keys().next().value as K;
      this.delete(oldest);
    }
  }

  delete(key: K): boolean {
    const old = this.#map.get(key);
    if (old === undefined) return false;
    this.#map.delete(key);
    this.#onDrop?.(old);
    return true;
  }

  clear(): void {
    if (this.#onDrop) for (const v of this.#map.values()) this.#onDrop(v);
    this.#map.clear();
  }

  values(): IterableIterator<V> {
    return this.#map.values();
  }

  keys(): IterableIterator<K> {
    return this.#map.keys();
  }
}
