/**
 * MySQL/MariaDB DDL: `AUTO_INCREMENT` keys, `ENGINE=InnoDB DEFAULT CHARSET=utf8mb4` tables, inline `COMMENT`s,
 * `DROP INDEX ix ON t`, and the rule for a `String` without a length:
 *
 * - in a key — primary key, unique constraint, index or foreign key — it is `VARCHAR(255)` (MySQL indexes a TEXT
 *   column only by a prefix, which would make a unique key on it unsound);
 * - everywhere else it is `TEXT`, so the quickstart's `fullname: column(String)` runs unchanged.
 *
 * `Text`, `LargeBinary` and `JSON` columns cannot be keys on MySQL: the compiler says so and suggests `String(n)`.
 */
import { DdlCompiler } from "../../sql/compiler/ddl-compiler.js";
import type { Column } from "../../sql/schema/column.js";
import type { Index } from "../../sql/schema/constraints.js";
import type { TableObject } from "../../sql/schema/table.js";
import type { SqlType } from "../../sql/types/sql-type.js";
import { String as StringType } from "../../sql/types/standard.js";
import { CompileError } from "../../util/errors.js";
import type { MysqlCompilerDialect } from "./compiler.js";
import { serverLabel } from "./server-info.js";

/**
 * The length a `String` without one gets in keys and indexes (255 × 4 bytes fits InnoDB's 3072-byte key limit).
 *
 * ```ts
 * column(String, { unique: true }); // VARCHAR(255) on MySQL
 * ```
 */
export const KEY_VARCHAR_LENGTH = 255;

const UNINDEXABLE = new Set(["text", "binary", "json"]);

/** The type a custom type is stored as, or the type itself. */
function storedType(type: SqlType<unknown>): SqlType<unknown> {
  return type.kind === "custom" && type.options.impl ? storedType(type.options.impl) : type;
}

/**
 * CREATE/DROP TABLE and INDEX for MySQL/MariaDB.
 *
 * ```ts
 * dialect.createDdlCompiler().createTable(users); // ["CREATE TABLE users (...) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"]
 * ```
 */
export class MysqlDdlCompiler extends DdlCompiler {
  declare readonly dialect: MysqlCompilerDialect;

  /** Columns of the table that are part of a primary key, unique constraint, index or foreign key. */
  keyColumns(table: TableObject): Set<Column<unknown>> {
    const keyed = new Set<Column<unknown>>(table.primaryKeyColumns);
    for (const c of table.columns) if (c.unique || c.index || c.foreignKey) keyed.add(c);
    for (const u of table.uniqueConstraints) for (const k of u.columns) keyed.add(table.column(k));
    for (const fk of table.foreignKeys) for (const k of fk.columns) keyed.add(table.column(k));
    for (const ix of table.indexes)
      for (const e of ix.elements) {
        if (typeof e === "string") keyed.add(table.column(e));
        else if (e.node.kind === "column") keyed.add(table.column(e.node.name));
      }
    return keyed;
  }

  protected override columnType(table: TableObject, col: Column<unknown>): string {
    const stored = storedType(col.type as SqlType<unknown>);
    if (this.keyColumns(table).has(col)) {
      if (UNINDEXABLE.has(stored.kind))
        throw new CompileError(
          `column ${table.name}.${col.name} is a ${stored.kind === "binary" ? "LargeBinary" : stored.kind === "json" ? "JSON" : "Text"} column in a key or index, which MySQL/MariaDB cannot index whole; declare it String(n) (VARCHAR) instead`,
        );
      if (stored.kind === "string" && !stored.options.length && !col.type.options.sqlName)
        return this.dialect.typeImpl(StringType(KEY_VARCHAR_LENGTH) as SqlType<unknown>).ddl;
    }
    return super.columnType(table, col);
  }

  protected override columnSuffix(table: TableObject, col: Column<unknown>): string {
    let sql = "";
    const pk = table.primaryKeyColumns;
    if (pk.length === 1 && pk[0] === col && col.autoincrement) sql += " AUTO_INCREMENT";
    if (col.comment) sql += ` COMMENT ${this.dialect.renderLiteral(col.comment, StringType as SqlType<unknown>)}`;
    return sql;
  }

  protected override tableSuffix(table: TableObject): string {
    const comment = table.comment ? ` COMMENT=${this.dialect.renderLiteral(table.comment, StringType as SqlType<unknown>)}` : "";
    return ` ENGINE=InnoDB DEFAULT CHARSET=utf8mb4${comment}`;
  }

  override createIndex(table: TableObject, index: Index, options: { ifNotExists?: boolean } = {}): string {
    if (index.where)
      throw new CompileError(`index ${index.name ? `${index.name} ` : ""}on ${table.name}: MySQL/MariaDB have no partial indexes; drop the where option`);
    if (!this.dialect.features.functionalIndexes && index.elements.some((e) => typeof e !== "string" && e.node.kind !== "column"))
      throw new CompileError(
        `index ${index.name ? `${index.name} ` : ""}on ${table.name} has an expression, which ${serverLabel(this.dialect.server)} cannot index; add a generated column and index that`,
      );
    if (options.ifNotExists && !this.dialect.features.indexIfExists)
      throw new CompileError(
        `${serverLabel(this.dialect.server)} has no CREATE INDEX IF NOT EXISTS; look the index up first (inspect(engine).getIndexes("${table.name}"))`,
      );
    return super.createIndex(table, index, options);
  }

  override dropIndex(table: TableObject, name: string, options: { ifExists?: boolean } = {}): string {
    if (options.ifExists && !this.dialect.features.indexIfExists)
      throw new CompileError(
        `${serverLabel(this.dialect.server)} has no DROP INDEX IF EXISTS; look the index up first (inspect(engine).getIndexes("${table.name}"))`,
      );
    return `DROP INDEX ${options.ifExists ? "IF EXISTS " : ""}${this.q(name)} ON ${this.tableName(table)}`;
  }

  /** MySQL spells it `DROP FOREIGN KEY` (its `DROP CONSTRAINT` is newer: MySQL 8.0.19). */
  override dropForeignKey(table: TableObject, name: string): string {
    return `ALTER TABLE ${this.tableName(table)} DROP FOREIGN KEY ${this.q(name)}`;
  }
}
