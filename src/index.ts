/**
 * Crucible: SQLAlchemy 2.0 for TypeScript. This barrel exports the whole public API; dialect extras live in the
 * subpaths `crucible/sqlite`, `crucible/postgresql` and `crucible/mysql`.
 */
import "./dialects/base/default-dialect.js";

export * from "./engine/index.js";
export * from "./orm/index.js";
export * from "./sql/index.js";
export * from "./util/errors.js";
