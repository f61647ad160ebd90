/**
 * How a Session runs its SELECTs: the loaders' statements on its connection, and `session.scalars()`. Written as
 * plain functions that return a promise only when they wait: with a synchronous driver (SQLite) a query runs
 * without any suspended async function state, which a Session per request would otherwise make for every query.
 */
import type { Connection, Executable, ExecuteParams } from "../../engine/connection.js";
import type { ScalarResult } from "../../engine/result.js";
import type { Select } from "../../sql/ast/select.js";
import { bindParams } from "../../sql/compiler/compiled.js";
import { asPromise } from "../../util/settled.js";
import { executeOrmScalars, firstColumn, isOrmSelect } from "../loading/query.js";
import type { Session } from "./session.js";

type Params = Readonly<Record<string, unknown>> | undefined;

/** Runs a SELECT on the Session's connection (no autoflush) and returns its converted rows. */
export function runSelect(session: Session, stmt: Select<any, any>, params: Params): unknown[][] | Promise<unknown[][]> {
  const conn = session.connectionNow();
  if (conn instanceof Promise) return conn.then((c) => runOn(session, c, stmt, params));
  return runOn(session, conn, stmt, params);
}

function runOn(session: Session, conn: Connection, stmt: Select<any, any>, params: Params): unknown[][] | Promise<unknown[][]> {
  const dialect = session.dialect;
  const { compiled, binds } = dialect.statementCache.compile(stmt.node);
  const bound = bindParams(compiled, binds, params, dialect);
  const raw = conn._run(compiled, bound.sql, bound.params);
  return raw instanceof Promise ? raw.then((r) => r.rows) : raw.rows;
}

/** session.scalars(): the first column of each row (the objects, for a SELECT of one mapped class). */
export function scalarsOf<T>(session: Session, stmt: Executable<readonly unknown[], unknown>, params: ExecuteParams | undefined): Promise<ScalarResult<T>> {
  try {
    session.checkUsable();
    if (session.autoflushDue) return session.flush().then(() => scalarsNow<T>(session, stmt, params));
    return scalarsNow<T>(session, stmt, params);
  } catch (e) {
    return Promise.reject(e);
  }
}

function scalarsNow<T>(session: Session, stmt: Executable<readonly unknown[], unknown>, params: ExecuteParams | undefined): Promise<ScalarResult<T>> {
  if (!isOrmSelect(stmt)) return session.connection().then(async (c) => firstColumn<T>((await c.execute(stmt, params)).raw(), false));
  return asPromise(executeOrmScalars<T>(session.ormHost(stmt), stmt, params as Params));
}
