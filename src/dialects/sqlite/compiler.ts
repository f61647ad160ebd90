/**
 * SQLite's SQL compiler: the base compiler plus SQLite's spellings (CURRENT_TIMESTAMP, LIMIT -1, JSON operators,
 * ON CONFLICT upserts).
 */
import type { AnyNode, ExprNode, OnConflictNode } from "../../sql/ast/nodes.js";
import { SqlCompiler } from "../../sql/compiler/sql-compiler.js";
import type { SqlType } from "../../sql/types/sql-type.js";
import { String as StringType } from "../../sql/types/standard.js";
import { CompileError } from "../../util/errors.js";

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
    // The path is a string literal whatever the result type (a JSON-typed literal would be a quoted JSON string).
    const path = this.dialect.renderLiteral(jsonPathString(n.path), StringType as SqlType<unknown>);
    if (!n.asText) return `${this.wrap(n.operand, 100)} -> ${path}`;
    // `->>` gives SQL values (2, 1 for true); as text they read as on the other databases: '2', 'true'.
    const doc = this.wrap(n.operand, 100);
    return `CASE json_type(${doc}, ${path}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(${doc} ->> ${path} AS TEXT) END`;
  }

  /** SQLite names a conflict target by its columns only (no `ON CONSTRAINT name`). */
  protected override visitOnConflict(n: OnConflictNode): string {
    if (n.constraint !== null)
      throw new CompileError(`ON CONFLICT ON CONSTRAINT is not supported by the sqlite dialect; give indexElements (the constraint's columns) instead`);
    return super.visitOnConflict(n);
  }
}
