/**
 * select(): the immutable SELECT builder. Every method returns a new Select.
 */
import { ArgumentError } from "../../util/errors.js";
import { KEEP, keepSeveral } from "../../util/keep-alive.js";
import { describeValue } from "../../util/show.js";
import { statementKey } from "../compiler/cache-key.js";
import type { SqlType } from "../types/sql-type.js";
import { Boolean as BooleanType, Integer } from "../types/standard.js";
import { andCriteria, conjunction } from "./boolean.js";
import { ENTITY, type EntityInfo, type EntityLike, isEntityLike, isJoinTargetLike, JOIN_TARGET } from "./entity.js";
import { bind, ColumnElement, type OrderBy, renderHook } from "./expression.js";
import { ColumnClause, type ColumnSpec, CTE, FromClause, inferJoinCondition, Join, Subquery } from "./from.js";
import type { ExprNode, ForUpdateClause, FromNode, SelectableNode, SelectElement, SelectNode } from "./nodes.js";
import type { Condition, JoinOptions, JoinTarget, RowNames, RowTuple, SelectItem, StatementOption } from "./select-types.js";

export type { Condition, ItemValue, JoinOptions, JoinTarget, RowNames, RowTuple, SelectItem, StatementOption } from "./select-types.js";

const INT = Integer as SqlType<unknown>;

function fromOf(target: FromClause<any> | EntityLike): FromClause {
  if (target instanceof FromClause) return target;
  return target[ENTITY].from;
}

/** Every FromClause inside a join tree, left to right. */
function flattenFroms(f: FromClause): FromClause[] {
  return f instanceof Join ? [...flattenFroms(f.left), ...flattenFroms(f.right)] : [f];
}

/** The bound value of `limit(n)` / `offset(n)`. */
function rowCount(what: "limit" | "offset", n: number): ExprNode {
  if (!Number.isSafeInteger(n) || n < 0) throw new ArgumentError(`${what}(${n}): expected a non-negative integer`);
  return bind(n, INT);
}

/** An empty SELECT: what a new one starts from (its lists shared: nodes are immutable, builders copy, never change). */
const NO_NODES: readonly never[] = Object.freeze([]);
const EMPTY_SELECT: SelectNode = Object.freeze({
  kind: "select",
  columns: NO_NODES,
  elements: NO_NODES,
  from: NO_NODES,
  where: null,
  groupBy: NO_NODES,
  having: null,
  orderBy: NO_NODES,
  limit: null,
  offset: null,
  distinct: false,
  distinctOn: NO_NODES,
  forUpdate: null,
  correlate: null,
  annotations: Object.freeze({}),
});

/** A SELECT of these columns and nothing else yet. */
function selectNode(columns: readonly ExprNode[], elements: readonly SelectElement[]): SelectNode {
  return changedSelectNode(EMPTY_SELECT, { columns, elements });
}

/**
 * A copy of a SELECT node with some fields changed, written out field by field: V8 builds this literal with one fixed
 * shape (about 45 ns), where `{ ...node, ...changes }` copied property by property (about 240 ns, once per `where()`).
 */
function changedSelectNode(n: SelectNode, c: Partial<SelectNode>): SelectNode {
  return Object.freeze({
    kind: "select",
    columns: c.columns ?? n.columns,
    elements: c.elements ?? n.elements,
    from: c.from ?? n.from,
    where: c.where !== undefined ? c.where : n.where,
    groupBy: c.groupBy ?? n.groupBy,
    having: c.having !== undefined ? c.having : n.having,
    orderBy: c.orderBy ?? n.orderBy,
    limit: c.limit !== undefined ? c.limit : n.limit,
    offset: c.offset !== undefined ? c.offset : n.offset,
    distinct: c.distinct ?? n.distinct,
    distinctOn: c.distinctOn ?? n.distinctOn,
    forUpdate: c.forUpdate !== undefined ? c.forUpdate : n.forUpdate,
    correlate: c.correlate !== undefined ? c.correlate : n.correlate,
    annotations: c.annotations ?? n.annotations,
  });
}

interface EntityParts {
  readonly columns: readonly ExprNode[];
  readonly elements: readonly SelectElement[];
  readonly columnItems: readonly ColumnElement<unknown>[];
}

/**
 * The column list of `select(Entity)`, made once per entity and shared (frozen) by every such statement: nothing to
 * copy per query, and the statement cache key of a shared list is computed once (see cache-key.ts).
 */
const entityPartsCache = new WeakMap<EntityInfo, EntityParts>();

function entityParts(info: EntityInfo): EntityParts {
  let parts = entityPartsCache.get(info);
  if (parts === undefined) {
    const element: SelectElement = Object.freeze({ name: info.name, start: 0, count: info.columns.length, entity: info.entity });
    parts = {
      columns: Object.freeze(info.columns.map((c) => c.node)),
      elements: Object.freeze([element]),
      columnItems: Object.freeze([...info.columns]),
    };
    entityPartsCache.set(info, parts);
  }
  return parts;
}

/** Shared by Select and CompoundSelect: ORDER BY items as nodes. */
export function orderByNodes(items: readonly (ColumnElement<unknown> | OrderBy)[]): ExprNode[] {
  return items.map((i) => i.node);
}

/**
 * A SELECT statement. `T` is the tuple type of its rows, `N` their named fields.
 *
 * ```ts
 * const stmt = select(userTable.c.id, userTable.c.name).where(userTable.c.name.eq("spongebob"));
 * const rows = (await conn.execute(stmt)).all(); // [number, string | null][]
 * ```
 */
export class Select<T extends readonly unknown[] = unknown[], N = {}> {
  declare readonly __row?: T;
  declare readonly __names?: N;
  private constructor(
    readonly node: SelectNode,
    /** Explicit FROM wrappers (for join inference), parallel to node.from. */
    private readonly froms: readonly FromClause[],
    /** Column wrappers (for subquery/CTE column specs), parallel to node.elements' columns. */
    private readonly columnItems: readonly ColumnElement<unknown>[],
  ) {
    keepSeveral(KEEP.select, this);
  }

  /** @internal */
  static create<T extends readonly unknown[], N>(items: readonly SelectItem[]): Select<T, N> {
    const only = items.length === 1 && !(items[0] instanceof ColumnElement) && !(items[0] instanceof FromClause) ? items[0] : null;
    if (only !== null && isEntityLike(only)) {
      const parts = entityParts(only[ENTITY]);
      return new Select<T, N>(selectNode(parts.columns, parts.elements), [], parts.columnItems);
    }
    const columns: ExprNode[] = [];
    const elements: SelectElement[] = [];
    const columnItems: ColumnElement<unknown>[] = [];
    for (const item of items) {
      if (item instanceof ColumnElement) {
        elements.push({ name: nameOf(item), start: columns.length, count: 1, entity: null });
        columns.push(item.node);
        columnItems.push(item);
      } else if (item instanceof FromClause) {
        for (const col of item.columnList) {
          elements.push({ name: col.key, start: columns.length, count: 1, entity: null });
          columns.push(col.node);
          columnItems.push(col);
        }
      } else if (isEntityLike(item)) {
        const info = item[ENTITY];
        elements.push({ name: info.name, start: columns.length, count: info.columns.length, entity: info.entity });
        for (const col of info.columns) {
          columns.push(col.node);
          columnItems.push(col);
        }
      } else {
        throw new ArgumentError(`select() cannot select ${describeValue(item)}: pass columns, expressions, tables or mapped classes`);
      }
    }
    return new Select<T, N>(selectNode(columns, elements), [], columnItems);
  }

  private with(changes: Partial<SelectNode>, froms: readonly FromClause[] = this.froms, columnItems = this.columnItems): Select<T, N> {
    return new Select<T, N>(changedSelectNode(this.node, changes), froms, columnItems);
  }

  /** Adds WHERE criteria (joined with AND to any already there). */
  where(...conditions: Condition[]): Select<T, N> {
    return this.with({ where: andCriteria(this.node.where, conditions) });
  }
  /** Alias of where(), as in SQLAlchemy. */
  filter(...conditions: Condition[]): Select<T, N> {
    return this.where(...conditions);
  }

  /** Adds FROM elements explicitly (for a SELECT whose columns name no table, or to control join order). */
  selectFrom(...froms: (FromClause<any> | EntityLike)[]): Select<T, N> {
    const wrappers = froms.map(fromOf);
    return this.with({ from: [...this.node.from, ...wrappers.map((f) => f.node)] }, [...this.froms, ...wrappers]);
  }

  /**
   * `JOIN target ON ...`. The ON clause is inferred from foreign keys when left out; the left side is the last explicit
   * FROM, or the first FROM of the selected columns that the target can be joined to.
   *
   * ```ts
   * select(userTable.c.name, addressTable.c.emailAddress).join(addressTable)
   * select(User).join(User.addresses).where(Address.c.emailAddress.eq("x"))
   * ```
   */
  join(target: JoinTarget, on?: Condition, options: JoinOptions = {}): Select<T, N> {
    return this.joinTo(this.froms.length > 0 ? this.froms.length - 1 : null, null, target, on, options);
  }

  /**
   * `JOIN` with an explicit left side, like SQLAlchemy's `join_from()`: the ON clause is inferred between `left` and
   * `target` only. `left` joins the FROM element that already holds it, or starts a new one.
   *
   * ```ts
   * const counts = select(addressTable.c.userId, func.count().label("n")).groupBy(addressTable.c.userId).subquery();
   * select(userTable.c.name, counts.c.n).joinFrom(userTable, counts); // ON user_account.id = anon_1.user_id
   * ```
   */
  joinFrom(left: FromClause<any> | EntityLike, target: JoinTarget, on?: Condition, options: JoinOptions = {}): Select<T, N> {
    const l = fromOf(left);
    const at = this.froms.findIndex((f) => flattenFroms(f).some((x) => x.node === l.node));
    if (at >= 0) return this.joinTo(at, l, target, on, options);
    const started = this.selectFrom(left);
    return started.joinTo(started.froms.length - 1, l, target, on, options);
  }

  /** Joins `target` to the explicit FROM at `index` (or to a FROM of the selected columns), inferring ON from `from`. */
  private joinTo(index: number | null, from: FromClause | null, target: JoinTarget, on: Condition | undefined, options: JoinOptions): Select<T, N> {
    const type = options.full ? "FULL" : options.isOuter ? "LEFT" : "INNER";
    const candidates = index !== null ? [this.froms[index]] : this.columnFroms();
    if (candidates.length === 0) throw new ArgumentError("join(): this SELECT has no FROM to join to; select columns first or call selectFrom()");
    let right: FromClause;
    let onNode: ExprNode;
    let left: FromClause;
    if (isJoinTargetLike(target)) {
      left = candidates.length === 1 ? candidates[0] : this.pickLeft(candidates, target);
      const info = target[JOIN_TARGET](from ? [from] : flattenFroms(left));
      if (info.through) left = new Join(left, info.through.from, info.through.on.node, type);
      right = info.right;
      onNode = on ? conjunction("AND", [info.on.node, on.node]) : info.on.node;
    } else {
      right = fromOf(target);
      if (on) {
        left = candidates[0];
        onNode = on.node;
      } else {
        left = candidates.length === 1 ? candidates[0] : this.pickLeft(candidates, target);
        onNode = inferJoinCondition(from ? [from] : flattenFroms(left), right).node;
      }
    }
    const joined = new Join(left, right, onNode, type);
    const froms = index !== null ? this.froms.map((f, i) => (i === index ? joined : f)) : [...this.froms, joined];
    return this.with({ from: froms.map((f) => f.node) }, froms);
  }
  /** `LEFT OUTER JOIN`. */
  outerJoin(target: JoinTarget, on?: Condition, options: { full?: boolean } = {}): Select<T, N> {
    return this.join(target, on, { isOuter: true, full: options.full });
  }
  /** `FULL OUTER JOIN`. */
  fullJoin(target: JoinTarget, on?: Condition): Select<T, N> {
    return this.join(target, on, { full: true });
  }

  private pickLeft(candidates: readonly FromClause[], target: JoinTarget): FromClause {
    for (const c of candidates) {
      try {
        if (isJoinTargetLike(target)) target[JOIN_TARGET](flattenFroms(c));
        else inferJoinCondition(flattenFroms(c), fromOf(target));
        return c;
      } catch {
        // not joinable from this candidate; try the next one
      }
    }
    return candidates[0];
  }

  /** The distinct FROM elements of the selected columns, in order. */
  private columnFroms(): FromClause[] {
    const out: FromClause[] = [];
    const seen = new Set<FromNode>();
    for (const col of this.columnItems) {
      const from = fromWrapperOf(col);
      if (from && !seen.has(from.node)) {
        seen.add(from.node);
        out.push(from);
      }
    }
    return out;
  }

  groupBy(...exprs: ColumnElement<unknown>[]): Select<T, N> {
    return this.with({ groupBy: [...this.node.groupBy, ...exprs.map((e) => e.node)] });
  }
  having(...conditions: Condition[]): Select<T, N> {
    return this.with({ having: andCriteria(this.node.having, conditions) });
  }
  /** ORDER BY; `col.desc()`, `col.asc().nullsLast()`. */
  orderBy(...items: (ColumnElement<unknown> | OrderBy)[]): Select<T, N> {
    return this.with({ orderBy: [...this.node.orderBy, ...orderByNodes(items)] });
  }
  limit(n: number): Select<T, N> {
    return this.with({ limit: rowCount("limit", n) });
  }
  offset(n: number): Select<T, N> {
    return this.with({ offset: rowCount("offset", n) });
  }
  /** SELECT DISTINCT. */
  distinct(): Select<T, N> {
    return this.with({ distinct: true });
  }
  /** PostgreSQL `DISTINCT ON (exprs)`; other dialects raise a CompileError. */
  distinctOn(...exprs: ColumnElement<unknown>[]): Select<T, N> {
    return this.with({ distinct: true, distinctOn: exprs.map((e) => e.node) });
  }
  /** `FOR UPDATE [OF ...] [NOWAIT | SKIP LOCKED]` (`read: true` for FOR SHARE); ignored where the database has no row locks. */
  forUpdate(options: { nowait?: boolean; skipLocked?: boolean; read?: boolean; of?: (FromClause<any> | EntityLike)[] } = {}): Select<T, N> {
    const forUpdate: ForUpdateClause = {
      mode: options.read ? "SHARE" : "UPDATE",
      nowait: options.nowait ?? false,
      skipLocked: options.skipLocked ?? false,
      of: (options.of ?? []).map((f) => fromOf(f).node),
    };
    return this.with({ forUpdate });
  }
  /** FROM elements that come from the enclosing query when this SELECT is a correlated subquery. */
  correlate(...froms: (FromClause<any> | EntityLike)[]): Select<T, N> {
    return this.with({ correlate: [...(this.node.correlate ?? []), ...froms.map((f) => fromOf(f).node)] });
  }
  /** Adds columns to the SELECT list. */
  addColumns<const E extends readonly ColumnElement<any, any>[]>(...items: E): Select<[...T, ...RowTuple<E>], N & RowNames<E>> {
    const next = Select.create<[...T, ...RowTuple<E>], N & RowNames<E>>(items);
    const elements = next.node.elements.map((e) => ({ ...e, start: e.start + this.node.columns.length }));
    return new Select(
      changedSelectNode(this.node, { columns: [...this.node.columns, ...next.node.columns], elements: [...this.node.elements, ...elements] }),
      this.froms,
      [...this.columnItems, ...next.columnItems],
    );
  }
  /** Attaches options for higher layers (the ORM's loader options: selectinload, joinedload, ...). */
  options(...options: StatementOption[]): Select<T, N> {
    const existing = (this.node.annotations.options as StatementOption[] | undefined) ?? [];
    return this.with({ annotations: { ...this.node.annotations, options: [...existing, ...options] } });
  }
  /**
   * Loads this SELECT's entities from another statement (textual SQL, or a different SELECT): its result columns are
   * matched to the entities' columns by name.
   *
   * ```ts
   * const users = await session.scalars(select(User).fromStatement(text("SELECT * FROM user_account ORDER BY id")));
   * ```
   */
  fromStatement(stmt: { readonly node: SelectableNode }): Select<T, N> {
    return this.annotate("fromStatement", { cacheKey: `from(${statementKey(stmt.node).key})`, node: stmt.node });
  }

  /**
   * Options for the ORM when it runs this SELECT: `populateExisting` overwrites objects already in the Session with the
   * row's values (SQLAlchemy's `execution_options(populate_existing=True)`).
   *
   * ```ts
   * await session.scalars(select(User).executionOptions({ populateExisting: true }));
   * ```
   */
  executionOptions(options: { populateExisting?: boolean }): Select<T, N> {
    return options.populateExisting === undefined ? this : this.annotate("populateExisting", options.populateExisting);
  }

  /** @internal Sets an annotation (higher layers only). */
  annotate(key: string, value: unknown): Select<T, N> {
    return this.with({ annotations: { ...this.node.annotations, [key]: value } });
  }

  /** The selected columns' specs (key, SQL name, type), used to build subqueries and CTEs. */
  columnSpecs(): ColumnSpec[] {
    return this.columnItems.map((col, i) => {
      const key = nameOf(col) ?? `anon_${i + 1}`;
      const name = col.node.kind === "column" ? col.node.name : key;
      return { key, name, type: col.type as SqlType<unknown> };
    });
  }

  /**
   * This SELECT as a FROM element: `(SELECT ...) AS name`, with typed `.c`.
   *
   * ```ts
   * const sub = select(addressTable.c.userId, func.count().label("n")).groupBy(addressTable.c.userId).subquery("counts");
   * select(userTable.c.name, sub.c.n).join(sub, sub.c.userId.eq(userTable.c.id));
   * ```
   */
  subquery(name = "anon_1"): Subquery<ColumnsOf<N>> {
    return new Subquery<ColumnsOf<N>>(this.node, name, this.columnSpecs());
  }
  /** A LATERAL subquery (PostgreSQL, MySQL 8). */
  lateral(name = "anon_1"): Subquery<ColumnsOf<N>> {
    return new Subquery<ColumnsOf<N>>(this.node, name, this.columnSpecs(), true);
  }
  /**
   * A common table expression, rendered as `WITH name AS (...)` by the statement that uses it.
   *
   * ```ts
   * const tree = select(node.c.id).where(node.c.parentId.isNull()).cte("tree", { recursive: true });
   * const full = tree.unionAll(select(node.c.id).join(tree, node.c.parentId.eq(tree.c.id)));
   * ```
   */
  cte(name = "anon_1", options: { recursive?: boolean } = {}): CTE<ColumnsOf<N>> {
    return new CTE<ColumnsOf<N>>(this.node, name, this.columnSpecs(), options.recursive ?? false);
  }
  /**
   * This SELECT as a single value inside another statement: `(SELECT ...)`; correlated to the enclosing query's FROMs.
   *
   * ```ts
   * const count = select(func.count(addressTable.c.id)).where(addressTable.c.userId.eq(userTable.c.id)).scalarSubquery();
   * select(userTable.c.name, count.label("n"));
   * ```
   */
  scalarSubquery(): ColumnElement<T[0]> {
    const type = (this.columnItems[0]?.type ?? INT) as SqlType<T[0]>;
    return new ColumnElement(Object.freeze({ kind: "scalar-subquery", select: this.node }), type);
  }
  /** `EXISTS (this SELECT)`. */
  exists(): ColumnElement<boolean> {
    return new ColumnElement(Object.freeze({ kind: "exists", select: this.node }), BooleanType as SqlType<boolean>);
  }

  union(...others: Compoundable<T>[]): CompoundSelect<T, N> {
    return CompoundSelect.of("UNION", this, others);
  }
  unionAll(...others: Compoundable<T>[]): CompoundSelect<T, N> {
    return CompoundSelect.of("UNION ALL", this, others);
  }
  intersect(...others: Compoundable<T>[]): CompoundSelect<T, N> {
    return CompoundSelect.of("INTERSECT", this, others);
  }
  intersectAll(...others: Compoundable<T>[]): CompoundSelect<T, N> {
    return CompoundSelect.of("INTERSECT ALL", this, others);
  }
  except(...others: Compoundable<T>[]): CompoundSelect<T, N> {
    return CompoundSelect.of("EXCEPT", this, others);
  }
  exceptAll(...others: Compoundable<T>[]): CompoundSelect<T, N> {
    return CompoundSelect.of("EXCEPT ALL", this, others);
  }
  /** Readable SQL (generic dialect, parameters shown as `?`). */
  toString(): string {
    return renderHook.render(this.node);
  }
}

/** Typed `.c` of a subquery/CTE made from a SELECT with named fields N. */
export type ColumnsOf<N> = { readonly [K in keyof N & string]: ColumnClause<N[K], K> };

/** A statement usable in UNION/INTERSECT/EXCEPT with rows of type T. */
export interface Compoundable<T extends readonly unknown[]> {
  readonly node: SelectableNode;
  /** Members of a UNION need compatible, not identical, row types (a nullable column unions with a non-null one). */
  readonly __row?: { readonly [K in keyof T]: unknown };
}

/**
 * `SELECT ... UNION SELECT ...` (and INTERSECT / EXCEPT, with ALL variants).
 *
 * ```ts
 * const u = union(select(a.c.x), select(b.c.x)).orderBy(...);
 * ```
 */
export class CompoundSelect<T extends readonly unknown[] = unknown[], N = {}> {
  declare readonly __row?: T;
  declare readonly __names?: N;
  constructor(
    readonly node: SelectableNode & { kind: "compound" },
    private readonly first: Select<T, N>,
  ) {}
  /** @internal */
  static of<T extends readonly unknown[], N>(operator: CompoundOperator, first: Select<T, N>, others: readonly Compoundable<T>[]): CompoundSelect<T, N> {
    return new CompoundSelect<T, N>(
      Object.freeze({ kind: "compound", operator, selects: [first.node, ...others.map((o) => o.node)], orderBy: [], limit: null, offset: null }),
      first,
    );
  }
  private with(changes: Partial<CompoundSelect["node"]>): CompoundSelect<T, N> {
    return new CompoundSelect<T, N>(Object.freeze({ ...this.node, ...changes }), this.first);
  }
  orderBy(...items: (ColumnElement<unknown> | OrderBy)[]): CompoundSelect<T, N> {
    return this.with({ orderBy: [...this.node.orderBy, ...orderByNodes(items)] });
  }
  limit(n: number): CompoundSelect<T, N> {
    return this.with({ limit: rowCount("limit", n) });
  }
  offset(n: number): CompoundSelect<T, N> {
    return this.with({ offset: rowCount("offset", n) });
  }
  subquery(name = "anon_1"): Subquery<ColumnsOf<N>> {
    return new Subquery<ColumnsOf<N>>(this.node, name, this.columnSpecs());
  }
  cte(name = "anon_1", options: { recursive?: boolean } = {}): CTE<ColumnsOf<N>> {
    return new CTE<ColumnsOf<N>>(this.node, name, this.columnSpecs(), options.recursive ?? false);
  }
  /** The result columns' specs (of the first SELECT). */
  columnSpecs(): ColumnSpec[] {
    return this.first.columnSpecs();
  }
  toString(): string {
    return renderHook.render(this.node);
  }
}
type CompoundOperator = CompoundSelect["node"]["operator"];

function nameOf(item: ColumnElement<unknown, string>): string | null {
  if (item instanceof ColumnClause) return item.key;
  if (item.node.kind === "label") return item.node.name;
  return null;
}

function fromWrapperOf(col: ColumnElement<unknown>): FromClause | null {
  return col instanceof ColumnClause ? col.owner : null;
}

/**
 * Builds a SELECT of columns, expressions, tables or mapped classes. Rows are typed tuples.
 *
 * ```ts
 * select(userTable.c.id, userTable.c.name)          // Select<[number, string | null]>
 * select(User).where(User.c.name.in(["sandy"]))      // Select<[User]>
 * ```
 */
export function select<const E extends readonly SelectItem[]>(...items: E): Select<RowTuple<E>, RowNames<E>> {
  return Select.create<RowTuple<E>, RowNames<E>>(items);
}

/**
 * Module-level UNION etc., as in SQLAlchemy: `union(s1, s2, ...)`.
 *
 * ```ts
 * union(select(a.c.x), select(b.c.x))
 * ```
 */
export function union<T extends readonly unknown[], N>(first: Select<T, N>, ...others: Compoundable<T>[]): CompoundSelect<T, N> {
  return first.union(...others);
}
/**
 * `UNION ALL` of several SELECTs (duplicates kept).
 *
 * ```ts
 * unionAll(select(users.c.name).where(users.c.id.eq(1)), select(users.c.name).where(users.c.id.eq(2)))
 * ```
 */
export function unionAll<T extends readonly unknown[], N>(first: Select<T, N>, ...others: Compoundable<T>[]): CompoundSelect<T, N> {
  return first.unionAll(...others);
}
/**
 * `INTERSECT` of several SELECTs: the rows in all of them.
 *
 * ```ts
 * intersect(select(users.c.id), select(addresses.c.userId))
 * ```
 */
export function intersect<T extends readonly unknown[], N>(first: Select<T, N>, ...others: Compoundable<T>[]): CompoundSelect<T, N> {
  return first.intersect(...others);
}
/**
 * `EXCEPT`: the rows of the first SELECT that are not in the others (`except` is a reserved word, hence `except_`).
 *
 * ```ts
 * except_(select(users.c.id), select(addresses.c.userId)) // users without an address
 * ```
 */
export function except_<T extends readonly unknown[], N>(first: Select<T, N>, ...others: Compoundable<T>[]): CompoundSelect<T, N> {
  return first.except(...others);
}
/**
 * `EXISTS (SELECT ...)`.
 *
 * ```ts
 * select(userTable.c.name).where(exists(select(addressTable.c.id).where(addressTable.c.userId.eq(userTable.c.id))))
 * ```
 */
export function exists(stmt: Select<any, any>): ColumnElement<boolean> {
  return stmt.exists();
}
