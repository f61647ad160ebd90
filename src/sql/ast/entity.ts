/**
 * How higher layers (the ORM) plug their objects into Core statements without Core knowing them:
 * a mapped class or an aliased class exposes `[ENTITY]`, a relationship attribute exposes `[JOIN_TARGET]`.
 */
import type { ColumnElement } from "./expression.js";
import type { FromClause } from "./from.js";

/**
 * Key of the entity protocol: a mapped class (or an aliased one) exposes `[ENTITY]` so Core can select it.
 *
 * ```ts
 * User[ENTITY].columns; // the columns select(User) reads
 * ```
 */
export const ENTITY: unique symbol = Symbol.for("crucible.entity") as never;
/**
 * Key of the join-target protocol: a relationship attribute exposes `[JOIN_TARGET]` so `join(User.addresses)` works.
 *
 * ```ts
 * select(User).join(User.addresses); // Core calls User.addresses[JOIN_TARGET]([user_account])
 * ```
 */
export const JOIN_TARGET: unique symbol = Symbol.for("crucible.joinTarget") as never;

/**
 * What a selectable entity (a mapped class, or an alias of one) tells Core.
 *
 * ```ts
 * const info: EntityInfo = User[ENTITY]; // { from: user_account, columns: [...], name: "User", entity: ... }
 * ```
 */
export interface EntityInfo {
  /** The FROM element the entity's columns belong to (its table, or an alias of it). */
  readonly from: FromClause;
  /** The columns selected for the entity, in the order the ORM reads them back. */
  readonly columns: readonly ColumnElement<unknown>[];
  /** Name of the entity in result rows (`row.User`). */
  readonly name: string;
  /** Opaque to Core: the ORM's own description (mapper and alias), kept in the SELECT for hydration. */
  readonly entity: unknown;
}

/**
 * A mapped class or an aliased class: anything `select()` accepts as an entity.
 *
 * ```ts
 * const e: EntityLike = aliased(User);
 * select(e);
 * ```
 */
export interface EntityLike {
  readonly [ENTITY]: EntityInfo;
}

/**
 * What a relationship attribute tells Core when used in `select(...).join(User.addresses)`.
 *
 * ```ts
 * User.addresses[JOIN_TARGET]([User.__table__]); // { right: address, on: user_account.id = address.user_id }
 * ```
 */
export interface JoinTargetInfo {
  readonly right: FromClause;
  readonly on: ColumnElement<boolean>;
  /** Extra FROM elements joined first (the association table of a many-to-many relationship). */
  readonly through?: { readonly from: FromClause; readonly on: ColumnElement<boolean> };
}

/**
 * A relationship attribute usable as a join target.
 *
 * ```ts
 * const target: JoinTargetLike = User.addresses;
 * select(User).join(target);
 * ```
 */
export interface JoinTargetLike {
  readonly [JOIN_TARGET]: (left: readonly FromClause[]) => JoinTargetInfo;
}

export function isEntityLike(x: unknown): x is EntityLike {
  return (typeof x === "function" || (typeof x === "object" && x !== null)) && ENTITY in (x as object);
}

export function isJoinTargetLike(x: unknown): x is JoinTargetLike {
  return (typeof x === "function" || (typeof x === "object" && x !== null)) && JOIN_TARGET in (x as object);
}
