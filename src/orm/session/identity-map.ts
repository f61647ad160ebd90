/**
 * The identity map: one object per row per Session, by mapper and primary key.
 */
import { KEEP, keepAlive } from "../../util/keep-alive.js";
import type { Mapper } from "../mapper.js";

export class IdentityMap {
  constructor() {
    keepAlive(KEEP.identityMap, this);
  }

  // The first mapper's objects are kept apart from the Map of the others: most Sessions touch one mapper.
  private firstMapper: Mapper | null = null;
  private first: Map<unknown, object> | null = null;
  private maps: Map<Mapper, Map<unknown, object>> | null = null;
  private count = 0;

  /** The objects of one mapper, by identity key. */
  of(mapper: Mapper): Map<unknown, object> {
    if (mapper === this.firstMapper) return this.first as Map<unknown, object>;
    if (this.firstMapper === null) {
      this.firstMapper = mapper;
      return (this.first = new Map());
    }
    this.maps ??= new Map();
    let m = this.maps.get(mapper);
    if (m === undefined) this.maps.set(mapper, (m = new Map()));
    return m;
  }

  private find(mapper: Mapper): Map<unknown, object> | undefined {
    if (mapper === this.firstMapper) return this.first as Map<unknown, object>;
    return this.maps?.get(mapper);
  }

  get(mapper: Mapper, key: unknown): object | undefined {
    return this.find(mapper)?.get(key);
  }

  set(mapper: Mapper, key: unknown, obj: object): void {
    const m = this.of(mapper);
    if (!m.has(key)) this.count++;
    m.set(key, obj);
  }

  /** Adds an object under a key `objects` (this map's objects of one mapper, from of()) does not hold yet. */
  addNew(objects: Map<unknown, object>, key: unknown, obj: object): void {
    objects.set(key, obj);
    this.count++;
  }

  delete(mapper: Mapper, key: unknown): void {
    if (this.find(mapper)?.delete(key)) this.count--;
  }

  /** Forgets every object of one mapper. */
  clearMapper(mapper: Mapper): void {
    const m = this.find(mapper);
    if (m === undefined) return;
    this.count -= m.size;
    m.clear();
  }

  /** Deletes `key` if it holds `obj` (another object may have taken the key since). */
  discard(mapper: Mapper, key: unknown, obj: object): void {
    if (this.get(mapper, key) === obj) this.delete(mapper, key);
  }

  get size(): number {
    return this.count;
  }

  /** Mappers that have objects here. */
  *mappers(): IterableIterator<Mapper> {
    if (this.firstMapper) yield this.firstMapper;
    if (this.maps) yield* this.maps.keys();
  }

  *all(): IterableIterator<object> {
    if (this.first) yield* this.first.values();
    if (this.maps) for (const m of this.maps.values()) yield* m.values();
  }

  clear(): void {
    this.firstMapper = null;
    this.first = null;
    this.maps = null;
    this.count = 0;
  }
}
