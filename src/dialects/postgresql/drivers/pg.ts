/**
 * The node-postgres (`pg`) driver. Each DriverConnection is one `pg.Client` (Crucible's own pool does the pooling);
 * rows come back as arrays; type parsing is configured per client (type-parsers.ts); sessions use UTC so that
 * `timestamp` values and `now()` agree with Crucible's UTC wall-clock DateTime.
 *
 * `pg` is imported when the first engine connects, so programs without it never load it.
 */
import type pg from "pg";
import { ArgumentError } from "../../../util/errors.js";
import type { ConnectionSpec, DriverOptions } from "../../base/dialect.js";
import { type Driver, type DriverConnection, endWithin } from "../../base/driver.js";
import { parserFor } from "../type-parsers.js";
import { PostgresConnection } from "./connection.js";

type PgModule = typeof pg;

/** How long close() waits for the server's goodbye before dropping the socket. */

const QUERY_PARAMS = ["host", "application_name", "sslmode", "connect_timeout", "options"];

function sslFor(mode: string): pg.ClientConfig["ssl"] {
  switch (mode) {
    case "disable":
    case "allow":
    case "prefer":
      return false;
    case "require":
      return { rejectUnauthorized: false };
    case "verify-ca":
    case "verify-full":
      return true;
    default:
      throw new ArgumentError(`sslmode=${mode} is not valid; use disable, require, verify-ca or verify-full`);
  }
}

/**
 * The pg client configuration for a URL: user, password, host, port and database, plus the query parameters
 * `host` (a Unix socket directory), `application_name`, `sslmode`, `connect_timeout` (seconds) and `options`;
 * `connectArgs` are merged last.
 *
 * ```ts
 * pgClientConfig(parseUrl("postgresql://app@db:5432/shop?application_name=api"), {});
 * ```
 */
export function pgClientConfig(spec: ConnectionSpec, options: DriverOptions): pg.ClientConfig {
  const config: pg.ClientConfig = {
    host: spec.query.host ?? spec.host ?? undefined,
    port: spec.port ?? undefined,
    user: spec.username ?? undefined,
    password: spec.password ?? undefined,
    database: spec.database ?? undefined,
    options: "-c TimeZone=UTC",
  };
  for (const [key, value] of Object.entries(spec.query)) {
    if (key === "application_name") config.application_name = value;
    else if (key === "sslmode") config.ssl = sslFor(value);
    else if (key === "connect_timeout") config.connectionTimeoutMillis = Number(value) * 1000;
    else if (key === "options") config.options = `${config.options} ${value}`;
    else if (key !== "host")
      throw new ArgumentError(`unknown parameter "${key}" in the database URL ${spec.display}; PostgreSQL URLs take ${QUERY_PARAMS.join(", ")}`);
  }
  return { ...config, ...(options.connectArgs as pg.ClientConfig | undefined) };
}

class PgConnection extends PostgresConnection {
  /** The server ended the session or the socket broke (an 'error' event came). */
  private broken = false;
  private ended = false;

  constructor(private readonly client: pg.Client) {
    super();
    // node-postgres emits 'error' on an idle client when its backend is terminated (server restart,
    // pg_terminate_backend); without a listener that event would crash the process.
    client.on("error", () => {
      this.broken = true;
    });
    client.on("end", () => {
      this.broken = true;
      this.ended = true;
    });
  }

  /** The backend process id (`pg_backend_pid()`), for tests that terminate it. */
  get backendId(): number | null {
    return (this.client as unknown as { processID?: number }).processID ?? null;
  }

  protected async run(sql: string, params: readonly unknown[]): Promise<pg.QueryArrayResult> {
    const r = (await this.client.query({ text: sql, values: params as unknown[], rowMode: "array" })) as pg.QueryArrayResult | pg.QueryArrayResult[];
    // SQL text with several statements (simple protocol, no parameters) gives one result each: keep the last.
    return Array.isArray(r) ? (r[r.length - 1] as pg.QueryArrayResult) : r;
  }

  protected command(sql: string): Promise<unknown> {
    return this.client.query(sql);
  }

  isBroken(): boolean {
    return this.broken;
  }

  async ping(): Promise<boolean> {
    if (this.broken) return false;
    try {
      await this.client.query("SELECT 1");
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (!this.ended) await endWithin(this.client.end());
  }
}

/**
 * node-postgres as a Crucible driver: a new `pg.Client` per connection the pool asks for.
 *
 * ```ts
 * const driver = await createPgDriver(parseUrl("postgresql://postgres@127.0.0.1/test"), {});
 * const conn = await driver.connect();
 * ```
 */
export class PgDriver implements Driver {
  readonly singleConnection = false;
  private readonly types: pg.CustomTypesConfig;

  constructor(
    private readonly pg: PgModule,
    private readonly config: pg.ClientConfig,
  ) {
    const fallback = pg.types.getTypeParser;
    this.types = {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        (format === "binary" ? null : parserFor(oid)) ?? fallback(oid, format as "text")) as pg.CustomTypesConfig["getTypeParser"],
    };
  }

  async connect(): Promise<DriverConnection> {
    const client = new this.pg.Client({ ...this.config, types: this.types });
    const conn = new PgConnection(client);
    await client.connect();
    return conn;
  }
}

/** Loads `pg` on first use; a missing package is an ArgumentError that says how to install it. */
async function loadPg(): Promise<PgModule> {
  try {
    const mod = (await import("pg")) as unknown as { default?: PgModule } & PgModule;
    return mod.default ?? mod;
  } catch (e) {
    throw new ArgumentError("PostgreSQL URLs need the node-postgres package: run `npm install pg`", { cause: e });
  }
}

/**
 * Opens the pg driver for a `postgresql://` URL (the engine calls it on first connect).
 *
 * ```ts
 * await createPgDriver(parseUrl("postgresql://app:secret@db:5432/shop?sslmode=require"), { connectArgs: { statement_timeout: 5000 } });
 * ```
 */
export async function createPgDriver(spec: ConnectionSpec, options: DriverOptions): Promise<PgDriver> {
  return new PgDriver(await loadPg(), pgClientConfig(spec, options));
}
