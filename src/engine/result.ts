/**
 * Result: the rows of an executed statement, already fetched and converted (booleans, dates, bigints, decimals), so
 * its methods are synchronous.
 */
import { MultipleResultsFoundError, NoResultFoundError } from "../util/errors.js";
import { keepShape } from "../util/keep-alive.js";
import { type Row, rowFactory, rowToObject } from "./row.js";

/**
 * An array of single values with SQLAlchemy's ScalarResult helpers (`first()`, `one()`, `oneOrNone()`, `all()`).
 *
 * ```ts
 * const users = await session.scalars(select(User)); // a User[] with .first() and .one()
 * ```
 */
export class ScalarResult<T> extends Array<T> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
  /** All values as a plain array. */
  all(): T[] {
    return Array.from(this);
  }
  /** The first value, or null. */
  first(): T | null {
    return this.length > 0 ? this[0] : null;
  }
  /** Exactly one value (NoResultFoundError / MultipleResultsFoundError otherwise). */
  one(): T {
    if (this.length === 0) throw new NoResultFoundError("one(): the query returned no rows; use first() or oneOrNone() if that can happen");
    if (this.length > 1) throw new MultipleResultsFoundError(`one(): the query returned ${this.length} rows; add a filter or use first()`);
    return this[0];
  }
  /** One value or null (MultipleResultsFoundError if more). */
  oneOrNone(): T | null {
    if (this.length > 1) throw new MultipleResultsFoundError(`oneOrNone(): the query returned ${this.length} rows; add a filter or use first()`);
    return this.length === 0 ? null : this[0];
  }
}
// Empty, and holding objects (elements kinds are hidden classes too).
keepShape(new ScalarResult());
const filled = new ScalarResult<object>();
filled.push({});
keepShape(filled);

export interface ResultInit {
  readonly rows: unknown[][];
  readonly keys: readonly (string | null)[];
  readonly rowCount: number;
  readonly insertedPrimaryKey: readonly unknown[] | null;
  readonly returnsRows: boolean;
}

/**
 * The result of `conn.execute(stmt)`. `T` is the row tuple type and `N` its named fields.
 *
 * ```ts
 * const result = await conn.execute(select(userTable.c.id, userTable.c.name));
 * for (const row of result) console.log(row.id, row.name);
 * result.scalars(); // [1, 2, 3]
 * ```
 */
export class Result<T extends readonly unknown[] = unknown[], N = {}> implements Iterable<Row<T, N>>, AsyncIterable<Row<T, N>> {
  /** Rows inserted, updated or deleted by a DML statement; for a SELECT, the number of rows. */
  readonly rowCount: number;
  /**
   * The primary key of the row a single-row INSERT created, in key order (`[id]`; `[7, "a"]` for a composite key):
   * generated values read back, given ones as stored. Null for several rows, no row, or other statements.
   */
  readonly insertedPrimaryKey: readonly unknown[] | null;
  /** True when the statement produced rows (SELECT or RETURNING). */
  readonly returnsRows: boolean;
  private readonly data: unknown[][];
  private readonly keyList: readonly (string | null)[];
  private rowsCache: Row<T, N>[] | null = null;

  constructor(init: ResultInit) {
    this.data = init.rows;
    this.keyList = init.keys;
    this.rowCount = init.rowCount;
    this.insertedPrimaryKey = init.insertedPrimaryKey;
    this.returnsRows = init.returnsRows;
  }

  /** Column names of the rows. */
  keys(): string[] {
    return this.keyList.map((k, i) => k ?? `column_${i + 1}`);
  }

  /** The raw converted values, one array per row (no Row objects made). */
  raw(): readonly (readonly unknown[])[] {
    return this.data;
  }

  /** All rows. */
  all(): Row<T, N>[] {
    if (this.rowsCache === null) {
      const make = rowFactory(this.keyList);
      this.rowsCache = this.data.map((r) => make(r) as unknown as Row<T, N>);
    }
    return this.rowsCache;
  }

  /** The first row, or null. */
  first(): Row<T, N> | null {
    return this.data.length > 0 ? this.all()[0] : null;
  }

  /** Exactly one row (NoResultFoundError / MultipleResultsFoundError otherwise). */
  one(): Row<T, N> {
    if (this.data.length === 0) throw new NoResultFoundError("one(): the statement returned no rows; use first() or oneOrNone() if that can happen");
    if (this.data.length > 1) throw new MultipleResultsFoundError(`one(): the statement returned ${this.data.length} rows; add a filter or use first()`);
    return this.all()[0];
  }

  /** One row or null (MultipleResultsFoundError if more). */
  oneOrNone(): Row<T, N> | null {
    if (this.data.length > 1) throw new MultipleResultsFoundError(`oneOrNone(): the statement returned ${this.data.length} rows; add a filter or use first()`);
    return this.data.length === 0 ? null : this.all()[0];
  }

  /** The first column of the first row, or null if there is no row. */
  scalar(): T[0] | null {
    return this.data.length > 0 ? (this.data[0][0] as T[0]) : null;
  }

  /** The first column of exactly one row. */
  scalarOne(): T[0] {
    return this.one()[0] as T[0];
  }

  /** The first column of every row. */
  scalars(): ScalarResult<T[0]> {
    const r = new ScalarResult<T[0]>();
    // Indexed stores: push() on an Array subclass leaves V8's fast path (several times slower).
    for (let i = 0; i < this.data.length; i++) r[i] = this.data[i][0] as T[0];
    return r;
  }

  /** Rows as plain objects keyed by column name. */
  mappings(): N[] {
    return this.data.map((r) => rowToObject(this.keyList, r) as N);
  }

  [Symbol.iterator](): Iterator<Row<T, N>> {
    return this.all()[Symbol.iterator]();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Row<T, N>> {
    yield* this.all();
  }
}

// An empty Result keeps the class's hidden class alive without keeping a real result's rows (see util/keep-alive.ts).
keepShape(new Result({ rows: [], keys: [], rowCount: 0, insertedPrimaryKey: null, returnsRows: false }));
