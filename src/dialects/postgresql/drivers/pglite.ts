/**
 * The PGlite driver (`@electric-sql/pglite`): PostgreSQL compiled to WebAssembly, in the process. One PGlite
 * instance per engine (in memory, or stored in a directory), so the engine's pool has one connection that callers
 * take in turn. Types are parsed as with pg (type-parsers.ts), through this instance's `parsers` option.
 */
import type { PGlite, PGliteOptions, Results } from "@electric-sql/pglite";
import { ArgumentError } from "../../../util/errors.js";
import type { ConnectionSpec, DriverOptions } from "../../base/dialect.js";
import type { Driver, DriverConnection } from "../../base/driver.js";
import { SCALAR_PARSERS } from "../type-parsers.js";
import { PostgresConnection } from "./connection.js";

type PgliteModule = typeof import("@electric-sql/pglite");

class PgliteConnection extends PostgresConnection {
  readonly backendId = null;
  constructor(private readonly db: PGlite) {
    super();
  }

  protected async run(sql: string, params: readonly unknown[]): Promise<Results<unknown[]>> {
    if (params.length > 0) return this.db.query<unknown[]>(sql, params as unknown[], { rowMode: "array" });
    // Without parameters the simple protocol runs SQL text with several statements: keep the last result.
    const all = await this.db.exec(sql, { rowMode: "array" });
    return (all[all.length - 1] ?? { rows: [], fields: [] }) as Results<unknown[]>;
  }

  protected command(sql: string): Promise<unknown> {
    return this.db.query(sql);
  }

  isBroken(): boolean {
    return this.db.closed;
  }

  async ping(): Promise<boolean> {
    return !this.db.closed;
  }

  close(): void {
    // The instance is shared by the engine's connections; the driver closes it on dispose.
  }
}

/**
 * PGlite as a Crucible driver.
 *
 * ```ts
 * const driver = await createPgliteDriver(parseUrl("postgresql+pglite:///data/pg"), {});
 * ```
 */
export class PgliteDriver implements Driver {
  readonly singleConnection = true;
  private db: Promise<PGlite> | null = null;

  constructor(
    private readonly module: PgliteModule,
    /** Directory of the database, or null for memory. */
    readonly dataDir: string | null,
    private readonly options: DriverOptions,
  ) {}

  private open(): Promise<PGlite> {
    if (!this.db) {
      const args = (this.options.connectArgs ?? {}) as PGliteOptions;
      // PGlite parses arrays with the parser of their element type, so the scalar parsers cover the arrays too.
      const opts: PGliteOptions = { ...args, parsers: { ...SCALAR_PARSERS, ...args.parsers } };
      this.db = (async () => {
        const db = this.dataDir === null ? new this.module.PGlite(opts) : new this.module.PGlite(this.dataDir, opts);
        await db.waitReady;
        await db.query("SET TimeZone TO 'UTC'");
        return db;
      })();
      this.db.catch(() => {
        this.db = null;
      });
    }
    return this.db;
  }

  async connect(): Promise<DriverConnection> {
    return new PgliteConnection(await this.open());
  }

  async close(): Promise<void> {
    const pending = this.db;
    this.db = null;
    const db = pending ? await pending.catch(() => null) : null;
    if (db && !db.closed) await db.close();
  }
}

/** Loads PGlite on first use; a missing package is an ArgumentError that says how to install it. */
async function loadPglite(): Promise<PgliteModule> {
  try {
    return await import("@electric-sql/pglite");
  } catch (e) {
    throw new ArgumentError("postgresql+pglite:// URLs need PGlite: run `npm install @electric-sql/pglite`", { cause: e });
  }
}

/**
 * Opens the PGlite driver for a `postgresql+pglite://` URL (`database` null = in memory).
 *
 * ```ts
 * await createPgliteDriver(parseUrl("postgresql+pglite://"), {});
 * ```
 */
export async function createPgliteDriver(spec: ConnectionSpec, options: DriverOptions): Promise<PgliteDriver> {
  return new PgliteDriver(await loadPglite(), spec.database, options);
}
