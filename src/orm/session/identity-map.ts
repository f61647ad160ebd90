/**
 * The identity map: one object per row per Session, by mapper and primary key.
 */
import { KEEP, keepAlive } from "../../util/keep-alive.js";
import type { Mapper } from "../mapper.js";

/** How far past the end of the array a new integer key may land and still go into it (V8 keeps such arrays fast). */
const MAX_GAP = 512;

/**
 * The objects of one mapper by identity key. Keys that are small non-negative integers (autoincrement ids, the
 * usual case) index an array, several times cheaper than a Map entry to add, find and keep; other keys (strings,
 * composite keys, bigints, ids far beyond the ones held) go into a Map. Iteration visits integer keys in ascending
 * order (the order SQLAlchemy sorts persistent objects in for UPDATE), then the others in insertion order.
 */
export class ObjectsByKey {
  private readonly byInt: (object | undefined)[] = [];
  private byOther: Map<unknown, object> | null = null;
  /** How many objects this holds. */
  size = 0;

  private arrayIndex(key: unknown): number {
    return typeof key === "number" && key >= 0 && key <= 0x3fffffff && (key | 0) === key ? key : -1;
  }

  get(key: unknown): object | undefined {
    const i = this.arrayIndex(key);
    if (i >= 0 && i < this.byInt.length) {
      const v = this.byInt[i];
      if (v !== undefined || this.byOther === null) return v;
    } else if (i >= 0 && this.byOther === null) return undefined;
    return this.byOther?.get(key);
  }

  set(key: unknown, obj: object): void {
    const i = this.arrayIndex(key);
    if (i >= 0 && i <= this.byInt.length + MAX_GAP && (this.byOther === null || !this.byOther.has(key))) {
      if (this.byInt[i] === undefined) this.size++;
      this.byInt[i] = obj;
      return;
    }
    const other = (this.byOther ??= new Map());
    if (!other.has(key)) this.size++;
    other.set(key, obj);
  }

  delete(key: unknown): boolean {
    const i = this.arrayIndex(key);
    if (i >= 0 && i < this.byInt.length && this.byInt[i] !== undefined) {
      this.byInt[i] = undefined;
      if (--this.size === 0) this.clear();
      return true;
    }
    if (this.byOther?.delete(key)) {
      if (--this.size === 0) this.clear();
      return true;
    }
    return false;
  }

  clear(): void {
    this.byInt.length = 0;
    this.byOther = null;
    this.size = 0;
  }

  *values(): IterableIterator<object> {
    const a = this.byInt;
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v !== undefined) yield v;
    }
    if (this.byOther !== null) yield* this.byOther.values();
  }
}

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
      return (this.first = new ObjectsByKey());
    }
    this.maps ??= new Map();
    let m = this.maps.get(mapper);
    if (m === undefined) this.maps.set(mapper, (m = new ObjectsByKey()));
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
