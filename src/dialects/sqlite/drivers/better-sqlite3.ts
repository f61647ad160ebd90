/**
 * The better-sqlite3 driver. One database handle per engine (an in-memory database exists only in its handle),
 * prepared statements cached per SQL text, and SQLite's locking done right: a transaction's `BEGIN IMMEDIATE` is sent
 * just before its first write, so reads take no write lock and writers queue on the busy timeout instead of failing
 * with SQLITE_BUSY when they upgrade.
 */
import Database from "better-sqlite3";
import { ArgumentError } from "../../../util/errors.js";
import { LRUCache } from "../../../util/lru.js";
import type { ConnectionSpec, DriverOptions } from "../../base/dialect.js";
import type { Driver, DriverConnection, DriverResult, ExecuteOptions } from "../../base/driver.js";

type Statement = Database.Statement<unknown[], unknown>;

interface CachedStatement {
  readonly stmt: Statement;
  readonly reader: boolean;
  readonly readonly: boolean;
  readonly savepoint: boolean;
  columns: string[] | null;
}

const EMPTY: unknown[][] = [];

class BetterSqliteConnection implements DriverConnection {
  private readonly cache: LRUCache<string, CachedStatement>;
  /** A transaction was started by the engine; BEGIN IMMEDIATE goes out before the first write. */
  private pendingBegin = false;
  readonly backendId = null;
  constructor(private readonly db: Database.Database) {
    this.cache = new LRUCache(256);
  }

  private prepare(sql: string): CachedStatement {
    let c = this.cache.get(sql);
    if (c === undefined) {
      const stmt = this.db.prepare(sql);
      const reader = stmt.reader;
      if (reader) stmt.raw(true);
      c = { stmt, reader, readonly: stmt.readonly, savepoint: /^\s*savepoint\b/i.test(sql), columns: null };
      this.cache.set(sql, c);
    }
    return c;
  }

  execute(sql: string, params: readonly unknown[], options: ExecuteOptions): DriverResult {
    const c = this.prepare(sql);
    if (this.pendingBegin && (!c.readonly || c.savepoint)) {
      this.pendingBegin = false;
      if (!this.db.inTransaction) this.db.exec("BEGIN IMMEDIATE");
    }
    const stmt = c.stmt;
    if (c.reader) {
      const big = options.bigintColumns;
      let rows: unknown[][];
      if (big) {
        stmt.safeIntegers(true);
        try {
          rows = stmt.all(params as unknown[]) as unknown[][];
        } finally {
          stmt.safeIntegers(false);
        }
        for (const row of rows) for (let i = 0; i < row.length; i++) if (!big[i] && typeof row[i] === "bigint") row[i] = Number(row[i]);
      } else {
        rows = stmt.all(params as unknown[]) as unknown[][];
      }
      if (c.columns === null) c.columns = stmt.columns().map((col) => col.name);
      return { rows, columns: c.columns, rowsAffected: -1, lastInsertId: null };
    }
    const info = stmt.run(params as unknown[]);
    return { rows: EMPTY, columns: null, rowsAffected: info.changes, lastInsertId: info.lastInsertRowid };
  }

  begin(): void {
    this.pendingBegin = true;
  }
  commit(): void {
    this.pendingBegin = false;
    if (this.db.inTransaction) this.db.exec("COMMIT");
  }
  rollback(): void {
    this.pendingBegin = false;
    if (this.db.inTransaction) this.db.exec("ROLLBACK");
  }

  async *stream(sql: string, params: readonly unknown[], options: ExecuteOptions, chunkSize: number): AsyncIterable<unknown[][]> {
    const c = this.prepare(sql);
    if (!c.reader) {
      this.execute(sql, params, options);
      return;
    }
    // A statement being iterated cannot run again until done: use a private copy.
    const stmt = this.db.prepare(sql);
    stmt.raw(true);
    if (options.bigintColumns) stmt.safeIntegers(true);
    let chunk: unknown[][] = [];
    for (const row of stmt.iterate(params as unknown[]) as Iterable<unknown[]>) {
      chunk.push(row);
      if (chunk.length >= chunkSize) {
        yield chunk;
        chunk = [];
      }
    }
    if (chunk.length) yield chunk;
  }

  async ping(): Promise<boolean> {
    return this.db.open;
  }

  close(): void {
    // The handle is shared by the engine's connections; the driver closes it on dispose.
    this.cache.clear();
  }
}

/** better-sqlite3 as a Crucible driver. */
export class BetterSqliteDriver implements Driver {
  readonly singleConnection = true;
  private db: Database.Database | null = null;
  constructor(
    readonly filename: string,
    private readonly options: DriverOptions,
  ) {}

  private open(): Database.Database {
    if (this.db) return this.db;
    const args = (this.options.connectArgs ?? {}) as Database.Options;
    let db: Database.Database;
    try {
      db = new Database(this.filename, { timeout: this.options.busyTimeoutMs ?? 5000, ...args });
    } catch (e) {
      throw new ArgumentError(`cannot open the SQLite database ${JSON.stringify(this.filename)}: ${(e as Error).message}`, { cause: e });
    }
    db.defaultSafeIntegers(false);
    db.pragma("foreign_keys = ON");
    if (this.filename !== ":memory:" && !args.readonly) db.pragma("journal_mode = WAL");
    this.db = db;
    return db;
  }

  async connect(): Promise<DriverConnection> {
    return new BetterSqliteConnection(this.open());
  }

  async close(): Promise<void> {
    if (this.db?.open) this.db.close();
    this.db = null;
  }
}

/** Opens the driver for a `sqlite://` URL: `database` null means in memory. */
export function createBetterSqliteDriver(spec: ConnectionSpec, options: DriverOptions): BetterSqliteDriver {
  return new BetterSqliteDriver(spec.database ?? ":memory:", options);
}
