/**
 * MySQL/MariaDB types: how each SQL type is declared, cast and converted. The driver is configured so nothing is
 * lost on the way (drivers/mysql2.ts): BIGINT and DECIMAL arrive as strings, dates as text, JSON as text. Here those
 * become `bigint`, exact decimal strings, `Date` objects read as UTC wall-clock time, and parsed JSON.
 *
 * DDL: `String` without a length is `TEXT` (MySQL's VARCHAR needs one), except in keys and indexes where the DDL
 * compiler makes it `VARCHAR(255)` (see ddl.ts); `DateTime` is `DATETIME(6)` for both variants, storing UTC;
 * `Uuid` is `CHAR(36)`; `Enum` is an inline `ENUM('a', 'b')`; `Numeric` without precision is `DECIMAL(65, 30)`.
 */
import type { TypeImpl } from "../../sql/compiler/compiler-dialect.js";
import type { SqlType } from "../../sql/types/sql-type.js";
import { ArgumentError } from "../../util/errors.js";
import * as p from "../base/processors.js";
import { customTypeImpl, enumVarcharLength } from "../base/type-impl.js";
import { ExactNumber } from "./sql-format.js";

function impl(ddl: string, cast: string, bind: TypeImpl["bind"] = null, result: TypeImpl["result"] = null): TypeImpl {
  return { ddl, cast, bind, result };
}

/** Exact decimals go into SQL unquoted (see ExactNumber). */
function decimalToMysql(v: unknown): ExactNumber {
  return new ExactNumber(p.decimalToDriver(v));
}

/**
 * `TIME(6)` reads as `10:00:00.500000`; trailing zeros of the fraction are dropped (`10:00:00.5`, `10:00:00`).
 *
 * ```ts
 * readTime("10:00:00.000000"); // "10:00:00"
 * ```
 */
export function readTime(v: unknown): string {
  const s = String(v);
  const dot = s.indexOf(".");
  if (dot < 0) return s;
  const trimmed = s.replace(/0+$/, "");
  return trimmed.endsWith(".") ? trimmed.slice(0, -1) : trimmed;
}

/**
 * Values bound without a known type (text() parameters): Dates as UTC text, bytes as Buffers, objects as JSON.
 *
 * ```ts
 * mysqlDynamicBind(new Date(0)); // "1970-01-01 00:00:00.000"
 * ```
 */
export function mysqlDynamicBind(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (value instanceof Date) return p.formatUtcDateTime(value);
  if (value instanceof Uint8Array) return p.binaryToDriver(value);
  if (value instanceof ExactNumber) return value;
  return JSON.stringify(value);
}

/**
 * The MySQL spelling and processors of a type. `literal` renders enum values as string literals.
 *
 * ```ts
 * mysqlTypeImpl(DateTime(), self, literal).ddl; // "DATETIME(6)"
 * ```
 */
export function mysqlTypeImpl(type: SqlType<unknown>, self: (t: SqlType<unknown>) => TypeImpl, literal: (s: string) => string): TypeImpl {
  const o = type.options;
  switch (type.kind) {
    case "integer":
      return impl("INTEGER", "SIGNED", null, p.numberFromDriver);
    case "smallinteger":
      return impl("SMALLINT", "SIGNED", null, p.numberFromDriver);
    case "biginteger":
      return impl("BIGINT", "SIGNED", p.bigintToDriver, p.bigintFromDriver);
    case "float":
      return impl("FLOAT", "FLOAT", null, p.numberFromDriver);
    case "double":
      return impl("DOUBLE", "DOUBLE", null, p.numberFromDriver);
    case "numeric": {
      const spec = o.precision !== undefined ? `DECIMAL(${o.precision}, ${o.scale ?? 0})` : "DECIMAL(65, 30)";
      return impl(spec, spec, decimalToMysql, p.decimalFromDriver(type));
    }
    case "boolean":
      return impl("BOOL", "SIGNED", (v) => !!v, p.booleanFromDriver);
    case "string":
      return impl(o.length ? `VARCHAR(${o.length})` : "TEXT", "CHAR");
    case "text":
      return impl("TEXT", "CHAR");
    case "date":
      return impl("DATE", "DATE", p.formatDate, p.readDate);
    case "datetime":
      return impl("DATETIME(6)", "DATETIME(6)", p.formatUtcDateTime, p.parseDateTime);
    case "time":
      return impl("TIME(6)", "TIME(6)", p.formatTime, readTime);
    case "binary":
      return impl("LONGBLOB", "BINARY", p.binaryToDriver, null);
    case "json":
      return impl("JSON", "CHAR", p.jsonToDriver, p.jsonFromDriver);
    case "uuid":
      return impl("CHAR(36)", "CHAR(36)", p.uuidToDriver, p.uuidFromDriver);
    case "enum": {
      const values = o.values ?? [];
      const ddl = o.nativeEnum === false ? `VARCHAR(${enumVarcharLength(values)})` : `ENUM(${values.map(literal).join(", ")})`;
      return impl(ddl, "CHAR", p.enumToDriver(type), null);
    }
    case "array":
      throw new ArgumentError("ArrayOf() types need PostgreSQL; on MySQL/MariaDB store the list in a JSON column");
    case "custom":
      return customTypeImpl(type, self(o.impl as SqlType<unknown>), false);
    case "null":
      return impl("", "CHAR", mysqlDynamicBind, null);
  }
}
