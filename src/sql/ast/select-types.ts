/**
 * The types of select(): what can be selected, the row types it infers, conditions, options and join targets.
 * Types only (select.ts re-exports them).
 */
import type { EntityLike, JoinTargetLike } from "./entity.js";
import type { ColumnElement } from "./expression.js";
import type { FromClause } from "./from.js";

/**
 * What can be selected: an expression, a FROM element (all its columns) or a mapped class.
 *
 * ```ts
 * select(users.c.id, func.count().label("n"), addresses, User);
 * ```
 */
export type SelectItem = ColumnElement<any, any> | FromClause<any> | EntityLike;

type InstanceOfEntity<E> = E extends abstract new (...args: any) => infer I ? I : E extends { readonly __instance?: infer I } ? I : unknown;
/** The TS value of one selected item. */
export type ItemValue<E> =
  E extends ColumnElement<infer T, infer _N> ? T : E extends FromClause<any> ? unknown : E extends EntityLike ? InstanceOfEntity<E> : never;
type AnyFrom<E extends readonly unknown[]> = true extends { [K in keyof E]: E[K] extends FromClause<any> ? true : false }[number] ? true : false;
/**
 * The tuple type of a row of `select(...items)`.
 *
 * ```ts
 * type R = RowTuple<[typeof users.c.id, typeof users.c.name]>; // [number, string | null]
 * ```
 */
export type RowTuple<E extends readonly unknown[]> = AnyFrom<E> extends true ? unknown[] : { -readonly [K in keyof E]: ItemValue<E[K]> };
type ItemNames<E> =
  E extends ColumnElement<infer T, infer N>
    ? [N] extends [never]
      ? {}
      : { [K in N]: T }
    : E extends FromClause<infer C>
      ? { [K in keyof C]: C[K] extends ColumnElement<infer T, infer _N> ? T : never }
      : {};
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/**
 * The named fields of a row of `select(...items)`: `row.name` for columns and labels.
 *
 * ```ts
 * type N = RowNames<[typeof users.c.id, typeof users.c.name]>; // { id: number; name: string | null }
 * ```
 */
export type RowNames<E extends readonly unknown[]> = { [K in keyof UnionToIntersection<ItemNames<E[number]>>]: UnionToIntersection<ItemNames<E[number]>>[K] };

/**
 * A condition: a boolean expression (or trusted text()).
 *
 * ```ts
 * select(users).where(users.c.id.gt(1), text("name <> 'admin'"));
 * ```
 */
export type Condition = ColumnElement<boolean> | ColumnElement<boolean | null> | (ColumnElement<unknown> & { readonly node: { readonly kind: "text" } });

/**
 * Something the ORM can pass in `.options(...)`; opaque to Core (loader options implement it).
 *
 * ```ts
 * select(User).options(selectinload(User.addresses)); // a LoaderOption is a StatementOption
 * ```
 */
export interface StatementOption {
  readonly optionKind: string;
  /** A stable description of the option for the statement cache key. */
  readonly cacheKey: string;
}

/** Options of join(). */
export interface JoinOptions {
  readonly isOuter?: boolean;
  readonly full?: boolean;
}

/** A FROM target for join(): a FROM element, a mapped class, or a relationship attribute (`User.addresses`). */
export type JoinTarget = FromClause<any> | EntityLike | JoinTargetLike;
