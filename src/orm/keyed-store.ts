/**
 * A map from identity keys to values, fast for integer keys.
 */
import { keepShape } from "../util/keep-alive.js";

/** How far past the end of the array a new integer key may land and still go into it (V8 keeps such arrays fast). */
const MAX_GAP = 512;

/** An array holding at most this many values moves to a far integer key instead of sending that key to the Map. */
const MOVE_MAX = 16;

/** The array of a store that holds no integer key yet: shared, never written (the first key makes a one-item array). */
const NO_INTS: never[] = [];

const ascending = (x: number, y: number): number => x - y;

/** A key the array can hold: a non-negative small integer. */
function isIndexKey(key: unknown): key is number {
  return typeof key === "number" && key >= 0 && key <= 0x3fffffff && (key | 0) === key;
}

/**
 * Values by key, for keys that are mostly non-negative integers (autoincrement ids, the usual case): those index an
 * array that starts near the integer keys held, several times cheaper than a Map entry to add, find and keep; other
 * keys (strings, composite keys, bigints, integers far from the array's) go into a Map. Iteration visits integer keys
 * in ascending order wherever they are held (the order SQLAlchemy sorts persistent objects in for UPDATE), then the
 * other keys in insertion order. The identity map and the loaders' groupings by key use it.
 *
 * ```ts
 * const byId = new KeyedStore<object>();
 * byId.set(1, user);
 * byId.get(1); // user
 * ```
 */
export class KeyedStore<V extends object> {
  private byInt: (V | undefined)[] = NO_INTS;
  /** The integer key at index 0 of byInt (a Session that finds id 7,000 holds no 7,000 holes). */
  private base = 0;
  /** How many values byInt holds. */
  private inArray = 0;
  private byOther: Map<unknown, V> | null = null;
  /** How many integer keys byOther holds, and those keys in ascending order (made when iterating; null: stale). */
  private intsInOther = 0;
  private sortedInts: number[] | null = null;
  /** How many objects this holds. */
  size = 0;

  /** The array index of an integer key (negative: below the array's first key); NaN for other keys. */
  private arrayIndex(key: unknown): number {
    if (!isIndexKey(key)) return Number.NaN;
    if (this.byInt.length === 0) this.base = key;
    return key - this.base;
  }

  /**
   * Makes room in the array for an integer key below its first one, if that key is near: at least as much room again
   * below as the array holds, so keys arriving in descending order are moved a logarithmic number of times.
   * Returns the key's new index, or -1 (the key is too far below).
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

  /**
   * The array holds few values and a key far from them arrives: those values go to the Map and the array starts
   * again at the new key (after looking up id 100,000, ids 1 to 10,000 still go into the array).
   */
  private moveArrayTo(key: number): void {
    const a = this.byInt;
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v !== undefined) this.otherSet(this.base + i, v);
    }
    this.byInt = NO_INTS;
    this.inArray = 0;
    this.base = key;
  }

  /**
   * Makes the array reach a far integer key when the keys would still fill at least a quarter of it (ids looked up in
   * random order end up in the array, not the Map), taking over the Map's integer keys in the new range. Returns false,
   * changing nothing, when the array would be mostly holes.
   */
  private widen(key: number): boolean {
    const a = this.byInt;
    let lo = Math.min(this.base, key);
    let hi = Math.max(this.base + a.length - 1, key);
    const limit = 4 * (this.size + 1) + MAX_GAP;
    if (hi - lo + 1 > limit) return false;
    const other = this.byOther;
    if (other !== null && this.intsInOther > 0) {
      // Reach the Map's integer keys too where that keeps the density (keys that came early, far from the rest).
      let min = lo;
      let max = hi;
      for (const k of other.keys())
        if (isIndexKey(k)) {
          if (k < min) min = k;
          if (k > max) max = k;
        }
      if (max - min + 1 <= limit) {
        lo = min;
        hi = max;
      }
    }
    const moved = new Array<V | undefined>(hi - lo + 1);
    const shift = this.base - lo;
    for (let i = 0; i < a.length; i++) moved[shift + i] = a[i];
    if (other !== null && this.intsInOther > 0)
      for (const [k, v] of other)
        if (isIndexKey(k) && k >= lo && k <= hi) {
          moved[k - lo] = v;
          other.delete(k);
          this.intsInOther--;
          this.inArray++;
          this.sortedInts = null;
        }
    this.byInt = moved;
    this.base = lo;
    return true;
  }

  /** Puts a key into the Map (it must not be there yet), keeping the integer-key bookkeeping. */
  private otherSet(key: unknown, value: V): void {
    (this.byOther ??= new Map()).set(key, value);
    if (isIndexKey(key)) {
      this.intsInOther++;
      this.sortedInts = null;
    }
  }

  /**
   * Makes room in the array for `count` integer keys from `first` to `last` (a flush's new rows bring ascending ids):
   * the array is sized once instead of growing as they arrive. Does nothing for other keys, for keys the array would
   * not take, or when the keys are spread far wider than their count (an explicit id far from the others).
   */
  reserve(first: unknown, last: unknown, count: number): void {
    if (!isIndexKey(first) || !isIndexKey(last) || last < first || last - first >= count + MAX_GAP) return;
    if (this.byInt === NO_INTS) {
      if (this.inArray !== 0) return;
      this.base = first;
      this.byInt = new Array<V | undefined>(last - first + 1);
      return;
    }
    const start = first - this.base;
    const end = last - this.base + 1;
    if (start >= 0 && start <= this.byInt.length + MAX_GAP && end > this.byInt.length) this.byInt.length = end;
  }

  /**
   * reserve() for `count` keys about to be stored, `keyAt(0)` to `keyAt(count - 1)` (a query's rows, a load's owners):
   * one pass for their range. Fewer than 64 keys are not worth the pass; one that is not a number ends it.
   *
   * ```ts
   * store.reserveFor(rows.length, (i) => rows[i][0]);
   * ```
   */
  reserveFor(count: number, keyAt: (i: number) => unknown): void {
    if (count < 64) return;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < count; i++) {
      const k = keyAt(i);
      if (typeof k !== "number") return;
      if (k < min) min = k;
      if (k > max) max = k;
    }
    this.reserve(min, max, count);
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
    const other = this.byOther;
    if (other?.has(key)) {
      other.set(key, obj);
      return;
    }
    let i = this.arrayIndex(key);
    if (i < 0) i = this.extendDown(i);
    if (i < 0 || i > this.byInt.length + MAX_GAP) {
      if (this.inArray <= MOVE_MAX) {
        this.moveArrayTo(key as number);
        i = 0;
      } else if (isIndexKey(key) && this.widen(key)) i = key - this.base;
    }
    if (i >= 0 && i <= this.byInt.length + MAX_GAP) {
      // A Session that looks up one object keeps a one-item array (an empty array's first store reserves 17).
      if (this.byInt === NO_INTS) this.byInt = [obj];
      else if (this.byInt[i] !== undefined) {
        this.byInt[i] = obj;
        return;
      } else this.byInt[i] = obj;
      this.inArray++;
      this.size++;
      return;
    }
    this.otherSet(key, obj);
    this.size++;
  }

  delete(key: unknown): boolean {
    const i = this.arrayIndex(key);
    if (i >= 0 && i < this.byInt.length && this.byInt[i] !== undefined) {
      this.byInt[i] = undefined;
      this.inArray--;
      if (--this.size === 0) this.clear();
      return true;
    }
    if (this.byOther?.delete(key)) {
      if (isIndexKey(key)) {
        this.intsInOther--;
        this.sortedInts = null;
      }
      if (--this.size === 0) this.clear();
      return true;
    }
    return false;
  }

  clear(): void {
    this.byInt = NO_INTS;
    this.inArray = 0;
    this.byOther = null;
    this.intsInOther = 0;
    this.sortedInts = null;
    this.size = 0;
  }

  /** The integer keys held in the Map, ascending (kept until the Map's integer keys change). */
  private intsOfOther(): number[] {
    if (this.sortedInts === null) {
      const ints = new Array<number>(this.intsInOther);
      let n = 0;
      (this.byOther as Map<unknown, V>).forEach((_, k) => {
        if (isIndexKey(k)) ints[n++] = k;
      });
      ints.length = n;
      // A few keys (a query's scattered ids) are sorted in place: Array.prototype.sort allocates a work area.
      if (n <= 16)
        for (let i = 1; i < n; i++) {
          const k = ints[i];
          let j = i - 1;
          while (j >= 0 && ints[j] > k) ints[j + 1] = ints[j--];
          ints[j + 1] = k;
        }
      else ints.sort(ascending);
      this.sortedInts = ints;
    }
    return this.sortedInts;
  }

  /** Calls `fn` with each value, in iteration order, until it returns true; tells whether one did (no iterator objects). */
  some(fn: (value: V) => boolean): boolean {
    const a = this.byInt;
    const other = this.byOther;
    if (other === null) {
      for (let i = 0; i < a.length; i++) {
        const v = a[i];
        if (v !== undefined && fn(v)) return true;
      }
      return false;
    }
    // Integer keys of the array and of the Map, merged in ascending order; then the other keys.
    const ints = this.intsInOther > 0 ? this.intsOfOther() : NO_INTS;
    let j = 0;
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v === undefined) continue;
      const key = this.base + i;
      while (j < ints.length && ints[j] < key) if (fn(other.get(ints[j++]) as V)) return true;
      if (fn(v)) return true;
    }
    while (j < ints.length) if (fn(other.get(ints[j++]) as V)) return true;
    if (this.intsInOther < other.size) for (const [k, v] of other) if (!isIndexKey(k) && fn(v)) return true;
    return false;
  }

  /**
   * Like some(), in no particular order: for a question about any value (has one changed?), without ordering the
   * integer keys held in the Map (which a store re-sorts after every new such key: a Session that looks objects up
   * one by one in random id order would sort them again at each autoflush).
   */
  any(fn: (value: V) => boolean): boolean {
    const a = this.byInt;
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v !== undefined && fn(v)) return true;
    }
    const other = this.byOther;
    if (other !== null) for (const v of other.values()) if (fn(v)) return true;
    return false;
  }

  *values(): IterableIterator<V> {
    const out: V[] = [];
    this.some((v) => {
      out.push(v);
      return false;
    });
    yield* out;
  }
}

// Sessions make and drop these by the thousand: one kept for good (see util/keep-alive.ts).
keepShape(new KeyedStore<object>());
