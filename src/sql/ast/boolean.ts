/**
 * and_ / or_ / not_ and the SQL boolean literals.
 */

import type { SqlType } from "../types/sql-type.js";
import { Boolean as BooleanType } from "../types/standard.js";
import { ColumnElement } from "./expression.js";
import type { ExprNode } from "./nodes.js";

const BOOL = BooleanType as SqlType<boolean>;
type Condition = ColumnElement<boolean> | ColumnElement<boolean | null>;

/** Joins conditions with AND or OR, flattening nested lists of the same operator. */
export function conjunction(operator: "AND" | "OR", items: readonly ExprNode[]): ExprNode {
  const flat: ExprNode[] = [];
  for (const item of items) {
    if (item.kind === "boolean-list" && item.operator === operator) flat.push(...item.items);
    else flat.push(item);
  }
  if (flat.length === 1) return flat[0];
  return Object.freeze({ kind: "boolean-list", operator, items: flat });
}

/** The criteria of `.where()` / `.having()`: `conditions` joined with AND to those already there (`existing`). */
export function andCriteria(existing: ExprNode | null, conditions: readonly { readonly node: ExprNode }[]): ExprNode {
  // The usual `.where(condition)`: the condition itself (what joining one item gives), no lists made per query.
  if (existing === null && conditions.length === 1) return conditions[0].node;
  const nodes = conditions.map((c) => c.node);
  return conjunction("AND", existing ? [existing, ...nodes] : nodes);
}

/**
 * `a AND b AND ...`. With no arguments it is TRUE (so conditions can be collected in a list and spread).
 *
 * ```ts
 * select(users).where(and_(users.c.name.eq("sandy"), users.c.id.gt(1)))
 * ```
 */
export function and_(...conditions: Condition[]): ColumnElement<boolean> {
  if (conditions.length === 0) return true_();
  return new ColumnElement(
    conjunction(
      "AND",
      conditions.map((c) => c.node),
    ),
    BOOL,
  );
}

/**
 * `a OR b OR ...`. With no arguments it is FALSE.
 *
 * ```ts
 * select(users).where(or_(users.c.name.eq("sandy"), users.c.name.eq("patrick")))
 * ```
 */
export function or_(...conditions: Condition[]): ColumnElement<boolean> {
  if (conditions.length === 0) return false_();
  return new ColumnElement(
    conjunction(
      "OR",
      conditions.map((c) => c.node),
    ),
    BOOL,
  );
}

/**
 * `NOT condition`.
 *
 * ```ts
 * select(users).where(not_(users.c.name.eq("sandy")))
 * ```
 */
export function not_(condition: Condition): ColumnElement<boolean> {
  return new ColumnElement(Object.freeze({ kind: "unary", operator: "NOT", operand: condition.node }), BOOL);
}

/**
 * The SQL constant TRUE (1 where the database has no boolean literal).
 *
 * ```ts
 * select(users).where(true_())
 * ```
 */
export function true_(): ColumnElement<boolean> {
  return new ColumnElement(Object.freeze({ kind: "boolean", value: true }), BOOL);
}

/**
 * The SQL constant FALSE (0 where the database has no boolean literal).
 *
 * ```ts
 * select(users).where(false_())
 * ```
 */
export function false_(): ColumnElement<boolean> {
  return new ColumnElement(Object.freeze({ kind: "boolean", value: false }), BOOL);
}
