/**
 * The flush: writes the Session's changes in one go, parents before children — INSERTs batched into multi-row
 * statements, UPDATEs of changed columns only, DELETEs batched — and records what it did for rollback. If any
 * statement fails, every attribute the flush set is put back and nothing is marked as written.
 */

import type { Dialect } from "../../dialects/base/dialect.js";
import type { Connection } from "../../engine/connection.js";
import { tuple_ } from "../../sql/ast/functions.js";
import { select } from "../../sql/ast/select.js";
import type { Column } from "../../sql/schema/column.js";
import type { ForeignKeyConstraint } from "../../sql/schema/constraints.js";
import { InvalidRequestError, StaleDataError } from "../../util/errors.js";
import { InstrumentedList } from "../attributes.js";
import type { Mapper } from "../mapper.js";
import { describe } from "../model-base.js";
import { pushTo } from "../multimap.js";
import type { RelationshipProperty } from "../relationship-property.js";
import type { IdentityMap } from "../session/identity-map.js";
import type { InsertedBatch, SessionTransaction } from "../session/session-transaction.js";
import { type InstanceState, nextMark, stateAccess } from "../state.js";
import { commitOrder } from "./commit-order.js";
import { valuesDiffer } from "./compare.js";
import { deleteStatement, type FlushStatement, insertStatement, runDelete, runPositional, updateStatement } from "./persister.js";
import { type AssociationRow, cascadeDeletes, cascadeSaves, type FkSync, type PlanContext, parentNotInSession, planSyncs } from "./plan.js";

/** What the Session provides to a flush. */
export interface FlushHost extends PlanContext {
  readonly dialect: Dialect;
  readonly identityMap: IdentityMap;
  readonly transaction: SessionTransaction;
  connection(): Promise<Connection>;
  /** Objects dropped from the Session (pending orphans). */
  detach(state: InstanceState): void;
  /** Hands the set of objects to delete over (the Session starts a new, empty one). */
  takeToDelete(): Set<InstanceState>;
}

/** Attribute writes of a flush, undone if the flush fails (three parallel arrays: no allocation per write). */
class Journal {
  private readonly objs: Record<string, unknown>[] = [];
  private readonly keys: string[] = [];
  private readonly olds: unknown[] = [];
  /** Attributes that were unset before the flush gave them a value (database-made keys), a batch of rows at a time. */
  private readonly fresh: { readonly rows: readonly InstanceState[]; readonly key: string }[] = [];
  assign(obj: object, key: string, value: unknown): void {
    const o = obj as Record<string, unknown>;
    this.objs.push(o);
    this.keys.push(key);
    this.olds.push(o[key]);
    o[key] = value;
  }
  /** Records that `key` of these rows was undefined before this flush set it (cheaper than one assign() per row). */
  setFresh(rows: readonly InstanceState[], key: string): void {
    this.fresh.push({ rows, key });
  }
  undo(): void {
    for (let i = this.objs.length - 1; i >= 0; i--) this.objs[i][this.keys[i]] = this.olds[i];
    for (const { rows, key } of this.fresh) for (const s of rows) (s.obj as Record<string, unknown>)[key] = undefined;
  }
}

interface Work {
  readonly host: FlushHost;
  readonly conn: Connection;
  readonly journal: Journal;
  /** What this flush inserted, batch by batch; each of those objects carries `mark` (`insertedMark`). */
  readonly inserted: InsertedBatch[];
  readonly insertedMark: number;
  readonly updated: InstanceState[];
  readonly postUpdates: FkSync[];
  /** The objects to delete, by mapper (the delete cascade is done when the work starts). */
  readonly deleting: Map<Mapper, InstanceState[]>;
}

const MAX_ROWS_PER_INSERT = 1000;

/** Rows per multi-row INSERT of `columns` values each, under the dialect's parameter limit. */
function rowsPerInsert(dialect: Dialect, columns: number): number {
  return Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(dialect.maxParams / Math.max(1, columns))));
}

/** Runs a flush. */
export async function flush(host: FlushHost, mappers: readonly Mapper[]): Promise<void> {
  cascadeSaves(host);
  const expunge = await cascadeDeletes(host);
  const plan = planSyncs(host);
  const order = commitOrder(mappers);
  const work: Work = {
    host,
    conn: await host.connection(),
    journal: new Journal(),
    inserted: [],
    insertedMark: nextMark(),
    updated: [],
    postUpdates: [],
    deleting: new Map(),
  };
  for (const s of host.toDelete) pushTo(work.deleting, s.mapper, s);
  const syncsByMapper = new Map<Mapper, FkSync[]>();
  for (const s of plan.syncs) pushTo(syncsByMapper, s.child.mapper, s);
  const pendingByMapper = new Map<Mapper, InstanceState[]>();
  // Objects usually come in runs of one class: the list of the previous object's mapper is at hand.
  let lastMapper: Mapper | null = null;
  let lastList: InstanceState[] = [];
  for (const s of host.pending) {
    if (s.mapper !== lastMapper) {
      lastMapper = s.mapper;
      let list = pendingByMapper.get(lastMapper);
      if (list === undefined) pendingByMapper.set(lastMapper, (list = []));
      lastList = list;
    }
    lastList.push(s);
  }
  try {
    for (const m of order.mappers) {
      const pending = pendingByMapper.get(m) ?? [];
      const syncs = syncsByMapper.get(m) ?? [];
      await saveMapper(work, m, pending, syncs, order.postUpdate);
    }
    await writeAssociations(work, plan.associationInserts, false);
    await runPostUpdates(work);
    await writeAssociations(work, plan.associationDeletes, true);
    await deleteAll(work, order.mappers, order.postUpdate);
  } catch (e) {
    work.journal.undo();
    throw e;
  }
  bookkeeping(work, expunge);
}

function isPostUpdate(sync: FkSync, broken: ReadonlySet<ForeignKeyConstraint>): boolean {
  if (sync.rel.postUpdate) return true;
  if (broken.size === 0) return false;
  const keys = sync.childCols.map((c) => c.key);
  for (const fk of broken)
    if (fk.columns.length === keys.length && fk.columns.every((k) => keys.includes(k)) && sync.child.mapper.table.foreignKeys.includes(fk)) return true;
  return false;
}

function applySync(work: Work, s: FkSync): void {
  copyKey(work, s.child.obj, s.parent === null ? null : s.parent.obj, s.childCols, s.parentCols);
}

/** Sets the child's foreign key columns from the parent's referenced columns (NULL without a parent). */
function copyKey(work: Work, child: object, parent: object | null, childCols: readonly Column<unknown>[], parentCols: readonly Column<unknown>[]): void {
  const o = child as Record<string, unknown>;
  const p = parent as Record<string, unknown> | null;
  for (let i = 0; i < childCols.length; i++) {
    const key = childCols[i].key;
    const value = p === null ? null : (p[parentCols[i].key] ?? null);
    if (o[key] !== value) work.journal.assign(o, key, value);
  }
}

/** Where a sync goes: applied now, after the parent's row exists (same table), or as a post-update. */
function routeSync(work: Work, m: Mapper, s: FkSync, broken: ReadonlySet<ForeignKeyConstraint>, waiting: Map<InstanceState, FkSync[]>): void {
  const parent = s.parent;
  if (parent === null || parent.status !== "pending" || parent.mark === work.insertedMark) {
    if (parent !== null && parent.status !== "pending" && parent.status !== "persistent") throw parentNotInSession(s.child, parent);
    applySync(work, s);
    return;
  }
  if (isPostUpdate(s, broken)) {
    // The parent's row comes later: write NULL now and the key after every insert.
    if (s.child.status === "pending") for (const c of s.childCols) work.journal.assign(s.child.obj, c.key, null);
    work.postUpdates.push(s);
    return;
  }
  if (parent.mapper === m) {
    pushTo(waiting, s.child, s);
    return;
  }
  throw new InvalidRequestError(
    `cannot flush ${describe(s.child.obj)}: it refers to ${describe(parent.obj)}, which has no row yet and comes later in the commit order; mark the relationship postUpdate: true`,
  );
}

/** Inserts the pending objects of one mapper (self-referencing rows level by level), then updates its changed ones. */
async function saveMapper(work: Work, m: Mapper, pending: InstanceState[], syncs: FkSync[], broken: ReadonlySet<ForeignKeyConstraint>): Promise<void> {
  const waiting = new Map<InstanceState, FkSync[]>();
  for (const s of syncs) routeSync(work, m, s, broken, waiting);
  // Pending objects' own many-to-one references (the child's side wins, so it comes last).
  const m2o = pending.length > 0 ? m.manyToOne : [];
  for (let r = 0; r < m2o.length; r++) {
    const rel = m2o[r];
    for (let i = 0; i < pending.length; i++) {
      const st = pending[i];
      const v = st.rels === null ? undefined : st.rels[rel.index];
      if (v === undefined) continue;
      if (v === null) {
        // Set to null: NULL, unless the key columns were given directly.
        const o = st.obj as Record<string, unknown>;
        if (rel.childColumns.every((c) => o[c.key] === undefined)) for (const c of rel.childColumns) work.journal.assign(o, c.key, null);
        continue;
      }
      const ps = stateAccess.known(v as object);
      if (ps.status === "persistent" || ps.mark === work.insertedMark) copyKey(work, st.obj, v as object, rel.childColumns, rel.parentColumns);
      else routeSync(work, m, { child: st, rel, parent: ps, childCols: rel.childColumns, parentCols: rel.parentColumns }, broken, waiting);
    }
  }
  // Rows of one table that refer to each other go in level by level; otherwise all at once.
  let remaining = pending;
  if (waiting.size === 0) {
    if (pending.length > 0) await insertRows(work, m, pending);
    remaining = [];
  }
  while (remaining.length > 0) {
    const remainingSet = new Set(remaining);
    const ready: InstanceState[] = [];
    const later: InstanceState[] = [];
    for (const s of remaining) {
      const w = waiting.get(s);
      if (w?.some((x) => x.parent !== null && remainingSet.has(x.parent))) later.push(s);
      else {
        if (w) for (const x of w) applySync(work, x);
        ready.push(s);
      }
    }
    if (ready.length === 0)
      throw new InvalidRequestError(`pending ${m.name} objects refer to each other in a cycle; break it with a relationship declared postUpdate: true`);
    await insertRows(work, m, ready);
    remaining = later;
  }
  await updateRows(work, m);
}

async function insertRows(work: Work, m: Mapper, states: InstanceState[]): Promise<void> {
  const { dialect } = work.host;
  const cols = m.columns;
  const caps = dialect.capabilities;
  // Client-side defaults are computed now, and kept on the object.
  for (const col of cols) {
    if (col.default === undefined) continue;
    for (const s of states) if ((s.obj as Record<string, unknown>)[col.key] === undefined) work.journal.assign(s.obj, col.key, col.defaultValue());
  }
  // Rows are grouped by which columns they give (the others take their server defaults).
  const keys = m.columnKeys;
  const groups = new Map<string | number, InstanceState[]>();
  let lastShape: string | number = -1;
  let lastGroup: InstanceState[] = [];
  for (const s of states) {
    const o = s.obj as Record<string, unknown>;
    let shape: string | number;
    if (keys.length <= 30) {
      shape = 0;
      for (let i = 0; i < keys.length; i++) if (o[keys[i]] !== undefined) shape |= 1 << i;
    } else {
      shape = "";
      for (let i = 0; i < keys.length; i++) shape += o[keys[i]] === undefined ? "0" : "1";
    }
    if (shape !== lastShape) {
      lastShape = shape;
      let g = groups.get(shape);
      if (g === undefined) groups.set(shape, (g = []));
      lastGroup = g;
    }
    lastGroup.push(s);
  }
  for (const [shape, group] of groups) {
    const given = cols.filter((_, i) => inShape(shape, i));
    const missing = cols.filter((_, i) => !inShape(shape, i));
    const autoPk = m.pkIndexes.length === 1 && missing.includes(cols[m.pkIndexes[0]]) ? cols[m.pkIndexes[0]] : null;
    const fetch = missing.filter((c) => c === autoPk || c.serverDefault !== undefined);
    // Autoincrement keys come from the driver (lastInsertId) where the dialect can tell them without RETURNING.
    const idsFromDriver = autoPk !== null && fetch.length === 1 && (dialect.preferInsertedIds || !caps.insertReturning);
    const returning = !idsFromDriver && caps.insertReturning && fetch.length > 0 ? [...new Set([...m.pkColumns, ...fetch])] : [];
    const generated = fetch.map((c) => c.key);
    const batch = rowsPerInsert(dialect, given.length);
    for (let start = 0; start < group.length; start += batch) {
      const rows = group.slice(start, start + batch);
      const stmt = m.cached(dialect, `ins|${shape}|${rows.length}|${returning.length}`, () => insertStatement(dialect, m.table, given, rows.length, returning));
      const givenKeys = given.map((c) => c.key);
      const width = givenKeys.length;
      const values = new Array<unknown>(rows.length * width);
      for (let r = 0; r < rows.length; r++) {
        const o = rows[r].obj as Record<string, unknown>;
        for (let c = 0; c < width; c++) values[r * width + c] = o[givenKeys[c]];
      }
      const r = await runPositional(work.conn, stmt, values);
      if (returning.length > 0) assignReturned(work, rows, returning, r.rows, autoPk);
      else if (autoPk) {
        const ids = r.lastInsertId === null ? null : dialect.insertedIds(r.lastInsertId, rows.length);
        if (ids === null)
          throw new InvalidRequestError(
            `cannot learn the keys of rows inserted into ${m.table.name}: the ${dialect.name} driver reported no insert id and the dialect has no RETURNING`,
          );
        const big = autoPk.type.kind === "biginteger";
        const key = autoPk.key;
        work.journal.setFresh(rows, key);
        for (let i = 0; i < rows.length; i++) (rows[i].obj as Record<string, unknown>)[key] = big ? BigInt(ids[i]) : Number(ids[i]);
      }
      if (returning.length === 0 && fetch.some((c) => c !== autoPk))
        await fetchServerValues(
          work,
          m,
          rows,
          fetch.filter((c) => c !== autoPk),
        );
      for (let i = 0; i < rows.length; i++) rows[i].mark = work.insertedMark;
      work.inserted.push({ rows, generated });
    }
  }
}

function assignReturned(work: Work, rows: InstanceState[], returning: readonly Column<unknown>[], returned: unknown[][], autoPk: Column<unknown> | null): void {
  if (returned.length !== rows.length) throw new StaleDataError(`INSERT returned ${returned.length} rows for ${rows.length} objects`);
  let ordered = returned;
  if (autoPk) {
    // The database's RETURNING order is not guaranteed; autoincrement keys ascend in VALUES order (a sentinel sort).
    const i = returning.indexOf(autoPk);
    ordered = [...returned].sort((a, b) => (a[i] === b[i] ? 0 : (a[i] as number) < (b[i] as number) ? -1 : 1));
  } else {
    const pkIdx = rows[0].mapper.pkIndexes.map((ci) => returning.indexOf(rows[0].mapper.columns[ci]));
    const keyOf = (vals: readonly unknown[]) => pkIdx.map((j) => String(vals[j])).join("\u0000");
    const byKey = new Map(returned.map((r) => [keyOf(r), r]));
    ordered = rows.map((s) => byKey.get(keyOf(returning.map((c) => (s.obj as Record<string, unknown>)[c.key]))) as unknown[]);
  }
  for (let r = 0; r < rows.length; r++) {
    const o = rows[r].obj as Record<string, unknown>;
    const vals = ordered[r];
    for (let c = 0; c < returning.length; c++) if (o[returning[c].key] === undefined) work.journal.assign(o, returning[c].key, vals[c]);
  }
}

/** Reads server-generated values back where INSERT cannot return them. */
async function fetchServerValues(work: Work, m: Mapper, rows: InstanceState[], cols: readonly Column<unknown>[]): Promise<void> {
  const pk = m.pkColumns;
  const keys = rows.map((s) => pk.map((c) => (s.obj as Record<string, unknown>)[c.key]));
  const cond = pk.length === 1 ? pk[0].in(keys.map((k) => k[0]) as never[]) : tuple_(...pk).in(keys as never[]);
  const result = await work.conn.execute(select(...pk, ...cols).where(cond));
  const byKey = new Map(result.raw().map((r) => [r.slice(0, pk.length).map(String).join("\u0000"), r]));
  for (const [i, s] of rows.entries()) {
    const r = byKey.get(keys[i].map(String).join("\u0000"));
    if (!r) continue;
    for (let j = 0; j < cols.length; j++) work.journal.assign(s.obj, cols[j].key, r[pk.length + j]);
  }
}

/** UPDATE of the columns that changed, one statement shape per set of changed columns. */
async function updateRows(work: Work, m: Mapper): Promise<void> {
  const objects = work.host.identityMap.of(m);
  // Nothing to update when every object of the mapper is being deleted (each persistent object has its own key).
  if (objects.size === 0 || (work.deleting.get(m)?.length ?? 0) === objects.size) return;
  const cols = m.columns;
  const keys = m.columnKeys;
  const toDelete = work.host.toDelete;
  const onUpdate = cols.filter((c) => c.onUpdate !== undefined);
  // One group per set of changed columns, named by its shape: a bit mask for up to 30 columns, else a string of 0/1.
  const groups = new Map<number | string, InstanceState[]>();
  let lastShape: number | string = -1;
  let lastGroup: InstanceState[] = [];
  objects.some((obj) => {
    const s = stateAccess.known(obj);
    const committed = s.committed;
    if (committed === null || s.mark === work.insertedMark || (toDelete.size > 0 && toDelete.has(s))) return false;
    const o = obj as Record<string, unknown>;
    let shape: number | string = 0;
    if (keys.length <= 30) {
      for (let i = 0; i < keys.length; i++) if (valuesDiffer(o[keys[i]], committed[i])) shape |= 1 << i;
      if (shape === 0) return false;
    } else {
      let changed = false;
      shape = "";
      for (let i = 0; i < keys.length; i++) {
        const d = valuesDiffer(o[keys[i]], committed[i]);
        shape += d ? "1" : "0";
        changed ||= d;
      }
      if (!changed) return false;
    }
    // Columns with onUpdate that the change did not set get their new value (they are part of the shape's UPDATE).
    for (const col of onUpdate) if (!inShape(shape, cols.indexOf(col))) work.journal.assign(o, col.key, col.onUpdateValue());
    if (shape !== lastShape) {
      lastShape = shape;
      let g = groups.get(shape);
      if (g === undefined) groups.set(shape, (g = []));
      lastGroup = g;
    }
    lastGroup.push(s);
    return false;
  });
  for (const [shape, states] of groups) {
    const changed = cols.filter((_, i) => inShape(shape, i));
    const set = [...changed, ...onUpdate.filter((c) => !changed.includes(c))];
    await updateRowsOf(work, m, cachedUpdate(work.host.dialect, m, set), states, set);
  }
}

/** True if column `i` is in a change shape (bit mask or 0/1 string). */
function inShape(shape: number | string, i: number): boolean {
  return typeof shape === "number" ? (shape & (1 << i)) !== 0 : shape[i] === "1";
}

/** The UPDATE of `cols` by primary key, compiled once per mapper, dialect and column list. */
function cachedUpdate(dialect: Dialect, m: Mapper, cols: readonly Column<unknown>[]): FlushStatement {
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

async function runPostUpdates(work: Work): Promise<void> {
  for (const s of work.postUpdates) {
    applySync(work, s);
    const m = s.child.mapper;
    const o = s.child.obj as Record<string, unknown>;
    await runPositional(work.conn, cachedUpdate(work.host.dialect, m, s.childCols), [...s.childCols.map((c) => o[c.key]), ...m.pkKeys.map((k) => o[k])]);
  }
}

/** Inserts or deletes rows of association tables (many-to-many). */
async function writeAssociations(work: Work, rows: readonly AssociationRow[], remove: boolean): Promise<void> {
  const byRel = new Map<RelationshipProperty, AssociationRow[]>();
  for (const r of rows) {
    if (!remove && (work.host.toDelete.has(r.left) || work.host.toDelete.has(r.right))) continue;
    pushTo(byRel, r.rel, r);
  }
  const { dialect } = work.host;
  for (const [rel, list] of byRel) {
    const sec = rel.secondary!;
    // Columns in the association table's own order, each with the side and column its value comes from.
    const parts = [
      ...rel.secondaryLocal.map((p) => ({ col: p.remote, from: "left" as const, key: p.local.key })),
      ...rel.secondaryRemote.map((p) => ({ col: p.remote, from: "right" as const, key: p.local.key })),
    ].sort((a, b) => sec.columns.indexOf(a.col) - sec.columns.indexOf(b.col));
    const cols = parts.map((p) => p.col);
    const valuesOf = (r: AssociationRow) => parts.map((p) => ((p.from === "left" ? r.left.obj : r.right.obj) as Record<string, unknown>)[p.key]);
    if (remove) {
      const stmt = deleteStatement(dialect, sec, cols);
      await runDelete(work.conn, dialect, stmt, list.map(valuesOf), `association table '${sec.name}'`, false);
      continue;
    }
    const batch = rowsPerInsert(dialect, cols.length);
    for (let i = 0; i < list.length; i += batch) {
      const part = list.slice(i, i + batch);
      const stmt = insertStatement(dialect, sec, cols, part.length, []);
      await runPositional(work.conn, stmt, part.flatMap(valuesOf));
    }
  }
}

/** Deletes, children before parents, association rows first. */
async function deleteAll(work: Work, mappers: readonly Mapper[], broken: ReadonlySet<ForeignKeyConstraint>): Promise<void> {
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
          const stmt = deleteStatement(
            dialect,
            rel.secondary,
            side.map((p) => p.remote),
          );
          const local = side.map((p) => p.local);
          const keys = states.map((s) => deleteKey(s, local));
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
      const keys = level.map((s) => deleteKey(s, pk));
      await runDelete(work.conn, dialect, stmt, keys, `table '${m.table.name}'`, true);
    }
  }
}

/** The values of `cols` (key columns of the object's table) as last written: one value, or an array for several. */
function deleteKey(s: InstanceState, cols: readonly Column<unknown>[]): unknown {
  const value = (c: Column<unknown>) => s.committed?.[s.mapper.columnIndex.get(c.key) as number] ?? (s.obj as Record<string, unknown>)[c.key];
  return cols.length === 1 ? value(cols[0]) : cols.map(value);
}

/** Rows of a self-referencing table are deleted children first. */
function deleteLevels(m: Mapper, states: InstanceState[]): InstanceState[][] {
  const selfFks = m.table.foreignKeys.filter((fk) => m.table.referredTable(fk) === m.table);
  if (selfFks.length === 0 || states.length < 2) return [states];
  const levels: InstanceState[][] = [];
  let remaining = states;
  while (remaining.length > 0) {
    const referenced = new Set<string>();
    for (const s of remaining)
      for (const fk of selfFks) {
        const o = s.obj as Record<string, unknown>;
        const ref = fk.columns.map((k) => String(o[m.table.column(k).key])).join("\u0000");
        referenced.add(ref);
      }
    const pkOf = (s: InstanceState, fk: ForeignKeyConstraint) =>
      fk.refColumns.map((r) => String((s.obj as Record<string, unknown>)[m.table.column(r.slice(r.lastIndexOf(".") + 1)).key])).join("\u0000");
    const leaves = remaining.filter((s) => !selfFks.some((fk) => referenced.has(pkOf(s, fk))));
    if (leaves.length === 0) return [...levels, remaining];
    levels.push(leaves);
    remaining = remaining.filter((s) => !leaves.includes(s));
  }
  return levels;
}

/** After every statement succeeded: objects become persistent / deleted, snapshots move forward. */
function bookkeeping(work: Work, expunge: InstanceState[]): void {
  const host = work.host;
  const tx = host.transaction;
  for (const s of host.relChanged) if (s.status === "persistent") tx.recordUpdate(s);
  // Deleted rows leave the identity map before new ones enter it (a new row may take a deleted row's key).
  if (host.toDelete.size > 0) forgetDeleted(host, tx);
  let inserted = 0;
  for (const batch of work.inserted) {
    tx.inserted.push(batch);
    const rows = batch.rows;
    for (let i = 0; i < rows.length; i++) {
      const s = rows[i];
      const m = s.mapper;
      s.status = "persistent";
      s.insertedBy = tx;
      s.key = m.identityOf(s.obj);
      s.committed = m.currentValues(s.obj);
      host.identityMap.set(m, s.key, s.obj);
      if (!relationshipsComplete(s)) completeNewRelationships(s);
      if (s.relChanged !== null) s.resetRelChanges();
    }
    inserted += rows.length;
  }
  if (inserted === host.pending.size) host.pending.clear();
  else for (const batch of work.inserted) for (const s of batch.rows) host.pending.delete(s);
  for (const s of work.updated) {
    const newKey = s.mapper.identityOf(s.obj);
    if (newKey !== s.key) {
      host.identityMap.delete(s.mapper, s.key);
      host.identityMap.set(s.mapper, newKey, s.obj);
      s.key = newKey;
    }
    s.committed = s.mapper.currentValues(s.obj);
  }
  for (const s of work.postUpdates) s.child.committed = s.child.mapper.currentValues(s.child.obj);
  for (const s of host.relChanged) s.resetRelChanges();
  host.relChanged.clear();
  for (const s of expunge) host.detach(s);
}

/** True if every relationship of the object holds a value (loaded, or set in memory). */
function relationshipsComplete(s: InstanceState): boolean {
  const rels = s.rels;
  if (rels === null || rels.length !== s.mapper.relationships.length) return false;
  for (let i = 0; i < rels.length; i++) if (rels[i] === undefined) return false;
  return true;
}

/** Deleted objects leave the identity map and are recorded for rollback (a large delete without per-object Map work). */
function forgetDeleted(host: FlushHost, tx: SessionTransaction): void {
  // The transaction's first deletions take the Session's set over, as inserts do.
  const adopt = tx.deleted.size === 0;
  const deleted = adopt ? host.takeToDelete() : host.toDelete;
  if (adopt) tx.deleted = deleted;
  const perMapper = new Map<Mapper, number>();
  for (const s of deleted) {
    if (!adopt) tx.deleted.add(s);
    s.status = "deleted";
    perMapper.set(s.mapper, (perMapper.get(s.mapper) ?? 0) + 1);
  }
  for (const [m, n] of perMapper) {
    // Persistent objects each hold their own key: when all of a mapper's objects go, the map is emptied at once.
    if (host.identityMap.of(m).size === n) host.identityMap.clearMapper(m);
    else for (const s of deleted) if (s.mapper === m) host.identityMap.discard(m, s.key, s.obj);
  }
  if (!adopt) host.toDelete.clear();
}

/** An object made in memory knows its relationships: unset collections are empty, unset references are null. */
function completeNewRelationships(s: InstanceState): void {
  const o = s.obj as Record<string, unknown>;
  for (const rel of s.mapper.relationships) {
    if (s.isLoaded(rel.index)) continue;
    if (rel.many) s.setRelRaw(rel.index, InstrumentedList.owned(s, rel.index, []));
    else if (rel.direction !== "many-to-one" || rel.pairs.every((p) => o[p.local.key] === null || o[p.local.key] === undefined)) s.setRelRaw(rel.index, null);
  }
}
