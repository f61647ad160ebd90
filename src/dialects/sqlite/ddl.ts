/**
 * SQLite DDL: an autoincrementing integer primary key is declared `INTEGER` so it becomes the rowid (SQLite's own
 * key), whatever its SQL type; enums become VARCHAR + CHECK; comments are not stored.
 */

import { DdlCompiler } from "../../sql/compiler/ddl-compiler.js";
import type { Column } from "../../sql/schema/column.js";
import type { TableObject } from "../../sql/schema/table.js";

/** The only non-literal DEFAULTs SQLite takes without parentheses. */
const BARE_DEFAULTS = new Set(["CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME"]);

export class SqliteDdlCompiler extends DdlCompiler {
  protected override columnType(table: TableObject, col: Column<unknown>): string {
    const pk = table.primaryKeyColumns;
    if (pk.length === 1 && pk[0] === col && col.autoincrement) return "INTEGER";
    return super.columnType(table, col);
  }

  /** SQLite's grammar takes a literal or `(expr)` after DEFAULT: a function call must be parenthesized. */
  override serverDefault(col: Column<unknown>): string | null {
    const sql = super.serverDefault(col);
    if (sql === null || typeof col.serverDefault === "string") return sql;
    const kind = col.serverDefault?.node.kind;
    return kind === "function" && !BARE_DEFAULTS.has(sql) ? `(${sql})` : sql;
  }
}
