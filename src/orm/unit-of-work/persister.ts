/**
 * The statements a flush runs: multi-row INSERT (with RETURNING where the database has it), UPDATE of changed
 * columns, batched DELETE. Each is compiled once per shape through the dialect's compiler and cached on the mapper;
 * values are bound positionally with the columns' processors.
 */

import type { Dialect } from "../../dialects/base/dialect.js";
import type { Connection } from "../../engine/connection.js";
import type { BindNode, ColumnRefNode, ExprNode } from "../../sql/ast/nodes.js";
import { bindParams, type CompiledStatement, type Processor } from "../../sql/compiler/compiled.js";
import { repeatInsertRows } from "../../sql/compiler/insert-many.js";
import type { Column } from "../../sql/schema/column.js";
import type { TableObject } from "../../sql/schema/table.js";
import type { SqlType } from "../../sql/types/sql-type.js";
import { CompileError, StaleDataError } from "../../util/errors.js";

function placeholder(col: Column<unknown>): BindNode {
  return { kind: "bind", value: null, type: col.type as SqlType<unknown>, key: null, expanding: false };
}

/** `k1 = ? AND k2 = ?`: each column equal to its own placeholder, in column order. */
export function keyCondition(cols: readonly Column<unknown>[]): { where: ExprNode; binds: BindNode[] } {
  const binds = cols.map(placeholder);
  const conds = cols.map(
    (c, i): ExprNode => ({ kind: "binary", operator: "=", left: c.node, right: binds[i], escape: null, type: c.type as SqlType<unknown> }),
  );
  return { where: conds.length === 1 ? conds[0] : { kind: "boolean-list", operator: "AND", items: conds }, binds };
}

/** The bind processors of columns (null where the driver takes the value as it is). */
export function processorsOf(dialect: Dialect, cols: readonly Column<unknown>[]): (Processor | null)[] {
  return cols.map((c) => dialect.typeImpl(c.type as SqlType<unknown>).bind);
}

/** Compiles a statement whose binds are given in positional order (asserting the compiler kept that order). */
export function compilePositional(
  dialect: Dialect,
  node: Parameters<ReturnType<Dialect["createCompiler"]>["compile"]>[0],
  binds: readonly BindNode[],
): CompiledStatement {
  const index = new Map<BindNode, number>();
  for (let i = 0; i < binds.length; i++) index.set(binds[i], i);
  const compiled = dialect.createCompiler(index).compile(node);
  compiled.params.forEach((p, i) => {
    if (!p.expanding && p.index !== i) throw new CompileError(`internal error: ${node.kind} parameters out of order in the ${dialect.name} compiler`);
  });
  return compiled;
}

/** A compiled flush statement with the processors of its positional parameters. */
export interface FlushStatement {
  readonly compiled: CompiledStatement;
  readonly processors: readonly (Processor | null)[];
  /** No value needs converting (only undefined becomes NULL). */
  readonly noProcessors: boolean;
}

function flushStatement(compiled: CompiledStatement, processors: (Processor | null)[]): FlushStatement {
  return { compiled, processors, noProcessors: processors.every((p) => p === null) };
}

export function insertStatement(
  dialect: Dialect,
  table: TableObject,
  cols: readonly Column<unknown>[],
  rows: number,
  returning: readonly Column<unknown>[],
): FlushStatement {
  const compileRows = (n: number): CompiledStatement => {
    const binds: BindNode[] = [];
    const valueRows: ExprNode[][] = [];
    for (let r = 0; r < n; r++) {
      const row = cols.map(placeholder);
      binds.push(...row);
      valueRows.push(row);
    }
    return compilePositional(
      dialect,
      {
        kind: "insert",
        table,
        columns: cols.map((c) => c.node),
        rows: cols.length ? valueRows : null,
        select: null,
        returning: returning.map((c) => c.node),
        onConflict: null,
      },
      binds,
    );
  };
  // Many rows: one row compiled, its VALUES group repeated. Not when the dialect added a RETURNING of its own to the
  // single row (PostgreSQL returns the new key of a one-row INSERT).
  const one = compileRows(1);
  const many = rows > 1 && (one.resultColumns === null) === (returning.length === 0) ? repeatInsertRows(one, rows, dialect) : null;
  return flushStatement(rows === 1 ? one : (many ?? compileRows(rows)), processorsOf(dialect, cols));
}

export function updateStatement(dialect: Dialect, table: TableObject, cols: readonly Column<unknown>[], pk: readonly Column<unknown>[]): FlushStatement {
  const set = cols.map((c) => [c.node, placeholder(c)] as const);
  const key = keyCondition(pk);
  const compiled = compilePositional(
    dialect,
    { kind: "update", table, set: set as unknown as (readonly [ColumnRefNode, ExprNode])[], where: key.where, returning: [] },
    [...set.map((s) => s[1]), ...key.binds],
  );
  return flushStatement(compiled, processorsOf(dialect, [...cols, ...pk]));
}

/** `DELETE FROM t WHERE key IN (...)`, or `WHERE (a, b) IN ((...), ...)` for composite keys; `cols` may be any key. */
export function deleteStatement(dialect: Dialect, table: TableObject, cols: readonly Column<unknown>[]): { compiled: CompiledStatement; bind: BindNode } {
  const left: ExprNode = cols.length === 1 ? cols[0].node : { kind: "tuple", items: cols.map((c) => c.node) };
  const bind: BindNode = { kind: "bind", value: [], type: cols[0].type as SqlType<unknown>, key: null, expanding: true };
  const index = new Map<BindNode, number>([[bind, 0]]);
  const compiled = dialect.createCompiler(index).compile({
    kind: "delete",
    table,
    where: { kind: "binary", operator: "IN", left, right: bind, escape: null, type: cols[0].type as SqlType<unknown> },
    returning: [],
  });
  return { compiled, bind };
}

/** Runs a compiled statement with `values` processed by `processors` (one per column, repeated per row), in place. */
export async function runPositional(
  conn: Connection,
  stmt: FlushStatement,
  values: unknown[],
): Promise<{ rows: unknown[][]; rowsAffected: number; lastInsertId: number | bigint | null }> {
  const procs = stmt.processors;
  const n = procs.length;
  // Converted in place: every caller passes an array made for this call (no second array of 2,000 values per batch).
  if (stmt.noProcessors) {
    for (let i = 0; i < values.length; i++) if (values[i] === undefined) values[i] = null;
  } else
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      const p = procs[i % n];
      values[i] = v === null || v === undefined || p === null ? (v ?? null) : p(v);
    }
  return conn.runRaw(stmt.compiled, stmt.compiled.sql, values);
}

/** Runs a batched DELETE for a list of keys (scalars, or arrays for composite keys); checks every row was found. */
export async function runDelete(
  conn: Connection,
  dialect: Dialect,
  stmt: { compiled: CompiledStatement; bind: BindNode },
  keys: readonly unknown[],
  what: string,
  checkCount: boolean,
): Promise<void> {
  const chunk = Math.max(1, Math.min(1000, Math.floor(dialect.maxParams / 4)));
  for (let i = 0; i < keys.length; i += chunk) {
    const part = keys.slice(i, i + chunk);
    const bound = bindParams(stmt.compiled, [{ ...stmt.bind, value: part }], undefined, dialect);
    const r = await conn.runRaw(stmt.compiled, bound.sql, bound.params);
    if (checkCount && r.rowsAffected >= 0 && r.rowsAffected !== part.length)
      throw new StaleDataError(
        `DELETE statement on ${what} expected to delete ${part.length} row(s); ${r.rowsAffected} were matched. The rows were changed or deleted by someone else: roll back and load them again`,
      );
  }
}
