/**
 * How a Session runs its SELECTs: the loaders' statements on its connection, and `session.scalars()`. Written as
 * plain functions that return a promise only when they wait: with a synchronous driver (SQLite) a query runs
 * without any suspended async function state, which a Session per request would otherwise make for every query.
 */
import type { Connection, Executable, ExecuteParams } from "../../engine/connection.js";
import type { ScalarResult } from "../../engine/result.js";
import type { SelectableNode } from "../../sql/ast/nodes.js";
import type { Select } from "../../sql/ast/select.js";
import { type BoundStatement, bindParams, type CompiledStatement } from "../../sql/compiler/compiled.js";
import { asPromise } from "../../util/settled.js";
import type { LoadHost } from "../loading/hydrate.js";
import { executeOrmScalars, firstColumn, isOrmSelect } from "../loading/query.js";
import type { Session } from "./session.js";

type Params = Readonly<Record<string, unknown>> | undefined;

/** Runs a SELECT on the Session's connection (no autoflush) and returns its converted rows. */
export function runSelect(session: Session, stmt: Select<any, any>, params: Params): unknown[][] | Promise<unknown[][]> {
  const conn = session.connectionNow();
  if (conn instanceof Promise) return runWhenConnected(conn, session, stmt, params);
  return runOn(session, conn, stmt, params);
}

// Promise continuations live in functions of their own: a closure over a parameter makes V8 allocate a context at
// every call of the function that holds it, also when the closure is never made (the SQLite case).
function runWhenConnected(conn: Promise<Connection>, session: Session, stmt: Select<any, any>, params: Params): Promise<unknown[][]> {
  return conn.then((c) => runOn(session, c, stmt, params));
}

function runOn(session: Session, conn: Connection, stmt: Select<any, any>, params: Params): unknown[][] | Promise<unknown[][]> {
  const { compiled, bound } = compileAndBind(session, stmt.node, params);
  const raw = conn._run(compiled, bound.sql, bound.params);
  return raw instanceof Promise ? raw.then((r) => r.rows) : raw.rows;
}

/** A statement compiled (through the dialect's statement cache) and bound to its values and `params`. */
function compileAndBind(session: Session, node: SelectableNode, params: Params): { compiled: CompiledStatement; bound: BoundStatement } {
  const dialect = session.dialect;
  const { compiled, binds } = dialect.statementCache.compile(node);
  return { compiled, bound: bindParams(compiled, binds, params, dialect) };
}

/** session.scalars(): the first column of each row (the objects, for a SELECT of one mapped class). */
export function scalarsOf<T>(session: Session, stmt: Executable<readonly unknown[], unknown>, params: ExecuteParams | undefined): Promise<ScalarResult<T>> {
  try {
    session.checkUsable();
    if (session.autoflushDue) return scalarsAfterFlush<T>(session, stmt, params);
    return scalarsNow<T>(session, stmt, params);
  } catch (e) {
    return Promise.reject(e);
  }
}

function scalarsAfterFlush<T>(session: Session, stmt: Executable<readonly unknown[], unknown>, params: ExecuteParams | undefined): Promise<ScalarResult<T>> {
  return session.flush().then(() => scalarsNow<T>(session, stmt, params));
}

function scalarsNow<T>(session: Session, stmt: Executable<readonly unknown[], unknown>, params: ExecuteParams | undefined): Promise<ScalarResult<T>> {
  if (!isOrmSelect(stmt)) return coreScalars<T>(session, stmt, params);
  return asPromise(executeOrmScalars<T>(session.ormHost(stmt), stmt, params as Params));
}

async function coreScalars<T>(session: Session, stmt: Executable<readonly unknown[], unknown>, params: ExecuteParams | undefined): Promise<ScalarResult<T>> {
  const c = await session.connection();
  return firstColumn<T>((await c.execute(stmt, params)).raw(), false);
}

/** The loading context that overwrites loaded objects (populateExisting): a view of the Session. */
export function populatingHost(session: Session): LoadHost {
  return {
    identityMap: session.identityMap,
    dialect: session.dialect,
    owner: session,
    populateExisting: true,
    run: (stmt, params) => session.run(stmt, params),
    runStatement: (node, params) => session.runStatement(node, params),
  };
}

/** LoadHost.runStatement: runs any statement (fromStatement) and returns its rows and column names. */
export async function runAnyStatement(
  session: Session,
  node: SelectableNode,
  params: Params,
): Promise<{ rows: unknown[][]; keys: readonly (string | null)[] }> {
  const conn = await session.connection();
  const { compiled, bound } = compileAndBind(session, node, params);
  const raw = await conn.runRaw(compiled, bound.sql, bound.params);
  return { rows: raw.rows, keys: compiled.resultColumns ? compiled.resultColumns.map((c) => c.name) : (raw.columns ?? []) };
}
