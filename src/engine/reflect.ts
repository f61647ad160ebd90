/**
 * Reflection: turns what a dialect's introspector reads into Table objects in a MetaData.
 */
import { type Introspector, type QueryRunner, type ReflectedTable, reflectTable } from "../dialects/base/introspector.js";
import { literalColumn } from "../sql/ast/text.js";
import { type ColumnDef, column } from "../sql/schema/column.js";
import { CheckConstraint, ForeignKeyConstraint, Index, PrimaryKeyConstraint, type ReferentialAction, UniqueConstraint } from "../sql/schema/constraints.js";
import type { MetaData, ReflectOptions } from "../sql/schema/metadata.js";
import { Table, type TableArg, type TableObject } from "../sql/schema/table.js";

/** Builds a Table from reflected information (replacing a table of the same name in the MetaData). */
export function tableFromReflection(metadata: MetaData, r: ReflectedTable): TableObject {
  const existing = metadata.tables.get(r.schema ? `${r.schema}.${r.name}` : r.name);
  if (existing) metadata.remove(existing);
  const pkCols = new Set(r.primaryKey.columns);
  const defs: Record<string, ColumnDef<unknown>> = {};
  for (const c of r.columns) {
    defs[c.name] = column(c.type, {
      nullable: pkCols.has(c.name) ? undefined : c.nullable,
      serverDefault: c.default ?? undefined,
      autoincrement: pkCols.has(c.name) ? c.autoincrement : undefined,
      comment: c.comment ?? undefined,
    }) as ColumnDef<unknown>;
  }
  const args: TableArg[] = [];
  if (r.schema) args.push({ schema: r.schema });
  if (r.comment) args.push({ comment: r.comment });
  if (r.primaryKey.columns.length) args.push(PrimaryKeyConstraint(...r.primaryKey.columns, r.primaryKey.name ? { name: r.primaryKey.name } : {}));
  for (const fk of r.foreignKeys) {
    const target = fk.referredSchema ? `${fk.referredSchema}.${fk.referredTable}` : fk.referredTable;
    args.push(
      ForeignKeyConstraint(
        fk.columns,
        fk.referredColumns.map((c) => `${target}.${c}`),
        {
          name: fk.name ?? undefined,
          onDelete: (fk.onDelete ?? undefined) as ReferentialAction | undefined,
          onUpdate: (fk.onUpdate ?? undefined) as ReferentialAction | undefined,
        },
      ),
    );
  }
  for (const u of r.uniqueConstraints) args.push(UniqueConstraint(...u.columns, u.name ? { name: u.name } : {}));
  for (const ck of r.checkConstraints) args.push(CheckConstraint(ck.sqltext, ck.name ? { name: ck.name } : {}));
  for (const ix of r.indexes) {
    const elements = ix.columns.map((c, i) => c ?? literalColumn(ix.expressions[i] ?? ""));
    args.push(Index(ix.name, ...elements, { unique: ix.unique, where: ix.where ?? undefined }));
  }
  return Table(r.name, metadata, defs, ...args);
}

/** Reads the selected tables and adds them to the MetaData, referenced tables first. */
export async function reflectInto(metadata: MetaData, introspector: Introspector, q: QueryRunner, options: ReflectOptions): Promise<TableObject[]> {
  const schema = options.schema ?? null;
  const names = options.only ?? (await introspector.getTableNames(q, schema));
  const reflected: ReflectedTable[] = [];
  for (const name of names) reflected.push(await reflectTable(introspector, q, name, schema));
  return reflected.map((r) => tableFromReflection(metadata, r));
}
