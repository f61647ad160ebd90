/**
 * AST nodes of FROM elements and statements: tables, aliases, subqueries, CTEs, joins, SELECT, compound selects,
 * INSERT, UPDATE, DELETE and upserts. Part of the AST described in nodes.ts, which re-exports everything.
 */
import type { SqlType } from "../types/sql-type.js";
import type { ColumnRefNode, ExprNode, TextNode } from "./expression-nodes.js";

// ------------------------------------------------------------------ FROM elements

/**
 * What a Table looks like to the compiler (schema/table.ts implements it: a Table is its own node).
 *
 * ```ts
 * users.node === users; // true
 * ```
 */
export interface TableNode {
  readonly kind: "table";
  readonly name: string;
  readonly schema: string | null;
  /** Unique per Table object: two tables of the same name in two MetaData never share cached SQL. */
  readonly id: number;
}
/**
 * `table AS name` (`table.alias(name)`, `aliased(Model)`).
 *
 * ```ts
 * users.alias("u2").node; // { kind: "alias", element: users, name: "u2" }
 * ```
 */
export interface AliasNode {
  readonly kind: "alias";
  readonly element: TableNode;
  readonly name: string;
}
/**
 * `(SELECT ...) AS name` as a FROM element, optionally LATERAL.
 *
 * ```ts
 * select(users.c.id).subquery("ids").node; // { kind: "subquery", name: "ids", lateral: false, ... }
 * ```
 */
export interface SubqueryNode {
  readonly kind: "subquery";
  readonly select: SelectableNode;
  readonly name: string;
  readonly lateral: boolean;
}
/**
 * A common table expression, `WITH name AS (...)`, optionally recursive.
 *
 * ```ts
 * select(users.c.id).cte("ids").node; // { kind: "cte", name: "ids", recursive: false, ... }
 * ```
 */
export interface CteNode {
  readonly kind: "cte";
  readonly select: SelectableNode;
  readonly name: string;
  readonly recursive: boolean;
  /** Column names given to a recursive CTE, `WITH RECURSIVE t(a, b) AS (...)`. */
  readonly columnNames: readonly string[] | null;
}
/**
 * `left [LEFT | FULL] JOIN right ON ...` as a FROM element.
 *
 * ```ts
 * select(users.c.name).join(addresses).node.from[0]; // { kind: "join", type: "INNER", ... }
 * ```
 */
export interface JoinNode {
  readonly kind: "join";
  readonly left: FromNode;
  readonly right: FromNode;
  readonly on: ExprNode;
  readonly type: "INNER" | "LEFT" | "FULL";
}
/**
 * Anything that can stand in a FROM clause.
 *
 * ```ts
 * const from: FromNode = users.alias("u2").node;
 * ```
 */
export type FromNode = TableNode | AliasNode | SubqueryNode | CteNode | JoinNode;

// ------------------------------------------------------------------ statements

/**
 * How one element of a SELECT list maps to result columns: a single expression, or an entity's several columns.
 *
 * ```ts
 * select(User, Address.c.emailAddress).node.elements; // [{ name: "User", start: 0, count: 3, ... }, { name: "emailAddress", start: 3, count: 1, ... }]
 * ```
 */
export interface SelectElement {
  /** Name in result rows (row.name), or null if the expression has none. */
  readonly name: string | null;
  /** Index of the first column of this element in `columns`, and how many columns it spans. */
  readonly start: number;
  readonly count: number;
  /** An ORM entity (opaque to Core) when the element is a mapped class. */
  readonly entity: unknown;
}
/**
 * `FOR UPDATE | FOR SHARE [OF ...] [NOWAIT | SKIP LOCKED]` of a SELECT.
 *
 * ```ts
 * select(jobs).forUpdate({ skipLocked: true }).node.forUpdate; // { mode: "UPDATE", skipLocked: true, ... }
 * ```
 */
export interface ForUpdateClause {
  readonly mode: "UPDATE" | "SHARE";
  readonly nowait: boolean;
  readonly skipLocked: boolean;
  readonly of: readonly FromNode[];
}
/**
 * A SELECT statement (`select(...).node`).
 *
 * ```ts
 * select(users.c.id).where(users.c.id.gt(1)).node; // { kind: "select", columns: [...], where: {...}, ... }
 * ```
 */
export interface SelectNode {
  readonly kind: "select";
  /** Result columns, flattened. */
  readonly columns: readonly ExprNode[];
  readonly elements: readonly SelectElement[];
  /** Explicit FROM list (select_from / joins); FROMs are also inferred from the columns and criteria. */
  readonly from: readonly FromNode[];
  readonly where: ExprNode | null;
  readonly groupBy: readonly ExprNode[];
  readonly having: ExprNode | null;
  readonly orderBy: readonly ExprNode[];
  readonly limit: ExprNode | null;
  readonly offset: ExprNode | null;
  readonly distinct: boolean;
  readonly distinctOn: readonly ExprNode[];
  readonly forUpdate: ForUpdateClause | null;
  /** FROMs that must not be added to this SELECT's FROM when it is used as a subquery (they come from outside). */
  readonly correlate: readonly FromNode[] | null;
  /** Extra information for higher layers (ORM loader options); opaque to Core and part of the cache key. */
  readonly annotations: Readonly<Record<string, unknown>>;
}
/**
 * `SELECT ... UNION | INTERSECT | EXCEPT [ALL] SELECT ...`, with its own ORDER BY / LIMIT / OFFSET.
 *
 * ```ts
 * union(select(a.c.x), select(b.c.x)).node; // { kind: "compound", operator: "UNION", ... }
 * ```
 */
export interface CompoundSelectNode {
  readonly kind: "compound";
  readonly operator: "UNION" | "UNION ALL" | "INTERSECT" | "INTERSECT ALL" | "EXCEPT" | "EXCEPT ALL";
  readonly selects: readonly SelectableNode[];
  readonly orderBy: readonly ExprNode[];
  readonly limit: ExprNode | null;
  readonly offset: ExprNode | null;
}
/**
 * A statement that returns rows: a SELECT, a compound SELECT, or text.
 *
 * ```ts
 * const q: SelectableNode = select(users.c.id).node;
 * ```
 */
export type SelectableNode = SelectNode | CompoundSelectNode | TextNode;

/**
 * The upsert clause of an INSERT: `ON CONFLICT ... DO NOTHING | DO UPDATE`, or MySQL's `ON DUPLICATE KEY UPDATE`.
 *
 * ```ts
 * insert(users).values(row).onConflictDoNothing().node.onConflict; // { kind: "on-conflict", set: null, ... }  (crucible/sqlite)
 * ```
 */
export interface OnConflictNode {
  readonly kind: "on-conflict";
  /** ON CONFLICT (cols) / ON CONSTRAINT name; empty for MySQL's ON DUPLICATE KEY. */
  readonly target: readonly ExprNode[];
  readonly constraint: string | null;
  readonly targetWhere: ExprNode | null;
  /** null = DO NOTHING */
  readonly set: readonly (readonly [ColumnRefNode, ExprNode])[] | null;
  readonly where: ExprNode | null;
  /** "duplicate-key" spells MySQL's `ON DUPLICATE KEY UPDATE`. */
  readonly style: "on-conflict" | "duplicate-key";
}
/**
 * The value from the row being inserted: `excluded.col` (PostgreSQL/SQLite), `VALUES(col)` (MySQL).
 *
 * ```ts
 * stmt.excluded.name.node; // { kind: "excluded", name: "name", ... }  (stmt = insert(users).values(...) from crucible/sqlite)
 * ```
 */
export interface ExcludedNode {
  readonly kind: "excluded";
  readonly name: string;
  readonly type: SqlType<unknown>;
}
/**
 * An INSERT statement (`insert(table).node`).
 *
 * ```ts
 * insert(users).values({ name: "sandy" }).node; // { kind: "insert", columns: [...], rows: [[...]], ... }
 * ```
 */
export interface InsertNode {
  readonly kind: "insert";
  readonly table: TableNode;
  readonly columns: readonly ColumnRefNode[];
  /** Rows of values, one entry per column; null with `select` set or for DEFAULT VALUES. */
  readonly rows: readonly (readonly ExprNode[])[] | null;
  readonly select: SelectableNode | null;
  readonly returning: readonly ExprNode[];
  readonly onConflict: OnConflictNode | null;
}
/**
 * An UPDATE statement (`update(table).node`).
 *
 * ```ts
 * update(users).values({ name: "x" }).where(users.c.id.eq(1)).node; // { kind: "update", set: [...], ... }
 * ```
 */
export interface UpdateNode {
  readonly kind: "update";
  readonly table: TableNode | AliasNode;
  readonly set: readonly (readonly [ColumnRefNode, ExprNode])[];
  readonly where: ExprNode | null;
  readonly returning: readonly ExprNode[];
}
/**
 * A DELETE statement (`delete_(table).node`).
 *
 * ```ts
 * delete_(users).where(users.c.id.eq(1)).node; // { kind: "delete", where: {...}, ... }
 * ```
 */
export interface DeleteNode {
  readonly kind: "delete";
  readonly table: TableNode | AliasNode;
  readonly where: ExprNode | null;
  readonly returning: readonly ExprNode[];
}
/**
 * An INSERT, UPDATE or DELETE.
 *
 * ```ts
 * const dml: DmlNode = delete_(users).node;
 * ```
 */
export type DmlNode = InsertNode | UpdateNode | DeleteNode;

/**
 * Every node that can be executed. DDL statements are compiled by the DDL compiler (compiler/ddl-compiler.ts).
 *
 * ```ts
 * const stmt: StatementNode = select(users.c.id).node; // what conn.execute() compiles
 * ```
 */
export type StatementNode = SelectableNode | DmlNode;
