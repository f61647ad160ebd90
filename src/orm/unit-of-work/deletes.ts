/**
 * The DELETEs of a flush: association rows of the deleted objects first, then the rows themselves by primary key,
 * children before parents (and, in a self-referencing table, leaves first).
 */
import type { Column } from "../../sql/schema/column.js";
import type { ForeignKeyConstraint } from "../../sql/schema/constraints.js";
import type { Mapper } from "../mapper.js";
import type { InstanceState } from "../state.js";
import { deleteStatement, runDelete, runPositional } from "./persister.js";
import { cachedUpdate } from "./updates.js";
import type { Work } from "./work.js";

/** Deletes, children before parents, association rows first. */
export async function deleteAll(work: Work, mappers: readonly Mapper[], broken: ReadonlySet<ForeignKeyConstraint>): Promise<void> {
  const toDelete = work.host.toDelete;
  if (toDelete.size === 0) return;
  const { dialect } = work.host;
  const byMapper = work.deleting;
  // Association rows of deleted objects (both sides of every many-to-many of their mappers).
  const done = new Set<string>();
  for (const [m, states] of byMapper) {
    for (const other of m.registry.mappers)
      for (const rel of other.relationships) {
        if (!rel.configured || !rel.secondary || rel.passiveDeletes || rel.viewonly) continue;
        for (const side of [rel.parent === m ? rel.secondaryLocal : null, rel.target === m ? rel.secondaryRemote : null]) {
          if (!side) continue;
          const id = `${rel.secondary.id}:${side.map((p) => p.remote.key).join(",")}`;
          if (done.has(id)) continue;
          done.add(id);
          const secondary = rel.secondary;
          const stmt = rel.parent.cached(dialect, `assoc-del|${id}`, () =>
            deleteStatement(
              dialect,
              secondary,
              side.map((p) => p.remote),
            ),
          );
          const local = side.map((p) => p.local);
          const keys = deleteKeys(states, local);
          await runDelete(work.conn, dialect, stmt, keys, `association table '${rel.secondary.name}'`, false);
        }
      }
  }
  // Foreign keys whose cycle was broken are cleared first, so rows can go in any order.
  for (const fk of broken) {
    for (const [m, states] of byMapper) {
      if (!m.table.foreignKeys.includes(fk)) continue;
      const cols = fk.columns.map((k) => m.table.column(k));
      const stmt = cachedUpdate(dialect, m, cols);
      for (const s of states) {
        const o = s.obj as Record<string, unknown>;
        if (cols.every((c) => o[c.key] === null)) continue;
        await runPositional(work.conn, stmt, [...cols.map(() => null), ...m.pkKeys.map((k) => o[k])]);
      }
    }
  }
  for (let i = mappers.length - 1; i >= 0; i--) {
    const m = mappers[i];
    const states = byMapper.get(m);
    if (!states) continue;
    const pk = m.pkColumns;
    const stmt = m.cached(dialect, "del", () => deleteStatement(dialect, m.table, pk));
    for (const level of deleteLevels(m, states)) {
      const keys = deleteKeys(level, pk);
      await runDelete(work.conn, dialect, stmt, keys, `table '${m.table.name}'`, true);
    }
  }
}

/**
 * Each object's values of `cols` (key columns of their table; the objects are of one mapper) as last written: one
 * value per object, or an array for several columns.
 */
function deleteKeys(states: readonly InstanceState[], cols: readonly Column<unknown>[]): unknown[] {
  const out = new Array<unknown>(states.length);
  if (states.length === 0) return out;
  const m = states[0].mapper;
  const idx = cols.map((c) => m.columnIndex.get(c.key) as number);
  for (let i = 0; i < states.length; i++) {
    if (cols.length === 1) out[i] = keyValue(states[i], idx[0], cols[0].key);
    else {
      const values = new Array<unknown>(cols.length);
      for (let j = 0; j < cols.length; j++) values[j] = keyValue(states[i], idx[j], cols[j].key);
      out[i] = values;
    }
  }
  return out;
}

/**
 * A key column's value as last written (else as the object holds it), read in place: asking for `committed` would
 * make each object of a 1,000-row INSERT batch its own array (30,000 of them in a large delete).
 */
function keyValue(s: InstanceState, index: number, key: string): unknown {
  return s.committedAt(index) ?? (s.obj as Record<string, unknown>)[key];
}

/**
 * Rows of a self-referencing table are deleted children first: level by level, each level the objects (in their
 * given order) that no remaining object refers to. Linear in the objects (a count of referring children per object,
 * decremented as levels go), so a wide tree of 10,000 nodes costs no more than a list of them.
 */
function deleteLevels(m: Mapper, states: InstanceState[]): InstanceState[][] {
  const selfFks = m.table.foreignKeys.filter((fk) => m.table.referredTable(fk) === m.table);
  if (selfFks.length === 0 || states.length < 2) return [states];
  const table = m.table;
  const fkKeys = selfFks.map((fk) => fk.columns.map((k) => table.column(k).key));
  const refKeys = selfFks.map((fk) => fk.refColumns.map((r) => table.column(r.slice(r.lastIndexOf(".") + 1)).key));
  const joinValues = (o: Record<string, unknown>, keys: readonly string[]): string => keys.map((k) => String(o[k])).join("\u0000");
  // For each foreign key, the objects by the key they can be referred to with.
  const byRef = refKeys.map((keys) => {
    const map = new Map<string, number>();
    for (let i = 0; i < states.length; i++) map.set(joinValues(states[i].obj as Record<string, unknown>, keys), i);
    return map;
  });
  // parents[i]: the objects that object i refers to (each once); children[j]: how many objects refer to j.
  const parents: number[][] = states.map(() => []);
  const children = new Array<number>(states.length).fill(0);
  for (let i = 0; i < states.length; i++) {
    const o = states[i].obj as Record<string, unknown>;
    for (let f = 0; f < selfFks.length; f++) {
      const j = byRef[f].get(joinValues(o, fkKeys[f]));
      if (j === undefined || parents[i].includes(j)) continue;
      parents[i].push(j);
      children[j]++;
    }
  }
  const levels: InstanceState[][] = [];
  let level: number[] = [];
  for (let i = 0; i < states.length; i++) if (children[i] === 0) level.push(i);
  let left = states.length;
  while (level.length > 0) {
    level.sort((x, y) => x - y);
    levels.push(level.map((i) => states[i]));
    left -= level.length;
    const next: number[] = [];
    for (const i of level) for (const j of parents[i]) if (--children[j] === 0) next.push(j);
    level = next;
  }
  // Objects in a reference cycle (no level frees them) go last, together.
  if (left > 0) levels.push(states.filter((_, i) => children[i] > 0));
  return levels;
}
