/**
 * Where the MySQL/MariaDB execution tests run: the server at CRUCIBLE_MYSQL_URL (default
 * mysql://root@127.0.0.1:3306/test). When it does not answer the tests are skipped with a visible message — except
 * in CI (CI=true), where an unreachable server fails the run. Unique names let test files share the `test` database
 * while vitest runs them in parallel.
 */
import { randomBytes } from "node:crypto";
import { createEngine, type Engine, type EngineOptions, parseUrl } from "crucible";
import mysql from "mysql2/promise";

/** The URL of the server the tests use. */
export const MYSQL_URL = process.env.CRUCIBLE_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test";

async function probe(): Promise<string | null> {
  const spec = parseUrl(MYSQL_URL);
  try {
    const conn = await mysql.createConnection({
      host: spec.host ?? "localhost",
      port: spec.port ?? 3306,
      user: spec.username ?? undefined,
      password: spec.password ?? undefined,
      database: spec.database ?? undefined,
      connectTimeout: 3000,
    });
    conn.on("error", () => undefined);
    await conn.query("SELECT 1");
    await conn.end();
    return null;
  } catch (e) {
    return (e as Error).message || String(e);
  }
}

const problem = await probe();
if (problem !== null) {
  if (process.env.CI === "true") throw new Error(`MySQL/MariaDB server tests cannot run: ${MYSQL_URL} is not reachable (${problem}); CI needs it`);
  console.warn(`\n[crucible] SKIPPING the MySQL/MariaDB server tests: ${MYSQL_URL} is not reachable (${problem}).\n`);
}

/** True when the server answers (else its tests are skipped, or fail in CI). */
export const serverAvailable = problem === null;

/** An engine on the test server. */
export function mysqlEngine(options: EngineOptions = {}): Engine {
  return createEngine(MYSQL_URL, options);
}

/** A name no other test file (or earlier run) uses: `prefix_` plus 8 random hex digits. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString("hex")}`;
}

/** Rows as plain arrays (Row objects are tuples with named getters). */
export function tuples(rows: Iterable<Iterable<unknown>>): unknown[][] {
  return [...rows].map((r) => [...r]);
}
