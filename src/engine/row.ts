/**
 * Result rows: tuples that also have named fields, like SQLAlchemy's Row (`row[0]`, `row.name`, `const [id, name] = row`).
 * One class per result shape is made once and reused, so a row costs one object.
 */
import { showValue } from "../util/show.js";

/**
 * A row typed as a tuple `T` with named fields `N`.
 *
 * ```ts
 * const row: Row<[number, string], { id: number; name: string }> = result.one();
 * const [id, name] = row; // or row.id, row.name, row[0]
 * ```
 */
export type Row<T extends readonly unknown[] = unknown[], N = {}> = Readonly<T> & Readonly<N>;

/** Makes rows of one shape. */
export interface RowFactory {
  (values: readonly unknown[]): Row<unknown[], Record<string, unknown>>;
  readonly keys: readonly (string | null)[];
}

const INSPECT = Symbol.for("nodejs.util.inspect.custom");
const cache = new Map<string, RowFactory>();

/** The row maker for a list of column names (null for unnamed columns). */
export function rowFactory(keys: readonly (string | null)[]): RowFactory {
  const cacheKey = keys.map((k) => k ?? "\u0000").join("\u0001");
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const n = keys.length;
  function RowClass(this: Record<number, unknown>, values: readonly unknown[]) {
    for (let i = 0; i < n; i++) this[i] = values[i];
  }
  const proto = RowClass.prototype as Record<PropertyKey, unknown>;
  Object.defineProperty(proto, "length", { value: n });
  const seen = new Set<string>();
  keys.forEach((k, i) => {
    // The first column of a name wins; numeric names would clash with positions.
    if (k === null || seen.has(k) || /^\d+$/.test(k) || k === "length") return;
    seen.add(k);
    Object.defineProperty(proto, k, {
      get(this: Record<number, unknown>) {
        return this[i];
      },
      enumerable: false,
    });
  });
  proto[Symbol.iterator] = function* (this: Record<number, unknown>) {
    for (let i = 0; i < n; i++) yield this[i];
  };
  proto.toJSON = function (this: Record<number, unknown>) {
    return Array.from({ length: n }, (_, i) => this[i]);
  };
  proto.toString = function (this: Record<number, unknown>) {
    return `(${Array.from({ length: n }, (_, i) => showValue(this[i])).join(", ")}${n === 1 ? "," : ""})`;
  };
  proto[INSPECT] = proto.toString;
  const make = ((values: readonly unknown[]) => new (RowClass as unknown as new (v: readonly unknown[]) => object)(values)) as unknown as RowFactory;
  Object.defineProperty(make, "keys", { value: keys });
  if (cache.size > 1000) cache.clear();
  cache.set(cacheKey, make);
  return make;
}

/** Turns a row into a plain object `{ name: value }` (unnamed columns are skipped). */
export function rowToObject(keys: readonly (string | null)[], values: readonly unknown[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k !== null && !(k in o)) o[k] = values[i];
  }
  return o;
}
