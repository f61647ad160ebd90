/**
 * Constraints and indexes: ForeignKey (column-level), ForeignKeyConstraint, PrimaryKeyConstraint, UniqueConstraint,
 * CheckConstraint and Index.
 */
import { ArgumentError } from "../../util/errors.js";
import { ColumnElement } from "../ast/expression.js";
import type { ExprNode } from "../ast/nodes.js";
import { text } from "../ast/text.js";

/**
 * Referential actions of a foreign key.
 *
 * ```ts
 * ForeignKey("user_account.id", { onDelete: "CASCADE", onUpdate: "NO ACTION" })
 * ```
 */
export type ReferentialAction = "CASCADE" | "SET NULL" | "SET DEFAULT" | "RESTRICT" | "NO ACTION";

/**
 * Options of ForeignKey / ForeignKeyConstraint.
 *
 * ```ts
 * ForeignKey("user_account.id", { onDelete: "SET NULL", name: "fk_address_user" })
 * ```
 */
export interface ForeignKeyOptions {
  readonly onDelete?: ReferentialAction;
  readonly onUpdate?: ReferentialAction;
  readonly name?: string;
}

/** A column-level foreign key: `column(Integer, ForeignKey("user_account.id", { onDelete: "CASCADE" }))`. */
export interface ForeignKeySpec {
  readonly kind: "foreign-key";
  /** `"table.column"` or `"schema.table.column"`, or a column object. */
  readonly target: string | { readonly name: string; readonly node: { readonly from: unknown } };
  readonly options: ForeignKeyOptions;
}

const ACTIONS = new Set(["CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"]);
function checkActions(where: string, o: ForeignKeyOptions): void {
  for (const a of [o.onDelete, o.onUpdate])
    if (a !== undefined && !ACTIONS.has(a)) throw new ArgumentError(`${where}: unknown referential action ${a}; use one of ${[...ACTIONS].join(", ")}`);
}

/**
 * Declares that a column refers to another table's column.
 *
 * ```ts
 * userId: column(Integer, ForeignKey("user_account.id", { onDelete: "CASCADE" }))
 * ```
 */
export function ForeignKey(target: ForeignKeySpec["target"], options: ForeignKeyOptions = {}): ForeignKeySpec {
  if (typeof target === "string" && !/^[^.]+(\.[^.]+){1,2}$/.test(target))
    throw new ArgumentError(`ForeignKey("${target}"): write the target as "table.column" (or "schema.table.column")`);
  checkActions(`ForeignKey("${String(typeof target === "string" ? target : target.name)}")`, options);
  return Object.freeze({ kind: "foreign-key", target, options });
}

/** A foreign key over one or more columns of a table. */
export interface ForeignKeyConstraint {
  readonly kind: "foreign-key-constraint";
  /** Column keys (or names) in this table. */
  readonly columns: readonly string[];
  /** `"table.column"` (or `"schema.table.column"`) for each column, in the same order. */
  readonly refColumns: readonly string[];
  readonly options: ForeignKeyOptions;
  /** Explicit name, or undefined to use the MetaData naming convention (or let the database name it). */
  readonly name: string | undefined;
}

/**
 * A table-level foreign key, possibly over several columns.
 *
 * ```ts
 * Table("order_line", metadata, {...}, ForeignKeyConstraint(["orderId", "orderRev"], ["order.id", "order.rev"]));
 * ```
 */
export function ForeignKeyConstraint(columns: readonly string[], refColumns: readonly string[], options: ForeignKeyOptions = {}): ForeignKeyConstraint {
  if (columns.length === 0 || columns.length !== refColumns.length)
    throw new ArgumentError(`ForeignKeyConstraint(${JSON.stringify(columns)}, ${JSON.stringify(refColumns)}): give as many referenced columns as columns`);
  const tables = new Set(refColumns.map(referredTableOf));
  if (tables.size !== 1 || refColumns.some((r) => !r.includes(".")))
    throw new ArgumentError(`ForeignKeyConstraint: referenced columns must be "table.column" in one table, got ${refColumns.join(", ")}`);
  checkActions("ForeignKeyConstraint", options);
  return Object.freeze({ kind: "foreign-key-constraint", columns: [...columns], refColumns: [...refColumns], options, name: options.name });
}

/** `"schema.table.column"` → `"schema.table"`. */
export function referredTableOf(ref: string): string {
  return ref.slice(0, ref.lastIndexOf("."));
}
/** `"schema.table.column"` → `"column"`. */
export function referredColumnOf(ref: string): string {
  return ref.slice(ref.lastIndexOf(".") + 1);
}

/** The primary key of a table (made from the columns declared with `primaryKey: true`, or given explicitly). */
export interface PrimaryKeyConstraint {
  readonly kind: "primary-key-constraint";
  readonly columns: readonly string[];
  readonly name: string | undefined;
}

/**
 * An explicit (e.g. composite) primary key: `PrimaryKeyConstraint("a", "b", { name })`.
 *
 * ```ts
 * Table("pair", metadata, { a: column(Integer), b: column(Integer) }, PrimaryKeyConstraint("a", "b"));
 * ```
 */
export function PrimaryKeyConstraint(...args: (string | { name?: string })[]): PrimaryKeyConstraint {
  const [columns, opts] = splitOptions<string, { name?: string }>(args);
  if (columns.length === 0) throw new ArgumentError("PrimaryKeyConstraint needs at least one column");
  return Object.freeze({ kind: "primary-key-constraint", columns, name: opts.name });
}

/** A UNIQUE constraint over one or more columns. */
export interface UniqueConstraint {
  readonly kind: "unique-constraint";
  readonly columns: readonly string[];
  readonly name: string | undefined;
}

/**
 * `UniqueConstraint("a", "b", { name })`.
 *
 * ```ts
 * Table("t", metadata, {...}, UniqueConstraint("email", { name: "uq_t_email" }));
 * ```
 */
export function UniqueConstraint(...args: (string | { name?: string })[]): UniqueConstraint {
  const [columns, opts] = splitOptions<string, { name?: string }>(args);
  if (columns.length === 0) throw new ArgumentError("UniqueConstraint needs at least one column");
  return Object.freeze({ kind: "unique-constraint", columns, name: opts.name });
}

/** A CHECK constraint. */
export interface CheckConstraint {
  readonly kind: "check-constraint";
  readonly expression: ExprNode;
  readonly name: string | undefined;
}

/**
 * `CheckConstraint("price > 0", { name })`: SQL text or a boolean expression.
 *
 * ```ts
 * Table("t", metadata, {...}, CheckConstraint("price > 0", { name: "positive_price" }));
 * ```
 */
export function CheckConstraint(expression: string | ColumnElement<boolean>, options: { name?: string } = {}): CheckConstraint {
  const node = typeof expression === "string" ? text(expression).node : expression.node;
  return Object.freeze({ kind: "check-constraint", expression: node, name: options.name });
}

/** Options of `Index()`. */
export interface IndexOptions {
  readonly unique?: boolean;
  /** Partial index predicate. */
  readonly where?: string | ColumnElement<boolean>;
}

/** An index over columns or expressions, optionally unique or partial (`where`). */
export interface Index {
  readonly kind: "index";
  readonly name: string | undefined;
  /** Column keys/names, or expressions. */
  readonly elements: readonly (string | ColumnElement<unknown>)[];
  readonly unique: boolean;
  readonly where: ExprNode | null;
}

/**
 * `Index("ix_user_name", "name", { unique, where })`: elements are column keys or expressions. An Index made of
 * columns of a table is added to that table; otherwise pass it to Table() / Base.model(..., { indexes }).
 *
 * ```ts
 * Index("ix_lower_email", func.lower(users.c.email), { unique: true });
 * ```
 */
export function Index(name: string | undefined, ...args: (string | ColumnElement<unknown> | IndexOptions)[]): Index {
  const [elements, opts] = splitOptions<string | ColumnElement<unknown>, IndexOptions>(args);
  if (elements.length === 0) throw new ArgumentError(`Index(${name ?? ""}) needs at least one column or expression`);
  const where = opts.where === undefined ? null : typeof opts.where === "string" ? text(opts.where).node : opts.where.node;
  const index: Index = Object.freeze({ kind: "index", name, elements, unique: opts.unique ?? false, where });
  indexCreatedHook.onCreate(index);
  return index;
}

/** Lets Table attach an Index made of its columns (schema/table.ts sets it; this module cannot import Table). */
export const indexCreatedHook: { onCreate: (index: Index) => void } = { onCreate: () => {} };

/** Splits `(...elements, options?)` arguments: a trailing plain object (not an expression) is the options. */
function splitOptions<E, O>(args: readonly (E | O)[]): [E[], O] {
  const last = args[args.length - 1];
  if (last !== undefined && typeof last === "object" && !(last instanceof ColumnElement)) return [args.slice(0, -1) as E[], last as O];
  return [args as E[], {} as O];
}

/** Any table-level constraint. */
export type TableConstraint = ForeignKeyConstraint | PrimaryKeyConstraint | UniqueConstraint | CheckConstraint;
