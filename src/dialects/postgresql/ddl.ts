/**
 * PostgreSQL DDL.
 *
 * - An autoincrementing integer primary key is `SERIAL` / `BIGSERIAL` / `SMALLSERIAL` (SQLAlchemy's default on
 *   PostgreSQL; the sequence is owned by the column and dropped with the table). IDENTITY columns are reflected as
 *   autoincrement too.
 * - A native Enum is a type of its own, `CREATE TYPE name AS ENUM (...)`, created before the first table that uses
 *   it (skipped when it exists, so tables can share it) and dropped after the last table that used it. Its name is
 *   `Enum(values, { name })`, else `<table>_<column>_enum`; it lives in the session's current schema, like
 *   SQLAlchemy's. `Enum(values, { native: false })` is a VARCHAR with a CHECK constraint instead.
 * - Table and column comments are `COMMENT ON` statements after CREATE TABLE.
 */

import { DdlCompiler } from "../../sql/compiler/ddl-compiler.js";
import type { Column } from "../../sql/schema/column.js";
import type { TableObject } from "../../sql/schema/table.js";
import type { SqlType } from "../../sql/types/sql-type.js";
import { String as StringType } from "../../sql/types/standard.js";
import { ArgumentError } from "../../util/errors.js";
import { generatedEnumName, nativeEnumOf } from "./types.js";

const SERIAL: Readonly<Record<string, string>> = { integer: "SERIAL", biginteger: "BIGSERIAL", smallinteger: "SMALLSERIAL" };

/** Dollar-quote tag of the DO blocks that create and drop enum types. */
const TAG = "$crucible$";

/**
 * The DDL compiler of the PostgreSQL dialect.
 *
 * ```ts
 * new PostgresDialect().createDdlCompiler().createTable(users);
 * // ["CREATE TABLE users (\n\tid SERIAL NOT NULL, ...)", "COMMENT ON TABLE users IS '...'"]
 * ```
 */
export class PostgresDdlCompiler extends DdlCompiler {
  /** The quoted name of the native enum type of a column (its Enum's name, or the generated one), e.g. `post_status_enum`. */
  enumTypeName(table: TableObject, col: Column<unknown>, enumType: SqlType<unknown>): string {
    return this.q(enumType.options.enumName ?? generatedEnumName(table.name, col.name));
  }

  protected override columnType(table: TableObject, col: Column<unknown>): string {
    const pk = table.primaryKeyColumns;
    if (pk.length === 1 && pk[0] === col && col.autoincrement && col.serverDefault === undefined) {
      const serial = SERIAL[col.type.kind];
      if (serial) return serial;
    }
    const enumType = nativeEnumOf(col.type);
    if (enumType && !enumType.options.enumName) return this.enumTypeName(table, col, enumType) + (col.type.kind === "array" ? "[]" : "");
    return super.columnType(table, col);
  }

  /** The native enum types a table's columns use, by quoted name, with their values. */
  private enumTypes(table: TableObject): Map<string, readonly string[]> {
    const out = new Map<string, readonly string[]>();
    for (const col of table.columns) {
      const e = nativeEnumOf(col.type);
      if (e) out.set(this.enumTypeName(table, col, e), e.options.values ?? []);
    }
    return out;
  }

  protected override preCreate(table: TableObject): string[] {
    const text = StringType as SqlType<unknown>;
    return [...this.enumTypes(table)].map(([name, values]) => {
      if (values.some((v) => v.includes(TAG))) throw new ArgumentError(`enum ${name}: a value may not contain ${TAG}`);
      const labels = values.map((v) => this.dialect.renderLiteral(v, text)).join(", ");
      return `DO ${TAG} BEGIN CREATE TYPE ${name} AS ENUM (${labels}); EXCEPTION WHEN duplicate_object THEN NULL; END ${TAG}`;
    });
  }

  protected override postCreate(table: TableObject): string[] {
    const text = StringType as SqlType<unknown>;
    const out: string[] = [];
    const name = this.tableName(table);
    if (table.comment !== undefined) out.push(`COMMENT ON TABLE ${name} IS ${this.dialect.renderLiteral(table.comment, text)}`);
    for (const col of table.columns)
      if (col.comment !== undefined) out.push(`COMMENT ON COLUMN ${name}.${this.q(col.name)} IS ${this.dialect.renderLiteral(col.comment, text)}`);
    return out;
  }

  /** Drops the table's enum types unless another table still uses them. */
  protected override postDrop(table: TableObject): string[] {
    return [...this.enumTypes(table).keys()].map(
      (name) => `DO ${TAG} BEGIN DROP TYPE IF EXISTS ${name}; EXCEPTION WHEN dependent_objects_still_exist THEN NULL; END ${TAG}`,
    );
  }
}
