/**
 * The SQL compiler: a visitor over the AST that writes SQL for one dialect. Dialects subclass it and override the
 * few visits that differ (dialects/<name>/compiler.ts). One instance compiles one statement. Expressions, parameters
 * and FROM elements are in expression-compiler.ts; this file holds SELECT, compound selects and DML.
 */
import { CompileError } from "../../util/errors.js";
import type { CompoundSelectNode, DeleteNode, ExprNode, FromNode, InsertNode, OnConflictNode, SelectableNode, SelectNode, UpdateNode } from "../ast/nodes.js";
import type { TableObject } from "../schema/table.js";
import type { SqlType } from "../types/sql-type.js";
import { NullType } from "../types/standard.js";
import type { ParamRef, ResultColumn } from "./compiled.js";
import { ExpressionCompiler, type SelectFrame } from "./expression-compiler.js";
import { collectFroms, leafFroms } from "./froms.js";
import { nodeType } from "./node-info.js";
import { defaultParam, markerIndex } from "./params.js";

export type { CompileOptions } from "./expression-compiler.js";

/**
 * The SQL compiler: a visitor over the AST with one method per node kind (a new kind without a visit is a
 * compile error). Dialects subclass it for their spellings; `dialect.createCompiler()` makes one per statement. Most
 * code never uses it directly: the engine compiles through the statement cache.
 *
 * ```ts
 * class MyCompiler extends SqlCompiler {
 *   protected override limitOffset(limit: ExprNode | null, offset: ExprNode | null): string {
 *     return super.limitOffset(limit, offset);
 *   }
 * }
 * ```
 */
export class SqlCompiler extends ExpressionCompiler {
  // ---------------------------------------------------------------- SELECT

  /** Compiles a SELECT nested in another statement; `correlate` lets it refer to the enclosing FROMs. */
  protected compileNested(node: SelectableNode, correlate: boolean): string {
    const savedQualify = this.qualify;
    const savedLabels = this.labelsAsNames;
    const savedResult = this.resultColumns;
    this.qualify = true;
    this.labelsAsNames = false;
    try {
      if (node.kind === "select") return this.visitSelect(node, true, correlate);
      return this.process(node);
    } finally {
      this.qualify = savedQualify;
      this.labelsAsNames = savedLabels;
      this.resultColumns = savedResult;
    }
  }

  protected visitSelect(n: SelectNode, nested: boolean, correlate = false): string {
    // Taken by this SELECT only, not by SELECTs nested in it.
    const extra = this.extraSelectColumns;
    this.extraSelectColumns = null;
    const explicit = n.from;
    const covered = new Set<FromNode>();
    for (const f of explicit) for (const leaf of leafFroms(f)) covered.add(leaf);
    let implicit = collectFroms([...n.columns, n.where, ...n.groupBy, n.having, ...n.orderBy]).filter((f) => !covered.has(f));
    if (nested) {
      const outer = new Set<FromNode>();
      if (correlate) for (const fr of this.frames) for (const f of fr.froms) outer.add(f);
      for (const f of n.correlate ?? []) outer.add(f);
      const remaining = implicit.filter((f) => !outer.has(f));
      if (remaining.length > 0 || explicit.length > 0) implicit = remaining;
    }
    const froms = [...explicit, ...implicit];
    const frame: SelectFrame = { froms: new Set([...covered, ...implicit]) };
    this.frames.push(frame);
    try {
      let sql = "SELECT ";
      if (n.distinctOn.length > 0) sql += this.distinctOn(n.distinctOn);
      else if (n.distinct) sql += "DISTINCT ";
      sql += this.selectColumns(n, nested);
      if (extra) sql += extra.map((e) => `, ${e}`).join("");
      if (froms.length > 0) sql += ` FROM ${froms.map((f) => this.process(f)).join(", ")}`;
      else sql += this.emptyFrom();
      if (n.where) sql += ` WHERE ${this.process(n.where)}`;
      if (n.groupBy.length) sql += ` GROUP BY ${this.withLabelNames(() => n.groupBy.map((g) => this.process(g)).join(", "))}`;
      if (n.having) sql += ` HAVING ${this.process(n.having)}`;
      if (n.orderBy.length) sql += ` ORDER BY ${this.withLabelNames(() => n.orderBy.map((o) => this.process(o)).join(", "))}`;
      sql += this.limitOffset(n.limit, n.offset);
      if (n.forUpdate) sql += this.forUpdateClause(n);
      if (!nested) this.resultColumns = this.selectResultColumns(n);
      return sql;
    } finally {
      this.frames.pop();
    }
  }

  /** The result columns of a SELECT: names from its elements (one column each), types with result processing. */
  protected selectResultColumns(n: SelectNode): ResultColumn[] {
    const names = new Array<string | null>(n.columns.length).fill(null);
    for (const e of n.elements) if (e.count === 1) names[e.start] = e.name;
    return n.columns.map((c, i) => this.resultColumn(names[i], nodeType(c) ?? (NullType as SqlType<unknown>)));
  }

  /** FROM for a SELECT with no FROM elements (MySQL needs nothing, Oracle would need DUAL). */
  protected emptyFrom(): string {
    return "";
  }

  /** In ORDER BY / GROUP BY: runs `fn` with labels rendered as their names. */
  protected withLabelNames(fn: () => string): string {
    const saved = this.labelsAsNames;
    this.labelsAsNames = true;
    try {
      return fn();
    } finally {
      this.labelsAsNames = saved;
    }
  }

  /** Runs `fn` with column references rendered without their table (INSERT column lists, SET, RETURNING). */
  protected unqualified<T>(fn: () => T): T {
    const saved = this.qualify;
    this.qualify = false;
    try {
      return fn();
    } finally {
      this.qualify = saved;
    }
  }

  protected selectColumns(n: SelectNode, nested: boolean): string {
    return n.columns
      .map((c, i) => {
        const sql = this.process(c);
        if (c.kind === "label") return `${sql} AS ${this.dialect.quoteIdentifier(c.name)}`;
        // Inside a subquery every column needs a name the outer query can use.
        if (nested && c.kind !== "column" && c.kind !== "star") return `${sql} AS ${this.dialect.quoteIdentifier(`anon_${i + 1}`)}`;
        return sql;
      })
      .join(", ");
  }

  protected distinctOn(exprs: readonly ExprNode[]): string {
    if (!this.dialect.capabilities.distinctOn)
      throw new CompileError(`DISTINCT ON is not supported by the ${this.dialect.name} dialect; use GROUP BY or a window function`);
    return `DISTINCT ON (${exprs.map((e) => this.process(e)).join(", ")}) `;
  }

  protected limitOffset(limit: ExprNode | null, offset: ExprNode | null): string {
    let sql = "";
    if (limit) sql += ` LIMIT ${this.process(limit)}`;
    if (offset) sql += ` OFFSET ${this.process(offset)}`;
    return sql;
  }

  protected forUpdateClause(n: SelectNode): string {
    const f = n.forUpdate;
    if (!f || !this.dialect.capabilities.forUpdate) return "";
    let sql = f.mode === "SHARE" ? " FOR SHARE" : " FOR UPDATE";
    if (f.of.length) sql += ` OF ${f.of.map((o) => this.fromName(o)).join(", ")}`;
    if (f.nowait) sql += " NOWAIT";
    if (f.skipLocked) sql += " SKIP LOCKED";
    return sql;
  }

  protected visitCompound(n: CompoundSelectNode): string {
    if (n.operator.endsWith("ALL") && n.operator !== "UNION ALL" && !this.dialect.capabilities.intersectExceptAll)
      throw new CompileError(`${n.operator} is not supported by the ${this.dialect.name} dialect`);
    const first = n.selects[0];
    const members = n.selects.map((s) => this.compoundMember(s));
    let sql = members.join(` ${n.operator} `);
    // ORDER BY of a compound names result columns, not table columns.
    if (n.orderBy.length) sql += ` ORDER BY ${this.unqualified(() => this.withLabelNames(() => n.orderBy.map((o) => this.process(o)).join(", ")))}`;
    sql += this.limitOffset(n.limit, n.offset);
    if (first.kind === "select" && this.resultColumns === null) this.resultColumns = this.selectResultColumns(first);
    return sql;
  }

  /** A member of a UNION: bare, or wrapped in a subquery if it has its own ORDER BY / LIMIT. */
  protected compoundMember(s: SelectableNode): string {
    const saved = this.resultColumns;
    const sql = this.compileNested(s, false);
    this.resultColumns = saved;
    const wrapped = s.kind === "compound" || (s.kind === "select" && (s.orderBy.length > 0 || s.limit !== null || s.offset !== null));
    return wrapped ? `SELECT * FROM (${sql}) AS anon` : sql;
  }

  // ---------------------------------------------------------------- DML

  protected returningClause(items: readonly ExprNode[], what: "insert" | "update" | "delete"): string {
    if (items.length === 0) return "";
    const caps = this.dialect.capabilities;
    const ok = what === "insert" ? caps.insertReturning : what === "update" ? caps.updateReturning : caps.deleteReturning;
    if (!ok)
      throw new CompileError(`${what.toUpperCase()} ... RETURNING is not supported by the ${this.dialect.name} dialect; select the rows in a second statement`);
    this.resultColumns = items.map((c) =>
      this.resultColumn(c.kind === "column" || c.kind === "label" ? c.name : null, nodeType(c) ?? (NullType as SqlType<unknown>)),
    );
    return ` RETURNING ${this.unqualified(() =>
      items.map((c) => (c.kind === "label" ? `${this.process(c)} AS ${this.dialect.quoteIdentifier(c.name)}` : this.process(c))).join(", "),
    )}`;
  }

  protected visitInsert(n: InsertNode): string {
    const table = n.table as TableObject;
    const given = new Set(n.columns.map((c) => c.name));
    // Client-side defaults of columns the statement leaves out are computed per execution.
    // INSERT ... SELECT takes them as extra SELECT columns (a plain SELECT only; a UNION source gets none).
    const defaults = n.select && n.select.kind !== "select" ? [] : table.columns.filter((c) => c.default !== undefined && !given.has(c.name));
    const names = [...n.columns.map((c) => c.name), ...defaults.map((c) => c.name)];
    const colNames = names.map((c) => this.dialect.quoteIdentifier(c));
    let sql = `INSERT INTO ${this.tableName(table)}`;
    if (n.select) {
      this.extraSelectColumns = defaults.map((col) => this.addParam(defaultParam(col, false, this.dialect)));
      sql += ` (${colNames.join(", ")}) ${this.compileNested(n.select, false)}`;
    } else if (colNames.length === 0) {
      sql += this.defaultValues();
    } else {
      const rows = n.rows ?? [[]];
      const values = rows.map((row) => {
        const items = row.map((v) => this.process(v));
        for (const col of defaults) items.push(this.addParam(defaultParam(col, false, this.dialect)));
        if (rows.length === 1) this.noteInsertedKey(table, names, items);
        return `(${items.join(", ")})`;
      });
      sql += ` (${colNames.join(", ")}) VALUES ${values.join(", ")}`;
    }
    if (n.onConflict) sql += this.process(n.onConflict);
    sql += this.returningClause(n.returning, "insert");
    const pk = table.primaryKeyColumns;
    if (pk.length === 1 && pk[0].autoincrement && !given.has(pk[0].name) && (n.rows?.length ?? 1) === 1 && !n.select) this.autoincrementColumn = pk[0];
    if (colNames.length === 0) this.noteInsertedKey(table, [], []);
    return sql;
  }

  /** Records where a single-row INSERT's primary key values come from (for `result.insertedPrimaryKey`). */
  private noteInsertedKey(table: TableObject, names: readonly string[], items: readonly string[]): void {
    const columns = table.primaryKeyColumns;
    if (columns.length === 0) return;
    const refs = columns.map((col): ParamRef | "auto" | null => {
      const i = names.indexOf(col.name);
      if (i < 0) return columns.length === 1 && col.autoincrement ? "auto" : null;
      const m = markerIndex(items[i]);
      return m === null ? null : this.paramRefs[m];
    });
    this.insertedKeyRefs = { columns, refs };
  }

  /** An INSERT with no columns at all. */
  protected defaultValues(): string {
    return " DEFAULT VALUES";
  }

  /** `ON CONFLICT ... DO NOTHING | DO UPDATE SET ...` (PostgreSQL, SQLite); dialects with another syntax override. */
  protected visitOnConflict(n: OnConflictNode): string {
    if (n.style !== "on-conflict" || this.dialect.capabilities.upsert !== "on-conflict")
      throw new CompileError(`upserts (${n.style}) are not supported by the ${this.dialect.name} dialect`);
    return this.unqualified(() => {
      let sql = " ON CONFLICT";
      if (n.constraint) sql += ` ON CONSTRAINT ${this.dialect.quoteIdentifier(n.constraint)}`;
      else if (n.target.length) sql += ` (${n.target.map((t) => this.process(t)).join(", ")})`;
      if (n.targetWhere) sql += ` WHERE ${this.process(n.targetWhere)}`;
      if (n.set === null) return `${sql} DO NOTHING`;
      sql += ` DO UPDATE SET ${n.set.map(([c, v]) => `${this.process(c)} = ${this.process(v)}`).join(", ")}`;
      if (n.where) sql += ` WHERE ${this.process(n.where)}`;
      return sql;
    });
  }

  protected visitUpdate(n: UpdateNode): string {
    if (n.set.length === 0) throw new CompileError(`update(${n.table.name}) has no values: call .values({...})`);
    const table = (n.table.kind === "table" ? n.table : n.table.element) as TableObject;
    const setNames = new Set(n.set.map(([c]) => c.name));
    const onUpdates = table.columns.filter((c) => c.onUpdate !== undefined && !setNames.has(c.name));
    // Subqueries in SET and WHERE correlate to the updated table (`SET x = (SELECT ... WHERE a.id = t.id)`).
    return this.inFrame(n.table, () => {
      const sets = n.set.map(([c, v]) => `${this.unqualified(() => this.process(c))} = ${this.process(v)}`);
      for (const col of onUpdates) sets.push(`${this.dialect.quoteIdentifier(col.name)} = ${this.addParam(defaultParam(col, true, this.dialect))}`);
      let sql = `UPDATE ${this.process(n.table)} SET ${sets.join(", ")}`;
      if (n.where) sql += ` WHERE ${this.process(n.where)}`;
      return sql + this.returningClause(n.returning, "update");
    });
  }

  protected visitDelete(n: DeleteNode): string {
    return this.inFrame(n.table, () => {
      let sql = `DELETE FROM ${this.process(n.table)}`;
      if (n.where) sql += ` WHERE ${this.process(n.where)}`;
      return sql + this.returningClause(n.returning, "delete");
    });
  }

  /** Runs `fn` with `from` as an enclosing FROM, so nested SELECTs correlate to it. */
  protected inFrame<T>(from: FromNode, fn: () => T): T {
    this.frames.push({ froms: new Set([from]) });
    try {
      return fn();
    } finally {
      this.frames.pop();
    }
  }
}
