/**
 * The compiled `SELECT <columns> FROM t WHERE <pk> = ?` of a mapper, made once per dialect (Session.get and refresh).
 */
import type { Dialect } from "../../dialects/base/dialect.js";
import type { BindNode, ExprNode } from "../../sql/ast/nodes.js";
import type { CompiledStatement, Processor } from "../../sql/compiler/compiled.js";
import type { SqlType } from "../../sql/types/sql-type.js";
import type { Mapper } from "../mapper.js";

export interface GetStatement {
  readonly compiled: CompiledStatement;
  readonly processors: readonly (Processor | null)[];
}

export function getStatement(dialect: Dialect, mapper: Mapper): GetStatement {
  return mapper.cached(dialect, "get", () => {
    const pk = mapper.pkIndexes.map((i) => mapper.columns[i]);
    const binds: BindNode[] = pk.map((c) => ({ kind: "bind", value: null, type: c.type as SqlType<unknown>, key: null, expanding: false }));
    const conds: ExprNode[] = pk.map((c, i) => ({
      kind: "binary",
      operator: "=",
      left: c.node,
      right: binds[i],
      escape: null,
      type: c.type as SqlType<unknown>,
    }));
    const info = mapper.entityInfo;
    const index = new Map<BindNode, number>(binds.map((b, i) => [b, i]));
    const compiled = dialect.createCompiler(index).compile({
      kind: "select",
      columns: info.columns.map((c) => c.node),
      elements: [{ name: info.name, start: 0, count: info.columns.length, entity: info.entity }],
      from: [],
      where: conds.length === 1 ? conds[0] : { kind: "boolean-list", operator: "AND", items: conds },
      groupBy: [],
      having: null,
      orderBy: [],
      limit: null,
      offset: null,
      distinct: false,
      distinctOn: [],
      forUpdate: null,
      correlate: null,
      annotations: {},
    });
    return { compiled, processors: pk.map((c) => dialect.typeImpl(c.type as SqlType<unknown>).bind) };
  });
}
