/**
 * Golden SQL for the MySQL compilers: a statement as MariaDB 10.11 or MySQL 8.0 gets it. Needs no server.
 */
import { ArgumentError } from "crucible";
import { MysqlDialect } from "crucible/mysql";
import { bindParams } from "../../src/sql/compiler/compiled.js";

/** The dialect as it compiles for MariaDB 10.11 (the server of the execution tests). */
export const mariadb = new MysqlDialect({ serverVersion: "10.11.6-MariaDB" });
/** The dialect as it compiles for MySQL 8.0.36. */
export const mysql8 = new MysqlDialect({ serverVersion: "8.0.36" });

/** A statement as the dialect sends it to the driver: SQL text and parameters. */
export function mysqlSql(
  stmt: { readonly node: unknown },
  dialect: MysqlDialect = mariadb,
  params?: Record<string, unknown>,
): { sql: string; params: unknown[] } {
  const { compiled, binds } = dialect.statementCache.compile(stmt.node as never);
  try {
    return bindParams(compiled, binds, params, dialect);
  } catch (e) {
    if (e instanceof ArgumentError && /no value for the parameter/.test(e.message)) return { sql: compiled.sql, params: [] };
    throw e;
  }
}
