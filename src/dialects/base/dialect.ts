/**
 * The Dialect: everything that differs between databases, behind one interface — SQL spelling (compilers),
 * types and value conversion, capability flags, error translation, drivers and introspection.
 */

import type { BindNode } from "../../sql/ast/nodes.js";
import { StatementCache } from "../../sql/compiler/compile.js";
import type { ParamRef } from "../../sql/compiler/compiled.js";
import type { CompilerDialect, DialectCapabilities, TypeImpl } from "../../sql/compiler/compiler-dialect.js";
import { DdlCompiler } from "../../sql/compiler/ddl-compiler.js";
import { type CompileOptions, SqlCompiler } from "../../sql/compiler/sql-compiler.js";
import type { SqlType } from "../../sql/types/sql-type.js";
import { ArgumentError, type CrucibleError } from "../../util/errors.js";
import type { Driver } from "./driver.js";
import type { Introspector } from "./introspector.js";

/** A parsed database URL (engine/url.ts parses; dialects read it). */
export interface ConnectionSpec {
  /** The URL as given (password hidden). */
  readonly display: string;
  readonly dialect: string;
  readonly driver: string | null;
  readonly username: string | null;
  readonly password: string | null;
  readonly host: string | null;
  readonly port: number | null;
  /** Database name, file path (SQLite, PGlite directory), or null for in-memory. */
  readonly database: string | null;
  readonly query: Readonly<Record<string, string>>;
}

/** Options given to createEngine() that drivers read. */
export interface DriverOptions {
  /** Passed to the client library as is. */
  readonly connectArgs?: Readonly<Record<string, unknown>>;
  /** SQLite busy timeout in ms (default 5000). */
  readonly busyTimeoutMs?: number;
}

/**
 * The autoincrement ids of a multi-row INSERT: `first`, `first + step`, `first + 2 * step`, ... in VALUES order
 * (see `Dialect.insertedIdRange`).
 *
 * ```ts
 * const { first, step } = dialect.insertedIdRange(lastInsertId, rows) ?? useReturning();
 * ```
 */
export interface InsertedIdRange {
  readonly first: number | bigint;
  readonly step: number;
}

/** An error the driver raised, before translation. */
export interface RawDriverError {
  readonly error: unknown;
  readonly sql: string;
  readonly params: readonly unknown[];
}

export abstract class Dialect implements CompilerDialect {
  abstract readonly name: string;
  /** The driver names a URL may give after `+` (`postgresql+pglite://`); the first is the default. */
  abstract readonly drivers: readonly string[];
  abstract readonly capabilities: DialectCapabilities;
  abstract readonly maxParams: number;
  /**
   * Owners per query of selectin loading (`... WHERE key IN (...)`): SQLAlchemy's 500 for a database across the
   * network; an in-process database gains from fewer, longer statements.
   */
  readonly selectinChunk: number = 500;
  /** An IN list with no elements: a subquery that returns no rows (so `IN` is false and `NOT IN` true). */
  readonly emptyInList: string = "(SELECT NULL WHERE 1 = 0)";
  /** Words that must be quoted as identifiers (lower case). */
  protected abstract readonly reservedWords: ReadonlySet<string>;
  protected readonly quoteChar: string = '"';
  /** Compiled statements of this dialect, by shape. */
  readonly statementCache: StatementCache;
  private readonly quoted = new Map<string, string>();
  private readonly typeImpls = new WeakMap<object, TypeImpl>();

  constructor() {
    this.statementCache = new StatementCache((bindIndex, options) => this.createCompiler(bindIndex, options));
  }

  /** The placeholder for the parameter at a 0-based position (`?`, `$1`, ...). */
  abstract placeholder(position: number): string;

  quoteIdentifier(name: string): string {
    let q = this.quoted.get(name);
    if (q === undefined) {
      q = this.needsQuotes(name) ? this.forceQuote(name) : name;
      if (this.quoted.size < 10_000) this.quoted.set(name, q);
    }
    return q;
  }

  forceQuote(name: string): string {
    const c = this.quoteChar;
    return c + name.split(c).join(c + c) + c;
  }

  /** Quote when reserved, not all lower case, or not a plain identifier (as SQLAlchemy's IdentifierPreparer). */
  protected needsQuotes(name: string): boolean {
    return !/^[a-z_][a-z0-9_$]*$/.test(name) || this.reservedWords.has(name);
  }

  typeImpl(type: SqlType<unknown>): TypeImpl {
    let impl = this.typeImpls.get(type);
    if (!impl) {
      impl = this.buildTypeImpl(type);
      this.typeImpls.set(type, impl);
    }
    return impl;
  }

  /** How this dialect spells and converts a type. */
  protected abstract buildTypeImpl(type: SqlType<unknown>): TypeImpl;

  /** A SQL literal for a value; strings are quoted with quotes doubled, so any value is safe. */
  renderLiteral(value: unknown, type: SqlType<unknown>): string {
    if (value === null || value === undefined) return "NULL";
    const impl = this.typeImpl(type);
    const v = impl.bind && type.kind !== "null" ? impl.bind(value) : value;
    return this.literalOf(v);
  }

  /** Renders an already-converted driver value as SQL. */
  protected literalOf(v: unknown): string {
    if (v === null || v === undefined) return "NULL";
    switch (typeof v) {
      case "number":
        if (!Number.isFinite(v)) throw new ArgumentError(`${v} cannot be written as a SQL literal`);
        return String(v);
      case "bigint":
        return String(v);
      case "boolean":
        return this.capabilities.nativeBoolean ? (v ? "true" : "false") : v ? "1" : "0";
      case "string":
        return this.stringLiteral(v);
      default:
        if (v instanceof Date) return this.stringLiteral(v.toISOString());
        if (v instanceof Uint8Array) return `X'${Buffer.from(v).toString("hex")}'`;
        return this.stringLiteral(JSON.stringify(v));
    }
  }

  protected stringLiteral(s: string): string {
    return `'${s.replace(/'/g, "''")}'`;
  }

  /** Makes the SQL compiler for one statement (dialects return their subclass). */
  createCompiler(bindIndex: ReadonlyMap<BindNode, number>, options?: CompileOptions): SqlCompiler {
    return new SqlCompiler(this, bindIndex, options);
  }

  /** Makes the DDL compiler (dialects return their subclass). */
  createDdlCompiler(): DdlCompiler {
    return new DdlCompiler(this, () => this.ddlExpressionCompiler());
  }

  /** The compiler of the expressions inside DDL (defaults, CHECKs, index elements): literal values, bare column names. */
  protected ddlExpressionCompiler(): SqlCompiler {
    return this.createCompiler(new Map(), { literalBinds: true, unqualified: true });
  }

  /** SQL for an IN list too long for one placeholder per element, or null to use placeholders. */
  largeInList(_position: number, _values: readonly unknown[], _ref: ParamRef): { sql: string; params: unknown[] } | null {
    return null;
  }

  /** SQL for a row-value IN list too long for placeholders (`(a, b) IN (...)`), or null to use placeholders. */
  largeTupleInList(_position: number, _rows: readonly (readonly unknown[])[], _ref: ParamRef): { sql: string; params: unknown[] } | null {
    return null;
  }

  /**
   * The autoincrement ids a multi-row INSERT without RETURNING generated, from the driver's `lastInsertId` and the
   * row count: the first row's id and the step to each next row's (VALUES order); null where the dialect cannot tell
   * (use RETURNING there). SQLite and MySQL override it. A range, not an array: a large flush reads 30 batches of
   * 1,000 ids.
   *
   * ```ts
   * dialect.insertedIdRange(41, 3); // { first: 41, step: 1 } on MySQL (ids 41, 42, 43), null on PostgreSQL
   * ```
   */
  insertedIdRange(_lastInsertId: number | bigint, _rowCount: number): InsertedIdRange | null {
    return null;
  }

  /**
   * The ORM reads autoincrement keys of multi-row INSERTs from `insertedIdRange()` even where RETURNING exists,
   * because it is cheaper (SQLite: rowids of one INSERT are consecutive while the writer holds the lock).
   */
  readonly preferInsertedIds: boolean = false;

  /** Opens the driver for a URL. */
  abstract createDriver(spec: ConnectionSpec, options: DriverOptions): Promise<Driver>;

  /** Turns a driver error into the Crucible error hierarchy (IntegrityError, DeadlockError, ...). */
  abstract translateError(raw: RawDriverError): CrucibleError;

  /** Reads schema information (tables, columns, constraints, indexes). */
  abstract introspector(): Introspector;

  /** SQL to start, release and roll back to a savepoint. */
  savepointSql(name: string): string {
    return `SAVEPOINT ${name}`;
  }
  releaseSavepointSql(name: string): string {
    return `RELEASE SAVEPOINT ${name}`;
  }
  rollbackToSavepointSql(name: string): string {
    return `ROLLBACK TO SAVEPOINT ${name}`;
  }
  /** SQL that sets the isolation level of the next transaction, if the dialect does it that way. */
  isolationLevelSql(level: string): string | null {
    return `SET TRANSACTION ISOLATION LEVEL ${level}`;
  }
  /** The isolation levels this dialect accepts (upper case). */
  readonly isolationLevels: readonly string[] = ["READ UNCOMMITTED", "READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE"];
}
