/**
 * A bounded cache with least-recently-used eviction, approximated by the CLOCK ("second chance") algorithm: a hit only
 * sets a flag (no reordering on the hot path); eviction skips entries used since they were last passed over.
 * The compiled-SQL cache and the prepared-statement caches use it.
 *
 * ```ts
 * const cache = new LRUCache<string, number>(2);
 * cache.set("a", 1);
 * cache.get("a"); // 1
 * ```
 */
import { keepShape } from "./keep-alive.js";

/** A cache entry (one object shape for every cache; see keep-alive.ts). */
function entry<V>(value: V): { value: V; used: boolean } {
  return { value, used: false };
}
keepShape(entry(null));

export class LRUCache<K, V> {
  private readonly map = new Map<K, { value: V; used: boolean }>();
  constructor(
    readonly capacity: number,
    private readonly onEvict?: (value: V, key: K) => void,
  ) {}
  get size(): number {
    return this.map.size;
  }
  get(key: K): V | undefined {
    const e = this.map.get(key);
    if (e === undefined) return undefined;
    e.used = true;
    return e.value;
  }
  set(key: K, value: V): void {
    const e = this.map.get(key);
    if (e !== undefined) {
      e.value = value;
      e.used = true;
      return;
    }
    this.map.set(key, entry(value));
    while (this.map.size > this.capacity) this.evictOne();
  }
  private evictOne(): void {
    for (const [k, e] of this.map) {
      this.map.delete(k);
      if (e.used) {
        // Second chance: back to the end, flag cleared.
        e.used = false;
        this.map.set(k, e);
      } else {
        this.onEvict?.(e.value, k);
        return;
      }
    }
  }
  delete(key: K): void {
    this.map.delete(key);
  }
  clear(): void {
    if (this.onEvict) for (const [k, e] of this.map) this.onEvict(e.value, k);
    this.map.clear();
  }
  *values(): IterableIterator<V> {
    for (const e of this.map.values()) yield e.value;
  }
}
