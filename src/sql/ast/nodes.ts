/**
 * The AST: plain, frozen objects, each with a `kind`. Builders (select(), column operators, ...) make them;
 * compilers (one visitor per dialect) read them. Schema objects (Table) are nodes themselves.
 * Adding a kind here without a visit method in the compiler is a type error (see compiler/sql-compiler.ts).
 */
import type { SqlType } from "../types/sql-type.js";

// ------------------------------------------------------------------ expressions

/** Binary operators, by their meaning; each dialect decides how to spell them. */
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

export interface ColumnRefNode {
  readonly kind: "column";
  /** The SQL name. */
  readonly name: string;
  /** The FROM element this column belongs to, or null for a bare name. */
  readonly from: FromNode | null;
  readonly type: SqlType<unknown>;
}
export interface BindNode {
  readonly kind: "bind";
  readonly value: unknown;
  readonly type: SqlType<unknown>;
  /** A named parameter (bindparam("x"), text ":x"); its value may come from the execute() parameters. */
  readonly key: string | null;
  /** An IN list: the value is an array, expanded at execution into one placeholder per element. */
  readonly expanding: boolean;
}
export interface NullNode {
  readonly kind: "null";
}
export interface BooleanLiteralNode {
  readonly kind: "boolean";
  readonly value: boolean;
}
export interface BinaryNode {
  readonly kind: "binary";
  readonly operator: BinaryOperator;
  readonly left: ExprNode;
  readonly right: ExprNode;
  /** LIKE ... ESCAPE 'c' */
  readonly escape: string | null;
  readonly type: SqlType<unknown>;
}
export interface UnaryNode {
  readonly kind: "unary";
  readonly operator: "NOT" | "-" | "DISTINCT";
  readonly operand: ExprNode;
}
export interface BooleanListNode {
  readonly kind: "boolean-list";
  readonly operator: "AND" | "OR";
  readonly items: readonly ExprNode[];
}
export interface FunctionNode {
  readonly kind: "function";
  readonly name: string;
  readonly args: readonly ExprNode[];
  readonly type: SqlType<unknown>;
  readonly distinct: boolean;
  /** aggregate FILTER (WHERE ...) */
  readonly filter: ExprNode | null;
}
export interface CastNode {
  readonly kind: "cast";
  readonly operand: ExprNode;
  readonly type: SqlType<unknown>;
}
export interface CaseNode {
  readonly kind: "case";
  /** CASE <value> WHEN ... (simple case), or null for searched case */
  readonly value: ExprNode | null;
  readonly whens: readonly (readonly [ExprNode, ExprNode])[];
  readonly else: ExprNode | null;
  readonly type: SqlType<unknown>;
}
export interface LabelNode {
  readonly kind: "label";
  readonly name: string;
  readonly element: ExprNode;
}
export interface WindowFrame {
  readonly mode: "ROWS" | "RANGE";
  /** Negative: N PRECEDING, 0: CURRENT ROW, positive: N FOLLOWING, null: UNBOUNDED. */
  readonly start: number | null;
  readonly end: number | null;
}
export interface OverNode {
  readonly kind: "over";
  readonly element: ExprNode;
  readonly partitionBy: readonly ExprNode[];
  readonly orderBy: readonly ExprNode[];
  readonly frame: WindowFrame | null;
}
export interface BetweenNode {
  readonly kind: "between";
  readonly operand: ExprNode;
  readonly low: ExprNode;
  readonly high: ExprNode;
  readonly negate: boolean;
}
export interface TupleNode {
  readonly kind: "tuple";
  readonly items: readonly ExprNode[];
}
export interface ScalarSubqueryNode {
  readonly kind: "scalar-subquery";
  readonly select: SelectableNode;
}
export interface ExistsNode {
  readonly kind: "exists";
  readonly select: SelectableNode;
}
export interface OrderByNode {
  readonly kind: "order-by";
  readonly element: ExprNode;
  readonly direction: "ASC" | "DESC" | null;
  readonly nulls: "FIRST" | "LAST" | null;
}
/** Trusted SQL text with `:name` binds already parsed into the `parts` between `binds`. */
export interface TextNode {
  readonly kind: "text";
  readonly parts: readonly string[];
  readonly binds: readonly BindNode[];
  /** Result columns declared with `text(...).columns({...})`, in result order; their types convert the values. */
  readonly columns?: readonly TextResultColumn[] | null;
}
export interface TextResultColumn {
  readonly name: string;
  readonly type: SqlType<unknown>;
}
/** `doc -> 'a' -> 0` (PostgreSQL), json_extract elsewhere; `asText` reads the value as text. */
export interface JsonPathNode {
  readonly kind: "json-path";
  readonly operand: ExprNode;
  readonly path: readonly (string | number)[];
  readonly asText: boolean;
  readonly type: SqlType<unknown>;
}
/** `*` in `count(*)` or `SELECT t.*`. */
export interface StarNode {
  readonly kind: "star";
  readonly from: FromNode | null;
}

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

/** What a Table looks like to the compiler (schema/table.ts implements it). */
export interface TableNode {
  readonly kind: "table";
  readonly name: string;
  readonly schema: string | null;
  /** Unique per Table object: two tables of the same name in two MetaData never share cached SQL. */
  readonly id: number;
}
export interface AliasNode {
  readonly kind: "alias";
  readonly element: TableNode;
  readonly name: string;
}
export interface SubqueryNode {
  readonly kind: "subquery";
  readonly select: SelectableNode;
  readonly name: string;
  readonly lateral: boolean;
}
export interface CteNode {
  readonly kind: "cte";
  readonly select: SelectableNode;
  readonly name: string;
  readonly recursive: boolean;
  /** Column names given to a recursive CTE, `WITH RECURSIVE t(a, b) AS (...)`. */
  readonly columnNames: readonly string[] | null;
}
export interface JoinNode {
  readonly kind: "join";
  readonly left: FromNode;
  readonly right: FromNode;
  readonly on: ExprNode;
  readonly type: "INNER" | "LEFT" | "FULL";
}
export type FromNode = TableNode | AliasNode | SubqueryNode | CteNode | JoinNode;

// ------------------------------------------------------------------ statements

/** How one element of a SELECT list maps to result columns: a single expression, or an entity's several columns. */
export interface SelectElement {
  /** Name in result rows (row.name), or null if the expression has none. */
  readonly name: string | null;
  /** Index of the first column of this element in `columns`, and how many columns it spans. */
  readonly start: number;
  readonly count: number;
  /** An ORM entity (opaque to Core) when the element is a mapped class. */
  readonly entity: unknown;
}
export interface ForUpdateClause {
  readonly mode: "UPDATE" | "SHARE";
  readonly nowait: boolean;
  readonly skipLocked: boolean;
  readonly of: readonly FromNode[];
}
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
export interface CompoundSelectNode {
  readonly kind: "compound";
  readonly operator: "UNION" | "UNION ALL" | "INTERSECT" | "INTERSECT ALL" | "EXCEPT" | "EXCEPT ALL";
  readonly selects: readonly SelectableNode[];
  readonly orderBy: readonly ExprNode[];
  readonly limit: ExprNode | null;
  readonly offset: ExprNode | null;
}
export type SelectableNode = SelectNode | CompoundSelectNode | TextNode;

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
/** The value inserted from the row being inserted: `excluded.col` (PostgreSQL/SQLite), `VALUES(col)` (MySQL). */
export interface ExcludedNode {
  readonly kind: "excluded";
  readonly name: string;
  readonly type: SqlType<unknown>;
}
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
export interface UpdateNode {
  readonly kind: "update";
  readonly table: TableNode | AliasNode;
  readonly set: readonly (readonly [ColumnRefNode, ExprNode])[];
  readonly where: ExprNode | null;
  readonly returning: readonly ExprNode[];
}
export interface DeleteNode {
  readonly kind: "delete";
  readonly table: TableNode | AliasNode;
  readonly where: ExprNode | null;
  readonly returning: readonly ExprNode[];
}
export type DmlNode = InsertNode | UpdateNode | DeleteNode;

/** Every node that can be executed. DDL statements are compiled by the DDL compiler (compiler/ddl-compiler.ts). */
export type StatementNode = SelectableNode | DmlNode;

/** Every node kind the SQL compiler visits. */
export type AnyNode = ExprNode | FromNode | StatementNode | OnConflictNode;
export type NodeKind = AnyNode["kind"];
