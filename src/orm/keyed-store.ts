/**
 * A map from identity keys to values, fast for integer keys.
 */

/** How far past the end of the array a new integer key may land and still go into it (V8 keeps such arrays fast). */
const MAX_GAP = 512;

/**
 * Values by key, for keys that are mostly small non-negative integers (autoincrement ids, the usual case): those index
 * an array, several times cheaper than a Map entry to add, find and keep; other keys (strings, composite keys,
 * bigints, ids far beyond the ones held) go into a Map. Iteration visits integer keys in ascending order (the order
 * SQLAlchemy sorts persistent objects in for UPDATE), then the others in insertion order. The identity map and the
 * loaders' groupings by key use it.
 *
 * ```ts
 * const byId = new KeyedStore<object>();
 * byId.set(1, user);
 * byId.get(1); // user
 * ```
 */
export class KeyedStore<V extends object> {
  private readonly byInt: (V | undefined)[] = [];
  private byOther: Map<unknown, V> | null = null;
  /** How many objects this holds. */
  size = 0;

  private arrayIndex(key: unknown): number {
    return typeof key === "number" && key >= 0 && key <= 0x3fffffff && (key | 0) === key ? key : -1;
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
