/**
 * The identity map: one object per row per Session, by mapper and primary key.
 */
import { KEEP, keepAlive } from "../../util/keep-alive.js";
import { KeyedStore } from "../keyed-store.js";
import type { Mapper } from "../mapper.js";

/** The objects of one mapper by identity key. */
export type ObjectsByKey = KeyedStore<object>;

export class IdentityMap {
  constructor() {
    keepAlive(KEEP.identityMap, this);
  }

  // The first mapper's objects are kept apart from the Map of the others: most Sessions touch one mapper.
  private firstMapper: Mapper | null = null;
  private first: ObjectsByKey | null = null;
  private maps: Map<Mapper, ObjectsByKey> | null = null;

  /** The objects of one mapper, by identity key. */
  of(mapper: Mapper): ObjectsByKey {
    if (mapper === this.firstMapper) return this.first as ObjectsByKey;
    if (this.firstMapper === null) {
      this.firstMapper = mapper;
      return (this.first = new KeyedStore<object>());
    }
    this.maps ??= new Map();
    let m = this.maps.get(mapper);
    if (m === undefined) this.maps.set(mapper, (m = new KeyedStore<object>()));
    return m;
  }

  private find(mapper: Mapper): ObjectsByKey | undefined {
    if (mapper === this.firstMapper) return this.first as ObjectsByKey;
    return this.maps?.get(mapper);
  }

  get(mapper: Mapper, key: unknown): object | undefined {
    return this.find(mapper)?.get(key);
  }

  set(mapper: Mapper, key: unknown, obj: object): void {
    this.of(mapper).set(key, obj);
  }

  delete(mapper: Mapper, key: unknown): void {
    this.find(mapper)?.delete(key);
  }

  /** Deletes `key` if it holds `obj` (another object may have taken the key since). */
  discard(mapper: Mapper, key: unknown, obj: object): void {
    const m = this.find(mapper);
    if (m !== undefined && m.get(key) === obj) m.delete(key);
  }

  /** Forgets every object of one mapper. */
  clearMapper(mapper: Mapper): void {
    this.find(mapper)?.clear();
  }

  get size(): number {
    let n = this.first?.size ?? 0;
    if (this.maps) for (const m of this.maps.values()) n += m.size;
    return n;
  }

  /** Mappers that have (or had) objects here. */
  *mappers(): IterableIterator<Mapper> {
    if (this.firstMapper) yield this.firstMapper;
    if (this.maps) yield* this.maps.keys();
  }

  /** Calls `fn` with each object until it returns true; tells whether one did (the fast way to visit them all). */
  some(fn: (obj: object) => boolean): boolean {
    if (this.first?.some(fn)) return true;
    if (this.maps) for (const m of this.maps.values()) if (m.some(fn)) return true;
    return false;
  }

  *all(): IterableIterator<object> {
    if (this.first) yield* this.first.values();
    if (this.maps) for (const m of this.maps.values()) yield* m.values();
  }

  clear(): void {
    this.firstMapper = null;
    this.first = null;
    this.maps = null;
  }
}
