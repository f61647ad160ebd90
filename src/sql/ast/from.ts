/**
 * FROM elements with typed `.c` collections: the base class, aliases of tables, subqueries, CTEs and joins.
 * Table (schema/table.ts) extends FromClause too.
 */
import { ArgumentError } from "../../util/errors.js";
import type { SqlType } from "../types/sql-type.js";
import { and_ } from "./boolean.js";
import { ColumnElement, renderHook } from "./expression.js";
import type { AliasNode, ColumnRefNode, CteNode, ExprNode, FromNode, JoinNode, SelectableNode, SubqueryNode, TableNode } from "./nodes.js";

/**
 * A column of a FROM element: a ColumnElement that also knows its key and the FROM it belongs to.
 *
 * ```ts
 * const sub = select(users.c.id, users.c.name).subquery("s");
 * sub.c.name; // ColumnClause<string | null, "name">
 * ```
 */
export class ColumnClause<T, K extends string = string> extends ColumnElement<T, K> {
  declare readonly node: ColumnRefNode;
  constructor(
    /** Key in `.c` and in result rows. */
    readonly key: K,
    /** SQL name. */
    readonly name: string,
    type: SqlType<T>,
    from: FromNode | null,
    /** The FROM element object this column belongs to (for join inference), if any. */
    readonly owner: FromClause | null = null,
  ) {
    super(Object.freeze({ kind: "column", name, from, type: type as SqlType<unknown> }), type);
  }
}

/** A column collection keyed by column key. */
export type ColumnCollection = { readonly [key: string]: ColumnClause<unknown, string> };

/** Describes the columns a FROM element exposes: key, SQL name and type. */
export interface ColumnSpec {
  readonly key: string;
  readonly name: string;
  readonly type: SqlType<unknown>;
}

/** Foreign key information a FROM element exposes, used to infer join conditions. */
export interface ForeignKeyLink {
  /** The columns of this element holding the reference... */
  readonly columns: readonly ColumnClause<unknown>[];
  /** ... and the table they point at, with the referenced column names. */
  readonly referredTable: TableNode;
  readonly referredColumns: readonly string[];
}

/**
 * Something that can stand in a FROM clause and exposes columns as `.c`: a Table, an alias, a subquery, a CTE, a join.
 *
 * ```ts
 * function columnNames(from: FromClause) { return from.columnList.map((c) => c.name); }
 * ```
 */
export abstract class FromClause<C extends ColumnCollection = ColumnCollection> {
  abstract readonly node: FromNode;
  abstract readonly c: C;
  /** The columns in declaration order. */
  get columnList(): ColumnClause<unknown>[] {
    return Object.values(this.c) as ColumnClause<unknown>[];
  }
  /** The table this element stands for, if it is a table or an alias of one (used to infer join conditions). */
  get baseTable(): TableNode | null {
    return null;
  }
  /** Foreign keys from this element to others, in terms of this element's columns. */
  foreignKeyLinks(): readonly ForeignKeyLink[] {
    return [];
  }
  /** The column of this element that stands for column `name` of `table` (to infer join conditions), or null. */
  columnFor(table: TableNode, name: string): ColumnClause<unknown> | null {
    if (this.baseTable !== table) return null;
    const col = (this.c as ColumnCollection)[keyOfName(this, name)];
    if (!col) throw new ArgumentError(`a foreign key refers to ${table.name}.${name}, which has no column of that name`);
    return col;
  }
  toString(): string {
    return renderHook.render(this.node);
  }
}

function columnsFor(specs: readonly ColumnSpec[], from: FromNode, owner: FromClause): Record<string, ColumnClause<unknown>> {
  const c: Record<string, ColumnClause<unknown>> = {};
  for (const s of specs) c[s.key] = new ColumnClause(s.key, s.name, s.type, from, owner);
  return Object.freeze(c);
}

/** Anything that can name its underlying table and FKs: implemented by Table. */
export interface TableLike extends FromClause {
  readonly node: TableNode;
  columnSpecs(): readonly ColumnSpec[];
}

/**
 * `table AS name`: the same table under another name, with its own `.c`.
 *
 * ```ts
 * const u2 = users.alias("u2");
 * select(users.c.name, u2.c.name).join(u2, users.c.managerId.eq(u2.c.id));
 * ```
 */
export class Alias<C extends ColumnCollection = ColumnCollection> extends FromClause<C> {
  readonly node: AliasNode;
  readonly c: C;
  constructor(
    readonly element: TableLike,
    readonly name: string,
  ) {
    super();
    this.node = Object.freeze({ kind: "alias", element: element.node, name });
    this.c = columnsFor(element.columnSpecs(), this.node, this) as unknown as C;
  }
  override get baseTable(): TableNode {
    return this.element.node;
  }
  override foreignKeyLinks(): readonly ForeignKeyLink[] {
    return this.element.foreignKeyLinks().map((fk) => ({
      ...fk,
      columns: fk.columns.map((col) => (this.c as ColumnCollection)[col.key]),
    }));
  }
}

/**
 * A FROM element made of a SELECT (a subquery or a CTE). Its columns stand for the table columns the SELECT passes
 * through, so it carries their foreign keys for join inference.
 *
 * ```ts
 * const counts = select(addresses.c.userId, func.count().label("n")).groupBy(addresses.c.userId).subquery();
 * select(users.c.name, counts.c.n).joinFrom(users, counts); // ON user_account.id = anon_1.user_id
 * ```
 */
export abstract class SelectFromClause<C extends ColumnCollection = ColumnCollection> extends FromClause<C> {
  abstract override readonly node: SubqueryNode | CteNode;
  private proxyMap: TableProxies | null = null;
  constructor(protected readonly specs: readonly ColumnSpec[]) {
    super();
  }
  private get proxies(): TableProxies {
    this.proxyMap ??= tableProxies(this.node.select, this.specs, this.c);
    return this.proxyMap;
  }
  override columnFor(table: TableNode, name: string): ColumnClause<unknown> | null {
    return this.proxies.get(table)?.get(name) ?? null;
  }
  override foreignKeyLinks(): readonly ForeignKeyLink[] {
    return proxiedForeignKeys(this.proxies);
  }
}

/**
 * A SELECT used as a FROM element: `(SELECT ...) AS name` (from `select(...).subquery(name)`).
 *
 * ```ts
 * const counts = select(addresses.c.userId, func.count().label("n")).groupBy(addresses.c.userId).subquery("counts");
 * select(users.c.name, counts.c.n).join(counts, counts.c.userId.eq(users.c.id));
 * ```
 */
export class Subquery<C extends ColumnCollection = ColumnCollection> extends SelectFromClause<C> {
  readonly node: SubqueryNode;
  readonly c: C;
  constructor(select: SelectableNode, name: string, specs: readonly ColumnSpec[], lateral = false) {
    super(specs);
    this.node = Object.freeze({ kind: "subquery", select, name, lateral });
    this.c = columnsFor(specs, this.node, this) as unknown as C;
  }
}

/**
 * A common table expression: `WITH name AS (SELECT ...)`, rendered at the top of the statement that uses it (from
 * `select(...).cte(name, { recursive })`).
 *
 * ```ts
 * const anchor = select(nodes.c.id).where(nodes.c.id.eq(1)).cte("tree", { recursive: true });
 * const tree = anchor.unionAll(select(nodes.c.id).join(anchor, nodes.c.parentId.eq(anchor.c.id)));
 * select(tree.c.id);
 * ```
 */
export class CTE<C extends ColumnCollection = ColumnCollection> extends SelectFromClause<C> {
  readonly node: CteNode;
  readonly c: C;
  constructor(select: SelectableNode, name: string, specs: readonly ColumnSpec[], recursive: boolean) {
    super(specs);
    this.node = Object.freeze({ kind: "cte", select, name, recursive, columnNames: recursive ? specs.map((s) => s.name) : null });
    this.c = columnsFor(specs, this.node, this) as unknown as C;
  }
  /**
   * The recursive part: `cte.unionAll(select(...).join(cte, ...))` returns a CTE whose body is the UNION ALL of the
   * anchor and the recursive SELECT.
   */
  unionAll(recursive: { readonly node: SelectableNode }): CTE<C> {
    return this.combine("UNION ALL", recursive);
  }
  union(recursive: { readonly node: SelectableNode }): CTE<C> {
    return this.combine("UNION", recursive);
  }
  private combine(operator: "UNION" | "UNION ALL", other: { readonly node: SelectableNode }): CTE<C> {
    const body: SelectableNode = Object.freeze({
      kind: "compound",
      operator,
      selects: [this.node.select, other.node],
      orderBy: [],
      limit: null,
      offset: null,
    });
    // The recursive member refers to this CTE by name; the combined CTE keeps the name and columns.
    return new CTE<C>(body, this.node.name, this.specs, this.node.recursive);
  }
}

/**
 * `left JOIN right ON ...` as a FROM element (select().join() builds these for you).
 *
 * ```ts
 * select(users.c.name, addresses.c.email).join(addresses); // FROM user_account JOIN address ON ...
 * ```
 */
export class Join extends FromClause<ColumnCollection> {
  readonly node: JoinNode;
  readonly c: ColumnCollection;
  constructor(
    readonly left: FromClause,
    readonly right: FromClause,
    on: ExprNode,
    type: JoinNode["type"],
  ) {
    super();
    this.node = Object.freeze({ kind: "join", left: left.node, right: right.node, on, type });
    this.c = Object.freeze({ ...left.c, ...right.c });
  }
}

/**
 * Infers `ON` for joining `right` to `left` from foreign keys between them (either direction), as SQLAlchemy does.
 * Throws when there is no foreign key path or more than one.
 */
export function inferJoinCondition(left: readonly FromClause[], right: FromClause): ColumnElement<boolean> {
  const candidates: ColumnElement<boolean>[] = [];
  const describe = (f: FromClause) => ("name" in f.node ? `${f.node.kind === "table" ? "" : `${f.node.kind} `}${f.node.name}` : f.node.kind);
  for (const l of left) {
    for (const [from, to] of [
      [right, l],
      [l, right],
    ] as const) {
      for (const fk of from.foreignKeyLinks()) {
        // `to` may be the referred table, an alias of it, or a subquery / CTE selecting the referred columns.
        const referred = fk.referredColumns.map((name) => to.columnFor(fk.referredTable, name));
        if (referred.some((r) => r === null)) continue;
        // Referred column first, as SQLAlchemy writes it: `user_account.id = address.user_id`.
        const pairs = fk.columns.map((col, i) => (referred[i] as ColumnElement<unknown>).eq(col as ColumnElement<unknown>));
        candidates.push(and_(...pairs));
      }
    }
  }
  if (candidates.length === 1) return candidates[0];
  const names = `${left.map(describe).join(", ")} and ${describe(right)}`;
  if (candidates.length === 0)
    throw new ArgumentError(`cannot infer a join condition between ${names}: no foreign key links them; pass the ON clause, e.g. .join(b, a.c.bId.eq(b.c.id))`);
  throw new ArgumentError(`cannot infer a join condition between ${names}: more than one foreign key links them; pass the ON clause explicitly`);
}

/** For each table, its columns (by SQL name) that a subquery's or CTE's columns stand for. */
type TableProxies = Map<TableNode, Map<string, ColumnClause<unknown>>>;

/**
 * The table columns a SELECT used as a FROM element passes through: in `SELECT t.a, t.b AS x FROM t`, the
 * subquery's `a` and `x` stand for `t.a` and `t.b` (the first SELECT of a UNION speaks for it), as in SQLAlchemy.
 */
function tableProxies(select: SelectableNode, specs: readonly ColumnSpec[], c: ColumnCollection): TableProxies {
  const out: TableProxies = new Map();
  let s: SelectableNode = select;
  while (s.kind === "compound") s = s.selects[0];
  if (s.kind !== "select") return out;
  for (let i = 0; i < s.columns.length && i < specs.length; i++) {
    const expr = s.columns[i];
    const inner = expr.kind === "label" ? expr.element : expr;
    if (inner.kind !== "column" || inner.from === null || inner.from.kind !== "table") continue;
    let cols = out.get(inner.from);
    if (!cols) out.set(inner.from, (cols = new Map()));
    if (!cols.has(inner.name)) cols.set(inner.name, c[specs[i].key]);
  }
  return out;
}

/** The foreign keys of the tables a subquery passes through whose every column it selects. */
function proxiedForeignKeys(proxies: TableProxies): ForeignKeyLink[] {
  const links: ForeignKeyLink[] = [];
  for (const [table, cols] of proxies) {
    // Table objects are their own nodes and FROM elements.
    for (const fk of (table as unknown as FromClause).foreignKeyLinks()) {
      const columns = fk.columns.map((col) => cols.get(col.name));
      if (columns.every((col) => col !== undefined)) links.push({ ...fk, columns: columns as ColumnClause<unknown>[] });
    }
  }
  return links;
}

function keyOfName(from: FromClause, name: string): string {
  for (const col of from.columnList) if (col.name === name) return col.key;
  return name;
}
