/**
 * FROM inference helpers: which FROM elements an expression refers to, and the leaves of a join tree.
 */
import type { ExprNode, FromNode } from "../ast/nodes.js";

/** The tables/aliases/subqueries of a FROM element (a join's leaves, or the element itself). */
export function leafFroms(f: FromNode): FromNode[] {
  return f.kind === "join" ? [...leafFroms(f.left), ...leafFroms(f.right)] : [f];
}

/**
 * The FROM elements that column references in these expressions belong to, in first-seen order. Nested SELECTs
 * (scalar subqueries, EXISTS) have their own FROM and are not entered.
 */
export function collectFroms(exprs: readonly (ExprNode | null)[]): FromNode[] {
  const seen = new Set<FromNode>(); // in first-seen order
  const walk = (n: ExprNode | null): void => {
    if (n === null) return;
    switch (n.kind) {
      case "column":
      case "star":
        if (n.from !== null) seen.add(n.from);
        return;
      case "binary":
        walk(n.left);
        walk(n.right);
        return;
      case "unary":
      case "cast":
      case "json-path":
        walk(n.operand);
        return;
      case "label":
      case "order-by":
        walk(n.element);
        return;
      case "boolean-list":
      case "tuple":
        for (const i of n.items) walk(i);
        return;
      case "function":
        for (const a of n.args) walk(a);
        walk(n.filter);
        return;
      case "case":
        walk(n.value);
        for (const [c, v] of n.whens) {
          walk(c);
          walk(v);
        }
        walk(n.else);
        return;
      case "over":
        walk(n.element);
        for (const p of n.partitionBy) walk(p);
        for (const o of n.orderBy) walk(o);
        return;
      case "between":
        walk(n.operand);
        walk(n.low);
        walk(n.high);
        return;
      default:
        // bind, null, boolean, text, excluded, scalar-subquery, exists: no FROM of their own at this level
        return;
    }
  };
  for (const e of exprs) walk(e);
  return [...seen];
}
