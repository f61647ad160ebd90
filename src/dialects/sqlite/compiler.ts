/**
 * SQLite's SQL compiler: the base compiler plus SQLite's spellings (CURRENT_TIMESTAMP, LIMIT -1, JSON operators,
 * ON CONFLICT upserts).
 */
import type { AnyNode, ExprNode, OnConflictNode } from "../../sql/ast/nodes.js";
import { SqlCompiler } from "../../sql/compiler/sql-compiler.js";

/** `$.a[0].b` from a path. */
export function jsonPathString(path: readonly (string | number)[]): string {
  let s = "$";
  for (const p of path) s += typeof p === "number" ? `[${p}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? `.${p}` : `."${p.replace(/"/g, '\\"')}"`;
  return s;
}

export class SqliteCompiler extends SqlCompiler {
  protected override visitFunction(n: Extract<AnyNode, { kind: "function" }>): string {
    if ((n.name === "now" || n.name === "current_timestamp") && n.args.length === 0) return "CURRENT_TIMESTAMP";
    return super.visitFunction(n);
  }

  protected override limitOffset(limit: ExprNode | null, offset: ExprNode | null): string {
    if (offset && !limit) return ` LIMIT -1 OFFSET ${this.process(offset)}`;
    return super.limitOffset(limit, offset);
  }

  protected override visitJsonPath(n: Extract<AnyNode, { kind: "json-path" }>): string {
    const path = this.dialect.renderLiteral(jsonPathString(n.path), n.type);
    return `${this.wrap(n.operand, 100)} ${n.asText ? "->>" : "->"} ${path}`;
  }

  protected override visitExcluded(name: string): string {
    return `excluded.${this.dialect.quoteIdentifier(name)}`;
  }

  protected override visitOnConflict(n: OnConflictNode): string {
    return this.unqualified(() => {
      let sql = " ON CONFLICT";
      if (n.target.length) sql += ` (${n.target.map((t) => this.process(t)).join(", ")})`;
      if (n.targetWhere) sql += ` WHERE ${this.process(n.targetWhere)}`;
      if (n.set === null) return `${sql} DO NOTHING`;
      sql += ` DO UPDATE SET ${n.set.map(([c, v]) => `${this.process(c)} = ${this.process(v)}`).join(", ")}`;
      if (n.where) sql += ` WHERE ${this.process(n.where)}`;
      return sql;
    });
  }
}
