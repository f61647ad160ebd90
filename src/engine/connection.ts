/**
 * Connection: executes statements on one pooled database connection, with SQLAlchemy 2.0's autobegin (the first
 * statement starts a transaction; commit() or rollback() ends it), explicit transactions and SAVEPOINTs.
 */
import type { Dialect } from "../dialects/base/dialect.js";
import type { DriverResult, ExecuteOptions } from "../dialects/base/driver.js";
import { insert } from "../sql/ast/dml.js";
import { bindparam } from "../sql/ast/functions.js";
import type { InsertNode, StatementNode } from "../sql/ast/nodes.js";
import { bindParams, type CompiledStatement, processRows } from "../sql/compiler/compiled.js";
import type { TableObject } from "../sql/schema/table.js";
import { ArgumentError, CrucibleError, DisconnectError, InvalidRequestError } from "../util/errors.js";
import { KEEP, keepAlive, keepShape } from "../util/keep-alive.js";
import { cacheStatus, reuseStatus } from "./echo.js";
import type { Engine } from "./engine.js";
import { insertedKeyOf } from "./inserted-key.js";
import type { PooledConnection } from "./pool.js";
import { Result } from "./result.js";
import { type Row, rowFactory } from "./row.js";
import { Transaction } from "./transaction.js";

export { Transaction };

/**
 * Anything executable: a statement builder (select, insert, update, delete, text). `T` and `N` type its rows.
 *
 * ```ts
 * const stmt: Executable<[number], { id: number }> = select(users.c.id);
 * await conn.execute(stmt);
 * ```
 */
export interface Executable<T extends readonly unknown[] = readonly unknown[], N = unknown> {
  readonly node: StatementNode;
  readonly __row?: T;
  readonly __names?: N;
}

/**
 * Parameters for named binds (`bindparam`, `text(":x")`), or a list of them to run the statement once per entry.
 *
 * ```ts
 * await conn.execute(text("SELECT * FROM t WHERE y > :y"), { y: 2 });
 * await conn.execute(insert(t), [{ x: 1 }, { x: 2 }]); // executemany
 * ```
 */
export type ExecuteParams = Readonly<Record<string, unknown>> | readonly Readonly<Record<string, unknown>>[];

let savepointCounter = 0;

/**
 * A database connection from the engine's pool. Close it (or `await using`) to give it back.
 *
 * ```ts
 * await using conn = await engine.connect();
 * await conn.execute(text("CREATE TABLE some_table (x int, y int)"));
 * await conn.execute(text("INSERT INTO some_table (x, y) VALUES (:x, :y)"), [{ x: 1, y: 1 }, { x: 2, y: 4 }]);
 * await conn.commit();
 * ```
 */
export class Connection implements AsyncDisposable {
  private pc: PooledConnection | null;
  private inTx = false;
  private root: Transaction | null = null;
  private readonly nested: Transaction[] = [];
  private closed = false;
  readonly dialect: Dialect;

  constructor(
    readonly engine: Engine,
    pc: PooledConnection,
  ) {
    this.pc = pc;
    this.dialect = engine.dialect;
    keepAlive(KEEP.connection, this);
  }

  /** True while a transaction is open (autobegun or explicit). */
  get inTransaction(): boolean {
    return this.inTx;
  }
  get isClosed(): boolean {
    return this.closed;
  }

  private async driverConnection(): Promise<PooledConnection> {
    if (this.closed) throw new InvalidRequestError("this Connection is closed; get a new one with engine.connect()");
    if (this.pc === null) this.pc = await this.engine._acquire();
    return this.pc;
  }

  /** Starts the implicit transaction; returns a promise only when the driver's BEGIN is asynchronous. */
  private autobegin(pc: PooledConnection): Promise<void> | undefined {
    this.engine.log.transaction("BEGIN (implicit)");
    const g = this.driverTx(pc, "BEGIN");
    if (g) return g.then(() => this.began(pc));
    this.began(pc);
    return undefined;
  }

  private began(pc: PooledConnection): void {
    this.inTx = true;
    pc.inTransaction = true;
  }

  /**
   * Starts a transaction explicitly. Use its commit()/rollback(), or `await using` to roll back unless committed.
   *
   * ```ts
   * await using tx = await conn.begin();
   * await conn.execute(stmt);
   * await tx.commit();
   * ```
   */
  async begin(): Promise<Transaction> {
    if (this.inTx)
      throw new InvalidRequestError(
        "a transaction is already begun on this Connection (autobegin or begin()); commit() or rollback() it first, or use beginNested()",
      );
    await this.autobegin(await this.driverConnection());
    this.root = new Transaction(this, null);
    return this.root;
  }

  /**
   * Starts a SAVEPOINT inside the current transaction (autobeginning one if needed). Rolling it back undoes only
   * what was done since.
   *
   * ```ts
   * const sp = await conn.beginNested();
   * try { await conn.execute(insert(t).values(row)); await sp.commit(); } catch { await sp.rollback(); }
   * ```
   */
  async beginNested(): Promise<Transaction> {
    const pc = await this.driverConnection();
    if (!this.inTx) await this.autobegin(pc);
    const name = `sa_savepoint_${++savepointCounter}`;
    await this.runSql(this.dialect.savepointSql(name), []);
    const tx = new Transaction(this, name);
    this.nested.push(tx);
    return tx;
  }

  /** @internal */
  async _releaseSavepoint(name: string): Promise<void> {
    this.popSavepoint(name);
    await this.runSql(this.dialect.releaseSavepointSql(name), []);
  }
  /** @internal */
  async _rollbackToSavepoint(name: string): Promise<void> {
    this.popSavepoint(name);
    await this.runSql(this.dialect.rollbackToSavepointSql(name), []);
  }
  private popSavepoint(name: string): void {
    const i = this.nested.findIndex((t) => t.savepoint === name);
    if (i < 0) return;
    for (const t of this.nested.splice(i)) t._deactivate();
  }

  /** Commits the current transaction (nothing to do if none is open). */
  async commit(): Promise<void> {
    const g = this.endTransaction("COMMIT");
    if (g) await g;
  }

  /** Rolls the current transaction back (nothing to do if none is open). */
  async rollback(): Promise<void> {
    const g = this.endTransaction("ROLLBACK");
    if (g) await g;
  }

  /**
   * Ends the open transaction, if any, with COMMIT or ROLLBACK: its bookkeeping first, so that it is over even when the
   * driver's call fails. Returns a promise only when the driver's call is asynchronous.
   */
  private endTransaction(sql: "COMMIT" | "ROLLBACK"): Promise<void> | undefined {
    const pc = this.pc;
    if (!this.inTx || pc === null) return undefined;
    this.engine.log.transaction(sql);
    this.clearTransaction(pc);
    return this.driverTx(pc, sql);
  }

  /** Forgets the transaction that ended or was lost: the connection is out of it, and so are its Transaction objects. */
  private clearTransaction(pc: PooledConnection): void {
    this.inTx = false;
    pc.inTransaction = false;
    if (this.nested.length > 0) for (const t of this.nested.splice(0)) t._deactivate();
    this.root?._deactivate();
    this.root = null;
  }

  /**
   * Runs a statement and returns its Result (rows already fetched). With a list of parameter sets, runs it once
   * per set (executemany) and returns the total row count.
   *
   * ```ts
   * const result = await conn.execute(select(userTable).where(userTable.c.name.eq("spongebob")));
   * ```
   */
  async execute<T extends readonly unknown[], N>(stmt: Executable<T, N>, params?: ExecuteParams): Promise<Result<T, N>> {
    if (!stmt || typeof stmt !== "object" || !("node" in stmt))
      throw new ArgumentError(
        `execute() takes a statement (select(), insert(), text(), ...), got ${typeof stmt === "string" ? "a string: wrap SQL text in text()" : String(stmt)}`,
      );
    if (Array.isArray(params)) return this.executeMany(stmt, params) as Promise<Result<T, N>>;
    const t0 = startTime(this);
    const { compiled, binds, cached } = this.dialect.statementCache.compile(stmt.node);
    const bound = bindParams(compiled, binds, params as Record<string, unknown> | undefined, this.dialect);
    const node = stmt.node;
    if (bound.params.length > this.dialect.maxParams && node.kind === "insert" && node.rows !== null && node.rows.length > 1)
      return this.executeInBatches(node, bound.params.length, params as Record<string, unknown> | undefined) as Promise<Result<T, N>>;
    return this.runCompiled(compiled, bound.sql, bound.params, cacheStatusOf(this, compiled, cached, t0)) as Promise<Result<T, N>>;
  }

  /**
   * A multi-row INSERT with more parameters than the database takes in one statement (SQLite: 32,766) runs as
   * several INSERTs of as many rows as fit, in the current transaction; RETURNING rows and counts are combined.
   */
  private async executeInBatches(node: InsertNode, paramCount: number, params: Record<string, unknown> | undefined): Promise<Result> {
    const rows = node.rows as NonNullable<InsertNode["rows"]>;
    const perRow = Math.ceil(paramCount / rows.length);
    const size = Math.max(1, Math.floor(this.dialect.maxParams / perRow));
    const results: Result[] = [];
    for (let i = 0; i < rows.length; i += size) {
      const t0 = startTime(this);
      const part = this.dialect.statementCache.compile(Object.freeze({ ...node, rows: rows.slice(i, i + size) }));
      const bound = bindParams(part.compiled, part.binds, params, this.dialect);
      results.push(await this.runCompiled(part.compiled, bound.sql, bound.params, cacheStatusOf(this, part.compiled, part.cached, t0)));
    }
    return combined(results);
  }

  private async executeMany(stmt: Executable<readonly unknown[], unknown>, list: readonly Readonly<Record<string, unknown>>[]): Promise<Result> {
    if (list.length === 0) throw new ArgumentError("execute() got an empty list of parameter sets; pass at least one");
    let node = stmt.node;
    // insert(t) with parameter sets: the keys of the first set become the columns.
    if (node.kind === "insert" && node.rows === null && node.select === null) {
      const table = node.table as TableObject;
      const row: Record<string, unknown> = {};
      for (const k of Object.keys(list[0])) row[k] = bindparam(k, undefined, table.column(k).type as never);
      // Keep the statement's other clauses (RETURNING, ON CONFLICT): only the VALUES come from the parameter sets.
      const values = insert(table).values(row as never).node;
      node = Object.freeze({ ...node, columns: values.columns, rows: values.rows });
    }
    const t0 = startTime(this);
    const { compiled, binds, cached } = this.dialect.statementCache.compile(node);
    let status = cacheStatusOf(this, compiled, cached, t0);
    const results: Result[] = [];
    for (const params of list) {
      const bound = bindParams(compiled, binds, params, this.dialect);
      results.push(await this.runCompiled(compiled, bound.sql, bound.params, status));
      status = cacheStatusOf(this, compiled, true, t0);
    }
    return combined(results);
  }

  /**
   * Runs a compiled statement with ready positional parameters (used by the ORM's unit of work, which compiles
   * its statements once).
   */
  async runCompiled(compiled: CompiledStatement, sql: string, params: readonly unknown[], cache = "cached"): Promise<Result> {
    const raw = await this._run(compiled, sql, params, cache);
    const keys = compiled.resultColumns ? compiled.resultColumns.map((c) => c.name) : (raw.columns ?? []);
    const insertedPrimaryKey = compiled.insertedKey === null ? null : insertedKeyOf(this.dialect, compiled, raw, params);
    return new Result({
      rows: raw.rows,
      keys,
      rowCount: rowCountOf(raw),
      insertedPrimaryKey,
      returnsRows: compiled.returnsRows || (raw.columns !== null && compiled.kind === "text"),
    });
  }

  /**
   * Runs a compiled statement (one that returns no rows) once per parameter set — in one driver call where the driver
   * can — and returns the rows affected by each.
   */
  async runMany(compiled: CompiledStatement, paramSets: readonly (readonly unknown[])[]): Promise<number[]> {
    const pc = this.pc !== null && !this.closed ? this.pc : await this.driverConnection();
    const driver = pc.driver;
    if (!driver.executeMany) {
      const out: number[] = [];
      for (const p of paramSets) out.push((await this.runRaw(compiled, compiled.sql, p)).rowsAffected);
      return out;
    }
    if (!this.inTx) await this.autobegin(pc);
    const log = this.engine.log;
    const t0 = log.enabled ? performance.now() : 0;
    let counts: number[];
    try {
      const r = driver.executeMany(compiled.sql, paramSets, { rows: false, bigintColumns: null });
      counts = r instanceof Promise ? await r : r;
    } catch (e) {
      throw this.translate(e, compiled.sql, paramSets[0] ?? []);
    }
    if (log.enabled) {
      const ms = (performance.now() - t0) / Math.max(1, paramSets.length);
      for (const p of paramSets) log.statement(compiled.sql, p, reuseStatus(compiled), ms);
    }
    return counts;
  }

  /** Runs a compiled statement and returns the driver's result with converted rows (no Result object). */
  async runRaw(compiled: CompiledStatement, sql: string, params: readonly unknown[], cache = "cached", single = false): Promise<DriverResult> {
    return this._run(compiled, sql, params, cache, single);
  }

  /**
   * @internal runRaw without promise hops for synchronous drivers (SQLite): returns the result directly when no step
   * had to wait.
   */
  _run(compiled: CompiledStatement, sql: string, params: readonly unknown[], cache = "cached", single = false): DriverResult | Promise<DriverResult> {
    const pc = this.pc !== null && !this.closed ? this.pc : null;
    if (pc === null) return this.runAfter(this.driverConnection(), compiled, sql, params, cache, single);
    if (!this.inTx) {
      const b = this.autobegin(pc);
      if (b) return this.runAfter(b, compiled, sql, params, cache, single);
    }
    return this._exec(pc, compiled, sql, params, cache, single);
  }

  // The waiting paths are functions of their own: a closure in _run or _exec would make V8 allocate a context at every
  // statement, also when nothing waits (the SQLite case).
  private async runAfter(
    wait: Promise<unknown>,
    compiled: CompiledStatement,
    sql: string,
    params: readonly unknown[],
    cache: string,
    single: boolean,
  ): Promise<DriverResult> {
    await wait;
    return this._run(compiled, sql, params, cache, single);
  }
  private async afterDriver(
    r: Promise<DriverResult>,
    compiled: CompiledStatement,
    sql: string,
    params: readonly unknown[],
    cache: string,
    t0: number,
  ): Promise<DriverResult> {
    let raw: DriverResult;
    try {
      raw = await r;
    } catch (e) {
      throw this.failed(e, compiled, sql, params, cache, t0);
    }
    return this._after(compiled, raw, sql, params, cache, t0);
  }

  private _exec(
    pc: PooledConnection,
    compiled: CompiledStatement,
    sql: string,
    params: readonly unknown[],
    cache: string,
    single: boolean,
  ): DriverResult | Promise<DriverResult> {
    const options = executeOptions(compiled, compiled.returnsRows, single);
    const t0 = startTime(this);
    let r: DriverResult | Promise<DriverResult>;
    try {
      r = pc.driver.execute(sql, params, options);
    } catch (e) {
      throw this.failed(e, compiled, sql, params, cache, t0);
    }
    if (r instanceof Promise) return this.afterDriver(r, compiled, sql, params, cache, t0);
    return this._after(compiled, r, sql, params, cache, t0);
  }

  /** Echoes an executed statement; `cache` "cached" means compiled outside the statement cache (see reuseStatus). */
  private logStatement(compiled: CompiledStatement, sql: string, params: readonly unknown[], cache: string, t0: number): void {
    this.engine.log.statement(sql, params, cache === "cached" ? reuseStatus(compiled) : cache, performance.now() - t0);
  }

  /** A statement the driver refused: echoed like one that ran, then translated. */
  private failed(e: unknown, compiled: CompiledStatement, sql: string, params: readonly unknown[], cache: string, t0: number): CrucibleError {
    if (this.engine.log.enabled) this.logStatement(compiled, sql, params, cache, t0);
    return this.translate(e, sql, params);
  }

  private _after(compiled: CompiledStatement, raw: DriverResult, sql: string, params: readonly unknown[], cache: string, t0: number): DriverResult {
    const log = this.engine.log;
    if (log.enabled) this.logStatement(compiled, sql, params, cache, t0);
    processRows(raw.rows, compiled.rowProcessors);
    if (log.echo === "debug" && (compiled.returnsRows || raw.rows.length > 0)) {
      // Names the statement does not give (the columns of an ORM entity) are the driver's, as in the SQL.
      const keys = compiled.resultColumns ? compiled.resultColumns.map((c, i) => c.name ?? raw.columns?.[i] ?? null) : (raw.columns ?? []);
      log.rows(
        keys.map((k, i) => k ?? `column_${i + 1}`),
        raw.rows,
      );
    }
    return raw;
  }

  /**
   * Runs SQL text as the driver takes it (positional parameters in the dialect's style), like SQLAlchemy's
   * exec_driver_sql. Prefer text() with named parameters.
   *
   * ```ts
   * await conn.execDriverSql("PRAGMA table_info(user_account)");
   * ```
   */
  async execDriverSql(sql: string, params: readonly unknown[] = []): Promise<Result> {
    const raw = await this.runSql(sql, params);
    return new Result({
      rows: raw.rows,
      keys: raw.columns ?? [],
      rowCount: rowCountOf(raw),
      insertedPrimaryKey: null,
      returnsRows: raw.columns !== null,
    });
  }

  private async runSql(sql: string, params: readonly unknown[]) {
    const pc = await this.driverConnection();
    if (!this.inTx) await this.autobegin(pc);
    const t0 = performance.now();
    let raw: DriverResult;
    try {
      const r = pc.driver.execute(sql, params, { rows: false, bigintColumns: null });
      raw = r instanceof Promise ? await r : r;
    } catch (e) {
      throw this.translate(e, sql, params);
    } finally {
      this.engine.log.statement(sql, params, "raw", performance.now() - t0);
    }
    return raw;
  }

  /**
   * Streams the rows of a SELECT in chunks, with bounded memory.
   *
   * ```ts
   * for await (const row of conn.stream(select(bigTable))) process(row);
   * ```
   */
  async *stream<T extends readonly unknown[], N>(
    stmt: Executable<T, N>,
    params?: Readonly<Record<string, unknown>>,
    options: { chunkSize?: number } = {},
  ): AsyncGenerator<Row<T, N>> {
    const t0 = startTime(this);
    const { compiled, binds, cached } = this.dialect.statementCache.compile(stmt.node);
    const bound = bindParams(compiled, binds, params, this.dialect);
    const status = cacheStatusOf(this, compiled, cached, t0);
    const pc = await this.driverConnection();
    if (!this.inTx) await this.autobegin(pc);
    const driver = pc.driver;
    if (!driver.stream) {
      // A driver without cursors: all rows at once (runCompiled echoes the statement).
      const result = await this.runCompiled(compiled, bound.sql, bound.params, status);
      for (const row of result) yield row as unknown as Row<T, N>;
      return;
    }
    this.engine.log.statement(bound.sql, bound.params, status, 0);
    // Rows of a statement that names its columns share one row maker; text() rows are named by position.
    const named = compiled.resultColumns ? rowFactory(compiled.resultColumns.map((c) => c.name)) : null;
    try {
      for await (const chunk of driver.stream(bound.sql, bound.params, executeOptions(compiled, true, false), options.chunkSize ?? 1000)) {
        processRows(chunk, compiled.rowProcessors);
        const make = named ?? rowFactory(chunk[0]?.map((_, i) => `column_${i + 1}`) ?? []);
        for (const r of chunk) yield make(r) as unknown as Row<T, N>;
      }
    } catch (e) {
      throw this.translate(e, bound.sql, bound.params);
    }
  }

  /** Sends BEGIN, COMMIT or ROLLBACK, translating the driver's error; returns a promise only when the driver's call is asynchronous. */
  private driverTx(pc: PooledConnection, sql: "BEGIN" | "COMMIT" | "ROLLBACK"): Promise<void> | undefined {
    let r: unknown;
    try {
      r = sql === "BEGIN" ? pc.driver.begin(this.engine.isolationLevel) : sql === "COMMIT" ? pc.driver.commit() : pc.driver.rollback();
    } catch (e) {
      throw this.translate(e, sql, []);
    }
    return r instanceof Promise ? this.driverTxAsync(r, sql) : undefined;
  }
  private async driverTxAsync(r: Promise<unknown>, sql: string): Promise<void> {
    try {
      await r;
    } catch (e) {
      throw this.translate(e, sql, []);
    }
  }

  /** Wraps a driver error; a lost connection is discarded so the pool stays healthy. */
  private translate(e: unknown, sql: string, params: readonly unknown[]): CrucibleError {
    const err = e instanceof CrucibleError ? e : this.dialect.translateError({ error: e, sql, params });
    if (err instanceof DisconnectError && this.pc) {
      const pc = this.pc;
      this.pc = null;
      this.clearTransaction(pc);
      void this.engine._release(pc, true);
    }
    if (this.engine.log.enabled) this.engine.log.info(`[error] ${err.name}: ${err.message.split("\n")[0]}`);
    return err;
  }

  /** Rolls back anything open and gives the connection back to the pool. */
  async close(): Promise<void> {
    const r = this._close();
    if (r) await r;
  }

  /** @internal close() that returns a promise only when the driver's ROLLBACK (or the pool) is asynchronous. */
  _close(): Promise<void> | undefined {
    if (this.closed) return undefined;
    let rollback: Promise<void> | undefined;
    try {
      rollback = this.endTransaction("ROLLBACK");
    } catch (e) {
      this.finishClose();
      throw e;
    }
    return rollback ? rollback.finally(() => this.finishClose()) : this.finishClose();
  }

  /**
   * Gives the driver connection back, if the connection still holds one: a failed ROLLBACK that lost the connection
   * has already discarded it.
   */
  private finishClose(): Promise<void> | undefined {
    const pc = this.pc;
    this.closed = true;
    this.pc = null;
    return pc ? this.engine._release(pc, false) : undefined;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** When a compile began, for the echo's "generated in ... ms"; 0 when nothing logs (no clock read on the hot path). */
function startTime(conn: Connection): number {
  return conn.engine.log.enabled ? performance.now() : 0;
}

/** The echo's cache column for a statement compiled since `t0` (empty when nothing logs). */
function cacheStatusOf(conn: Connection, compiled: CompiledStatement, cached: boolean, t0: number): string {
  return conn.engine.log.enabled ? cacheStatus(cached, compiled.compiledAt, performance.now() - t0) : "";
}

/** What the driver is told about a statement's rows. */
function executeOptions(compiled: CompiledStatement, rows: boolean, single: boolean): ExecuteOptions {
  return { rows, bigintColumns: compiled.bigintColumns, unknownTypes: compiled.resultColumns === null && compiled.kind === "text", single };
}
keepShape(executeOptions({ bigintColumns: null, resultColumns: null, kind: "select" } as CompiledStatement, false, false));

/** The rows affected, or for a statement whose driver does not count them, the rows returned. */
function rowCountOf(raw: DriverResult): number {
  return raw.rowsAffected >= 0 ? raw.rowsAffected : raw.rows.length;
}

/** Several executions of one statement as one Result: their RETURNING rows in order and the total row count. */
function combined(results: readonly Result[]): Result {
  const rows: unknown[][] = [];
  let rowCount = 0;
  for (const r of results) {
    rowCount += Math.max(0, r.rowCount);
    if (r.returnsRows) rows.push(...(r.raw() as unknown[][]));
  }
  const last = results.at(-1);
  return new Result({ rows, keys: last ? last.keys() : [], rowCount, insertedPrimaryKey: null, returnsRows: last?.returnsRows ?? false });
}
