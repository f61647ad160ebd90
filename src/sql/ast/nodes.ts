/**
 * The AST: plain, frozen objects, each with a `kind`. Builders (select(), column operators, ...) make them;
 * compilers (one visitor per dialect) read them. Schema objects (Table) are nodes themselves.
 * Adding a kind here without a visit method in the compiler is a type error (see compiler/sql-compiler.ts).
 */
import type { SqlType } from "../types/sql-type.js";

// ------------------------------------------------------------------ expressions

/**
 * Binary operators, by their meaning; each dialect decides how to spell them.
 *
 * ```ts
 * users.c.name.eq("sandy").node; // { kind: "binary", operator: "=", ... }
 * ```
 */
export type BinaryOperator =
  | "="
  | "<>"
  | "<"
  | "<="
  | ">"
  | ">="
  | "IS"
  | "IS NOT"
  | "IS DISTINCT FROM"
  | "IS NOT DISTINCT FROM"
  | "IN"
  | "NOT IN"
  | "LIKE"
  | "NOT LIKE"
  | "ILIKE"
  | "NOT ILIKE"
  | "+"
  | "-"
  | "*"
  | "/"
  | "%"
  | "||"
  | "&"
  | "|";

/**
 * A reference to a column of a FROM element (a table, an alias, a subquery): the node of `users.c.name`.
 *
 * ```ts
 * users.c.name.node; // { kind: "column", name: "name", from: users, type: VARCHAR(30) }
 * ```
 */
export interface ColumnRefNode {
  readonly kind: "column";
  /** The SQL name. */
  readonly name: string;
  /** The FROM element this column belongs to, or null for a bare name. */
  readonly from: FromNode | null;
  readonly type: SqlType<unknown>;
}
/**
 * A bound parameter: a value given with the statement, a named `bindparam()`, or an expanding IN list.
 *
 * ```ts
 * users.c.id.in([1, 2]).node; // right side: { kind: "bind", value: [1, 2], expanding: true, ... }
 * ```
 */
export interface BindNode {
  readonly kind: "bind";
  readonly value: unknown;
  readonly type: SqlType<unknown>;
  /** A named parameter (bindparam("x"), text ":x"); its value may come from the execute() parameters. */
  readonly key: string | null;
  /** An IN list: the value is an array, expanded at execution into one placeholder per element. */
  readonly expanding: boolean;
}
/**
 * The SQL `NULL` literal (`null_()`, or `null` given where a value is expected).
 *
 * ```ts
 * null_().node; // { kind: "null" }
 * ```
 */
export interface NullNode {
  readonly kind: "null";
}
/**
 * `TRUE` / `FALSE` (rendered as 1 / 0 where the database has no boolean literal).
 *
 * ```ts
 * true_().node; // { kind: "boolean", value: true }
 * ```
 */
export interface BooleanLiteralNode {
  readonly kind: "boolean";
  readonly value: boolean;
}
/**
 * `left <operator> right`: comparisons, LIKE (with its ESCAPE character), arithmetic, concatenation.
 *
 * ```ts
 * users.c.name.contains("50%").node; // { kind: "binary", operator: "LIKE", escape: "/", ... }
 * ```
 */
export interface BinaryNode {
  readonly kind: "binary";
  readonly operator: BinaryOperator;
  readonly left: ExprNode;
  readonly right: ExprNode;
  /** LIKE ... ESCAPE 'c' */
  readonly escape: string | null;
  readonly type: SqlType<unknown>;
}
/**
 * `NOT x`, `-x` or `DISTINCT x`.
 *
 * ```ts
 * not_(users.c.active).node; // { kind: "unary", operator: "NOT", ... }
 * ```
 */
export interface UnaryNode {
  readonly kind: "unary";
  readonly operator: "NOT" | "-" | "DISTINCT";
  readonly operand: ExprNode;
}
/**
 * Conditions joined with AND or OR (nested lists of the same operator are flattened).
 *
 * ```ts
 * and_(users.c.id.gt(1), users.c.id.lt(9)).node; // { kind: "boolean-list", operator: "AND", items: [...] }
 * ```
 */
export interface BooleanListNode {
  readonly kind: "boolean-list";
  readonly operator: "AND" | "OR";
  readonly items: readonly ExprNode[];
}
/**
 * A SQL function call, optionally `DISTINCT` and with an aggregate `FILTER (WHERE ...)`.
 *
 * ```ts
 * func.count(users.c.id).node; // { kind: "function", name: "count", args: [...], ... }
 * ```
 */
export interface FunctionNode {
  readonly kind: "function";
  readonly name: string;
  readonly args: readonly ExprNode[];
  readonly type: SqlType<unknown>;
  readonly distinct: boolean;
  /** aggregate FILTER (WHERE ...) */
  readonly filter: ExprNode | null;
}
/**
 * `CAST(operand AS type)`.
 *
 * ```ts
 * cast(users.c.id, Varchar).node; // { kind: "cast", ... }
 * ```
 */
export interface CastNode {
  readonly kind: "cast";
  readonly operand: ExprNode;
  readonly type: SqlType<unknown>;
}
/**
 * `CASE [value] WHEN ... THEN ... [ELSE ...] END`.
 *
 * ```ts
 * case_([users.c.id.eq(1), "one"], { else: "other" }).node; // { kind: "case", ... }
 * ```
 */
export interface CaseNode {
  readonly kind: "case";
  /** CASE <value> WHEN ... (simple case), or null for searched case */
  readonly value: ExprNode | null;
  readonly whens: readonly (readonly [ExprNode, ExprNode])[];
  readonly else: ExprNode | null;
  readonly type: SqlType<unknown>;
}
/**
 * `element AS name`: a named expression in a SELECT list.
 *
 * ```ts
 * func.count().label("n").node; // { kind: "label", name: "n", ... }
 * ```
 */
export interface LabelNode {
  readonly kind: "label";
  readonly name: string;
  readonly element: ExprNode;
}
/**
 * The frame of a window function: `ROWS` or `RANGE BETWEEN start AND end`.
 *
 * ```ts
 * func.sum(t.c.x).over({ rows: [-2, 0] }); // ROWS BETWEEN 2 PRECEDING AND CURRENT ROW
 * ```
 */
export interface WindowFrame {
  readonly mode: "ROWS" | "RANGE";
  /** Negative: N PRECEDING, 0: CURRENT ROW, positive: N FOLLOWING, null: UNBOUNDED. */
  readonly start: number | null;
  readonly end: number | null;
}
/**
 * A window function: `element OVER (PARTITION BY ... ORDER BY ... frame)`.
 *
 * ```ts
 * func.row_number().over({ orderBy: users.c.name }).node; // { kind: "over", ... }
 * ```
 */
export interface OverNode {
  readonly kind: "over";
  readonly element: ExprNode;
  readonly partitionBy: readonly ExprNode[];
  readonly orderBy: readonly ExprNode[];
  readonly frame: WindowFrame | null;
}
/**
 * `operand BETWEEN low AND high`.
 *
 * ```ts
 * users.c.id.between(1, 5).node; // { kind: "between", ... }
 * ```
 */
export interface BetweenNode {
  readonly kind: "between";
  readonly operand: ExprNode;
  readonly low: ExprNode;
  readonly high: ExprNode;
  readonly negate: boolean;
}
/**
 * A row value `(a, b, ...)`.
 *
 * ```ts
 * tuple_(t.c.a, t.c.b).node; // { kind: "tuple", items: [...] }
 * ```
 */
export interface TupleNode {
  readonly kind: "tuple";
  readonly items: readonly ExprNode[];
}
/**
 * A SELECT used as a single value, `(SELECT ...)`, or as the right side of `IN`.
 *
 * ```ts
 * select(func.count()).selectFrom(users).scalarSubquery().node; // { kind: "scalar-subquery", ... }
 * ```
 */
export interface ScalarSubqueryNode {
  readonly kind: "scalar-subquery";
  readonly select: SelectableNode;
}
/**
 * `EXISTS (SELECT ...)`.
 *
 * ```ts
 * exists(select(addresses.c.id)).node; // { kind: "exists", ... }
 * ```
 */
export interface ExistsNode {
  readonly kind: "exists";
  readonly select: SelectableNode;
}
/**
 * An ORDER BY item: an expression with a direction and NULLS placement.
 *
 * ```ts
 * users.c.name.desc().nullsLast().node; // { kind: "order-by", direction: "DESC", nulls: "LAST", ... }
 * ```
 */
export interface OrderByNode {
  readonly kind: "order-by";
  readonly element: ExprNode;
  readonly direction: "ASC" | "DESC" | null;
  readonly nulls: "FIRST" | "LAST" | null;
}
/**
 * Trusted SQL text with `:name` binds already parsed into the `parts` between `binds`.
 *
 * ```ts
 * text("SELECT * FROM t WHERE id = :id").node; // { kind: "text", parts: ["SELECT * FROM t WHERE id = ", ""], binds: [...] }
 * ```
 */
export interface TextNode {
  readonly kind: "text";
  readonly parts: readonly string[];
  readonly binds: readonly BindNode[];
  /** Result columns declared with `text(...).columns({...})`, in result order; their types convert the values. */
  readonly columns?: readonly TextResultColumn[] | null;
}
/**
 * A result column declared with `text(...).columns({...})`.
 *
 * ```ts
 * text("SELECT id FROM t").columns({ id: Integer }).node.columns; // [{ name: "id", type: INTEGER }]
 * ```
 */
export interface TextResultColumn {
  readonly name: string;
  readonly type: SqlType<unknown>;
}
/**
 * `doc -> 'a' -> 0` (PostgreSQL), `doc -> '$.a[0]'` (SQLite), JSON_EXTRACT (MySQL); `asText` reads the value as text.
 *
 * ```ts
 * jsonPathText(docs.c.body, ["owner", "name"]).node; // { kind: "json-path", path: ["owner", "name"], asText: true, ... }
 * ```
 */
export interface JsonPathNode {
  readonly kind: "json-path";
  readonly operand: ExprNode;
  readonly path: readonly (string | number)[];
  readonly asText: boolean;
  readonly type: SqlType<unknown>;
}
/**
 * `*` in `count(*)` or `SELECT t.*`.
 *
 * ```ts
 * String(func.count()); // "count(*)"
 * ```
 */
export interface StarNode {
  readonly kind: "star";
  readonly from: FromNode | null;
}

/**
 * Any expression node: what a `ColumnElement` wraps (`expr.node`).
 *
 * ```ts
 * const node: ExprNode = users.c.name.eq("sandy").node;
 * ```
 */
export type ExprNode =
  | ColumnRefNode
  | BindNode
  | NullNode
  | BooleanLiteralNode
  | BinaryNode
  | UnaryNode
  | BooleanListNode
  | FunctionNode
  | CastNode
  | CaseNode
  | LabelNode
  | OverNode
  | BetweenNode
  | TupleNode
  | ScalarSubqueryNode
  | ExistsNode
  | OrderByNode
  | TextNode
  | JsonPathNode
  | StarNode
  | ExcludedNode;

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

/**
 * Every node kind the SQL compiler visits.
 *
 * ```ts
 * const n: AnyNode = users.c.id.node;
 * ```
 */
export type AnyNode = ExprNode | FromNode | StatementNode | OnConflictNode;
/**
 * The `kind` of every node: the keys of the compilers' exhaustive visitor maps.
 *
 * ```ts
 * const k: NodeKind = "select";
 * ```
 */
export type NodeKind = AnyNode["kind"];
