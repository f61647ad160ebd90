/**
 * `crucible/postgresql`: the PostgreSQL dialect and its extras — `ON CONFLICT` upserts, JSONB path expressions,
 * and helpers for PostgreSQL array literals.
 *
 * ```ts
 * import { insert, jsonPathText } from "crucible/postgresql";
 * ```
 */
import type { DmlTarget } from "../../sql/ast/dml.js";
import { insert as coreInsert } from "../../sql/ast/dml.js";
import type { ColumnDefs } from "../../sql/schema/table.js";
import { OnConflictInsert } from "../base/upsert.js";

export { type JsonPathStep, jsonPath, jsonPathText } from "../base/json-path.js";
export { type ConflictTarget, OnConflictInsert } from "../base/upsert.js";
export { parseArrayLiteral, toArrayLiteral } from "./array-literal.js";
export { PostgresDialect } from "./dialect.js";

/**
 * `insert()` with `onConflictDoNothing()` / `onConflictDoUpdate()` (`INSERT ... ON CONFLICT`).
 *
 * ```ts
 * const stmt = insert(users).values({ email: "a@x.org", visits: 1 });
 * await conn.execute(
 *   stmt.onConflictDoUpdate({ indexElements: ["email"], set: { visits: users.c.visits.add(stmt.excluded.visits) } }),
 * );
 * ```
 */
export function insert<C extends ColumnDefs>(target: DmlTarget<C>): OnConflictInsert<C> {
  const base = coreInsert(target);
  return new OnConflictInsert<C>(base.node, base.table);
}
