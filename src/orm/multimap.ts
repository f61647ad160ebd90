/**
 * Grouping into a Map of arrays, the shape the flush and the loaders sort their work into.
 */
import { keepShape } from "../util/keep-alive.js";
import type { KeyedStore } from "./keyed-store.js";

/** Appends `item` to the array of `key`, making the array on first use. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, item: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [item]);
  else list.push(item);
}

/**
 * Adds `item` under `key` in a store that holds one item per key as itself and several as an array (no array is made
 * for the usual single item; items must not be arrays). Tells whether the key is new.
 *
 * ```ts
 * addOneOrMany(byKey, 7, owner); // true: byKey.get(7) === owner
 * addOneOrMany(byKey, 7, other); // false: byKey.get(7) is [owner, other]
 * ```
 */
export function addOneOrMany<V extends object>(store: KeyedStore<V | V[]>, key: unknown, item: V): boolean {
  const got = store.get(key);
  if (got === undefined) {
    store.set(key, item);
    return true;
  }
  if (Array.isArray(got)) got.push(item);
  else store.set(key, [got, item]);
  return false;
}

/**
 * A Map of arrays filled in runs: an item with the same key as the one before goes to the array at hand, without a
 * Map lookup (a flush's objects come in runs of one class, and of one shape).
 *
 * ```ts
 * const byMapper = new RunGroups<Mapper, InstanceState>();
 * for (const s of pending) byMapper.add(s.mapper, s);
 * byMapper.map.get(userMapper);
 * ```
 */
export class RunGroups<K, V> {
  readonly map = new Map<K, V[]>();
  private lastKey: K | undefined = undefined;
  private last: V[] | null = null;
  add(key: K, item: V): void {
    if (this.last === null || key !== this.lastKey) {
      let list = this.map.get(key);
      if (list === undefined) this.map.set(key, (list = []));
      this.lastKey = key;
      this.last = list;
    }
    this.last.push(item);
  }
}
keepShape(new RunGroups<unknown, unknown>());
