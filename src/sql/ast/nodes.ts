/**
 * The AST: plain, frozen objects, each with a `kind`. Builders (select(), column operators, ...) make them;
 * compilers (one visitor per dialect) read them. Schema objects (Table) are nodes themselves.
 * Adding a kind here without a visit method in the compiler is a type error (see compiler/expression-compiler.ts).
 */
import type { ExprNode } from "./expression-nodes.js";
import type { FromNode, OnConflictNode, StatementNode } from "./statement-nodes.js";

export type * from "./expression-nodes.js";
export type * from "./statement-nodes.js";

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
