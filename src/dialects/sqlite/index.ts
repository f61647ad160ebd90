/**
 * `crucible/sqlite`: the SQLite dialect and its extras (ON CONFLICT upserts, JSON paths).
 *
 * ```ts
 * import { insert, jsonPath } from "crucible/sqlite";
 * ```
 */
import type { DmlTarget } from "../../sql/ast/dml.js";
import { insert as coreInsert } from "../../sql/ast/dml.js";
import type { ColumnDefs } from "../../sql/schema/table.js";
import { OnConflictInsert } from "../base/upsert.js";

export { type JsonPathStep, jsonPath, jsonPathText } from "../base/json-path.js";
export { OnConflictInsert } from "../base/upsert.js";
export { SqliteDialect } from "./dialect.js";

/**
 * `insert()` with `onConflictDoNothing()` / `onConflictDoUpdate()`.
 *
 * ```ts
 * const stmt = insert(users).values({ id: 1, name: "x" });
 * await conn.execute(stmt.onConflictDoUpdate({ indexElements: ["id"], set: { name: stmt.excluded.name } }));
 * ```
 */
export function insert<C extends ColumnDefs>(target: DmlTarget<C>): OnConflictInsert<C> {
  const base = coreInsert(target);
  return new OnConflictInsert<C>(base.node, base.table);
}
