/**
 * MySQL/MariaDB's SQL compiler: the base compiler plus MySQL's spellings — CONCAT() for `||`, `<=>` for IS [NOT]
 * DISTINCT FROM, NULLS FIRST/LAST through the sort key, `LIMIT 18446744073709551615` for an OFFSET alone,
 * JSON_EXTRACT, ON DUPLICATE KEY UPDATE with `VALUES(col)`, LOCK IN SHARE MODE where FOR SHARE is missing, and the
 * WITH clause inside INSERT ... SELECT (MySQL and MariaDB reject it before INSERT).
 */
import type { AnyNode, ExprNode, InsertNode, OnConflictNode, SelectNode, StatementNode } from "../../sql/ast/nodes.js";
import type { CompilerDialect } from "../../sql/compiler/compiler-dialect.js";
import { SqlCompiler } from "../../sql/compiler/sql-compiler.js";
import type { SqlType } from "../../sql/types/sql-type.js";
import { String as StringType } from "../../sql/types/standard.js";
import { CompileError } from "../../util/errors.js";
import { type MysqlFeatures, type MysqlServerInfo, serverLabel } from "./server-info.js";

/**
 * What the MySQL compilers read from their dialect beyond the common capability flags.
 *
 * ```ts
 * const d: MysqlCompilerDialect = new MysqlDialect();
 * d.features.forShare; // true for MySQL 8
 * ```
 */
export interface MysqlCompilerDialect extends CompilerDialect {
  readonly server: MysqlServerInfo;
  readonly features: MysqlFeatures;
}

/**
 * A MySQL JSON path: `$.a[0]."b c"`.
 *
 * ```ts
 * mysqlJsonPath(["a", 0, "b c"]); // '$.a[0]."b c"'
 * ```
 */
export function mysqlJsonPath(path: readonly (string | number)[]): string {
  let s = "$";
  for (const p of path)
    s += typeof p === "number" ? `[${p}]` : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(p) ? `.${p}` : `."${p.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  return s;
}

/** Functions MySQL spells differently: `length` counts bytes there, `char_length` counts characters like elsewhere. */
const FUNCTION_NAMES: Readonly<Record<string, string>> = { length: "char_length", random: "rand" };

/**
 * The largest LIMIT MySQL takes: "all rows" for an OFFSET without LIMIT (as the MySQL manual suggests).
 *
 * ```ts
 * `LIMIT ${MYSQL_NO_LIMIT} OFFSET ?`
 * ```
 */
export const MYSQL_NO_LIMIT = "18446744073709551615";

/**
 * Compiles one statement for MySQL/MariaDB; the dialect makes one per statement.
 *
 * ```ts
 * new MysqlCompiler(dialect, bindIndex).compile(select(users.c.id).offset(5).node).sql;
 * // "SELECT users.id FROM users LIMIT 18446744073709551615 OFFSET ?"
 * ```
 */
export class MysqlCompiler extends SqlCompiler {
  declare readonly dialect: MysqlCompilerDialect;
  /** Where the SELECT of an INSERT ... SELECT starts in the statement text (the WITH clause goes there). */
  private insertSelectAt: number | null = null;

  private unsupported(what: string, advice: string): CompileError {
    return new CompileError(`${what} is not supported by ${serverLabel(this.dialect.server)}; ${advice}`);
  }

  protected override visitFunction(n: Extract<AnyNode, { kind: "function" }>): string {
    if ((n.name === "now" || n.name === "current_timestamp") && n.args.length === 0) return "CURRENT_TIMESTAMP(6)";
    return super.visitFunction(n);
  }

  protected override functionName(name: string): string {
    return FUNCTION_NAMES[name] ?? name;
  }

  protected override limitOffset(limit: ExprNode | null, offset: ExprNode | null): string {
    if (offset && !limit) return ` LIMIT ${MYSQL_NO_LIMIT} OFFSET ${this.process(offset)}`;
    return super.limitOffset(limit, offset);
  }

  /** `a || b || c` → `CONCAT(a, b, c)` (`||` means OR in MySQL unless PIPES_AS_CONCAT is set). */
  protected override visitConcat(n: Extract<AnyNode, { kind: "binary" }>): string {
    const items: ExprNode[] = [];
    const collect = (e: ExprNode): void => {
      if (e.kind === "binary" && e.operator === "||") {
        collect(e.left);
        collect(e.right);
      } else items.push(e);
    };
    collect(n);
    return `CONCAT(${items.map((i) => this.process(i)).join(", ")})`;
  }

  /** `a IS DISTINCT FROM b` → `NOT (a <=> b)`; `<=>` is MySQL's NULL-safe equality. */
  protected override visitDistinctFrom(n: Extract<AnyNode, { kind: "binary" }>): string {
    const cmp = `${this.wrap(n.left, 5)} <=> ${this.wrap(n.right, 5, true)}`;
    return n.operator === "IS DISTINCT FROM" ? `NOT (${cmp})` : cmp;
  }

  /**
   * MySQL sorts NULLs first ascending and last descending. The other two orders sort by `x IS NULL` first
   * (false < true), which needs no CASE.
   */
  protected override nullsOrdering(sql: string, element: ExprNode, nulls: "FIRST" | "LAST", direction: "ASC" | "DESC" | null): string {
    const desc = direction === "DESC";
    if ((nulls === "FIRST" && !desc) || (nulls === "LAST" && desc)) return sql;
    return `${this.process(element)} ${nulls === "LAST" ? "IS NULL" : "IS NOT NULL"}, ${sql}`;
  }

  protected override visitJsonPath(n: Extract<AnyNode, { kind: "json-path" }>): string {
    const path = this.dialect.renderLiteral(mysqlJsonPath(n.path), StringType as SqlType<unknown>);
    const extract = `JSON_EXTRACT(${this.process(n.operand)}, ${path})`;
    return n.asText ? `JSON_UNQUOTE(${extract})` : extract;
  }

  protected override visitExcluded(name: string): string {
    return `VALUES(${this.dialect.quoteIdentifier(name)})`;
  }

  protected override visitOnConflict(n: OnConflictNode): string {
    if (n.style !== "duplicate-key" || n.set === null)
      throw new CompileError(
        'ON CONFLICT upserts are not supported by MySQL/MariaDB; use insert() from "crucible/mysql" and .onDuplicateKeyUpdate({ col: stmt.inserted.col })',
      );
    const set = n.set;
    return this.unqualified(() => ` ON DUPLICATE KEY UPDATE ${set.map(([c, v]) => `${this.process(c)} = ${this.process(v)}`).join(", ")}`);
  }

  protected override forUpdateClause(n: SelectNode): string {
    const f = n.forUpdate;
    if (!f) return "";
    const features = this.dialect.features;
    let sql = f.mode === "UPDATE" ? " FOR UPDATE" : features.forShare ? " FOR SHARE" : " LOCK IN SHARE MODE";
    if (f.of.length) {
      if (!features.lockOf) throw this.unsupported(`FOR ${f.mode} OF`, "leave out `of` to lock the rows of every table in the query");
      sql += ` OF ${f.of.map((o) => this.fromName(o)).join(", ")}`;
    }
    if (f.nowait) {
      if (!features.nowait) throw this.unsupported("NOWAIT", "leave it out (the statement then waits up to innodb_lock_wait_timeout)");
      sql += " NOWAIT";
    }
    if (f.skipLocked) {
      if (!features.skipLocked) throw this.unsupported("SKIP LOCKED", "leave it out, or upgrade to MariaDB 10.6 / MySQL 8.0");
      sql += " SKIP LOCKED";
    }
    return sql;
  }

  protected override visitCompound(n: Extract<AnyNode, { kind: "compound" }>): string {
    if ((n.operator.startsWith("INTERSECT") || n.operator.startsWith("EXCEPT")) && !this.dialect.features.intersectExcept)
      throw this.unsupported(n.operator, "use EXISTS / NOT EXISTS subqueries instead, or upgrade to MariaDB 10.3 / MySQL 8.0.31");
    return super.visitCompound(n);
  }

  protected override returningClause(items: readonly ExprNode[], what: "insert" | "update" | "delete"): string {
    const caps = this.dialect.capabilities;
    if (items.length > 0 && !(what === "insert" ? caps.insertReturning : what === "update" ? caps.updateReturning : caps.deleteReturning))
      throw this.unsupported(
        `${what.toUpperCase()} ... RETURNING`,
        `${what === "update" ? "no MySQL or MariaDB version has it" : `MariaDB ${what === "insert" ? "10.5" : "10.0.5"} and later have it`}; select the rows in a second statement${what === "insert" ? " (result.insertedPrimaryKey gives a new row's id)" : ""}`,
      );
    return super.returningClause(items, what);
  }

  protected override defaultValues(): string {
    return " () VALUES ()";
  }

  protected override visitInsert(n: InsertNode): string {
    const sql = super.visitInsert(n);
    if (n.select) {
      const prefix = `INSERT INTO ${this.tableName(n.table)} (${n.columns.map((c) => this.dialect.quoteIdentifier(c.name)).join(", ")}) `;
      if (sql.startsWith(prefix)) this.insertSelectAt = prefix.length;
    }
    return sql;
  }

  /** MySQL and MariaDB take WITH inside INSERT ... SELECT (before the SELECT), and MySQL 8 before UPDATE/DELETE. */
  protected override withClause(node: StatementNode, body: string): string {
    if (node.kind === "insert") {
      const at = this.insertSelectAt;
      if (at === null)
        throw new CompileError("MySQL/MariaDB accept a WITH clause in an INSERT only before its SELECT: use insert(t).fromSelect([...], select(...))");
      return `${body.slice(0, at)}${super.withClause(node, body.slice(at))}`;
    }
    if ((node.kind === "update" || node.kind === "delete") && !this.dialect.features.cteBeforeUpdateDelete)
      throw this.unsupported(`WITH ... ${node.kind.toUpperCase()}`, "use a subquery (.subquery() or .scalarSubquery()) instead of a CTE");
    return super.withClause(node, body);
  }
}
