/**
 * What the connections of both PostgreSQL drivers (pg, PGlite) do the same way: results as DriverResults, plain
 * BEGIN / COMMIT / ROLLBACK, and streaming through a server-side cursor. A driver supplies how SQL is sent.
 */
import type { DriverConnection, DriverResult, ExecuteOptions } from "../../base/driver.js";
import { cursorStream } from "./cursor.js";

/**
 * One statement's result as both client libraries give it with `rowMode: "array"`.
 *
 * ```ts
 * const r: PostgresRawResult = { rows: [[1]], fields: [{ name: "id" }], rowCount: 1 };
 * ```
 */
export interface PostgresRawResult {
  readonly rows: unknown[];
  readonly fields?: readonly { readonly name: string }[];
  readonly rowCount?: number | null;
}

/**
 * The shared half of a PostgreSQL DriverConnection.
 *
 * ```ts
 * class MyConnection extends PostgresConnection { ... } // run(), command(), ping(), isBroken(), close()
 * ```
 */
export abstract class PostgresConnection implements DriverConnection {
  /** Runs a statement with rows as arrays; without parameters SQL text with several statements gives the last result. */
  protected abstract run(sql: string, params: readonly unknown[]): Promise<PostgresRawResult>;
  /** Sends a transaction-control statement (BEGIN, COMMIT, ROLLBACK). */
  protected abstract command(sql: string): Promise<unknown>;
  abstract isBroken(): boolean;
  abstract ping(): Promise<boolean>;
  abstract close(): Promise<void> | void;

  async execute(sql: string, params: readonly unknown[], _options: ExecuteOptions): Promise<DriverResult> {
    const r = await this.run(sql, params);
    const fields = r.fields ?? [];
    return {
      rows: r.rows as unknown[][],
      columns: fields.length ? fields.map((f) => f.name) : null,
      rowsAffected: r.rowCount ?? -1,
      lastInsertId: null,
    };
  }

  async begin(isolationLevel: string | null): Promise<void> {
    await this.command(isolationLevel ? `BEGIN ISOLATION LEVEL ${isolationLevel}` : "BEGIN");
  }
  async commit(): Promise<void> {
    await this.command("COMMIT");
  }
  async rollback(): Promise<void> {
    await this.command("ROLLBACK");
  }

  stream(sql: string, params: readonly unknown[], _options: ExecuteOptions, chunkSize: number): AsyncIterable<unknown[][]> {
    return cursorStream(async (s, p) => (await this.run(s, p)).rows as unknown[][], sql, params, chunkSize);
  }
}
