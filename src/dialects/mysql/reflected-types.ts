/**
 * Maps MySQL/MariaDB column types, as `information_schema.COLUMNS.COLUMN_TYPE` spells them, back to Crucible types.
 */
import type { SqlType } from "../../sql/types/sql-type.js";
import * as T from "../../sql/types/standard.js";

const t = (type: SqlType<unknown> | SqlType<never>) => type as SqlType<unknown>;

/** `enum('a','it''s')` → `["a", "it's"]`. */
export function enumValues(columnType: string): string[] {
  const body = columnType.slice(columnType.indexOf("(") + 1, columnType.lastIndexOf(")"));
  const values: string[] = [];
  const re = /'((?:[^'\\]|''|\\.)*)'/g;
  for (let m = re.exec(body); m !== null; m = re.exec(body)) values.push(m[1].replace(/''/g, "'").replace(/\\(.)/g, "$1"));
  return values;
}

/**
 * The Crucible type of a column. `tinyint(1)` is Boolean (MySQL's BOOL); `char(36)` is Uuid; `longtext` with a
 * `json_valid()` check is JSON (MariaDB stores JSON so).
 *
 * ```ts
 * mysqlTypeFromColumnType("decimal(10,2)", false); // Numeric(10, 2)
 * ```
 */
export function mysqlTypeFromColumnType(columnType: string, jsonChecked: boolean): SqlType<unknown> {
  const ct = columnType.trim().toLowerCase();
  const base = ct
    .replace(/\(.*$/, "")
    .replace(/\s+(unsigned|signed|zerofill).*$/, "")
    .trim();
  const args = /\(([^)]*)\)/
    .exec(ct)?.[1]
    ?.split(",")
    .map((s) => Number(s.trim()));
  switch (base) {
    case "tinyint":
      return args?.[0] === 1 ? t(T.Boolean) : t(T.SmallInteger);
    case "bool":
    case "boolean":
      return t(T.Boolean);
    case "smallint":
      return t(T.SmallInteger);
    case "mediumint":
    case "int":
    case "integer":
    case "year":
      return t(T.Integer);
    case "bigint":
      return t(T.BigInteger);
    case "float":
      return t(T.Float);
    case "double":
    case "double precision":
    case "real":
      return t(T.Double);
    case "decimal":
    case "numeric":
    case "dec":
    case "fixed":
      return args && args.length > 0 && !Number.isNaN(args[0]) ? t(T.Numeric(args[0], args[1] ?? 0)) : t(T.Numeric());
    case "varchar":
      return t(T.String(args?.[0]));
    case "char":
      return args?.[0] === 36 ? t(T.Uuid) : t(T.String(args?.[0] ?? 1));
    case "tinytext":
    case "text":
    case "mediumtext":
      return t(T.Text);
    case "longtext":
      return jsonChecked ? t(T.JSON()) : t(T.Text);
    case "json":
      return t(T.JSON());
    case "date":
      return t(T.Date);
    case "datetime":
    case "timestamp":
      return t(T.DateTime());
    case "time":
      return t(T.Time);
    case "tinyblob":
    case "blob":
    case "mediumblob":
    case "longblob":
    case "binary":
    case "varbinary":
      return t(T.LargeBinary);
    case "enum":
      return t(T.Enum(enumValues(columnType) as [string, ...string[]]));
    case "bit":
      return args?.[0] === 1 ? t(T.Boolean) : t(T.BigInteger);
    default:
      return t(T.Text);
  }
}
