/**
 * Golden SQL for the PostgreSQL compiler: a statement as PostgreSQL gets it. Needs no database, so the golden tests
 * run anywhere.
 */
import { ArgumentError } from "crucible";
import { PostgresDialect } from "crucible/postgresql";
import { bindParams } from "../../src/sql/compiler/compiled.js";

export const dialect = new PostgresDialect();

/** A statement as PostgreSQL gets it: SQL text and driver parameters. */
export function pgSql(stmt: { readonly node: unknown }, params?: Record<string, unknown>): { sql: string; params: unknown[] } {
  const { compiled, binds } = dialect.statementCache.compile(stmt.node as never);
  try {
    return bindParams(compiled, binds, params, dialect);
  } catch (e) {
    if (e instanceof ArgumentError && /no value for the parameter/.test(e.message)) return { sql: compiled.sql, params: [] };
    throw e;
  }
}
