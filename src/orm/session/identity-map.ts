/**
 * The identity map: one object per row per Session, by mapper and primary key.
 */
import type { Mapper } from "../mapper.js";

export class IdentityMap {
  private readonly maps = new Map<Mapper, Map<unknown, object>>();
  private count = 0;

  /** The objects of one mapper, by identity key. */
  of(mapper: Mapper): Map<unknown, object> {
    let m = this.maps.get(mapper);
    if (m === undefined) this.maps.set(mapper, (m = new Map()));
    return m;
  }

  get(mapper: Mapper, key: unknown): object | undefined {
    return this.maps.get(mapper)?.get(key);
  }

  set(mapper: Mapper, key: unknown, obj: object): void {
    const m = this.of(mapper);
    if (!m.has(key)) this.count++;
    m.set(key, obj);
  }

  delete(mapper: Mapper, key: unknown): void {
    const m = this.maps.get(mapper);
    if (m?.delete(key)) this.count--;
  }

  get size(): number {
    return this.count;
  }

  /** Mappers that have objects here. */
  mappers(): IterableIterator<Mapper> {
    return this.maps.keys();
  }

  *all(): IterableIterator<object> {
    for (const m of this.maps.values()) yield* m.values();
  }

  clear(): void {
    this.maps.clear();
    this.count = 0;
  }
}
