/**
 * Maps a column type as PostgreSQL describes it (`format_type()`: `character varying(30)`, `numeric(10,2)`,
 * `timestamp without time zone`, `integer[]`) back to a Crucible type. Types Crucible has no name for keep their
 * spelling through a pass-through custom type, so a reflected table is created again with the same DDL.
 */
import type { SqlType } from "../../sql/types/sql-type.js";
import * as T from "../../sql/types/standard.js";

/**
 * What the catalog says about an enum column's type.
 *
 * ```ts
 * const info: EnumInfo = { name: "post_status", labels: ["draft", "published"] };
 * ```
 */
export interface EnumInfo {
  /** The enum type's name (its element type's, for an array of an enum). */
  readonly name: string;
  readonly labels: readonly string[];
}

const passThrough = (v: unknown) => v;
const as = <V>(t: SqlType<V>) => t as SqlType<unknown>;

/**
 * A Crucible type for a `format_type()` spelling; `enumInfo` is given when the type (or the element type) is an enum.
 *
 * ```ts
 * postgresTypeFromFormat("numeric(10,2)", null);        // Numeric(10, 2)
 * postgresTypeFromFormat("status[]", { name: "status", labels: ["a", "b"] }); // ArrayOf(Enum(["a", "b"], { name: "status" }))
 * ```
 */
export function postgresTypeFromFormat(formatted: string, enumInfo: EnumInfo | null): SqlType<unknown> {
  const f = formatted.trim();
  if (f.endsWith("[]")) return as(T.ArrayOf(postgresTypeFromFormat(f.slice(0, -2), enumInfo)));
  if (enumInfo) return as(T.Enum(enumInfo.labels, { name: enumInfo.name }));
  const args = /\(([^)]*)\)/
    .exec(f)?.[1]
    ?.split(",")
    .map((s) => Number(s.trim()));
  const base = f.replace(/\([^)]*\)/, "").trim();
  switch (base) {
    case "integer":
      return as(T.Integer);
    case "bigint":
      return as(T.BigInteger);
    case "smallint":
      return as(T.SmallInteger);
    case "real":
      return as(T.Float);
    case "double precision":
      return as(T.Double);
    case "numeric":
      return as(T.Numeric(args?.[0], args?.[1]));
    case "boolean":
      return as(T.Boolean);
    case "character varying":
      return as(T.String(args?.[0]));
    case "text":
      return as(T.Text);
    case "date":
      return as(T.Date);
    case "timestamp without time zone":
      return as(T.DateTime());
    case "timestamp with time zone":
      return as(T.DateTime({ timezone: true }));
    case "time without time zone":
      return as(T.Time);
    case "bytea":
      return as(T.LargeBinary);
    case "json":
    case "jsonb":
      return as(T.JSON());
    case "uuid":
      return as(T.Uuid);
    default:
      return as(T.customType<unknown, string>({ impl: T.Text, sqlName: f, toDriver: passThrough as (v: unknown) => string, fromDriver: passThrough }));
  }
}
