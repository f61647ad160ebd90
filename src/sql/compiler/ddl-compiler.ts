/**
 * The DDL compiler: CREATE/DROP TABLE and INDEX for a dialect. Dialects override the column specification details
 * (autoincrement, enum types, comments). Values in DDL are rendered as literals: DDL takes no parameters.
 */
import { ArgumentError, CompileError } from "../../util/errors.js";
import { ColumnElement } from "../ast/expression.js";
import type { ExprNode } from "../ast/nodes.js";
import type { Column } from "../schema/column.js";
import type { CheckConstraint, ForeignKeyConstraint, Index, TableConstraint, UniqueConstraint } from "../schema/constraints.js";
import { referredColumnOf, referredTableOf } from "../schema/constraints.js";
import type { TableObject } from "../schema/table.js";
import type { CompilerDialect } from "./compiler-dialect.js";
import type { SqlCompiler } from "./sql-compiler.js";

/** Makes a literal-rendering, unqualified SQL compiler for expressions inside DDL. */
export type ExpressionCompilerFactory = () => SqlCompiler;

/**
 * The DDL compiler: CREATE/DROP TABLE and INDEX statements for a dialect (`dialect.createDdlCompiler()`).
 * `metadata.createAll(engine)` uses it; call it directly to see the DDL without running it.
 *
 * ```ts
 * for (const sql of engine.dialect.createDdlCompiler().createTable(users)) console.log(sql);
 * // CREATE TABLE user_account (\n\tid INTEGER NOT NULL, ...
 * ```
 */
export class DdlCompiler {
  constructor(
    readonly dialect: CompilerDialect,
    protected readonly expressions: ExpressionCompilerFactory,
  ) {}

  protected q(name: string): string {
    return this.dialect.quoteIdentifier(name);
  }

  /** `schema.table` or `table`, quoted as needed. */
  tableName(table: { readonly name: string; readonly schema: string | null }): string {
    return table.schema ? `${this.q(table.schema)}.${this.q(table.name)}` : this.q(table.name);
  }

  /** Renders an expression with literal values and bare column names. */
  expression(node: ExprNode): string {
    return this.expressions().compileExpression(node);
  }

  /**
   * All statements that create a table: types it needs, the table, then its indexes. Foreign keys in
   * `skipForeignKeys` are left out, to be added by `addForeignKey()` once the table they refer to exists (tables that
   * refer to each other).
   */
  createTable(table: TableObject, options: { ifNotExists?: boolean; skipForeignKeys?: ReadonlySet<ForeignKeyConstraint> } = {}): string[] {
    const lines = table.columns.map((c) => this.columnSpec(table, c));
    const pk = this.primaryKeyClause(table);
    if (pk) lines.push(pk);
    // A column both unique and indexed gets one unique index (see allIndexes), not also a constraint.
    for (const col of table.columns)
      if (col.unique && !col.index) lines.push(this.uniqueClause(table, { kind: "unique-constraint", columns: [col.key], name: undefined }));
    for (const u of table.uniqueConstraints) lines.push(this.uniqueClause(table, u));
    for (const fk of table.foreignKeys) if (!options.skipForeignKeys?.has(fk)) lines.push(this.foreignKeyClause(table, fk));
    for (const ck of table.checkConstraints) lines.push(this.checkClause(table, ck));
    lines.push(...this.enumChecks(table));
    const create = `CREATE TABLE ${options.ifNotExists ? "IF NOT EXISTS " : ""}${this.tableName(table)} (\n\t${lines.join(",\n\t")}\n)${this.tableSuffix(table)}`;
    return [...this.preCreate(table), create, ...this.postCreate(table), ...this.allIndexes(table).map((ix) => this.createIndex(table, ix))];
  }

  /** `ALTER TABLE t ADD FOREIGN KEY ...`: a foreign key created after the table (see `createTable`'s `skipForeignKeys`). */
  addForeignKey(table: TableObject, fk: ForeignKeyConstraint): string {
    return `ALTER TABLE ${this.tableName(table)} ADD ${this.foreignKeyClause(table, fk)}`;
  }

  /** `ALTER TABLE t DROP CONSTRAINT name` for a foreign key (MySQL: `DROP FOREIGN KEY`). */
  dropForeignKey(table: TableObject, name: string): string {
    return `ALTER TABLE ${this.tableName(table)} DROP CONSTRAINT ${this.q(name)}`;
  }

  /** Statements that drop a table (and types only it used). */
  dropTable(table: TableObject, options: { ifExists?: boolean } = {}): string[] {
    return [`DROP TABLE ${options.ifExists ? "IF EXISTS " : ""}${this.tableName(table)}`, ...this.postDrop(table)];
  }

  /** Column-level `index: true` columns as Index objects, plus the table's indexes. */
  allIndexes(table: TableObject): Index[] {
    const implicit: Index[] = table.columns
      .filter((c) => c.index)
      .map((c) => ({ kind: "index", name: undefined, elements: [c.key], unique: c.unique, where: null }));
    return [...implicit, ...table.indexes];
  }

  createIndex(table: TableObject, index: Index, options: { ifNotExists?: boolean } = {}): string {
    const name = table.metadata.constraintName(table, index);
    if (!name) throw new CompileError(`an index on ${table.name} has no name and the naming convention gives none; pass a name to Index()`);
    const elements = index.elements.map((e) => (typeof e === "string" ? this.q(table.column(e).name) : this.indexElement(e)));
    let sql = `CREATE ${index.unique ? "UNIQUE " : ""}INDEX ${options.ifNotExists ? "IF NOT EXISTS " : ""}${this.q(name)} ON ${this.tableName(table)} (${elements.join(", ")})`;
    if (index.where) sql += ` WHERE ${this.expression(index.where)}`;
    return sql;
  }

  protected indexElement(e: ColumnElement<unknown>): string {
    return e.node.kind === "column" ? this.q(e.node.name) : `(${this.expression(e.node)})`;
  }

  dropIndex(table: TableObject, name: string, options: { ifExists?: boolean } = {}): string {
    const qualified = table.schema ? `${this.q(table.schema)}.${this.q(name)}` : this.q(name);
    return `DROP INDEX ${options.ifExists ? "IF EXISTS " : ""}${qualified}`;
  }

  /** `name TYPE [NOT NULL] [DEFAULT ...]` */
  columnSpec(table: TableObject, col: Column<unknown>): string {
    let sql = `${this.q(col.name)} ${this.columnType(table, col)}`;
    const def = this.serverDefault(col);
    if (def !== null) sql += ` DEFAULT ${def}`;
    if (!col.nullable) sql += " NOT NULL";
    return sql + this.columnSuffix(table, col);
  }

  /** The column's type in DDL (dialects override for autoincrement keys: SERIAL, INTEGER rowid, AUTO_INCREMENT). */
  protected columnType(_table: TableObject, col: Column<unknown>): string {
    return this.dialect.typeImpl(col.type).ddl;
  }

  /** Anything after NOT NULL (AUTO_INCREMENT, COMMENT, ...). */
  protected columnSuffix(_table: TableObject, _col: Column<unknown>): string {
    return "";
  }

  serverDefault(col: Column<unknown>): string | null {
    const d = col.serverDefault;
    if (d === undefined) return null;
    if (typeof d === "string") return d;
    if (d instanceof ColumnElement) {
      const sql = this.expression(d.node);
      return d.node.kind === "function" || d.node.kind === "text" || d.node.kind === "bind" ? sql : `(${sql})`;
    }
    throw new CompileError(`column ${col.name}: serverDefault must be SQL text or an expression`);
  }

  /** `CONSTRAINT name ` before a constraint clause: the constraint's own name or its naming-convention name, if any. */
  protected constraintPrefix(table: TableObject, con: TableConstraint): string {
    const name = table.metadata.constraintName(table, con);
    return name ? `CONSTRAINT ${this.q(name)} ` : "";
  }

  protected primaryKeyClause(table: TableObject): string | null {
    const cols = table.primaryKeyColumns;
    if (cols.length === 0) return null;
    return `${this.constraintPrefix(table, table.primaryKey)}PRIMARY KEY (${cols.map((c) => this.q(c.name)).join(", ")})`;
  }

  uniqueClause(table: TableObject, u: UniqueConstraint): string {
    return `${this.constraintPrefix(table, u)}UNIQUE (${u.columns.map((k) => this.q(table.column(k).name)).join(", ")})`;
  }

  foreignKeyClause(table: TableObject, fk: ForeignKeyConstraint): string {
    // A referred table of the same MetaData must have the referred columns (one elsewhere is the database's business).
    const referred = table.referredTable(fk);
    const refNames = fk.refColumns.map((r) => {
      const col = referredColumnOf(r);
      if (referred === null) return col;
      const found = referred.columns.find((c) => c.name === col || c.key === col);
      if (!found)
        throw new ArgumentError(
          `the foreign key of ${table.name}(${fk.columns.join(", ")}) refers to ${r}, but table "${referred.name}" has no column "${col}"; its columns are ${referred.columns.map((c) => c.name).join(", ")}`,
        );
      return found.name;
    });
    const refTable = referredTableOf(fk.refColumns[0]);
    const dot = refTable.lastIndexOf(".");
    const target = dot >= 0 ? { schema: refTable.slice(0, dot), name: refTable.slice(dot + 1) } : { schema: null, name: refTable };
    let sql = `${this.constraintPrefix(table, fk)}FOREIGN KEY(${fk.columns.map((k) => this.q(table.column(k).name)).join(", ")}) REFERENCES ${this.tableName(target)} (${refNames.map((n) => this.q(n)).join(", ")})`;
    if (fk.options.onDelete) sql += ` ON DELETE ${fk.options.onDelete}`;
    if (fk.options.onUpdate) sql += ` ON UPDATE ${fk.options.onUpdate}`;
    return sql;
  }

  checkClause(table: TableObject, ck: CheckConstraint): string {
    return `${this.constraintPrefix(table, ck)}CHECK (${this.expression(ck.expression)})`;
  }

  /**
   * CHECK constraints that stand in for ENUM types: every enum column where the dialect has no native enums, else
   * only the enums declared `Enum(values, { native: false })`.
   */
  protected enumChecks(table: TableObject): string[] {
    const allChecked = !this.dialect.capabilities.nativeEnum;
    return table.columns
      .filter((c) => c.type.kind === "enum" && (allChecked || c.type.options.nativeEnum === false))
      .map((c) => {
        const values = (c.type.options.values ?? []).map((v) => this.dialect.renderLiteral(v, c.type)).join(", ");
        // Only a named enum gets a constraint name (its own, or the naming convention's `ck`).
        const prefix = c.type.options.enumName
          ? this.constraintPrefix(table, { kind: "check-constraint", expression: { kind: "null" }, name: c.type.options.enumName })
          : "";
        return `${prefix}CHECK (${this.q(c.name)} IN (${values}))`;
      });
  }

  /** Statements before CREATE TABLE (PostgreSQL: CREATE TYPE for enums). */
  protected preCreate(_table: TableObject): string[] {
    return [];
  }
  /** Statements after CREATE TABLE (PostgreSQL: COMMENT ON). */
  protected postCreate(_table: TableObject): string[] {
    return [];
  }
  /** Statements after DROP TABLE (PostgreSQL: DROP TYPE for enums). */
  protected postDrop(_table: TableObject): string[] {
    return [];
  }
  /** After the closing parenthesis (MySQL: ENGINE=InnoDB DEFAULT CHARSET=utf8mb4). */
  protected tableSuffix(_table: TableObject): string {
    return "";
  }
}
