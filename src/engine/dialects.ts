/**
 * Which Dialect serves which URL. Dialect modules are small; the client libraries they drive (pg, mysql2, PGlite)
 * are imported only when a connection is first made.
 */
import type { ConnectionSpec, Dialect } from "../dialects/base/dialect.js";
import { MysqlDialect } from "../dialects/mysql/dialect.js";
import { PostgresDialect } from "../dialects/postgresql/dialect.js";
import { SqliteDialect } from "../dialects/sqlite/dialect.js";
import { ArgumentError } from "../util/errors.js";

type DialectFactory = (spec: ConnectionSpec) => Dialect;
const registry = new Map<string, DialectFactory>([
  ["sqlite", () => new SqliteDialect()],
  ["postgresql", () => new PostgresDialect()],
  ["mysql", () => new MysqlDialect()],
]);

/**
 * Registers a dialect for a URL scheme (SQLite, PostgreSQL and MySQL are built in; third-party dialects register
 * here, before createEngine() is given a URL of that scheme). Registering a built-in scheme replaces its dialect.
 *
 * ```ts
 * registerDialect("duckdb", () => new DuckDbDialect());
 * const engine = createEngine("duckdb://localhost/analytics");
 * ```
 */
export function registerDialect(name: string, factory: DialectFactory): void {
  registry.set(name.toLowerCase(), factory);
}

/** The URL schemes with a registered dialect, built-in ones first. */
export function dialectSchemes(): string[] {
  return [...registry.keys()];
}

/** Whether a URL scheme has a registered dialect (parseUrl accepts it). */
export function hasDialect(scheme: string): boolean {
  return registry.has(scheme);
}

/** A new Dialect for a parsed URL; an ArgumentError names the registered schemes, or the drivers the dialect has. */
export function dialectFor(spec: ConnectionSpec): Dialect {
  const f = registry.get(spec.dialect);
  if (!f) throw new ArgumentError(`no dialect is registered for "${spec.dialect}" URLs; known: ${[...registry.keys()].join(", ")}`);
  const dialect = f(spec);
  // Python driver names (`+psycopg2`, `+pymysql`) mean nothing here: say which drivers Crucible has.
  if (spec.driver !== null && !dialect.drivers.includes(spec.driver))
    throw new ArgumentError(
      `unknown ${dialect.name} driver "${spec.driver}" in ${spec.display}; Crucible's ${dialect.name} drivers are ${dialect.drivers.join(", ")}: write ${spec.dialect}:// (${dialect.drivers[0]}) or ${dialect.drivers.map((d) => `${spec.dialect}+${d}://`).join(" / ")}`,
    );
  return dialect;
}
