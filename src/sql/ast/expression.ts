/**
 * Typed SQL expressions. A `ColumnElement<T>` wraps one AST node and knows the TypeScript type `T` of its value;
 * its methods (eq, in, like, ...) build new elements and never change this one.
 */
import { ArgumentError } from "../../util/errors.js";
import { KEEP, keepSeveral } from "../../util/keep-alive.js";
import type { SqlType } from "../types/sql-type.js";
import { Boolean as BooleanType, inferType, String as StringType } from "../types/standard.js";
import type { BinaryOperator, BindNode, ExprNode, OrderByNode, SelectableNode, WindowFrame } from "./nodes.js";

/** Anything that holds a compiled-able SELECT (a Select, a CompoundSelect, a TextClause with columns). */
export interface SelectLike {
  readonly node: SelectableNode;
}

/**
 * Something a column of type T can be compared with: a value (null only if T allows it) or another expression.
 *
 * ```ts
 * users.c.name.eq("sandy");          // a value
 * users.c.id.eq(addresses.c.userId); // an expression of the same type
 * ```
 */
export type Operand<T> = T | ColumnElement<NonNullable<T>> | ColumnElement<NonNullable<T> | null>;

/** A plain value or an expression usable where an expression of type T is expected. */
export type ExpressionOrValue<T> = T | ColumnElement<T> | ColumnElement<T | null>;

declare const typeBrand: unique symbol;
declare const nameBrand: unique symbol;

/** Makes an expression node for a value: expressions pass through, null is NULL, anything else is a bound parameter. */
export function toNode(value: unknown, type: SqlType<unknown>): ExprNode {
  if (value instanceof ColumnElement) {
    const n = value.node;
    // An untyped bindparam() takes the type of what it is compared with or assigned to, so its value is converted
    // like the column's (dates, booleans, UUIDs, ...).
    if (n.kind === "bind" && n.type.kind === "null" && type.kind !== "null" && !n.expanding) return Object.freeze({ ...n, type });
    return n;
  }
  if (value === null) return NULL_NODE;
  if (value === undefined) throw new ArgumentError("undefined cannot be used as a SQL value: use null for NULL, or leave the key out");
  return bind(value, type.kind === "null" ? inferType(value) : type);
}

/** A bound parameter node (not a named one). */
export function bind(value: unknown, type: SqlType<unknown>): BindNode {
  return Object.freeze({ kind: "bind", value, type, key: null, expanding: false });
}

export const NULL_NODE: ExprNode = Object.freeze({ kind: "null" });

function binaryNode(operator: BinaryOperator, left: ExprNode, right: ExprNode, type: SqlType<unknown>, escape: string | null = null): ExprNode {
  return Object.freeze({ kind: "binary", operator, left, right, type, escape });
}

// "/" rather than a backslash: it needs no escaping in any dialect's string literals (MySQL treats "\\" specially).
const LIKE_ESCAPE = "/";
/**
 * Escapes `%`, `_` and the escape character (`/`) so a value is matched literally inside LIKE (`contains()` does it
 * for you).
 *
 * ```ts
 * escapeLike("50%_off"); // "50/%/_off"
 * ```
 */
export function escapeLike(value: string): string {
  return value.replace(/[/%_]/g, (c) => LIKE_ESCAPE + c);
}

/**
 * Window specification for `over()`.
 *
 * ```ts
 * func.sum(orders.c.total).over({ partitionBy: orders.c.userId, orderBy: orders.c.id, rows: [null, 0] });
 * ```
 */
export interface OverOptions {
  readonly partitionBy?: ColumnElement<unknown> | readonly ColumnElement<unknown>[];
  readonly orderBy?: ColumnElement<unknown> | OrderBy | readonly (ColumnElement<unknown> | OrderBy)[];
  /** `rows: [-2, 0]` = ROWS BETWEEN 2 PRECEDING AND CURRENT ROW; null = UNBOUNDED. */
  readonly rows?: readonly [number | null, number | null];
  readonly range?: readonly [number | null, number | null];
}

function asList<E>(x: E | readonly E[] | undefined): readonly E[] {
  return x === undefined ? [] : Array.isArray(x) ? (x as readonly E[]) : [x as E];
}

/**
 * A SQL expression whose value is `T` (`N` is its name in result rows when it has one: a column or a label).
 *
 * ```ts
 * users.c.name.eq("sandy");            // users.name = ?
 * users.c.id.in([1, 2, 3]);             // users.id IN (?, ?, ?)
 * users.c.fullname.eq(null);           // users.fullname IS NULL
 * ```
 */
export class ColumnElement<T, N extends string = never> {
  declare readonly [typeBrand]?: T;
  // A method signature is bivariant: every ColumnElement<T, N> is assignable to every other N, yet N can be inferred.
  declare readonly [nameBrand]?: { brand(name: N): void }["brand"];
  constructor(
    readonly node: ExprNode,
    readonly type: SqlType<T>,
  ) {
    keepSeveral(KEEP.element, this);
  }

  private operand(other: unknown): ExprNode {
    return toNode(other, this.type as SqlType<unknown>);
  }
  private compare(operator: BinaryOperator, other: unknown): ColumnElement<boolean> {
    return new ColumnElement(binaryNode(operator, this.node, this.operand(other), BooleanType), BooleanType);
  }

  /** `=`; `eq(null)` is `IS NULL`. */
  eq(other: Operand<T>): ColumnElement<boolean> {
    return other === null ? this.isNull() : this.compare("=", other);
  }
  /** `<>`; `ne(null)` is `IS NOT NULL`. */
  ne(other: Operand<T>): ColumnElement<boolean> {
    return other === null ? this.isNotNull() : this.compare("<>", other);
  }
  lt(other: Operand<NonNullable<T>>): ColumnElement<boolean> {
    return this.compare("<", other);
  }
  le(other: Operand<NonNullable<T>>): ColumnElement<boolean> {
    return this.compare("<=", other);
  }
  gt(other: Operand<NonNullable<T>>): ColumnElement<boolean> {
    return this.compare(">", other);
  }
  ge(other: Operand<NonNullable<T>>): ColumnElement<boolean> {
    return this.compare(">=", other);
  }
  isNull(): ColumnElement<boolean> {
    return this.compare("IS", null);
  }
  isNotNull(): ColumnElement<boolean> {
    return this.compare("IS NOT", null);
  }
  /** `IS DISTINCT FROM`: like `<>`, but NULL-safe. */
  isDistinctFrom(other: Operand<T>): ColumnElement<boolean> {
    return this.compare("IS DISTINCT FROM", other);
  }
  isNotDistinctFrom(other: Operand<T>): ColumnElement<boolean> {
    return this.compare("IS NOT DISTINCT FROM", other);
  }

  /**
   * `IN (...)`. A list becomes one bound parameter per element at execution (the statement is compiled once, whatever
   * the list's length); an empty list is valid SQL that is false; a subquery is used as is.
   */
  in(values: readonly NonNullable<T>[] | SelectLike): ColumnElement<boolean> {
    return this.membership("IN", values);
  }
  /** `NOT IN (...)`; an empty list is true. */
  notIn(values: readonly NonNullable<T>[] | SelectLike): ColumnElement<boolean> {
    return this.membership("NOT IN", values);
  }
  private membership(operator: "IN" | "NOT IN", values: readonly unknown[] | SelectLike): ColumnElement<boolean> {
    let right: ExprNode;
    if (Array.isArray(values)) {
      // An indexed loop: for-of makes an iterator result per value until V8 optimizes it (selectin lists hold thousands).
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (v === null || v === undefined)
          throw new ArgumentError(`${operator.toLowerCase()}() got ${v} in its list: NULL never matches in SQL; use or_(col.in(...), col.isNull())`);
      }
      right = Object.freeze({ kind: "bind", value: values, type: this.type as SqlType<unknown>, key: null, expanding: true });
    } else {
      right = Object.freeze({ kind: "scalar-subquery", select: (values as SelectLike).node });
    }
    return new ColumnElement(binaryNode(operator, this.node, right, BooleanType), BooleanType);
  }

  /** `BETWEEN low AND high` (inclusive). */
  between(low: Operand<NonNullable<T>>, high: Operand<NonNullable<T>>): ColumnElement<boolean> {
    return new ColumnElement(
      Object.freeze({ kind: "between", operand: this.node, low: this.operand(low), high: this.operand(high), negate: false }),
      BooleanType,
    );
  }

  /** `LIKE pattern`: `%` and `_` in the pattern are wildcards (use contains/startsWith/endsWith to match text literally). */
  like(this: ColumnElement<string | null>, pattern: ExpressionOrValue<string>, escape?: string): ColumnElement<boolean> {
    return this.likeOp("LIKE", pattern, escape ?? null);
  }
  notLike(this: ColumnElement<string | null>, pattern: ExpressionOrValue<string>, escape?: string): ColumnElement<boolean> {
    return this.likeOp("NOT LIKE", pattern, escape ?? null);
  }
  /** Case-insensitive LIKE: `ILIKE` on PostgreSQL, `lower(x) LIKE lower(y)` elsewhere. */
  ilike(this: ColumnElement<string | null>, pattern: ExpressionOrValue<string>, escape?: string): ColumnElement<boolean> {
    return this.likeOp("ILIKE", pattern, escape ?? null);
  }
  notIlike(this: ColumnElement<string | null>, pattern: ExpressionOrValue<string>, escape?: string): ColumnElement<boolean> {
    return this.likeOp("NOT ILIKE", pattern, escape ?? null);
  }
  /** Matches rows whose text contains `text` literally (`%` and `_` in it are escaped). */
  contains(this: ColumnElement<string | null>, text: string): ColumnElement<boolean> {
    return this.likeOp("LIKE", `%${escapeLike(text)}%`, LIKE_ESCAPE);
  }
  /** Matches rows whose text starts with `text` literally. */
  startsWith(this: ColumnElement<string | null>, text: string): ColumnElement<boolean> {
    return this.likeOp("LIKE", `${escapeLike(text)}%`, LIKE_ESCAPE);
  }
  /** Matches rows whose text ends with `text` literally. */
  endsWith(this: ColumnElement<string | null>, text: string): ColumnElement<boolean> {
    return this.likeOp("LIKE", `%${escapeLike(text)}`, LIKE_ESCAPE);
  }
  private likeOp(operator: BinaryOperator, pattern: unknown, escape: string | null): ColumnElement<boolean> {
    const right = toNode(pattern, StringType as SqlType<unknown>);
    return new ColumnElement(binaryNode(operator, this.node, right, BooleanType, escape), BooleanType);
  }

  /** String concatenation (`||`, or CONCAT() on MySQL). */
  concat(this: ColumnElement<string | null>, other: ExpressionOrValue<string | null>): ColumnElement<T> {
    return (this as ColumnElement<unknown>).arith("||", other) as ColumnElement<T>;
  }
  add(other: ExpressionOrValue<NonNullable<T>>): ColumnElement<T> {
    return this.arith("+", other);
  }
  sub(other: ExpressionOrValue<NonNullable<T>>): ColumnElement<T> {
    return this.arith("-", other);
  }
  mul(other: ExpressionOrValue<NonNullable<T>>): ColumnElement<T> {
    return this.arith("*", other);
  }
  div(other: ExpressionOrValue<NonNullable<T>>): ColumnElement<T> {
    return this.arith("/", other);
  }
  mod(other: ExpressionOrValue<NonNullable<T>>): ColumnElement<T> {
    return this.arith("%", other);
  }
  /** Unary minus. */
  neg(): ColumnElement<T> {
    return new ColumnElement(Object.freeze({ kind: "unary", operator: "-", operand: this.node }), this.type);
  }
  private arith(operator: BinaryOperator, other: unknown): ColumnElement<T> {
    return new ColumnElement(binaryNode(operator, this.node, this.operand(other), this.type as SqlType<unknown>), this.type);
  }

  /** Names this expression in the result: `expr AS name`; the row then has `row.name`. */
  label<const L extends string>(name: L): ColumnElement<T, L> {
    return new ColumnElement<T, L>(Object.freeze({ kind: "label", name, element: this.node }), this.type);
  }
  /** `CAST(expr AS type)`. */
  cast<U>(type: SqlType<U>): ColumnElement<U> {
    return new ColumnElement(Object.freeze({ kind: "cast", operand: this.node, type: type as SqlType<unknown> }), type);
  }
  /** Ascending order for orderBy(). */
  asc(): OrderBy {
    return new OrderBy(Object.freeze({ kind: "order-by", element: this.node, direction: "ASC", nulls: null }));
  }
  /** Descending order for orderBy(). */
  desc(): OrderBy {
    return new OrderBy(Object.freeze({ kind: "order-by", element: this.node, direction: "DESC", nulls: null }));
  }
  /** `DISTINCT expr`, as in `func.count(col.distinct())`. */
  distinct(): ColumnElement<T> {
    return new ColumnElement(Object.freeze({ kind: "unary", operator: "DISTINCT", operand: this.node }), this.type);
  }
  /** A window function: `expr OVER (PARTITION BY ... ORDER BY ... ROWS ...)`. */
  over(options: OverOptions = {}): ColumnElement<T> {
    const frameOf = (mode: "ROWS" | "RANGE", r: readonly [number | null, number | null] | undefined): WindowFrame | null =>
      r ? { mode, start: r[0], end: r[1] } : null;
    return new ColumnElement(
      Object.freeze({
        kind: "over",
        element: this.node,
        partitionBy: asList(options.partitionBy).map((e) => e.node),
        orderBy: asList(options.orderBy).map((e) => e.node),
        frame: frameOf("ROWS", options.rows) ?? frameOf("RANGE", options.range),
      }),
      this.type,
    );
  }
  /** SQL text of this expression in a generic dialect (for reading, not executing). */
  toString(): string {
    return renderHook.render(this.node);
  }
}

/**
 * An ORDER BY item: an expression with a direction and NULLS placement.
 *
 * ```ts
 * select(users).orderBy(users.c.fullname.desc().nullsLast(), users.c.id.asc());
 * ```
 */
export class OrderBy {
  constructor(readonly node: OrderByNode) {}
  nullsFirst(): OrderBy {
    return new OrderBy(Object.freeze({ ...this.node, nulls: "FIRST" }));
  }
  nullsLast(): OrderBy {
    return new OrderBy(Object.freeze({ ...this.node, nulls: "LAST" }));
  }
  toString(): string {
    return renderHook.render(this.node);
  }
}

/**
 * How `String(expr)` renders: set by the compiler module when it loads (the AST cannot import the compiler, which is
 * built on it).
 */
export const renderHook: { render: (node: unknown) => string } = {
  render: () => "<SQL expression: import 'crucible' to render it>",
};

/**
 * The TypeScript value type of an expression.
 *
 * ```ts
 * type Name = ValueOf<typeof users.c.name>; // string | null
 * ```
 */
export type ValueOf<E> = E extends ColumnElement<infer T, infer _N> ? T : never;
