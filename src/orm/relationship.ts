/**
 * `relationship.many()` / `relationship.one()`: how two mapped classes refer to each other.
 *
 * The target is a thunk (`() => Address`) whose type is a *naked* type parameter constrained by `Function` — a
 * constraint without a call signature, so TypeScript never resolves the target class while the base class of the
 * model is being built (that is what makes mutual and self-referential models type-check; see
 * shared/prototypes/model-typing). The thunk's return type is unwrapped lazily where the attribute type is computed.
 */
import type { ColumnElement, OrderBy } from "../sql/ast/expression.js";
import type { TableObject } from "../sql/schema/table.js";

/**
 * How a relationship loads when its owner is loaded (DESIGN §5: nothing loads implicitly on attribute access).
 *
 * ```ts
 * addresses: relationship.many(() => Address, { lazy: "selectin" })
 * ```
 */
export type LazyStrategy = "raise" | "selectin" | "joined";

/**
 * Options of relationship.many() / relationship.one().
 *
 * ```ts
 * relationship.many(() => Address, { backPopulates: "user", cascade: "all, delete-orphan", orderBy: () => Address.c.id })
 * ```
 */
export interface RelationshipOptions {
  /** The attribute on the target class that points back here; both sides are kept in sync in memory. */
  readonly backPopulates?: string;
  /**
   * Cascades, comma-separated: `save-update`, `merge`, `delete`, `delete-orphan`, `expunge`, `refresh-expire`,
   * `all` (all but delete-orphan). Default `"save-update, merge"`.
   */
  readonly cascade?: string;
  /** Loading strategy when the owner is loaded (default "raise": load it explicitly or with an option). */
  readonly lazy?: LazyStrategy;
  /** Association table of a many-to-many relationship (a Table, or its name in the same MetaData). */
  readonly secondary?: TableObject | string;
  /** Order of collection items when loaded: `() => Address.c.emailAddress` (a thunk: the target class may not exist yet). */
  readonly orderBy?: () => ColumnElement<unknown> | OrderBy | readonly (ColumnElement<unknown> | OrderBy)[];
  /** Deleting the owner relies on the database's `ON DELETE CASCADE` instead of loading the children. */
  readonly passiveDeletes?: boolean;
  /** The foreign key columns to use when more than one links the tables: attribute names of either side. */
  readonly foreignKeys?: readonly string[];
  /** relationship.one(): the attribute may be null (types it `T | null`). */
  readonly nullable?: boolean;
  /**
   * Read-only: never written by a flush, and no save-update or delete cascades (for a second, filtered or differently
   * ordered view of the same rows).
   */
  readonly viewonly?: boolean;
  /** Write the foreign key with a separate UPDATE after both rows exist (breaks cycles of mutually dependent rows). */
  readonly postUpdate?: boolean;
}

declare const manyBrand: unique symbol;

/**
 * A relationship declaration in a model shape. `Thunk` is the target thunk's own type; `Many` its cardinality.
 *
 * ```ts
 * const def = relationship.one(() => User, { backPopulates: "addresses" }); // RelationshipDef<() => typeof User, false>
 * ```
 */
export interface RelationshipDef<Thunk, Many extends boolean, Nullable extends boolean = false> {
  readonly kind: "relationship";
  readonly target: Thunk;
  readonly many: Many;
  readonly options: RelationshipOptions;
  readonly [manyBrand]?: Nullable;
}

function make<Thunk, M extends boolean, N extends boolean>(target: Thunk, many: M, options: RelationshipOptions): RelationshipDef<Thunk, M, N> {
  return Object.freeze({ kind: "relationship", target, many, options: Object.freeze({ ...options }) }) as RelationshipDef<Thunk, M, N>;
}

/**
 * Declares a relationship to another mapped class.
 *
 * ```ts
 * addresses: relationship.many(() => Address, { backPopulates: "user", cascade: "all, delete-orphan" }),
 * user: relationship.one(() => User, { backPopulates: "addresses" }),
 * parent: relationship.one(() => Node, { backPopulates: "children", nullable: true }),
 * ```
 */
export const relationship = {
  /** A collection (one-to-many, or many-to-many with `secondary`): an array of target objects. */
  many<Thunk extends Function>(target: Thunk, options: RelationshipOptions = {}): RelationshipDef<Thunk, true> {
    return make(target, true, options);
  },
  /** A single object (many-to-one, or one-to-one). */
  one<Thunk extends Function, const O extends RelationshipOptions = {}>(
    target: Thunk,
    options?: O,
  ): RelationshipDef<Thunk, false, O extends { nullable: true } ? true : false> {
    return make(target, false, options ?? {});
  },
};
