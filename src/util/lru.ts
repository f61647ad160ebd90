/**
 * A small least-recently-used map: the compiled-SQL cache and prepared-statement caches use it.
 *
 * ```ts
 * const cache = new LRUCache<string, number>(2);
 * cache.set("a", 1);
 * cache.get("a"); // 1
 * ```
 */
export class LRUCache<K, V> {
  private readonly map = new Map<K, V>();
  constructor(
    readonly capacity: number,
    private readonly onEvict?: (value: V, key: K) => void,
  ) {}
  get size(): number {
    return this.map.size;
  }
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      // Refresh recency only now and then would be cheaper, but a delete+set is still O(1).
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: K, value: V): void {
    if (this.map.has(key)) this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value as K;
      const evicted = this.map.get(oldest) as V;
      this.map.delete(oldest);
      this.onEvict?.(evicted, oldest);
    }
  }
  delete(key: K): void {
    this.map.delete(key);
  }
  clear(): void {
    if (this.onEvict) for (const [k, v] of this.map) this.onEvict(v, k);
    this.map.clear();
  }
  values(): IterableIterator<V> {
    return this.map.values();
  }
}
