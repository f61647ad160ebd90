/**
 * The mysql2 driver: one mysql2 connection per DriverConnection (Crucible's own pool, engine/pool.ts, pools them).
 *
 * Statements go through mysql2's `query()` (text protocol) with parameters interpolated client-side by
 * `formatQuery` (sql-format.ts), not through `execute()` (server-side prepared statements), for correctness first:
 * `execute()` sends JS numbers as DOUBLE, which MySQL rejects for `LIMIT ?` and compares inexactly with BIGINT and
 * DECIMAL columns; it caps a statement at 65,535 parameters; it keeps a prepared statement per distinct SQL text on
 * the server (the IN lists and multi-row INSERTs of an ORM produce many); and its result conversions differ from the
 * text protocol's for several types. With `query()` every value is written exactly (bigints and decimals unquoted,
 * dates as UTC text, bytes as hex) and one code path reads results.
 *
 * The mysql2 options below are what the type processors (types.ts) rely on, so they cannot be overridden:
 * BIGINT and DECIMAL as strings (no precision lost above 2^53), dates as strings (no local-time conversion), JSON
 * as text, rows as arrays, utf8mb4. Each new connection sets its session `time_zone` to UTC, so `CURRENT_TIMESTAMP`
 * agrees with the UTC wall-clock time `DateTime()` stores.
 */
import { ArgumentError, DisconnectError } from "../../../util/errors.js";
import type { ConnectionSpec, DriverOptions } from "../../base/dialect.js";
import { type Driver, type DriverConnection, type DriverResult, type ExecuteOptions, endWithin } from "../../base/driver.js";
import { translateMysqlError } from "../errors.js";
import { type MysqlServerInfo, parseServerVersion } from "../server-info.js";
import { formatQuery } from "../sql-format.js";

/** The parts of mysql2's API this driver uses (typed here so the driver does not depend on mysql2's typings). */
interface Mysql2Field {
  readonly name: string;
  readonly columnType?: number;
  readonly type?: number;
}
interface Mysql2Header {
  readonly affectedRows: number;
  readonly insertId: number | string;
  readonly serverStatus?: number;
}
interface Mysql2Query {
  on(event: "fields", listener: (fields: Mysql2Field[]) => void): this;
  on(event: "result", listener: (row: unknown[]) => void): this;
  on(event: "error", listener: (error: unknown) => void): this;
  on(event: "end", listener: () => void): this;
}
interface Mysql2Core {
  query(options: { sql: string; rowsAsArray: boolean }): Mysql2Query;
  on(event: "error", listener: (error: unknown) => void): void;
  pause(): void;
  resume(): void;
  destroy(): void;
}
interface Mysql2Connection {
  readonly connection: Mysql2Core;
  query(options: { sql: string; rowsAsArray: boolean }): Promise<[unknown, Mysql2Field[] | undefined]>;
  ping(): Promise<void>;
  end(): Promise<void>;
  destroy(): void;
}
interface Mysql2Module {
  createConnection(config: Record<string, unknown>): Promise<Mysql2Connection>;
}

const loaded = new Map<string, Promise<Mysql2Module>>();

/**
 * Imports `mysql2/promise` on first use (it is an optional peer dependency).
 *
 * ```ts
 * const mysql = await importMysql2();
 * ```
 */
export function importMysql2(specifier = "mysql2/promise"): Promise<Mysql2Module> {
  let p = loaded.get(specifier);
  if (!p) {
    p = import(specifier).then(
      (m: { default?: Mysql2Module } & Mysql2Module) => m.default ?? m,
      (e: unknown) => {
        loaded.delete(specifier);
        throw new ArgumentError(`the MySQL/MariaDB dialect needs the mysql2 package, which is not installed: run \`npm install mysql2\``, { cause: e });
      },
    );
    loaded.set(specifier, p);
  }
  return p;
}

/** mysql2 options the type processors depend on. */
const FIXED_OPTIONS = {
  supportBigNumbers: true,
  bigNumberStrings: true,
  decimalNumbers: false,
  dateStrings: true,
  jsonStrings: true,
  rowsAsArray: true,
  timezone: "Z",
} as const;

/** `?ssl=true&connectTimeout=5000` → `{ ssl: true, connectTimeout: 5000 }`. */
function queryOptions(query: Readonly<Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(query)) out[k] = v === "true" ? true : v === "false" ? false : /^\d+$/.test(v) ? Number(v) : v;
  return out;
}

/**
 * The mysql2 connection options for a URL and the engine's connectArgs.
 *
 * ```ts
 * mysql2Config(parseUrl("mysql://root@127.0.0.1/test"), {}).charset; // "utf8mb4"
 * ```
 */
export function mysql2Config(spec: ConnectionSpec, options: DriverOptions): Record<string, unknown> {
  const given = { ...queryOptions(spec.query), ...(options.connectArgs ?? {}) };
  const charset = typeof given.charset === "string" ? given.charset : "utf8mb4";
  if (!/^utf8mb4/i.test(charset))
    throw new ArgumentError(`charset ${JSON.stringify(charset)} is not supported: Crucible talks to MySQL in utf8mb4 (use "utf8mb4" or a utf8mb4 collation)`);
  const config: Record<string, unknown> = { host: spec.host ?? "localhost", port: spec.port ?? 3306, ...given, ...FIXED_OPTIONS, charset };
  if (spec.username !== null) config.user = spec.username;
  if (spec.password !== null) config.password = spec.password;
  if (spec.database !== null) config.database = spec.database;
  return config;
}

/** How long close() waits for the server's goodbye before dropping the socket. */

const LONGLONG = 8;
/** Status flag of OK packets: the session's sql_mode has NO_BACKSLASH_ESCAPES. */
const SERVER_STATUS_NO_BACKSLASH_ESCAPES = 0x200;

/** BIGINT columns arrive as strings: exact `bigint` where asked (or beyond 2^53), `number` otherwise. */
function normalizeRows(rows: unknown[][], fields: readonly Mysql2Field[] | undefined, bigintColumns: readonly boolean[] | null): void {
  if (!fields || rows.length === 0) return;
  const longs: number[] = [];
  for (let i = 0; i < fields.length; i++) if ((fields[i].columnType ?? fields[i].type) === LONGLONG) longs.push(i);
  if (longs.length === 0) return;
  for (const row of rows) {
    for (const i of longs) {
      const v = row[i];
      if (typeof v !== "string") continue;
      if (bigintColumns?.[i]) row[i] = BigInt(v);
      else {
        const n = Number(v);
        row[i] = Number.isSafeInteger(n) ? n : BigInt(v);
      }
    }
  }
}

function insertIdOf(id: number | string | undefined): number | bigint | null {
  if (id === undefined || id === 0 || id === "0") return null;
  if (typeof id === "number") return id;
  const n = Number(id);
  return Number.isSafeInteger(n) ? n : BigInt(id);
}

function isDisconnect(e: unknown): boolean {
  return translateMysqlError({ error: e, sql: "", params: [] }) instanceof DisconnectError;
}

/** One open mysql2 connection with what was learned when it was opened. */
interface Opened {
  readonly conn: Mysql2Connection;
  readonly server: MysqlServerInfo;
  readonly connectionId: number;
  /**
   * `dead`: set by the 'error' listener when the server closed the connection or it broke. `noBackslashEscapes`:
   * the session's sql_mode has NO_BACKSLASH_ESCAPES, kept current from the status flags of every OK packet (so a
   * `SET sql_mode` in the session is followed).
   */
  readonly state: { dead: boolean; noBackslashEscapes: boolean };
}

async function openConnection(mysql: Mysql2Module, config: Record<string, unknown>): Promise<Opened> {
  const conn = await mysql.createConnection(config);
  const state = { dead: false, noBackslashEscapes: false };
  // Without a listener, an error on an idle connection (KILL, server restart) would crash the process.
  conn.connection.on("error", () => {
    state.dead = true;
  });
  try {
    const [rows] = await conn.query({
      sql: "SELECT VERSION(), CONNECTION_ID(), @@SESSION.sql_mode, @@SESSION.auto_increment_increment",
      rowsAsArray: true,
    });
    const [version, id, sqlMode, increment] = (rows as unknown[][])[0];
    await conn.query({ sql: "SET time_zone = '+00:00'", rowsAsArray: true });
    const server = parseServerVersion(String(version), { sqlMode: String(sqlMode ?? ""), autoIncrementIncrement: Number(increment) || 1 });
    state.noBackslashEscapes = server.noBackslashEscapes;
    return { conn, server, connectionId: Number(id), state };
  } catch (e) {
    conn.destroy();
    throw e;
  }
}

class Mysql2DriverConnection implements DriverConnection {
  constructor(
    private opened: Opened,
    private readonly reopen: () => Promise<Opened>,
  ) {}

  /** `CONNECTION_ID()` of the current server connection (for `KILL` in tests and monitoring). */
  get backendId(): number {
    return this.opened.connectionId;
  }

  /** Sends SQL; an error that ends the connection (mysql2 calls it fatal) marks it dead. */
  private async query(sql: string): Promise<[unknown, Mysql2Field[] | undefined]> {
    const opened = this.opened;
    try {
      return await opened.conn.query({ sql, rowsAsArray: true });
    } catch (e) {
      if ((e as { fatal?: boolean }).fatal) opened.state.dead = true;
      throw e;
    }
  }

  private async run(sql: string): Promise<void> {
    await this.query(sql);
  }

  async execute(sql: string, params: readonly unknown[], options: ExecuteOptions): Promise<DriverResult> {
    const [result, fields] = await this.query(formatQuery(sql, params, this.opened.state.noBackslashEscapes));
    if (Array.isArray(result)) {
      const rows = result as unknown[][];
      normalizeRows(rows, fields, options.bigintColumns);
      return { rows, columns: fields ? fields.map((f) => f.name) : null, rowsAffected: -1, lastInsertId: null };
    }
    const header = result as Mysql2Header;
    if (typeof header.serverStatus === "number") this.opened.state.noBackslashEscapes = (header.serverStatus & SERVER_STATUS_NO_BACKSLASH_ESCAPES) !== 0;
    return { rows: [], columns: null, rowsAffected: header.affectedRows ?? -1, lastInsertId: insertIdOf(header.insertId) };
  }

  private async replace(): Promise<void> {
    const old = this.opened;
    old.conn.destroy();
    this.opened = await this.reopen();
  }

  /**
   * `[SET TRANSACTION ISOLATION LEVEL x;] START TRANSACTION`. Nothing has happened in the transaction yet, so a
   * connection found dead here (killed while idle in the pool, server restarted) is replaced by a new one.
   */
  async begin(isolationLevel: string | null): Promise<void> {
    if (this.opened.state.dead) await this.replace();
    try {
      await this.startTransaction(isolationLevel);
    } catch (e) {
      if (!isDisconnect(e)) throw e;
      await this.replace();
      await this.startTransaction(isolationLevel);
    }
  }

  private async startTransaction(isolationLevel: string | null): Promise<void> {
    if (isolationLevel) await this.run(`SET TRANSACTION ISOLATION LEVEL ${isolationLevel}`);
    await this.run("START TRANSACTION");
  }

  async commit(): Promise<void> {
    await this.run("COMMIT");
  }

  /** A connection that is gone has nothing left to roll back (the server rolled back when it dropped it). */
  async rollback(): Promise<void> {
    try {
      await this.run("ROLLBACK");
    } catch (e) {
      if (!isDisconnect(e)) throw e;
      this.opened.state.dead = true;
    }
  }

  /**
   * Streams rows in chunks of about `chunkSize`, pausing the socket while the consumer is behind. Stopping early
   * reads and drops the rest of the result, so the connection stays usable.
   */
  async *stream(sql: string, params: readonly unknown[], options: ExecuteOptions, chunkSize: number): AsyncIterable<unknown[][]> {
    const core = this.opened.conn.connection;
    const size = Math.max(1, chunkSize);
    let fields: Mysql2Field[] | undefined;
    let buffer: unknown[][] = [];
    let done = false;
    let failure: unknown = null;
    let paused = false;
    let discard = false;
    let wake: (() => void) | null = null;
    const notify = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    const q = core.query({ sql: formatQuery(sql, params, this.opened.state.noBackslashEscapes), rowsAsArray: true });
    q.on("fields", (f) => {
      fields = f;
    });
    q.on("result", (row) => {
      // A statement without rows reports its OK packet here: nothing to stream.
      if (discard || !Array.isArray(row)) return;
      buffer.push(row);
      if (buffer.length >= size) {
        if (!paused && buffer.length >= 2 * size) {
          paused = true;
          core.pause();
        }
        notify();
      }
    });
    q.on("error", (e) => {
      failure = e;
      done = true;
      if ((e as { fatal?: boolean }).fatal) this.opened.state.dead = true;
      notify();
    });
    q.on("end", () => {
      done = true;
      notify();
    });
    try {
      while (true) {
        if (buffer.length >= size || (done && buffer.length > 0)) {
          let chunk: unknown[][];
          if (buffer.length <= size) {
            chunk = buffer;
            buffer = [];
          } else chunk = buffer.splice(0, size);
          normalizeRows(chunk, fields, options.bigintColumns);
          if (paused && buffer.length < size) {
            paused = false;
            core.resume();
          }
          yield chunk;
          continue;
        }
        if (failure !== null) throw failure;
        if (done) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    } finally {
      if (!done) {
        discard = true;
        buffer = [];
        if (paused) core.resume();
        await new Promise<void>((resolve) => {
          if (done) resolve();
          else wake = resolve;
        });
      }
    }
  }

  async ping(): Promise<boolean> {
    if (this.opened.state.dead) return false;
    try {
      await this.opened.conn.ping();
      return true;
    } catch {
      this.opened.state.dead = true;
      return false;
    }
  }

  async close(): Promise<void> {
    const { conn, state } = this.opened;
    if (!state.dead) await endWithin(conn.end());
    state.dead = true;
    conn.destroy();
  }
}

/**
 * mysql2 as a Crucible driver. `onServer` learns the server at every new connection (the dialect sets its
 * capability flags from the first).
 *
 * ```ts
 * const driver = new Mysql2Driver(mysql2Config(spec, {}), (server) => dialect.useServer(server));
 * ```
 */
export class Mysql2Driver implements Driver {
  readonly singleConnection = false;
  constructor(
    private readonly config: Record<string, unknown>,
    private readonly onServer: (server: MysqlServerInfo) => void,
  ) {}

  private async open(): Promise<Opened> {
    const opened = await openConnection(await importMysql2(), this.config);
    this.onServer(opened.server);
    return opened;
  }

  async connect(): Promise<DriverConnection> {
    return new Mysql2DriverConnection(await this.open(), () => this.open());
  }
}
