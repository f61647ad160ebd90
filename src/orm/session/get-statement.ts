/**
 * The compiled `SELECT <columns> FROM t WHERE <pk> = ?` of a mapper, made once per dialect (Session.get and refresh).
 */
import type { Dialect } from "../../dialects/base/dialect.js";
import { ENTITY } from "../../sql/ast/entity.js";
import { select } from "../../sql/ast/select.js";
import type { CompiledStatement, Processor } from "../../sql/compiler/compiled.js";
import type { Mapper } from "../mapper.js";
import { compilePositional, keyCondition, processorsOf } from "../unit-of-work/persister.js";

export interface GetStatement {
  readonly compiled: CompiledStatement;
  readonly processors: readonly (Processor | null)[];
}

export function getStatement(dialect: Dialect, mapper: Mapper): GetStatement {
  return mapper.cached(dialect, "get", makeGetStatement); // a module function: no closure made per get()
}

function makeGetStatement(dialect: Dialect, mapper: Mapper): GetStatement {
  const key = keyCondition(mapper.pkColumns);
  const node = { ...select({ [ENTITY]: mapper.entityInfo }).node, where: key.where };
  return { compiled: compilePositional(dialect, node, key.binds), processors: processorsOf(dialect, mapper.pkColumns) };
}

/** The statement's parameters for primary key values in key order (processed in place: pass a fresh array). */
export function keyParams(stmt: GetStatement, values: unknown[]): unknown[] {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const p = stmt.processors[i];
    if (v !== null && p !== null) values[i] = p(v);
  }
  return values;
}
