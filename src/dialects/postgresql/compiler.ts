/**
 * PostgreSQL's SQL compiler: the base compiler plus PostgreSQL's spellings — native ILIKE, JSONB path operators,
 * `ON CONFLICT` upserts, `FOR UPDATE OF` with bare table names, SQL-standard niladic functions, and an implicit
 * `RETURNING` of the new key for single-row INSERTs (as SQLAlchemy's implicit_returning), since PostgreSQL has no
 * "last insert id".
 */
import type { AnyNode, BindNode, ColumnRefNode, ExprNode, InsertNode, OnConflictNode, SelectNode } from "../../sql/ast/nodes.js";
import { SqlCompiler } from "../../sql/compiler/sql-compiler.js";
import type { TableObject } from "../../sql/schema/table.js";
import type { SqlType } from "../../sql/types/sql-type.js";
import { BigInteger, Enum, Integer, String as StringType } from "../../sql/types/standard.js";
import { CompileError } from "../../util/errors.js";
import { generatedEnumName } from "./types.js";

/** Functions the SQL standard writes without parentheses. */
const NILADIC = new Set(["current_timestamp", "current_date", "current_time", "localtime", "localtimestamp", "current_user", "session_user"]);

/**
 * Casts for integers passed to functions, as a SQL integer literal would be typed: INTEGER widens implicitly to
 * BIGINT, NUMERIC and DOUBLE PRECISION, so every overload that takes a number still matches.
 */
const ARGUMENT_CASTS: Readonly<Record<string, SqlType<unknown>>> = {
  integer: Integer as SqlType<unknown>,
  smallinteger: Integer as SqlType<unknown>,
  biginteger: BigInteger as SqlType<unknown>,
};

/** Precedence of `->`, `#>` (PostgreSQL's "any other operator"): below arithmetic, above comparison. */
const JSON_PATH_PRECEDENCE = 6;

/** A text[] literal for `#>` / `#>>`: `'{a,0,"b c"}'`. */
function pathArray(path: readonly (string | number)[]): string {
  const items = path.map((k) => {
    const s = String(k);
    return /^[A-Za-z0-9_]+$/.test(s) ? s : `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  });
  return `{${items.join(",")}}`;
}

/**
 * The SQL compiler of the PostgreSQL dialect (one instance per statement; the dialect makes them).
 *
 * ```ts
 * const sql = new PostgresDialect().statementCache.compile(select(users.c.id).where(users.c.name.ilike("a%")).node).compiled.sql;
 * // SELECT users.id FROM users WHERE users.name ILIKE $1
 * ```
 */
export class PostgresCompiler extends SqlCompiler {
  /**
   * Niladic functions go without parentheses. Integers passed straight to a function are cast: both drivers send
   * parameters untyped, and `generate_series($1, $2)` cannot choose among its overloads.
   */
  protected override visitFunction(n: Extract<AnyNode, { kind: "function" }>): string {
    if (n.args.length === 0 && !n.filter && NILADIC.has(n.name)) return n.name.toUpperCase();
    let args: ExprNode[] | null = null;
    n.args.forEach((a, i) => {
      const type = a.kind === "bind" && !a.expanding ? ARGUMENT_CASTS[a.type.kind] : undefined;
      if (type) (args ??= [...n.args])[i] = Object.freeze({ kind: "cast", operand: a, type });
    });
    return super.visitFunction(args ? { ...n, args } : n);
  }

  protected override visitIlike(n: Extract<AnyNode, { kind: "binary" }>): string {
    return `${this.wrap(n.left, 5)} ${n.operator} ${this.wrap(n.right, 5, true)}${this.escapeClause(n.escape)}`;
  }

  protected override precedence(n: ExprNode): number {
    return n.kind === "json-path" ? JSON_PATH_PRECEDENCE : super.precedence(n);
  }

  /** `doc -> 'a'`, `doc ->> 0`; several steps: `doc #> '{a,0}'`, `doc #>> '{a,0}'`. */
  protected override visitJsonPath(n: Extract<AnyNode, { kind: "json-path" }>): string {
    const doc = this.wrap(n.operand, JSON_PATH_PRECEDENCE + 1);
    const text = StringType as SqlType<unknown>;
    if (n.path.length === 1) {
      const k = n.path[0];
      const key = typeof k === "number" ? String(k) : this.dialect.renderLiteral(k, text);
      return `${doc} ${n.asText ? "->>" : "->"} ${key}`;
    }
    return `${doc} ${n.asText ? "#>>" : "#>"} ${this.dialect.renderLiteral(pathArray(n.path), text)}`;
  }

  protected override visitExcluded(name: string): string {
    return `excluded.${this.dialect.quoteIdentifier(name)}`;
  }

  /**
   * `ON CONFLICT (cols) [WHERE ...] DO NOTHING | DO UPDATE SET ...`. Values and the WHERE of DO UPDATE keep their
   * table names: PostgreSQL sees both the target table and `excluded` there, so bare names would be ambiguous.
   */
  protected override visitOnConflict(n: OnConflictNode): string {
    if (n.style !== "on-conflict")
      throw new CompileError("ON DUPLICATE KEY UPDATE is MySQL's; on PostgreSQL use insert() from crucible/postgresql with onConflictDoUpdate()");
    let sql = " ON CONFLICT";
    if (n.constraint) sql += ` ON CONSTRAINT ${this.dialect.quoteIdentifier(n.constraint)}`;
    else if (n.target.length) {
      sql += ` (${this.unqualified(() => n.target.map((t) => this.process(t)).join(", "))})`;
      if (n.targetWhere) sql += ` WHERE ${this.unqualified(() => this.process(n.targetWhere as ExprNode))}`;
    }
    if (n.set === null) return `${sql} DO NOTHING`;
    if (!n.constraint && n.target.length === 0)
      throw new CompileError("ON CONFLICT DO UPDATE needs a conflict target on PostgreSQL: pass indexElements or constraint");
    sql += ` DO UPDATE SET ${n.set.map(([c, v]) => `${this.dialect.quoteIdentifier(c.name)} = ${this.process(v)}`).join(", ")}`;
    if (n.where) sql += ` WHERE ${this.process(n.where)}`;
    return sql;
  }

  /** `FOR UPDATE OF t`: PostgreSQL takes the bare table (or alias) names of the FROM list here. */
  protected override forUpdateClause(n: SelectNode): string {
    const f = n.forUpdate;
    if (!f) return "";
    let sql = f.mode === "SHARE" ? " FOR SHARE" : " FOR UPDATE";
    if (f.of.length) {
      const names = f.of.map((o) => {
        if (o.kind === "join") throw new CompileError("FOR UPDATE OF takes tables or aliases, not a join");
        return this.dialect.quoteIdentifier(o.name);
      });
      sql += ` OF ${names.join(", ")}`;
    }
    if (f.nowait) sql += " NOWAIT";
    if (f.skipLocked) sql += " SKIP LOCKED";
    return sql;
  }

  /**
   * IN lists on a column of an unnamed native Enum: the parameter carries the generated type name, so an empty or
   * very long list can be cast to it (`CAST(NULL AS t_status_enum)`).
   */
  protected override visitInList(n: Extract<AnyNode, { kind: "binary" }>): string {
    const bindNode = n.right as BindNode;
    const t = bindNode.type;
    const unnamedEnum = t.kind === "enum" && !t.options.enumName && t.options.nativeEnum !== false;
    const named = unnamedEnum && !this.options.literalBinds && n.left.kind === "column" ? namedEnumFor(n.left, t) : null;
    if (!named) return super.visitInList(n);
    const index = this.bindIndex.get(bindNode);
    if (index === undefined) throw new CompileError("internal error: IN list not seen by the cache key traversal");
    const marker = this.addParam({
      index,
      key: bindNode.key,
      columnDefault: null,
      process: this.dialect.typeImpl(t).bind,
      expanding: true,
      tuple: null,
      tupleTypes: null,
      type: named,
    });
    return `${this.wrap(n.left, 5)} ${n.operator} ${marker}`;
  }

  protected override visitInsert(n: InsertNode): string {
    let sql = super.visitInsert(n);
    const key = this.autoincrementColumn;
    if (key && n.returning.length === 0) sql += this.returningClause([key.node], "insert");
    return sql;
  }
}

/** The Enum with the generated name of a table column's unnamed Enum, or null for columns of subqueries. */
function namedEnumFor(col: ColumnRefNode, type: SqlType<unknown>): SqlType<unknown> | null {
  const from = col.from;
  const table = from?.kind === "table" ? (from as TableObject) : from?.kind === "alias" ? (from.element as TableObject) : null;
  if (!table) return null;
  return Enum(type.options.values ?? [], { name: generatedEnumName(table.name, col.name) }) as SqlType<unknown>;
}
