/**
 * PostgreSQL types: how each SQL type is declared, cast and converted. Values go to the server as text the server
 * parses by the parameter's type (both drivers send untyped text parameters), so JSON, arrays and 64-bit integers
 * are written here explicitly instead of relying on each driver's own serialization (pg would turn a JS array bound
 * to a JSONB column into a PostgreSQL array, and it writes Dates in the process time zone).
 */
import type { Processor } from "../../sql/compiler/compiled.js";
import type { TypeImpl } from "../../sql/compiler/compiler-dialect.js";
import type { SqlType } from "../../sql/types/sql-type.js";
import { ArgumentError } from "../../util/errors.js";
import * as p from "../base/processors.js";
import { customTypeImpl, enumVarcharLength } from "../base/type-impl.js";
import { parseArrayLiteral, toArrayLiteral } from "./array-literal.js";

function impl(ddl: string, bind: Processor | null = null, result: Processor | null = null, cast = ddl): TypeImpl {
  return { ddl, cast, bind, result };
}

/**
 * The name of the native ENUM type of an Enum without `name`: `<table>_<column>_enum`.
 *
 * ```ts
 * generatedEnumName("post", "status"); // "post_status_enum"
 * ```
 */
export function generatedEnumName(table: string, column: string): string {
  return `${table}_${column}_enum`;
}

/**
 * The Enum type behind a column type that needs a native PostgreSQL ENUM (an Enum, or an array of one), or null.
 *
 * ```ts
 * nativeEnumOf(ArrayOf(Enum(["a", "b"])))?.options.values; // ["a", "b"]
 * nativeEnumOf(Enum(["a"], { native: false }));           // null
 * ```
 */
export function nativeEnumOf(type: SqlType<unknown>): SqlType<unknown> | null {
  if (type.kind === "enum") return type.options.nativeEnum === false ? null : type;
  if (type.kind === "array" && type.options.itemType) return nativeEnumOf(type.options.itemType);
  return null;
}

/**
 * `Date` → ISO-8601 with `Z`: an instant, read correctly by `timestamptz` whatever the session time zone.
 *
 * ```ts
 * instantToDriver(new Date(0)); // "1970-01-01T00:00:00.000Z"
 * ```
 */
export function instantToDriver(value: unknown): string {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw new ArgumentError(`expected a valid Date for a DateTime({ timezone: true }) column, got ${String(value)}`);
  return value.toISOString();
}

/**
 * Values of unknown type (text() parameters without a type, untyped literals): Dates as instants, bigints as
 * exact text, arrays as array literals, other objects as JSON.
 *
 * ```ts
 * postgresDynamicBind([1, 2]);   // "{1,2}"
 * postgresDynamicBind({ a: 1 }); // '{"a":1}'
 * ```
 */
export function postgresDynamicBind(value: unknown): unknown {
  switch (typeof value) {
    case "bigint":
      return value.toString();
    case "object":
      if (value === null) return null;
      if (value instanceof Date) return value.toISOString();
      if (value instanceof Uint8Array) return p.binaryToDriver(value);
      if (Array.isArray(value)) return toArrayLiteral(value);
      return JSON.stringify(value);
    default:
      return value;
  }
}

function mapDeep(value: unknown, fn: Processor): unknown {
  if (Array.isArray(value)) return value.map((v) => mapDeep(v, fn));
  return value === null || value === undefined ? null : fn(value);
}

/** JS array → array literal, each element through the element type's processor. */
function arrayBind(item: TypeImpl): Processor {
  const conv = item.bind;
  return (value) => {
    if (!Array.isArray(value)) throw new ArgumentError(`expected an array for an ArrayOf() column, got ${JSON.stringify(value)}`);
    return toArrayLiteral(conv ? (mapDeep(value, conv) as unknown[]) : value);
  };
}

/** Driver array (or array literal text, for element types the driver has no parser for) → JS array. */
function arrayResult(item: TypeImpl): Processor {
  const conv = item.result;
  return (value) => {
    const arr = typeof value === "string" ? parseArrayLiteral(value) : value;
    return conv ? mapDeep(arr, conv) : arr;
  };
}

/**
 * How PostgreSQL spells and converts a Crucible type. `self` resolves nested types (array items, custom impls)
 * through the dialect's cache; `quote` quotes identifiers (enum type names).
 *
 * ```ts
 * const dialect = new PostgresDialect();
 * dialect.typeImpl(DateTime({ timezone: true })).ddl; // "TIMESTAMP WITH TIME ZONE" (built by postgresTypeImpl)
 * ```
 */
export function postgresTypeImpl(type: SqlType<unknown>, self: (t: SqlType<unknown>) => TypeImpl, quote: (name: string) => string): TypeImpl {
  const o = type.options;
  switch (type.kind) {
    case "integer":
      return impl("INTEGER", null, p.numberFromDriver);
    case "smallinteger":
      return impl("SMALLINT", null, p.numberFromDriver);
    case "biginteger":
      return impl("BIGINT", (v) => p.bigintToDriver(v).toString(), p.bigintFromDriver);
    case "float":
      return impl("REAL", null, p.numberFromDriver);
    case "double":
      return impl("DOUBLE PRECISION", null, p.numberFromDriver);
    case "numeric":
      return impl(
        o.precision !== undefined ? `NUMERIC(${o.precision}${o.scale !== undefined ? `, ${o.scale}` : ""})` : "NUMERIC",
        p.decimalToDriver,
        p.decimalFromDriver(type),
      );
    case "boolean":
      return impl("BOOLEAN", null, p.booleanFromDriver);
    case "string":
      return impl(o.length ? `VARCHAR(${o.length})` : "VARCHAR");
    case "text":
      return impl("TEXT");
    case "date":
      return impl("DATE", p.formatDate, p.readDate);
    case "datetime":
      return o.timezone
        ? impl("TIMESTAMP WITH TIME ZONE", instantToDriver, p.parseDateTime)
        : impl("TIMESTAMP WITHOUT TIME ZONE", p.formatUtcDateTime, p.parseDateTime);
    case "time":
      return impl("TIME WITHOUT TIME ZONE", p.formatTime, String);
    case "binary":
      return impl("BYTEA", p.binaryToDriver);
    case "json":
      // The drivers parse json/jsonb themselves (type-parsers.ts); parsing again would break JSON strings.
      return impl("JSONB", p.jsonToDriver);
    case "uuid":
      return impl("UUID", p.uuidToDriver, p.uuidFromDriver);
    case "enum": {
      if (o.nativeEnum === false) {
        return impl(`VARCHAR(${enumVarcharLength(o.values)})`, p.enumToDriver(type), null, "VARCHAR");
      }
      // An unnamed enum's type name depends on its column: the DDL compiler supplies it (ddl.ts).
      const name = o.enumName ? quote(o.enumName) : "";
      return impl(name, p.enumToDriver(type), null, name || "TEXT");
    }
    case "array": {
      if (!o.itemType) throw new ArgumentError("ArrayOf() needs an element type");
      const item = self(o.itemType);
      return impl(`${item.ddl}[]`, arrayBind(item), arrayResult(item), `${item.cast}[]`);
    }
    case "custom":
      return customTypeImpl(type, self(o.impl as SqlType<unknown>), true);
    case "null":
      return impl("TEXT", postgresDynamicBind, null);
  }
}

/**
 * The element type to cast an array parameter to when comparing with values of `type` (`IN (SELECT unnest(CAST($1
 * AS <it>[])))`), or null when there is no safe spelling (an Enum without a name, nested arrays).
 *
 * ```ts
 * arrayElementCast(String(30), (t) => dialect.typeImpl(t)); // "TEXT" (a VARCHAR(30) cast would truncate)
 * ```
 */
export function arrayElementCast(type: SqlType<unknown>, self: (t: SqlType<unknown>) => TypeImpl): string | null {
  switch (type.kind) {
    case "string":
    case "text":
      return "TEXT";
    case "enum":
      if (type.options.nativeEnum === false) return "TEXT";
      return type.options.enumName ? self(type).cast : null;
    case "custom":
      return type.options.sqlName ? null : arrayElementCast(type.options.impl as SqlType<unknown>, self);
    case "array":
    case "null":
      return null;
    default:
      return self(type).cast;
  }
}
