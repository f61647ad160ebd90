/**
 * Introspection: what each dialect reads about an existing database (for reflection, createAll's checkFirst and
 * migrations' autogenerate). Results are plain data; `reflect.ts` turns them into Table objects.
 */
import type { SqlType } from "../../sql/types/sql-type.js";

/** Runs a query with positional parameters and returns rows as arrays (the engine provides it). */
export type QueryRunner = (sql: string, params?: readonly unknown[]) => Promise<unknown[][]>;

export interface ReflectedColumn {
  readonly name: string;
  readonly type: SqlType<unknown>;
  /** The type as the database spells it (`character varying(30)`, `int(11)`). */
  readonly rawType: string;
  readonly nullable: boolean;
  /** The server default as SQL text, or null. */
  readonly default: string | null;
  readonly autoincrement: boolean;
  readonly comment: string | null;
}
export interface ReflectedPrimaryKey {
  readonly name: string | null;
  readonly columns: readonly string[];
}
export interface ReflectedForeignKey {
  readonly name: string | null;
  readonly columns: readonly string[];
  readonly referredSchema: string | null;
  readonly referredTable: string;
  readonly referredColumns: readonly string[];
  readonly onDelete: string | null;
  readonly onUpdate: string | null;
}
export interface ReflectedIndex {
  readonly name: string;
  /** Column names; null where the element is an expression (see `expressions`). */
  readonly columns: readonly (string | null)[];
  readonly expressions: readonly (string | null)[];
  readonly unique: boolean;
  /** Partial index predicate as SQL text. */
  readonly where: string | null;
}
export interface ReflectedUnique {
  readonly name: string | null;
  readonly columns: readonly string[];
}
export interface ReflectedCheck {
  readonly name: string | null;
  readonly sqltext: string;
}

/** Everything reflection reads about one table. */
export interface ReflectedTable {
  readonly name: string;
  readonly schema: string | null;
  readonly columns: readonly ReflectedColumn[];
  readonly primaryKey: ReflectedPrimaryKey;
  readonly foreignKeys: readonly ReflectedForeignKey[];
  readonly indexes: readonly ReflectedIndex[];
  readonly uniqueConstraints: readonly ReflectedUnique[];
  readonly checkConstraints: readonly ReflectedCheck[];
  readonly comment: string | null;
}

/** A dialect's reader of schema information. */
export interface Introspector {
  getTableNames(q: QueryRunner, schema?: string | null): Promise<string[]>;
  hasTable(q: QueryRunner, table: string, schema?: string | null): Promise<boolean>;
  getColumns(q: QueryRunner, table: string, schema?: string | null): Promise<ReflectedColumn[]>;
  getPrimaryKey(q: QueryRunner, table: string, schema?: string | null): Promise<ReflectedPrimaryKey>;
  getForeignKeys(q: QueryRunner, table: string, schema?: string | null): Promise<ReflectedForeignKey[]>;
  getIndexes(q: QueryRunner, table: string, schema?: string | null): Promise<ReflectedIndex[]>;
  getUniqueConstraints(q: QueryRunner, table: string, schema?: string | null): Promise<ReflectedUnique[]>;
  getCheckConstraints(q: QueryRunner, table: string, schema?: string | null): Promise<ReflectedCheck[]>;
  getTableComment(q: QueryRunner, table: string, schema?: string | null): Promise<string | null>;
}

/** Reads one table completely. */
export async function reflectTable(i: Introspector, q: QueryRunner, name: string, schema: string | null): Promise<ReflectedTable> {
  return {
    name,
    schema,
    columns: await i.getColumns(q, name, schema),
    primaryKey: await i.getPrimaryKey(q, name, schema),
    foreignKeys: await i.getForeignKeys(q, name, schema),
    indexes: await i.getIndexes(q, name, schema),
    uniqueConstraints: await i.getUniqueConstraints(q, name, schema),
    checkConstraints: await i.getCheckConstraints(q, name, schema),
    comment: await i.getTableComment(q, name, schema),
  };
}
