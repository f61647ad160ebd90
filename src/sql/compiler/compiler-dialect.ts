/**
 * What the compilers need from a dialect. The full Dialect (dialects/base/dialect.ts) extends this with drivers,
 * error translation and introspection.
 */
import type { SqlType } from "../types/sql-type.js";
import type { PlaceholderStyle, Processor } from "./compiled.js";

/**
 * How one SQL type is spelled and converted by a dialect.
 *
 * ```ts
 * engine.dialect.typeImpl(Boolean); // on SQLite: { ddl: "BOOLEAN", cast: "INTEGER", bind: (v) => (v ? 1 : 0), result: ... }
 * ```
 */
export interface TypeImpl {
  /** The type in DDL: `VARCHAR(30)`, `TIMESTAMP WITH TIME ZONE`, ... */
  readonly ddl: string;
  /** The type in `CAST(x AS ...)`. */
  readonly cast: string;
  /** JS value → driver value, or null when none is needed. */
  readonly bind: Processor | null;
  /** Driver value → JS value, or null when none is needed. */
  readonly result: Processor | null;
}

/**
 * What a dialect can do, with the defaults documented here (a missing capability makes the compiler raise a
 * CompileError that names the construct and the dialect, or choose an emulation).
 *
 * ```ts
 * if (engine.dialect.capabilities.fullOuterJoin) stmt = stmt.fullJoin(other);
 * ```
 */
export interface DialectCapabilities {
  /** TRUE/FALSE literals and a boolean column type (else 1/0). */
  readonly nativeBoolean: boolean;
  /** INSERT/UPDATE/DELETE ... RETURNING. */
  readonly insertReturning: boolean;
  readonly updateReturning: boolean;
  readonly deleteReturning: boolean;
  /** Several rows in one INSERT ... RETURNING, returned in the order of the VALUES rows (by sentinel sort). */
  readonly multiRowInsertReturning: boolean;
  /** `ORDER BY x NULLS FIRST` (else emulated with a CASE). */
  readonly nullsOrdering: boolean;
  readonly fullOuterJoin: boolean;
  /** `SELECT ... FOR UPDATE` (row locks); where false the clause is left out (SQLite locks the whole database). */
  readonly forUpdate: boolean;
  readonly distinctOn: boolean;
  readonly intersectExceptAll: boolean;
  readonly lateral: boolean;
  /** Aggregate `FILTER (WHERE ...)` (else emulated with CASE). */
  readonly aggregateFilter: boolean;
  /** DDL inside transactions that roll back. */
  readonly transactionalDDL: boolean;
  /** Native ENUM types (else VARCHAR + CHECK). */
  readonly nativeEnum: boolean;
  /** Native UUID type. */
  readonly nativeUuid: boolean;
  /** ON CONFLICT (PostgreSQL/SQLite) or ON DUPLICATE KEY UPDATE (MySQL) upserts. */
  readonly upsert: "on-conflict" | "duplicate-key" | null;
  /** Array types. */
  readonly arrays: boolean;
  /** Single-row INSERT returns the new key through the driver (lastInsertId / lastInsertRowid). */
  readonly lastInsertId: boolean;
  /** Schemas (namespaces) for tables. */
  readonly schemas: boolean;
  /** `WITH` before INSERT/UPDATE/DELETE (else the CTE goes inside the INSERT's SELECT). */
  readonly cteBeforeDml: boolean;
  /** `ALTER TABLE ... ADD CONSTRAINT` for foreign keys and checks (SQLite cannot: it recreates the table). */
  readonly alterConstraints: boolean;
  /** Comments on tables and columns in DDL. */
  readonly comments: boolean;
  /**
   * `Numeric(p, s)` stores every digit (30-digit decimals round-trip exactly). Default (when left out): true.
   * SQLite sets false: its NUMERIC affinity keeps about 15 significant digits.
   */
  readonly exactDecimals?: boolean;
}

/**
 * The compile-time face of a dialect: what the SQL and DDL compilers need from it.
 *
 * ```ts
 * engine.dialect.quoteIdentifier("user"); // "\"user\"" on PostgreSQL (a reserved word there), "user" on SQLite
 * engine.dialect.placeholder(0);         // "$1" on PostgreSQL, "?" elsewhere
 * ```
 */
export interface CompilerDialect extends PlaceholderStyle {
  readonly name: string;
  readonly capabilities: DialectCapabilities;
  /** Quotes an identifier when it must be quoted (reserved word, upper case, odd characters). */
  quoteIdentifier(name: string): string;
  /** Always quotes an identifier. */
  forceQuote(name: string): string;
  typeImpl(type: SqlType<unknown>): TypeImpl;
  /** A SQL literal for a value (DDL defaults, CHECK constraints, `--sql` migration output). */
  renderLiteral(value: unknown, type: SqlType<unknown>): string;
}
