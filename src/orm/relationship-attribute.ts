/**
 * Class-level relationship attributes (`User.addresses`): what joins (`select(User).join(User.addresses)`) and loader
 * options (`selectinload(User.addresses)`) take.
 */
import { and_ } from "../sql/ast/boolean.js";
import { ENTITY, type EntityLike, JOIN_TARGET, type JoinTargetInfo, type JoinTargetLike } from "../sql/ast/entity.js";
import type { ColumnElement } from "../sql/ast/expression.js";
import type { ColumnCollection, FromClause } from "../sql/ast/from.js";
import type { Column } from "../sql/schema/column.js";
import { ArgumentError } from "../util/errors.js";
import type { Mapper } from "./mapper.js";
import type { ColumnPair, RelationshipProperty } from "./relationship-property.js";

declare const targetBrand: unique symbol;

/** A FROM element for an entity: its table, or an alias of it (aliased()). */
export interface EntityFrom {
  readonly mapper: Mapper;
  readonly from: FromClause;
}

/** The column of `from` that stands for a table column. */
function columnIn(from: FromClause, col: Column<unknown>): ColumnElement<unknown> {
  const c = (from.c as ColumnCollection)[col.key];
  if (!c) throw new ArgumentError(`column ${col.key} is not part of ${from}`);
  return c;
}

/** `local = remote AND ...` for column pairs, the local columns taken from `left` and the remote ones from `right`. */
export function pairsEqual(pairs: readonly ColumnPair[], left: FromClause, right: FromClause): ColumnElement<boolean> {
  return and_(...pairs.map((p) => columnIn(left, p.local).eq(columnIn(right, p.remote) as ColumnElement<never>)));
}

/**
 * `User.addresses`: a relationship of a mapped class (or of an aliased class), typed by its target.
 *
 * ```ts
 * select(User).join(User.addresses).where(Address.c.emailAddress.like("%@example.com"));
 * select(User).options(selectinload(User.addresses));
 * ```
 */
export class RelationshipAttribute<Target = unknown, Many extends boolean = boolean> implements JoinTargetLike {
  declare readonly [targetBrand]?: [Target, Many];
  constructor(
    readonly owner: EntityFrom,
    readonly key: string,
    /** The target entity to join to (an alias given with `.of()`), else the target's table. */
    readonly targetFrom: FromClause | null = null,
  ) {}

  /** The configured relationship. */
  get property(): RelationshipProperty {
    return this.owner.mapper.ensureConfigured().relationship(this.key);
  }

  /**
   * The same relationship, joining to an alias of the target (`aliased(Address)`).
   *
   * ```ts
   * const a2 = aliased(Address);
   * select(User).join(User.addresses.of(a2));
   * ```
   */
  of(target: EntityLike): RelationshipAttribute<Target, Many> {
    const entity = (target as Partial<EntityLike>)[ENTITY]?.entity as EntityFrom | undefined;
    if (!entity?.mapper || entity.mapper !== this.property.target)
      throw new ArgumentError(`${this.owner.mapper.name}.${this.key}.of() takes an aliased(${this.property.target.name})`);
    return new RelationshipAttribute<Target, Many>(this.owner, this.key, entity.from);
  }

  [JOIN_TARGET](left: readonly FromClause[]): JoinTargetInfo {
    const prop = this.property;
    const ownerFrom = left.find((f) => f === this.owner.from);
    if (!ownerFrom)
      throw new ArgumentError(
        `join(${prop}): the SELECT has no FROM for ${prop.parent.name} to join from; select ${prop.parent.name} first or selectFrom() it`,
      );
    const right = this.targetFrom ?? prop.target.table;
    if (prop.secondary) {
      const sec = prop.secondary;
      return { right, on: pairsEqual(prop.secondaryRemote, right, sec), through: { from: sec, on: pairsEqual(prop.secondaryLocal, ownerFrom, sec) } };
    }
    return { right, on: pairsEqual(prop.pairs, ownerFrom, right) };
  }

  toString(): string {
    return `${this.owner.mapper.name}.${this.key}`;
  }
}
