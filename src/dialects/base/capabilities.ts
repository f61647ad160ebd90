/**
 * The capability flags dialects start from, so each one lists only where it differs.
 */
import type { DialectCapabilities } from "../../sql/compiler/compiler-dialect.js";

/**
 * Everything the SQL compiler can render, PostgreSQL's extensions included (DISTINCT ON, ON CONFLICT, arrays,
 * LATERAL), without native ENUM and UUID types and without a driver-reported insert id: the generic dialect's flags (`String(stmt)`), from which the PostgreSQL and SQLite dialects spread theirs.
 *
 * ```ts
 * const caps: DialectCapabilities = { ...BASE_CAPABILITIES, nativeEnum: true, nativeUuid: true };
 * ```
 */
export const BASE_CAPABILITIES: DialectCapabilities = {
  nativeBoolean: true,
  insertReturning: true,
  updateReturning: true,
  deleteReturning: true,
  multiRowInsertReturning: true,
  nullsOrdering: true,
  fullOuterJoin: true,
  forUpdate: true,
  distinctOn: true,
  intersectExceptAll: true,
  lateral: true,
  aggregateFilter: true,
  transactionalDDL: true,
  nativeEnum: false,
  nativeUuid: false,
  upsert: "on-conflict",
  arrays: true,
  lastInsertId: false,
  schemas: true,
  cteBeforeDml: true,
  alterConstraints: true,
  comments: true,
  exactDecimals: true,
};
