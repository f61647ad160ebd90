/**
 * The identity map: one object per row per Session, by mapper and primary key. It holds the objects' states (the
 * object is `state.obj`): scans of the Session (autoflush's "has anything changed?") read them without a lookup each.
 */
import { KEEP, keepAlive } from "../../util/keep-alive.js";
import { KeyedStore } from "../keyed-store.js";
import type { Mapper } from "../mapper.js";
import type { InstanceState } from "../state.js";

/** The states of one mapper's objects by identity key. */
export type ObjectsByKey = KeyedStore<InstanceState>;

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
      return (this.first = new KeyedStore<InstanceState>());
    }
    this.maps ??= new Map();
    let m = this.maps.get(mapper);
    if (m === undefined) this.maps.set(mapper, (m = new KeyedStore<InstanceState>()));
    return m;
  }

  private find(mapper: Mapper): ObjectsByKey | undefined {
    if (mapper === this.firstMapper) return this.first as ObjectsByKey;
    return this.maps?.get(mapper);
  }

  /** The object of this mapper and key, if the Session has it. */
  get(mapper: Mapper, key: unknown): object | undefined {
    return this.find(mapper)?.get(key)?.obj;
  }

  /** The state of the object of this mapper and key, if the Session has it. */
  getState(mapper: Mapper, key: unknown): InstanceState | undefined {
    return this.find(mapper)?.get(key);
  }

  set(mapper: Mapper, key: unknown, state: InstanceState): void {
    this.of(mapper).set(key, state);
  }

  delete(mapper: Mapper, key: unknown): void {
    this.find(mapper)?.delete(key);
  }

  /** Deletes `key` if it holds `state` (another object may have taken the key since). */
  discard(mapper: Mapper, key: unknown, state: InstanceState): void {
    const m = this.find(mapper);
    if (m !== undefined && m.get(key) === state) m.delete(key);
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

  /** Calls `fn` with each state until it returns true; tells whether one did (the fast way to visit them all). */
  some(fn: (state: InstanceState) => boolean): boolean {
    if (this.first?.some(fn)) return true;
    if (this.maps) for (const m of this.maps.values()) if (m.some(fn)) return true;
    return false;
  }

  /** Like some(), in no particular order (faster: see KeyedStore.any). */
  any(fn: (state: InstanceState) => boolean): boolean {
    if (this.first?.any(fn)) return true;
    if (this.maps) for (const m of this.maps.values()) if (m.any(fn)) return true;
    return false;
  }

  *all(): IterableIterator<InstanceState> {
    if (this.first) yield* this.first.values();
    if (this.maps) for (const m of this.maps.values()) yield* m.values();
  }

  clear(): void {
    this.firstMapper = null;
    this.first = null;
    this.maps = null;
  }
}
