/**
 * AST nodes of expressions: column references, binds, operators, functions, CASE, window functions, text. Part of
 * the AST described in nodes.ts, which re-exports everything.
 */
import type { SqlType } from "../types/sql-type.js";
import type { ExcludedNode, FromNode, SelectableNode } from "./statement-nodes.js";

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
