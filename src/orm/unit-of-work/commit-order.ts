/**
 * The order in which a flush writes tables: a table after the tables its foreign keys refer to. A cycle between
 * tables is broken at a nullable foreign key, whose values are then written by a second UPDATE ("post update").
 * Learned from MikroORM's CommitOrderCalculator (nullable edges weigh nothing) and SQLAlchemy's unitofwork.py.
 */
import type { ForeignKeyConstraint } from "../../sql/schema/constraints.js";
import type { TableObject } from "../../sql/schema/table.js";
import { topoSort } from "../../util/topo-sort.js";
import type { Mapper } from "../mapper.js";

export interface CommitOrder {
  /** Mappers, parents first. */
  readonly mappers: readonly Mapper[];
  /** Foreign keys whose values are written after all inserts (to break cycles). */
  readonly postUpdate: ReadonlySet<ForeignKeyConstraint>;
}

const cache = new WeakMap<readonly Mapper[], { count: number; order: CommitOrder }>();

export function commitOrder(mappers: readonly Mapper[]): CommitOrder {
  const hit = cache.get(mappers);
  if (hit && hit.count === mappers.length) return hit.order;
  const byTable = new Map<TableObject, Mapper>();
  for (const m of mappers) byTable.set(m.table, m);
  const postUpdate = new Set<ForeignKeyConstraint>();
  const edges = (m: Mapper): { fk: ForeignKeyConstraint; to: Mapper }[] =>
    m.table.foreignKeys.flatMap((fk) => {
      const target = m.table.referredTable(fk);
      const to = target ? byTable.get(target) : undefined;
      return to && to !== m && !postUpdate.has(fk) ? [{ fk, to }] : [];
    });
  let result = topoSort(mappers, (m) => edges(m).map((e) => e.to));
  // Break cycles at nullable foreign keys until the order is complete (or no nullable key is left to break).
  while (result.cyclic.length > 0) {
    const cyclic = new Set(result.cyclic);
    const breakable = result.cyclic
      .flatMap((m) =>
        edges(m)
          .filter((e) => cyclic.has(e.to))
          .map((e) => ({ m, e })),
      )
      .find(({ m, e }) => e.fk.columns.every((k) => m.table.column(k).nullable));
    if (!breakable) break;
    postUpdate.add(breakable.e.fk);
    result = topoSort(mappers, (m) => edges(m).map((e) => e.to));
  }
  const order: CommitOrder = { mappers: [...result.sorted, ...result.cyclic], postUpdate };
  cache.set(mappers, { count: mappers.length, order });
  return order;
}
