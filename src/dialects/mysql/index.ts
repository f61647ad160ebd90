/**
 * `crucible/mysql`: the MySQL/MariaDB dialect and its extras (ON DUPLICATE KEY UPDATE upserts).
 *
 * ```ts
 * import { insert } from "crucible/mysql";
 * ```
 */
import type { DmlTarget } from "../../sql/ast/dml.js";
import { insert as coreInsert } from "../../sql/ast/dml.js";
import type { ColumnDefs } from "../../sql/schema/table.js";
import { DuplicateKeyInsert } from "../base/upsert.js";

export { type JsonPathStep, jsonPath, jsonPathText } from "../base/json-path.js";
export { DuplicateKeyInsert } from "../base/upsert.js";
export { MysqlCompiler, mysqlJsonPath } from "./compiler.js";
export { KEY_VARCHAR_LENGTH, MysqlDdlCompiler } from "./ddl.js";
export { MysqlDialect, type MysqlDialectOptions } from "./dialect.js";
export { translateMysqlError } from "./errors.js";
export { MysqlIntrospector } from "./introspector.js";
export { mysqlTypeFromColumnType } from "./reflected-types.js";
export { type MysqlFeatures, type MysqlServerInfo, parseServerVersion } from "./server-info.js";
export { ExactNumber, formatQuery } from "./sql-format.js";

/**
 * `insert()` with `onDuplicateKeyUpdate()`; `stmt.inserted.col` is the value the row would have had (`VALUES(col)`).
 *
 * ```ts
 * const stmt = insert(users).values({ id: 1, name: "x", logins: 1 });
 * await conn.execute(stmt.onDuplicateKeyUpdate({ name: stmt.inserted.name, logins: users.c.logins.add(1) }));
 * ```
 */
export function insert<C extends ColumnDefs>(target: DmlTarget<C>): DuplicateKeyInsert<C> {
  const base = coreInsert(target);
  return new DuplicateKeyInsert<C>(base.node, base.table);
}
