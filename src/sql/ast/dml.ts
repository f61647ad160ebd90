/**
 * insert(), update(), delete(): immutable DML builders.
 */
import { ArgumentError } from "../../util/errors.js";
import type { Column, ColumnDef } from "../schema/column.js";
import type { ColumnDefs, TableObject } from "../schema/table.js";
import type { SqlType } from "../types/sql-type.js";
import { andCriteria } from "./boolean.js";
import { ENTITY, type EntityLike, isEntityLike } from "./entity.js";
import { ColumnElement, renderHook, toNode } from "./expression.js";
import type { ColumnRefNode, DeleteNode, ExcludedNode, ExprNode, InsertNode, OnConflictNode, SelectableNode, UpdateNode } from "./nodes.js";
import type { Condition, RowNames, RowTuple } from "./select.js";

type ValueOrExpr<T> = T | ColumnElement<T> | ColumnElement<NonNullable<T>>;
type RequiredKeys<C extends ColumnDefs> = { [K in keyof C]: C[K] extends ColumnDef<any, false> ? K : never }[keyof C];
/**
 * The values of one INSERT row: required columns must be given; all values may be expressions.
 *
 * ```ts
 * const columns = { id: column(Integer, { primaryKey: true }), name: column(Varchar(30), { nullable: false }) };
 * const row: InsertValues<typeof columns> = { name: "sandy" }; // id may be left out, name may not
 * ```
 */
export type InsertValues<C extends ColumnDefs> = {
  [K in keyof C as K extends RequiredKeys<C> ? K : never]: ValueOrExpr<C[K] extends ColumnDef<infer T, any> ? T : never>;
} & {
  [K in keyof C as K extends RequiredKeys<C> ? never : K]?: ValueOrExpr<C[K] extends ColumnDef<infer T, any> ? T : never>;
};
/**
 * The values of an UPDATE: any subset of the columns, as values or expressions.
 *
 * ```ts
 * update(users).values({ fullname: users.c.name.concat("!") });
 * ```
 */
export type UpdateValues<C extends ColumnDefs> = {
  [K in keyof C]?: ValueOrExpr<C[K] extends ColumnDef<infer T, any> ? T : never>;
};

/** A table, or a mapped class (whose table is used). */
export type DmlTarget<C extends ColumnDefs> = TableObject<C> | EntityLike;

function tableOf<C extends ColumnDefs>(target: DmlTarget<C>): TableObject<C> {
  if (isEntityLike(target)) {
    const from = target[ENTITY].from as unknown as TableObject<C>;
    if (from.node.kind !== "table")
      throw new ArgumentError(`insert/update/delete cannot write through an alias (${target[ENTITY].name}): pass the mapped class or its Table`);
    return from;
  }
  if (!target || (target as TableObject<C>).kind !== "table")
    throw new ArgumentError(`insert/update/delete need a Table or a mapped class, got ${String(target)}`);
  return target;
}

function valuesRow(table: TableObject, row: Record<string, unknown>, where: string): Map<Column<unknown>, ExprNode> {
  const out = new Map<Column<unknown>, ExprNode>();
  if (row === null || typeof row !== "object" || Array.isArray(row))
    throw new ArgumentError(`${where}: values must be an object of column keys to values, got ${JSON.stringify(row)}`);
  for (const [key, value] of Object.entries(row)) {
    if (value === undefined) continue;
    const col = table.column(key);
    out.set(col, toNode(value, col.type as SqlType<unknown>));
  }
  return out;
}

function returningNodes(items: readonly ColumnElement<any, any>[]): ExprNode[] {
  return items.map((i) => i.node);
}

/**
 * An INSERT statement. `T`/`N` type the RETURNING rows.
 *
 * ```ts
 * await conn.execute(insert(userTable).values({ name: "spongebob", fullname: "Spongebob Squarepants" }));
 * await conn.execute(insert(userTable).values([{ name: "sandy" }, { name: "patrick" }]).returning(userTable.c.id));
 * ```
 */
export class Insert<C extends ColumnDefs = ColumnDefs, T extends readonly unknown[] = [], N = {}> {
  declare readonly __row?: T;
  declare readonly __names?: N;
  constructor(
    readonly node: InsertNode,
    readonly table: TableObject<C>,
  ) {}
  protected with(changes: Partial<InsertNode>): this {
    const Ctor = this.constructor as new (node: InsertNode, table: TableObject<C>) => this;
    return new Ctor(Object.freeze({ ...this.node, ...changes }), this.table);
  }
  /** One row (an object) or several (an array of objects with the same keys). */
  values(rows: InsertValues<C> | readonly InsertValues<C>[]): this {
    const list = (Array.isArray(rows) ? rows : [rows]) as Record<string, unknown>[];
    if (list.length === 0) throw new ArgumentError(`insert(${this.table.name}).values([]): give at least one row`);
    const maps = list.map((r, i) => valuesRow(this.table, r, `insert(${this.table.name}).values() row ${i}`));
    const columns = [...maps[0].keys()];
    maps.forEach((m, i) => {
      if (m.size !== columns.length || columns.some((c) => !m.has(c)))
        throw new ArgumentError(
          `insert(${this.table.name}).values(): row ${i} has keys ${[...m.keys()].map((c) => c.key).join(", ")} but row 0 has ${columns.map((c) => c.key).join(", ")}; give every row the same keys`,
        );
    });
    return this.with({
      columns: columns.map((c) => c.node),
      rows: maps.map((m) => columns.map((c) => m.get(c) as ExprNode)),
      select: null,
    });
  }
  /**
   * `INSERT INTO t (cols) SELECT ...`.
   *
   * ```ts
   * insert(archive).fromSelect(["id", "name"], select(users.c.id, users.c.name))
   * ```
   */
  fromSelect(columns: readonly (keyof C & string)[], select: { readonly node: SelectableNode }): this {
    return this.with({ columns: columns.map((k) => this.table.column(k).node), rows: null, select: select.node });
  }
  /** `RETURNING cols` (emulated with the last insert id for single rows where the database cannot). */
  returning<const E extends readonly ColumnElement<any, any>[]>(...items: E): Insert<C, RowTuple<E>, RowNames<E>> {
    return this.with({ returning: [...this.node.returning, ...returningNodes(items)] }) as unknown as Insert<C, RowTuple<E>, RowNames<E>>;
  }
  /** @internal used by dialect subclasses (`crucible/sqlite`, `crucible/postgresql`, `crucible/mysql`). */
  protected withOnConflict(onConflict: OnConflictNode): this {
    return this.with({ onConflict });
  }
  toString(): string {
    return renderHook.render(this.node);
  }
}

/** The row proposed for insertion, in ON CONFLICT DO UPDATE / ON DUPLICATE KEY UPDATE: `stmt.excluded.name`. */
export function excludedColumns<C extends ColumnDefs>(
  table: TableObject<C>,
): { readonly [K in keyof C]: ColumnElement<C[K] extends ColumnDef<infer T, any> ? T : never> } {
  const out: Record<string, ColumnElement<unknown>> = {};
  for (const col of table.columns) {
    const node: ExcludedNode = Object.freeze({ kind: "excluded", name: col.name, type: col.type as SqlType<unknown> });
    out[col.key] = new ColumnElement(node, col.type as SqlType<unknown>);
  }
  return out as never;
}

/** Builds the SET list of an upsert from `{ key: value }`. */
export function setList(table: TableObject, values: Record<string, unknown>): [ColumnRefNode, ExprNode][] {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      const col = table.column(k);
      return [col.node, toNode(v, col.type as SqlType<unknown>)];
    });
}

/**
 * Starts an INSERT into a table or a mapped class's table.
 *
 * ```ts
 * insert(userTable).values({ name: "spongebob", fullname: "Spongebob Squarepants" })
 * ```
 */
export function insert<C extends ColumnDefs>(target: DmlTarget<C>): Insert<C> {
  const table = tableOf(target);
  return new Insert<C>(Object.freeze({ kind: "insert", table, columns: [], rows: null, select: null, returning: [], onConflict: null }), table);
}

/**
 * An UPDATE statement.
 *
 * ```ts
 * update(userTable).where(userTable.c.name.eq("patrick")).values({ fullname: "Patrick the Star" })
 * ```
 */
export class Update<C extends ColumnDefs = ColumnDefs, T extends readonly unknown[] = [], N = {}> {
  declare readonly __row?: T;
  declare readonly __names?: N;
  constructor(
    readonly node: UpdateNode,
    readonly table: TableObject<C>,
  ) {}
  private with(changes: Partial<UpdateNode>): Update<C, T, N> {
    return new Update<C, T, N>(Object.freeze({ ...this.node, ...changes }), this.table);
  }
  /** The SET clause; values may be expressions (`{ fullname: userTable.c.name.concat("!") }`). */
  values(values: UpdateValues<C>): Update<C, T, N> {
    const map = valuesRow(this.table, values as Record<string, unknown>, `update(${this.table.name}).values()`);
    const replaced = new Set([...map.keys()].map((k) => k.node));
    const set = this.node.set.filter(([c]) => !replaced.has(c));
    for (const [col, node] of map) set.push([col.node, node]);
    return this.with({ set });
  }
  where(...conditions: Condition[]): Update<C, T, N> {
    return this.with({ where: andCriteria(this.node.where, conditions) });
  }
  returning<const E extends readonly ColumnElement<any, any>[]>(...items: E): Update<C, RowTuple<E>, RowNames<E>> {
    return this.with({ returning: [...this.node.returning, ...returningNodes(items)] }) as unknown as Update<C, RowTuple<E>, RowNames<E>>;
  }
  toString(): string {
    return renderHook.render(this.node);
  }
}

/**
 * Starts an UPDATE of a table or a mapped class's table.
 *
 * ```ts
 * update(userTable).where(userTable.c.id.eq(5)).values({ name: "x" })
 * ```
 */
export function update<C extends ColumnDefs>(target: DmlTarget<C>): Update<C> {
  const table = tableOf(target);
  return new Update<C>(Object.freeze({ kind: "update", table, set: [], where: null, returning: [] }), table);
}

/**
 * A DELETE statement.
 *
 * ```ts
 * delete_(userTable).where(userTable.c.name.eq("patrick"))
 * ```
 */
export class Delete<C extends ColumnDefs = ColumnDefs, T extends readonly unknown[] = [], N = {}> {
  declare readonly __row?: T;
  declare readonly __names?: N;
  constructor(
    readonly node: DeleteNode,
    readonly table: TableObject<C>,
  ) {}
  private with(changes: Partial<DeleteNode>): Delete<C, T, N> {
    return new Delete<C, T, N>(Object.freeze({ ...this.node, ...changes }), this.table);
  }
  where(...conditions: Condition[]): Delete<C, T, N> {
    return this.with({ where: andCriteria(this.node.where, conditions) });
  }
  returning<const E extends readonly ColumnElement<any, any>[]>(...items: E): Delete<C, RowTuple<E>, RowNames<E>> {
    return this.with({ returning: [...this.node.returning, ...returningNodes(items)] }) as unknown as Delete<C, RowTuple<E>, RowNames<E>>;
  }
  toString(): string {
    return renderHook.render(this.node);
  }
}

/**
 * Starts a DELETE from a table or a mapped class's table (`delete` is a reserved word in JS, hence `delete_`).
 *
 * ```ts
 * delete_(userTable).where(userTable.c.name.eq("patrick"))
 * ```
 */
export function delete_<C extends ColumnDefs>(target: DmlTarget<C>): Delete<C> {
  const table = tableOf(target);
  return new Delete<C>(Object.freeze({ kind: "delete", table, where: null, returning: [] }), table);
}
