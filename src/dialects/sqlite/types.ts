/**
 * SQLite types: how each SQL type is declared and converted. SQLite stores values by affinity, so booleans are 0/1,
 * dates are ISO-8601 text in UTC, JSON is text, exact decimals keep up to 15 significant digits (NUMERIC affinity).
 */
import type { TypeImpl } from "../../sql/compiler/compiler-dialect.js";
import type { SqlType } from "../../sql/types/sql-type.js";
import { ArgumentError } from "../../util/errors.js";
import * as p from "../base/processors.js";
import { customTypeImpl, enumVarcharLength } from "../base/type-impl.js";

function impl(ddl: string, bind: TypeImpl["bind"] = null, result: TypeImpl["result"] = null, cast = ddl): TypeImpl {
  return { ddl, cast, bind, result };
}

/** `Date` → naive UTC text, other values as given (text() parameters and literals of unknown type). */
export function sqliteDynamicBind(value: unknown): unknown {
  switch (typeof value) {
    case "boolean":
      return value ? 1 : 0;
    case "object":
      if (value instanceof Date) return p.formatUtcDateTime(value);
      if (value instanceof Uint8Array) return p.binaryToDriver(value);
      return JSON.stringify(value);
    default:
      return value;
  }
}

function formatUtcDateTimeTz(d: Date): string {
  return `${p.formatUtcDateTime(d)}+00:00`;
}

export function sqliteTypeImpl(type: SqlType<unknown>, self: (t: SqlType<unknown>) => TypeImpl): TypeImpl {
  const o = type.options;
  switch (type.kind) {
    case "integer":
      return impl("INTEGER");
    case "smallinteger":
      return impl("SMALLINT", null, null, "INTEGER");
    case "biginteger":
      return impl("BIGINT", p.bigintToDriver, p.bigintFromDriver, "INTEGER");
    case "float":
      return impl("FLOAT", null, null, "REAL");
    case "double":
      return impl("DOUBLE", null, null, "REAL");
    case "numeric":
      return impl(
        o.precision !== undefined ? `NUMERIC(${o.precision}${o.scale !== undefined ? `, ${o.scale}` : ""})` : "NUMERIC",
        p.decimalToDriver,
        p.decimalFromDriver(type),
        "NUMERIC",
      );
    case "boolean":
      return impl("BOOLEAN", p.booleanToInt, p.booleanFromDriver, "INTEGER");
    case "string":
      return impl(o.length ? `VARCHAR(${o.length})` : "VARCHAR", null, null, "TEXT");
    case "text":
      return impl("TEXT");
    case "date":
      return impl("DATE", p.formatDate, p.readDate, "TEXT");
    case "datetime":
      return o.timezone ? impl("DATETIME", formatUtcDateTimeTz, p.parseDateTime, "TEXT") : impl("DATETIME", p.formatUtcDateTime, p.parseDateTime, "TEXT");
    case "time":
      return impl("TIME", p.formatTime, String, "TEXT");
    case "binary":
      return impl("BLOB", p.binaryToDriver, null);
    case "json":
      return impl("JSON", p.jsonToDriver, p.jsonFromDriver, "TEXT");
    case "uuid":
      return impl("CHAR(36)", p.uuidToDriver, p.uuidFromDriver, "TEXT");
    case "enum":
      return impl(`VARCHAR(${enumVarcharLength(o.values)})`, p.enumToDriver(type), null, "TEXT");
    case "array":
      throw new ArgumentError("ArrayOf() types need PostgreSQL; on SQLite store the list in a JSON column");
    case "custom":
      return customTypeImpl(type, self(o.impl as SqlType<unknown>), false);
    case "null":
      return impl("", sqliteDynamicBind, null, "TEXT");
  }
}
