/**
 * aliased(Model): the same mapped class under another name in one SELECT (self-joins, two joins to one table).
 */
import { ENTITY, type EntityInfo } from "../sql/ast/entity.js";
import type { ColumnElement } from "../sql/ast/expression.js";
import type { ColumnCollection } from "../sql/ast/from.js";
import { ArgumentError } from "../util/errors.js";
import type { MapperEntity } from "./mapper.js";
import { findMapper } from "./registry.js";
import { RelationshipAttribute } from "./relationship-attribute.js";

let counter = 0;

/**
 * An aliased class: typed like the model's class side (`.c`, attributes), selectable, joinable.
 *
 * ```ts
 * const a: Aliased<typeof Address> = aliased(Address);
 * ```
 */
export type Aliased<C> = Omit<C, "prototype"> & { readonly __instance?: C extends abstract new (...args: any) => infer I ? I : never };

/**
 * An alias of a mapped class.
 *
 * ```ts
 * const a1 = aliased(Address);
 * const a2 = aliased(Address);
 * select(User).join(User.addresses.of(a1)).where(a1.c.emailAddress.eq("x")).join(User.addresses.of(a2));
 * ```
 */
export function aliased<C extends abstract new (...args: any) => object>(model: C, name?: string): Aliased<C> {
  const mapper = findMapper(model);
  if (!mapper) throw new ArgumentError(`aliased() takes a mapped class, got ${String((model as { name?: string })?.name ?? model)}`);
  mapper.ensureConfigured();
  const aliasName = name ?? `${mapper.table.name}_${++counter}`;
  const alias = mapper.table.alias(aliasName);
  const c = alias.c as ColumnCollection;
  const entity: MapperEntity = { mapper, from: alias, cacheKey: `M${mapper.id}@${JSON.stringify(aliasName)}` };
  const info: EntityInfo = { from: alias, columns: mapper.columns.map((col) => c[col.key] as ColumnElement<unknown>), name: aliasName, entity };
  const obj: Record<string | symbol, unknown> = { c, [ENTITY]: info };
  for (const col of mapper.columns) if (col.key !== "c") obj[col.key] = c[col.key];
  for (const rel of mapper.relationships) obj[rel.key] = new RelationshipAttribute(entity, rel.key);
  return Object.freeze(obj) as unknown as Aliased<C>;
}
