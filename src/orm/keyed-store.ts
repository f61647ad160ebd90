/**
 * A map from identity keys to values, fast for integer keys.
 */
import { keepShape } from "../util/keep-alive.js";

/** How far past the end of the array a new integer key may land and still go into it (V8 keeps such arrays fast). */
const MAX_GAP = 512;

/** The array of a store that holds no integer key yet: shared, never written (the first key makes a one-item array). */
const NO_INTS: never[] = [];

/**
 * Values by key, for keys that are mostly non-negative integers (autoincrement ids, the usual case): those index an
 * array from the first one held, several times cheaper than a Map entry to add, find and keep; other keys (strings,
 * composite keys, bigints, ids far below or beyond the ones held) go into a Map. Iteration visits the array's
 * integer keys in ascending order (the order SQLAlchemy sorts persistent objects in for UPDATE), then the others in
 * insertion order. The identity map and the loaders' groupings by key use it.
 *
 * ```ts
 * const byId = new KeyedStore<object>();
 * byId.set(1, user);
 * byId.get(1); // user
 * ```
 */
export class KeyedStore<V extends object> {
  private byInt: (V | undefined)[] = NO_INTS;
  /** The integer key at index 0 of byInt: from the first one stored (a Session that finds id 7,000 holds no 7,000 holes). */
  private base = 0;
  private byOther: Map<unknown, V> | null = null;
  /** How many objects this holds. */
  size = 0;

  /** The array index of an integer key (negative: below the array's first key); NaN for other keys. */
  private arrayIndex(key: unknown): number {
    if (typeof key !== "number" || key < 0 || key > 0x3fffffff || (key | 0) !== key) return Number.NaN;
    if (this.byInt.length === 0) this.base = key;
    return key - this.base;
  }

  /**
   * Makes room in the array for an integer key below its first one, if that key is near: at least as much room again
   * below as the array holds, so keys arriving in descending order are moved a logarithmic number of times.
   * Returns the key's new index, or -1 (the key goes to the Map).
   */
  private extendDown(index: number): number {
    const a = this.byInt;
    if (-index > a.length + MAX_GAP) return -1;
    const base = Math.max(0, Math.min(this.base + index, this.base - a.length));
    const shift = this.base - base;
    const moved = new Array<V | undefined>(shift + a.length);
    for (let i = 0; i < a.length; i++) moved[shift + i] = a[i];
    this.byInt = moved;
    this.base = base;
    return index + shift;
  }

  get(key: unknown): V | undefined {
    const i = this.arrayIndex(key);
    if (i >= 0 && i < this.byInt.length) {
      const v = this.byInt[i];
      if (v !== undefined || this.byOther === null) return v;
    } else if (i >= 0 && this.byOther === null) return undefined;
    return this.byOther?.get(key);
  }

  set(key: unknown, obj: V): void {
    let i = this.arrayIndex(key);
    if (i < 0 && (this.byOther === null || !this.byOther.has(key))) i = this.extendDown(i);
    if (i >= 0 && i <= this.byInt.length + MAX_GAP && (this.byOther === null || !this.byOther.has(key))) {
      if (this.byInt === NO_INTS) {
        // A Session that looks up one object keeps a one-item array (an empty array's first store reserves 17).
        this.byInt = [obj];
        this.size++;
        return;
      }
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
    this.byInt = NO_INTS;
    this.byOther = null;
    this.size = 0;
  }

  /** Calls `fn` with each value, in iteration order, until it returns true; tells whether one did (no iterator objects). */
  some(fn: (value: V) => boolean): boolean {
    const a = this.byInt;
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v !== undefined && fn(v)) return true;
    }
    if (this.byOther !== null) for (const v of this.byOther.values()) if (fn(v)) return true;
    return false;
  }

  *values(): IterableIterator<V> {
    const a = this.byInt;
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v !== undefined) yield v;
    }
    if (this.byOther !== null) yield* this.byOther.values();
  }
}
// Sessions make and drop these by the thousand: one kept for good (see util/keep-alive.ts).
keepShape(new KeyedStore<object>());
