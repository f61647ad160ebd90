/**
 * What the compiler needs to know about nodes: how tightly an operator binds, the SQL type of an expression, and the
 * kind of a statement.
 */
import type { BinaryOperator, ExprNode, StatementNode } from "../ast/nodes.js";
import type { SqlType } from "../types/sql-type.js";
import type { StatementKind } from "./compiled.js";

/** Precedence of operators, higher binds tighter (as SQLAlchemy's operators._PRECEDENCE). */
export const PRECEDENCE: Readonly<Record<BinaryOperator | "AND" | "OR" | "NOT" | "BETWEEN", number>> = {
  OR: 2,
  AND: 3,
  NOT: 4,
  "=": 5,
  "<>": 5,
  "<": 5,
  "<=": 5,
  ">": 5,
  ">=": 5,
  IS: 5,
  "IS NOT": 5,
  "IS DISTINCT FROM": 5,
  "IS NOT DISTINCT FROM": 5,
  IN: 5,
  "NOT IN": 5,
  LIKE: 5,
  "NOT LIKE": 5,
  ILIKE: 5,
  "NOT ILIKE": 5,
  BETWEEN: 5,
  "||": 6,
  "+": 7,
  "-": 7,
  "&": 7,
  "|": 7,
  "*": 8,
  "/": 8,
  "%": 8,
};
/** Precedence of atoms (names, literals, function calls): never parenthesised. */
export const ATOM = 100;

/** Precedence of a node when it appears as an operand (atoms never need parentheses). */
export function precedenceOf(n: ExprNode): number {
  switch (n.kind) {
    case "binary":
      return PRECEDENCE[n.operator];
    case "boolean-list":
      return n.items.length === 1 ? ATOM : PRECEDENCE[n.operator];
    case "unary":
      return n.operator === "NOT" ? PRECEDENCE.NOT : ATOM;
    case "between":
      return PRECEDENCE.BETWEEN;
    default:
      return ATOM;
  }
}

/** The SQL type of an expression node, if it has one. */
export function nodeType(n: ExprNode): SqlType<unknown> | null {
  switch (n.kind) {
    case "column":
    case "bind":
    case "binary":
    case "function":
    case "cast":
    case "case":
    case "json-path":
    case "excluded":
      return n.type;
    case "label":
      return nodeType(n.element);
    case "over":
      return nodeType(n.element);
    case "unary":
      return n.operator === "NOT" ? null : nodeType(n.operand);
    case "scalar-subquery":
      return n.select.kind === "select" && n.select.columns[0] ? nodeType(n.select.columns[0]) : null;
    default:
      return null;
  }
}

/** The kind of a statement, as the engine reports it. */
export function statementKind(node: StatementNode): StatementKind {
  switch (node.kind) {
    case "select":
    case "compound":
      return "select";
    case "insert":
    case "update":
    case "delete":
      return node.kind;
    case "text":
      return "text";
  }
}
