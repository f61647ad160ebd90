/**
 * The UPDATEs of a flush: the changed columns of each persistent object, one statement per set of changed columns,
 * run for every object of the set.
 */
import type { Dialect } from "../../dialects/base/dialect.js";
import type { Column } from "../../sql/schema/column.js";
import { StaleDataError } from "../../util/errors.js";
import type { Mapper } from "../mapper.js";
import { describe } from "../model-base.js";
import { RunGroups } from "../multimap.js";
import type { InstanceState } from "../state.js";
import { valuesDiffer } from "./compare.js";
import { type FlushStatement, updateStatement } from "./persister.js";
import type { Work } from "./work.js";

/** UPDATE of the columns that changed, one statement shape per set of changed columns. */
export async function updateRows(work: Work, m: Mapper): Promise<void> {
  const objects = work.host.identityMap.of(m);
  // Nothing to update when every object of the mapper is being deleted (each persistent object has its own key).
  if (objects.size === 0 || (work.deleting.get(m)?.length ?? 0) === objects.size) return;
  const cols = m.columns;
  const keys = m.columnKeys;
  const toDelete = work.host.toDelete;
  const onUpdate = cols.filter((c) => c.onUpdate !== undefined);
  const onUpdateIndexes = onUpdate.map((c) => cols.indexOf(c));
  // One group per set of changed columns, named by its shape: a bit mask for up to 30 columns, else a string of 0/1.
  const groups = new RunGroups<number | string, InstanceState>();
  objects.some((s) => {
    const committed = s.committedBase();
    if (committed === null || s.mark === work.insertedMark || (toDelete.size > 0 && toDelete.has(s))) return false;
    const o = s.obj as Record<string, unknown>;
    const shape = columnShape(o, keys, committed, s.committedOffset());
    if (shape === 0 || (typeof shape === "string" && !shape.includes("1"))) return false;
    // Columns with onUpdate that the change did not set get their new value (they are part of the shape's UPDATE).
    for (let j = 0; j < onUpdate.length; j++) if (!inShape(shape, onUpdateIndexes[j])) work.journal.assign(o, onUpdate[j].key, onUpdate[j].onUpdateValue());
    groups.add(shape, s);
    return false;
  });
  for (const [shape, states] of groups.map) {
    const changed = cols.filter((_, i) => inShape(shape, i));
    const set = [...changed, ...onUpdate.filter((c) => !changed.includes(c))];
    await updateRowsOf(work, m, cachedUpdate(work.host.dialect, m, set), states, set);
  }
}

/**
 * Which columns of an object are given (`committed` null: not undefined) or changed (differ from `committed`): a bit
 * mask for up to 30 columns, else a string of 0/1. INSERTs and UPDATEs are grouped by it.
 */
export function columnShape(o: Record<string, unknown>, keys: readonly string[], committed: readonly unknown[] | null, at = 0): number | string {
  if (keys.length <= 30) {
    let shape = 0;
    for (let i = 0; i < keys.length; i++) if (committed === null ? o[keys[i]] !== undefined : valuesDiffer(o[keys[i]], committed[at + i])) shape |= 1 << i;
    return shape;
  }
  let shape = "";
  for (let i = 0; i < keys.length; i++) shape += (committed === null ? o[keys[i]] !== undefined : valuesDiffer(o[keys[i]], committed[at + i])) ? "1" : "0";
  return shape;
}

/** True if column `i` is in a change shape (bit mask or 0/1 string). */
export function inShape(shape: number | string, i: number): boolean {
  return typeof shape === "number" ? (shape & (1 << i)) !== 0 : shape[i] === "1";
}

/** The UPDATE of `cols` by primary key, compiled once per mapper, dialect and column list. */
export function cachedUpdate(dialect: Dialect, m: Mapper, cols: readonly Column<unknown>[]): FlushStatement {
  return m.cached(dialect, `upd|${cols.map((c) => c.key).join(",")}`, () => updateStatement(dialect, m.table, cols, m.pkColumns));
}

/** One UPDATE statement run for each object (one driver call for all where the driver can), each must match one row. */
async function updateRowsOf(work: Work, m: Mapper, stmt: FlushStatement, states: InstanceState[], cols: readonly Column<unknown>[]): Promise<void> {
  const procs = stmt.processors;
  const pkIdx = m.pkIndexes;
  const pkKeys = m.pkKeys;
  const sets: unknown[][] = new Array(states.length);
  const tx = work.host.transaction;
  for (let r = 0; r < states.length; r++) {
    const s = states[r];
    const o = s.obj as Record<string, unknown>;
    const values = new Array<unknown>(cols.length + pkIdx.length);
    for (let i = 0; i < cols.length; i++) values[i] = o[cols[i].key];
    // The row is found by its key as last written (an object may change its own primary key).
    for (let i = 0; i < pkIdx.length; i++) values[cols.length + i] = s.committed?.[pkIdx[i]] ?? o[pkKeys[i]];
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      const p = procs[i];
      values[i] = v === null || v === undefined || p === null ? (v ?? null) : p(v);
    }
    sets[r] = values;
    tx.recordUpdate(s);
  }
  const counts = await work.conn.runMany(stmt.compiled, sets);
  for (let r = 0; r < states.length; r++) {
    if (counts[r] >= 0 && counts[r] !== 1) {
      const s = states[r];
      throw new StaleDataError(
        `UPDATE statement on table '${s.mapper.table.name}' expected to update 1 row; ${counts[r]} were matched (${describe(s.obj)} was changed or deleted by someone else: roll back and load it again)`,
      );
    }
    work.updated.push(states[r]);
  }
}
