/**
 * SQLite DDL: an autoincrementing integer primary key is declared `INTEGER` so it becomes the rowid (SQLite's own
 * key), whatever its SQL type; enums become VARCHAR + CHECK; comments are not stored.
 */

import { DdlCompiler } from "../../sql/compiler/ddl-compiler.js";
import type { Column } from "../../sql/schema/column.js";
import type { TableObject } from "../../sql/schema/table.js";

export class SqliteDdlCompiler extends DdlCompiler {
  protected override columnType(table: TableObject, col: Column<unknown>): string {
    const pk = table.primaryKeyColumns;
    if (pk.length === 1 && pk[0] === col && col.autoincrement) return "INTEGER";
    return super.columnType(table, col);
  }
}
