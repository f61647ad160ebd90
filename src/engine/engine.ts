/**
 * Engine: the starting point — a dialect, a pool of connections and the echo log.
 */
import type { ConnectionSpec, Dialect } from "../dialects/base/dialect.js";
import type { Introspector, QueryRunner } from "../dialects/base/introspector.js";
import type { ForeignKeyConstraint } from "../sql/schema/constraints.js";
import type { MetaData, ReflectOptions, SchemaRunner } from "../sql/schema/metadata.js";
import type { TableObject } from "../sql/schema/table.js";
import { ArgumentError, CrucibleError, InvalidRequestError } from "../util/errors.js";
import { KEEP, keepAlive } from "../util/keep-alive.js";
import { describeValue } from "../util/show.js";
import { Connection, type Executable, type ExecuteParams, type Transaction } from "./connection.js";
import { dialectFor } from "./dialects.js";
import { EchoLog, type EchoSetting, type EngineEvent, type Logger } from "./echo.js";
import { Pool, type PooledConnection, type PoolOptions } from "./pool.js";
import { reflectInto } from "./reflect.js";
import type { Result } from "./result.js";
import { parseUrl } from "./url.js";

/**
 * Options of createEngine().
 *
 * ```ts
 * createEngine("postgresql://app@db/shop", { echo: true, pool: { max: 20 }, isolationLevel: "REPEATABLE READ" });
 * ```
 */
export interface EngineOptions {
  /** Log transactions and statements (`"debug"` also logs rows). */
  readonly echo?: EchoSetting;
  /** Where echo lines go (default: stderr). */
  readonly logger?: Logger;
  readonly pool?: PoolOptions;
  /** Isolation level of every transaction (`"SERIALIZABLE"`, `"READ COMMITTED"`, ...). */
  readonly isolationLevel?: string;
  /** Passed to the driver library as is (better-sqlite3 options, pg Pool options, mysql2 options). */
  readonly connectArgs?: Readonly<Record<string, unknown>>;
}

/**
 * A database, its dialect and a pool of connections. Make one per database per process.
 *
 * ```ts
 * const engine = createEngine("sqlite:///app.db", { echo: true });
 * await using conn = await engine.connect();
 * ```
 */
export class Engine implements SchemaRunner, AsyncDisposable {
  readonly url: ConnectionSpec;
  readonly dialect: Dialect;
  readonly log: EchoLog;
  readonly isolationLevel: string | null;
  private pool: Pool | null = null;
  private poolPromise: Promise<Pool> | null = null;

  constructor(
    url: string | ConnectionSpec,
    readonly options: EngineOptions = {},
  ) {
    this.url = typeof url === "string" ? parseUrl(url) : url;
    this.dialect = dialectFor(this.url);
    this.log = new EchoLog(options.echo ?? false, options.logger);
    const level = options.isolationLevel?.toUpperCase() ?? null;
    if (level !== null && !this.dialect.isolationLevels.includes(level))
      throw new ArgumentError(
        `isolationLevel "${options.isolationLevel}" is not valid for ${this.dialect.name}; use one of ${this.dialect.isolationLevels.join(", ")}`,
      );
    this.isolationLevel = level;
  }

  private getPool(): Promise<Pool> {
    if (this.pool) return Promise.resolve(this.pool);
    if (!this.poolPromise) {
      this.poolPromise = this.dialect.createDriver(this.url, { connectArgs: this.options.connectArgs }).then(
        (driver) => (this.pool = new Pool(driver, this.options.pool)),
        (e) => {
          this.poolPromise = null;
          throw e;
        },
      );
    }
    return this.poolPromise;
  }

  /** @internal */
  _acquire(): PooledConnection | Promise<PooledConnection> {
    if (this.pool) {
      // One call to the pool only: a second would queue a second waiter and leak the connection it gets.
      const pc = this.pool.acquire();
      return pc instanceof Promise ? this.translated(pc) : pc;
    }
    return this.getPool().then((pool) => this.translated(pool.acquire()));
  }

  private async translated(pc: PooledConnection | Promise<PooledConnection>): Promise<PooledConnection> {
    try {
      return await pc;
    } catch (e) {
      throw e instanceof CrucibleError ? e : this.dialect.translateError({ error: e, sql: "", params: [] });
    }
  }

  /** @internal */
  _release(pc: PooledConnection, discard: boolean): Promise<void> | undefined {
    return this.pool?.release(pc, discard);
  }

  /** The pool (created on first use), for inspection in tests and monitoring. */
  get poolStatus(): { size: number; inUse: number; max: number } | null {
    return this.pool ? { size: this.pool.size, inUse: this.pool.inUse, max: this.pool.max } : null;
  }

  /**
   * Listens to every statement the engine sends and every transaction boundary; returns the unsubscribe function.
   *
   * ```ts
   * const off = engine.on((e) => { if (e.kind === "statement") console.log(e.sql); });
   * off();
   * ```
   */
  on(listener: (event: EngineEvent) => void): () => void {
    this.log.listeners.add(listener);
    return () => {
      this.log.listeners.delete(listener);
    };
  }

  /** How many statements were compiled and how many came from the cache. */
  get compileStats(): { compiled: number; hits: number } {
    return this.dialect.statementCache.stats;
  }

  /**
   * A connection from the pool. Close it when done (`await using` does it for you).
   *
   * ```ts
   * await using conn = await engine.connect();
   * const rows = (await conn.execute(select(users))).all();
   * ```
   */
  async connect(): Promise<Connection> {
    return new Connection(this, await this._acquire());
  }

  /** @internal A connection without a promise hop when the pool has one idle (the ORM's hot path). */
  _connect(): Connection | Promise<Connection> {
    const pc = this._acquire();
    return pc instanceof Promise ? pc.then((p) => new Connection(this, p)) : new Connection(this, pc);
  }

  /**
   * Runs `fn` in a transaction on a new connection: committed if it returns, rolled back if it throws.
   *
   * ```ts
   * await engine.begin(async (conn) => {
   *   await conn.execute(insert(userTable).values({ name: "sandy" }));
   * });
   * ```
   */
  async begin<T>(fn: (conn: Connection) => Promise<T>): Promise<T> {
    const conn = await this.connect();
    try {
      const tx: Transaction = await conn.begin();
      let result: T;
      try {
        result = await fn(conn);
      } catch (e) {
        if (tx.isActive) await tx.rollback();
        throw e;
      }
      if (tx.isActive) await tx.commit();
      return result;
    } finally {
      await conn.close();
    }
  }

  /**
   * Runs one statement on a fresh connection in its own transaction and returns its Result (a convenience for scripts).
   *
   * ```ts
   * await engine.execute(insert(userTable).values({ name: "sandy" }));
   * ```
   */
  async execute<T extends readonly unknown[], N>(stmt: Executable<T, N>, params?: ExecuteParams): Promise<Result<T, N>> {
    return this.begin((conn) => conn.execute(stmt, params));
  }

  /** @internal SchemaRunner: createAll. */
  async createTables(_metadata: MetaData, tables: readonly TableObject[], checkFirst: boolean): Promise<void> {
    const ddl = this.dialect.createDdlCompiler();
    await this.begin(async (conn) => {
      const q = queryRunner(conn);
      const introspector = this.dialect.introspector();
      // Tables that refer to each other: a foreign key to a table created later is added by ALTER TABLE once both
      // exist, where the dialect can (SQLite cannot, and does not check references at CREATE TABLE).
      const later = new Set(tables);
      const deferred: [TableObject, ForeignKeyConstraint][] = [];
      for (const table of tables) {
        later.delete(table);
        if (checkFirst && (await introspector.hasTable(q, table.name, table.schema))) continue;
        const skipForeignKeys = new Set<ForeignKeyConstraint>();
        if (this.dialect.capabilities.alterConstraints)
          for (const fk of table.foreignKeys) {
            const referred = table.referredTable(fk);
            if (referred !== null && referred !== table && later.has(referred)) skipForeignKeys.add(fk);
          }
        for (const sql of ddl.createTable(table, { skipForeignKeys })) await conn.execDriverSql(sql);
        for (const fk of skipForeignKeys) deferred.push([table, fk]);
      }
      for (const [table, fk] of deferred) await conn.execDriverSql(ddl.addForeignKey(table, fk));
    });
  }

  /** @internal SchemaRunner: dropAll. */
  async dropTables(_metadata: MetaData, tables: readonly TableObject[], checkFirst: boolean): Promise<void> {
    const ddl = this.dialect.createDdlCompiler();
    await this.begin(async (conn) => {
      const q = queryRunner(conn);
      const introspector = this.dialect.introspector();
      const existing: TableObject[] = [];
      for (const table of tables) if (!checkFirst || (await introspector.hasTable(q, table.name, table.schema))) existing.push(table);
      // Tables that refer to each other: a foreign key to a table dropped earlier is dropped first.
      const droppedBefore = new Set<TableObject>();
      if (this.dialect.capabilities.alterConstraints)
        for (const table of existing) {
          const blocking = table.foreignKeys.filter((fk) => {
            const referred = table.referredTable(fk);
            return referred !== null && referred !== table && droppedBefore.has(referred);
          });
          droppedBefore.add(table);
          if (blocking.length === 0) continue;
          const reflected = await introspector.getForeignKeys(q, table.name, table.schema);
          for (const fk of blocking) {
            const cols = fk.columns.map((k) => table.column(k).name).join(",");
            const name = table.metadata.constraintName(table, fk) ?? reflected.find((r) => r.columns.join(",") === cols)?.name;
            if (name) await conn.execDriverSql(ddl.dropForeignKey(table, name));
          }
        }
      for (const table of existing) for (const sql of ddl.dropTable(table)) await conn.execDriverSql(sql);
    });
  }

  /** @internal SchemaRunner: reflect. */
  async reflectTables(metadata: MetaData, options: ReflectOptions): Promise<TableObject[]> {
    return this._introspect((q, i) => reflectInto(metadata, i, q, options));
  }

  /**
   * An Inspector: reads what is in the database (tables, columns, keys, indexes).
   *
   * ```ts
   * const names = await inspect(engine).getTableNames();
   * ```
   */
  inspector(): Inspector {
    return new Inspector(this);
  }

  /** @internal Runs introspection queries on a connection of its own. */
  async _introspect<R>(fn: (q: QueryRunner, i: Introspector) => Promise<R>): Promise<R> {
    const conn = await this.connect();
    try {
      return await fn(queryRunner(conn), this.dialect.introspector());
    } finally {
      await conn.close();
    }
  }

  /** Closes every pooled connection; the engine opens new ones if used again. */
  async dispose(): Promise<void> {
    const pool = this.pool ?? (this.poolPromise ? await this.poolPromise.catch(() => null) : null);
    this.pool = null;
    this.poolPromise = null;
    // The latest disposed engine stays reachable (its dialect, compiled statements and log; not its pool), so the
    // hidden classes of the per-engine objects outlive it when another engine replaces it (see util/keep-alive.ts).
    keepAlive(KEEP.engine, this);
    if (pool) await pool.dispose();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  toString(): string {
    return `Engine(${this.url.display})`;
  }
}

/**
 * Reads schema information from a live database.
 *
 * ```ts
 * const insp = inspect(engine);
 * await insp.getColumns("user_account");
 * ```
 */
export class Inspector {
  constructor(private readonly engine: Engine) {}
  getTableNames(schema?: string) {
    return this.engine._introspect((q, i) => i.getTableNames(q, schema ?? null));
  }
  hasTable(table: string, schema?: string) {
    return this.engine._introspect((q, i) => i.hasTable(q, table, schema ?? null));
  }
  getColumns(table: string, schema?: string) {
    return this.engine._introspect((q, i) => i.getColumns(q, table, schema ?? null));
  }
  getPrimaryKey(table: string, schema?: string) {
    return this.engine._introspect((q, i) => i.getPrimaryKey(q, table, schema ?? null));
  }
  getForeignKeys(table: string, schema?: string) {
    return this.engine._introspect((q, i) => i.getForeignKeys(q, table, schema ?? null));
  }
  getIndexes(table: string, schema?: string) {
    return this.engine._introspect((q, i) => i.getIndexes(q, table, schema ?? null));
  }
  getUniqueConstraints(table: string, schema?: string) {
    return this.engine._introspect((q, i) => i.getUniqueConstraints(q, table, schema ?? null));
  }
  getCheckConstraints(table: string, schema?: string) {
    return this.engine._introspect((q, i) => i.getCheckConstraints(q, table, schema ?? null));
  }
}

/**
 * An Inspector for an engine.
 *
 * ```ts
 * await inspect(engine).getTableNames();
 * ```
 */
export function inspect(engine: Engine): Inspector {
  if (!(engine instanceof Engine)) {
    throw new InvalidRequestError(`inspect() takes an Engine (from createEngine()), got ${describeValue(engine)}`);
  }
  return engine.inspector();
}

/**
 * Creates an Engine for a database URL.
 *
 * ```ts
 * const engine = createEngine("sqlite:///DBName.sqlite", { echo: true });
 * const pg = createEngine("postgresql://postgres@127.0.0.1:5432/test", { pool: { max: 10 } });
 * ```
 */
export function createEngine(url: string, options: EngineOptions = {}): Engine {
  return new Engine(url, options);
}

/** Runs SQL text on a connection for an introspector. */
function queryRunner(conn: Connection): QueryRunner {
  return async (sql, params = []) => (await conn.execDriverSql(sql, params)).raw() as unknown[][];
}
