/**
 * Column definitions (`column(type, ForeignKey?, options)`) and the Column objects a Table makes of them.
 */
import { ArgumentError } from "../../util/errors.js";
import type { ColumnElement } from "../ast/expression.js";
import { ColumnClause, type FromClause } from "../ast/from.js";
import type { FromNode } from "../ast/nodes.js";
import type { SqlType } from "../types/sql-type.js";
import type { ForeignKeySpec } from "./constraints.js";
import type { TableObject } from "./table.js";

/** A value or a function computing it, used for client-side defaults. */
export type DefaultValue<T> = T | (() => T);

/**
 * Options of `column()`.
 *
 * ```ts
 * column(Varchar(30), { nullable: false, unique: true, index: true, comment: "login name" })
 * column(DateTime(), { serverDefault: func.now(), onUpdate: () => new Date() })
 * ```
 */
export interface ColumnOptions {
  readonly primaryKey?: boolean;
  /** Integer primary keys autoincrement by default; `false` turns it off. */
  readonly autoincrement?: boolean;
  /** Defaults to true, except for primary key columns. */
  readonly nullable?: boolean;
  /** Client-side default: a value, or a function called for each INSERT. */
  readonly default?: unknown;
  /** Server-side default: SQL text (`"CURRENT_TIMESTAMP"`, `"'draft'"`) or an expression (`func.now()`). */
  readonly serverDefault?: string | ColumnElement<unknown>;
  /** Client-side value for each UPDATE that does not set this column. */
  readonly onUpdate?: unknown;
  readonly unique?: boolean;
  readonly index?: boolean;
  /** SQL column name; by default the key (Core) or the snake_case of the attribute name (ORM). */
  readonly name?: string;
  readonly comment?: string;
  /** Migrations: the column's previous name, so autogenerate renames it instead of dropping and adding. */
  readonly renamedFrom?: string;
}

declare const valueBrand: unique symbol;
declare const optBrand: unique symbol;

/**
 * A column definition: a type, an optional foreign key and options. `T` is the attribute's TS type, `Opt` says whether
 * it may be left out of an INSERT / a model's init object. `column()` makes them; `Table()` and `Base.model()` read them.
 *
 * ```ts
 * const def = column(Varchar(30), { nullable: false }); // ColumnDef<string, false>: required in an INSERT
 * ```
 */
export class ColumnDef<T, Opt extends boolean = boolean> {
  declare readonly [valueBrand]?: T;
  declare readonly [optBrand]?: Opt;
  readonly kind = "column-def" as const;
  constructor(
    readonly type: SqlType<unknown>,
    readonly foreignKey: ForeignKeySpec | null,
    readonly options: ColumnOptions,
  ) {
    Object.freeze(this);
  }
}

type ColValue<T, O> = O extends { primaryKey: true } ? T : O extends { nullable: false } ? T : T | null;
type InitOptional<O, HasFk extends boolean> = O extends { primaryKey: true; autoincrement: false }
  ? false
  : O extends { primaryKey: true }
    ? true
    : O extends { default: unknown }
      ? true
      : O extends { serverDefault: unknown }
        ? true
        : HasFk extends true
          ? true
          : O extends { nullable: false }
            ? false
            : true;

/**
 * Declares a column: `column(type, options?)` or `column(type, ForeignKey("t.col"), options?)`.
 *
 * ```ts
 * id: column(Integer, { primaryKey: true }),
 * userId: column(Integer, ForeignKey("user_account.id"), { nullable: false }),
 * ```
 */
export function column<T, const O extends ColumnOptions = {}>(type: SqlType<T>, options?: O): ColumnDef<ColValue<T, O>, InitOptional<O, false>>;
export function column<T, const O extends ColumnOptions = {}>(
  type: SqlType<T>,
  foreignKey: ForeignKeySpec,
  options?: O,
): ColumnDef<ColValue<T, O>, InitOptional<O, true>>;
export function column(type: SqlType<unknown>, a?: ForeignKeySpec | ColumnOptions, b?: ColumnOptions): ColumnDef<unknown> {
  if (!type || (typeof type !== "object" && typeof type !== "function"))
    throw new ArgumentError(`column() needs a SQL type as its first argument (Integer, String(30), ...), got ${String(type)}`);
  const fk = a && (a as ForeignKeySpec).kind === "foreign-key" ? (a as ForeignKeySpec) : null;
  const options = (fk ? b : (a as ColumnOptions | undefined)) ?? {};
  return new ColumnDef(type, fk, options);
}

/** The TS value type of a column definition. */
export type DefValue<D> = D extends ColumnDef<infer T, infer _O> ? T : never;

/**
 * A column of a Table: an expression (`users.c.name.eq("x")`) that also carries its schema definition.
 *
 * ```ts
 * const col = users.c.name; // Column<string, "name">
 * col.nullable; col.primaryKey; col.table.name; // false false "user_account"
 * ```
 */
export class Column<T, K extends string = string> extends ColumnClause<T, K> {
  readonly primaryKey: boolean;
  readonly nullable: boolean;
  readonly autoincrement: boolean;
  readonly default: unknown;
  readonly serverDefault: string | ColumnElement<unknown> | undefined;
  readonly onUpdate: unknown;
  readonly unique: boolean;
  readonly index: boolean;
  readonly comment: string | undefined;
  readonly renamedFrom: string | undefined;
  readonly foreignKey: ForeignKeySpec | null;
  constructor(key: K, name: string, def: ColumnDef<T>, table: FromNode & FromClause, autoincrementDefault: boolean) {
    super(key, name, def.type as SqlType<T>, table, table);
    const o = def.options;
    this.primaryKey = o.primaryKey ?? false;
    this.nullable = o.nullable ?? !this.primaryKey;
    this.autoincrement = o.autoincrement ?? autoincrementDefault;
    this.default = o.default;
    this.serverDefault = o.serverDefault;
    this.onUpdate = o.onUpdate;
    this.unique = o.unique ?? false;
    this.index = o.index ?? false;
    this.comment = o.comment;
    this.renamedFrom = o.renamedFrom;
    this.foreignKey = def.foreignKey;
    if (this.primaryKey && o.nullable === true)
      throw new ArgumentError(`column ${name}: a primary key column cannot be nullable; remove nullable: true (or primaryKey)`);
  }
  /** True when an INSERT can leave this column out: it has a default, a server default, or autoincrements. */
  get hasDefault(): boolean {
    return this.default !== undefined || this.serverDefault !== undefined || this.autoincrement;
  }
  /** The table this column belongs to. */
  get table(): TableObject {
    return this.owner as TableObject;
  }
  /** Computes the client-side default for one INSERT (calls it if it is a function). */
  defaultValue(): unknown {
    return typeof this.default === "function" ? (this.default as () => unknown)() : this.default;
  }
  /** Computes the client-side onUpdate value for one UPDATE. */
  onUpdateValue(): unknown {
    return typeof this.onUpdate === "function" ? (this.onUpdate as () => unknown)() : this.onUpdate;
  }
}
