/**
 * What the MySQL dialect knows about the server it talks to: MySQL or MariaDB, which version, and the session
 * settings that change how SQL is written. The driver reads it at the first connection (`SELECT VERSION(), ...`) and
 * the dialect derives its capability flags from it before any statement is compiled.
 */
import type { DialectCapabilities } from "../../sql/compiler/compiler-dialect.js";
import { ArgumentError } from "../../util/errors.js";

/**
 * The server a MySQL-family dialect compiles for.
 *
 * ```ts
 * (engine.dialect as MysqlDialect).server.flavor; // "mariadb" after the first connection to MariaDB
 * ```
 */
export interface MysqlServerInfo {
  /** `SELECT VERSION()` as the server reports it (`8.0.36`, `10.11.6-MariaDB-0+deb12u1`). */
  readonly version: string;
  readonly flavor: "mysql" | "mariadb";
  /** `[major, minor, patch]` of the product (MariaDB's own numbers, not the `5.5.5-` compatibility prefix). */
  readonly numbers: readonly [number, number, number];
  /** `sql_mode` has NO_BACKSLASH_ESCAPES: string literals escape quotes only by doubling them. */
  readonly noBackslashEscapes: boolean;
  /** `@@auto_increment_increment`: the step between ids a multi-row INSERT generates (1 unless replication sets it). */
  readonly autoIncrementIncrement: number;
}

/**
 * Reads a `VERSION()` string.
 *
 * ```ts
 * parseServerVersion("10.11.6-MariaDB").flavor; // "mariadb"
 * ```
 */
export function parseServerVersion(version: string, settings: { sqlMode?: string; autoIncrementIncrement?: number } = {}): MysqlServerInfo {
  const maria = /(\d+)\.(\d+)\.(\d+)-MariaDB/i.exec(version);
  const m = maria ?? /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) throw new ArgumentError(`cannot read the MySQL/MariaDB server version ${JSON.stringify(version)}; expected "8.0.36" or "10.11.6-MariaDB"`);
  return Object.freeze({
    version,
    flavor: maria || /mariadb/i.test(version) ? "mariadb" : "mysql",
    numbers: [Number(m[1]), Number(m[2]), Number(m[3])] as const,
    noBackslashEscapes: /(^|,)NO_BACKSLASH_ESCAPES(,|$)/i.test(settings.sqlMode ?? ""),
    autoIncrementIncrement: settings.autoIncrementIncrement ?? 1,
  });
}

/**
 * The server assumed until the first connection tells otherwise: MySQL 8.0 (no RETURNING).
 *
 * ```ts
 * new MysqlDialect().server === DEFAULT_SERVER; // true
 * ```
 */
export const DEFAULT_SERVER: MysqlServerInfo = parseServerVersion("8.0.0");

/**
 * True when the server's version is at least `major.minor.patch`.
 *
 * ```ts
 * atLeast(parseServerVersion("10.11.6-MariaDB"), 10, 5); // true
 * ```
 */
export function atLeast(s: MysqlServerInfo, major: number, minor = 0, patch = 0): boolean {
  const [a, b, c] = s.numbers;
  return a !== major ? a > major : b !== minor ? b > minor : c >= patch;
}

/**
 * MySQL-family features that are not capability flags of every dialect, by server.
 *
 * ```ts
 * featuresOf(parseServerVersion("8.0.36")).forShare; // true
 * ```
 */
export interface MysqlFeatures {
  /** INTERSECT and EXCEPT (MariaDB ≥ 10.3, MySQL ≥ 8.0.31). */
  readonly intersectExcept: boolean;
  /** `FOR SHARE` (MySQL ≥ 8.0.1); otherwise `LOCK IN SHARE MODE`. */
  readonly forShare: boolean;
  /** `FOR UPDATE OF t` (MySQL ≥ 8.0.1). */
  readonly lockOf: boolean;
  /** `NOWAIT` (MySQL ≥ 8.0.1, MariaDB ≥ 10.3) and `SKIP LOCKED` (MySQL ≥ 8.0.1, MariaDB ≥ 10.6). */
  readonly nowait: boolean;
  readonly skipLocked: boolean;
  /** `JSON_TABLE` (MySQL ≥ 8.0.4, MariaDB ≥ 10.6), used for very long IN lists. */
  readonly jsonTable: boolean;
  /** `WITH ... UPDATE` / `WITH ... DELETE` (MySQL 8; MariaDB has none). */
  readonly cteBeforeUpdateDelete: boolean;
  /** Index elements that are expressions (MySQL ≥ 8.0.13; MariaDB needs a generated column). */
  readonly functionalIndexes: boolean;
  /** `information_schema.STATISTICS.EXPRESSION` exists (MySQL ≥ 8.0.13). */
  readonly indexExpressionColumn: boolean;
  /** `CREATE INDEX IF NOT EXISTS` / `DROP INDEX IF EXISTS` (MariaDB; MySQL has neither). */
  readonly indexIfExists: boolean;
}

/**
 * The MySQL-specific features of a server.
 *
 * ```ts
 * featuresOf(parseServerVersion("10.11.6-MariaDB")).jsonTable; // true
 * ```
 */
export function featuresOf(s: MysqlServerInfo): MysqlFeatures {
  const maria = s.flavor === "mariadb";
  const mysql8 = !maria && atLeast(s, 8, 0, 1);
  return Object.freeze({
    intersectExcept: maria ? atLeast(s, 10, 3) : atLeast(s, 8, 0, 31),
    forShare: mysql8,
    lockOf: mysql8,
    nowait: mysql8 || (maria && atLeast(s, 10, 3)),
    skipLocked: mysql8 || (maria && atLeast(s, 10, 6)),
    jsonTable: maria ? atLeast(s, 10, 6) : atLeast(s, 8, 0, 4),
    cteBeforeUpdateDelete: !maria && atLeast(s, 8),
    functionalIndexes: !maria && atLeast(s, 8, 0, 13),
    indexExpressionColumn: !maria && atLeast(s, 8, 0, 13),
    indexIfExists: maria,
  });
}

/**
 * The capability flags of a server. RETURNING: MariaDB ≥ 10.5 has INSERT ... RETURNING and DELETE ... RETURNING
 * (≥ 10.0.5), never UPDATE ... RETURNING; MySQL has none.
 *
 * ```ts
 * capabilitiesOf(parseServerVersion("10.11.6-MariaDB")).insertReturning; // true
 * ```
 */
export function capabilitiesOf(s: MysqlServerInfo): DialectCapabilities {
  const maria = s.flavor === "mariadb";
  const insertReturning = maria && atLeast(s, 10, 5);
  return Object.freeze({
    nativeBoolean: true,
    insertReturning,
    updateReturning: false,
    deleteReturning: maria && atLeast(s, 10, 0, 5),
    multiRowInsertReturning: insertReturning,
    nullsOrdering: false,
    fullOuterJoin: false,
    forUpdate: true,
    distinctOn: false,
    intersectExceptAll: maria ? atLeast(s, 10, 5) : atLeast(s, 8, 0, 31),
    lateral: !maria && atLeast(s, 8, 0, 14),
    aggregateFilter: false,
    transactionalDDL: false,
    nativeEnum: true,
    nativeUuid: false,
    upsert: "duplicate-key",
    arrays: false,
    lastInsertId: true,
    schemas: true,
    cteBeforeDml: false,
    alterConstraints: true,
    comments: true,
    exactDecimals: true,
  });
}

/**
 * "MariaDB 10.11.6" / "MySQL 8.0.36", for messages.
 *
 * ```ts
 * serverLabel(parseServerVersion("8.0.36-0ubuntu0.22.04.1")); // "MySQL 8.0.36"
 * ```
 */
export function serverLabel(s: MysqlServerInfo): string {
  return `${s.flavor === "mariadb" ? "MariaDB" : "MySQL"} ${s.numbers.join(".")}`;
}
