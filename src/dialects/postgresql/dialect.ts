/**
 * The PostgreSQL dialect, with two drivers: node-postgres (`postgresql://`) and PGlite (`postgresql+pglite://`).
 */
import type { BindNode } from "../../sql/ast/nodes.js";
import type { ParamRef } from "../../sql/compiler/compiled.js";
import type { DialectCapabilities, TypeImpl } from "../../sql/compiler/compiler-dialect.js";
import type { CompileOptions, SqlCompiler } from "../../sql/compiler/sql-compiler.js";
import type { SqlType } from "../../sql/types/sql-type.js";
import { ArgumentError, type CrucibleError } from "../../util/errors.js";
import { BASE_CAPABILITIES } from "../base/capabilities.js";
import { type ConnectionSpec, Dialect, type DriverOptions, type RawDriverError } from "../base/dialect.js";
import type { Driver } from "../base/driver.js";
import type { Introspector } from "../base/introspector.js";
import { toArrayLiteral } from "./array-literal.js";
import { PostgresCompiler } from "./compiler.js";
import { PostgresDdlCompiler } from "./ddl.js";
import { createPgDriver } from "./drivers/pg.js";
import { createPgliteDriver } from "./drivers/pglite.js";
import { translatePostgresError } from "./errors.js";
import { PostgresIntrospector } from "./introspector.js";
import { POSTGRESQL_RESERVED } from "./reserved-words.js";
import { arrayElementCast, postgresTypeImpl } from "./types.js";

/** The ANSI set, plus native ENUM and UUID types. */
const CAPABILITIES: DialectCapabilities = { ...BASE_CAPABILITIES, nativeEnum: true, nativeUuid: true };

/**
 * The PostgreSQL dialect. Engines pick it for `postgresql://` and `postgres://` URLs (driver `pg`) and for
 * `postgresql+pglite://` (embedded PGlite).
 *
 * ```ts
 * const engine = createEngine("postgresql://postgres@127.0.0.1:5432/app");
 * const embedded = createEngine("postgresql+pglite://");
 * ```
 */
export class PostgresDialect extends Dialect {
  readonly name = "postgresql";
  readonly drivers = ["pg", "pglite"];
  readonly capabilities = CAPABILITIES;
  /** The protocol counts parameters in 16 bits. */
  readonly maxParams = 65535;
  protected readonly reservedWords = POSTGRESQL_RESERVED;

  placeholder(position: number): string {
    return `$${position + 1}`;
  }

  protected buildTypeImpl(type: SqlType<unknown>): TypeImpl {
    return postgresTypeImpl(
      type,
      (t) => this.typeImpl(t),
      (name) => this.quoteIdentifier(name),
    );
  }

  override createCompiler(bindIndex: ReadonlyMap<BindNode, number>, options?: CompileOptions): SqlCompiler {
    return new PostgresCompiler(this, bindIndex, options);
  }

  override createDdlCompiler(): PostgresDdlCompiler {
    return new PostgresDdlCompiler(this, () => this.ddlExpressionCompiler());
  }

  /** Long IN lists go in as one array parameter: `IN (SELECT unnest(CAST($1 AS INTEGER[])))`. */
  override largeInList(position: number, values: readonly unknown[], ref: ParamRef): { sql: string; params: unknown[] } | null {
    const element = arrayElementCast(ref.type, (t) => this.typeImpl(t));
    if (element === null) return null;
    return { sql: `(SELECT unnest(CAST(${this.placeholder(position)} AS ${element}[])))`, params: [toArrayLiteral(values)] };
  }

  /** Long row-value IN lists go in as one array per position: `(a, b) IN (SELECT * FROM unnest($1::INTEGER[], $2::TEXT[]))`. */
  override largeTupleInList(position: number, rows: readonly (readonly unknown[])[], ref: ParamRef): { sql: string; params: unknown[] } | null {
    const types = ref.tupleTypes;
    if (types === null) return null;
    const casts: string[] = [];
    for (const t of types) {
      const element = t === null ? null : arrayElementCast(t, (x) => this.typeImpl(x));
      if (element === null) return null;
      casts.push(element);
    }
    const arrays = casts.map((_, j) => toArrayLiteral(rows.map((r) => r[j])));
    const args = casts.map((c, j) => `CAST(${this.placeholder(position + j)} AS ${c}[])`).join(", ");
    return { sql: `(SELECT * FROM unnest(${args}))`, params: arrays };
  }

  /** An empty IN list typed like its column, since PostgreSQL cannot compare `integer = text`. */
  emptyInListOf(type: SqlType<unknown>): string {
    const element = arrayElementCast(type, (t) => this.typeImpl(t));
    return element === null ? this.emptyInList : `(SELECT CAST(NULL AS ${element}) WHERE 1 = 0)`;
  }

  /** Bytes are `'\x0102'::bytea` (X'...' is a bit string in PostgreSQL). */
  protected override literalOf(v: unknown): string {
    if (v instanceof Uint8Array) return `'\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("hex")}'::bytea`;
    return super.literalOf(v);
  }

  async createDriver(spec: ConnectionSpec, options: DriverOptions): Promise<Driver> {
    switch (spec.driver) {
      case null:
      case "pg":
        return createPgDriver(spec, options);
      case "pglite":
        return createPgliteDriver(spec, options);
      default:
        throw new ArgumentError(
          `unknown PostgreSQL driver "${spec.driver}" in ${spec.display}; use postgresql:// (node-postgres) or postgresql+pglite:// (embedded PGlite)`,
        );
    }
  }

  translateError(raw: RawDriverError): CrucibleError {
    return translatePostgresError(raw);
  }

  introspector(): Introspector {
    return new PostgresIntrospector();
  }
}
