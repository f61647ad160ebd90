/**
 * Loader options: `selectinload`, `joinedload`, `raiseload` — per query, chainable along a path.
 */
import type { StatementOption } from "../../sql/ast/select.js";
import type { LazyStrategy } from "../relationship.js";
import type { RelationshipAttribute } from "../relationship-attribute.js";
import type { RelationshipProperty } from "../relationship-property.js";

/** One step of a loader path: a relationship and how to load it. */
export interface LoaderStep {
  readonly attr: RelationshipAttribute<any, any>;
  readonly strategy: LazyStrategy;
}

/**
 * A loader option for `select(...).options(...)`. Chain further steps for relationships of the loaded objects.
 *
 * ```ts
 * select(User).options(selectinload(User.addresses).joinedload(Address.tags))
 * ```
 */
export class LoaderOption<Target = unknown> implements StatementOption {
  readonly optionKind = "loader";
  declare readonly __target?: Target;
  constructor(readonly path: readonly LoaderStep[]) {}

  get cacheKey(): string {
    return `load(${this.path.map((p) => `${p.attr}:${p.strategy}`).join("/")})`;
  }

  private step<U>(attr: RelationshipAttribute<U, any>, strategy: LazyStrategy): LoaderOption<U> {
    return new LoaderOption<U>([...this.path, { attr, strategy }]);
  }
  /** Loads a relationship of the objects this option loads, with a second SELECT ... IN. */
  selectinload<U>(attr: RelationshipAttribute<U, any>): LoaderOption<U> {
    return this.step(attr, "selectin");
  }
  /** Loads a relationship of the objects this option loads, with a LEFT OUTER JOIN. */
  joinedload<U>(attr: RelationshipAttribute<U, any>): LoaderOption<U> {
    return this.step(attr, "joined");
  }
  /** Leaves a relationship of the loaded objects unloaded (reading it raises). */
  raiseload<U>(attr: RelationshipAttribute<U, any>): LoaderOption<U> {
    return this.step(attr, "raise");
  }
}

/**
 * Loads a relationship for all objects of the query with one extra `SELECT ... WHERE key IN (...)` (chunked).
 *
 * ```ts
 * await session.scalars(select(User).options(selectinload(User.addresses)));
 * ```
 */
export function selectinload<T>(attr: RelationshipAttribute<T, any>): LoaderOption<T> {
  return new LoaderOption<T>([{ attr, strategy: "selectin" }]);
}

/**
 * Loads a relationship in the same query with a LEFT OUTER JOIN.
 *
 * ```ts
 * await session.scalars(select(Address).options(joinedload(Address.user)));
 * ```
 */
export function joinedload<T>(attr: RelationshipAttribute<T, any>): LoaderOption<T> {
  return new LoaderOption<T>([{ attr, strategy: "joined" }]);
}

/**
 * Does not load a relationship (overriding its `lazy` setting); reading it raises UnloadedRelationshipError.
 *
 * ```ts
 * select(User).options(raiseload(User.addresses))
 * ```
 */
export function raiseload<T>(attr: RelationshipAttribute<T, any>): LoaderOption<T> {
  return new LoaderOption<T>([{ attr, strategy: "raise" }]);
}

/**
 * How `rel` loads under these loader paths: the strategy of the last path starting with it (else its `lazy` setting),
 * and the rest of the paths that start with it.
 */
export function strategyFor(
  rel: RelationshipProperty,
  paths: readonly (readonly LoaderStep[])[],
): { strategy: LazyStrategy; nested: (readonly LoaderStep[])[] } {
  let strategy = rel.lazy;
  const nested: (readonly LoaderStep[])[] = [];
  for (const p of paths) {
    if (p.length === 0 || p[0].attr.property !== rel) continue;
    strategy = p[0].strategy;
    if (p.length > 1) nested.push(p.slice(1));
  }
  return { strategy, nested };
}

/** Loader options of a statement. */
export function loaderOptionsOf(annotations: Readonly<Record<string, unknown>>): LoaderOption[] {
  const options = annotations.options as readonly unknown[] | undefined;
  return (options ?? []).filter((o): o is LoaderOption => o instanceof LoaderOption);
}
