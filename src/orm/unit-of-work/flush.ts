/**
 * The flush: writes the Session's changes in one go, parents before children — INSERTs batched into multi-row
 * statements, UPDATEs of changed columns only, DELETEs batched — and records what it did for rollback. If any
 * statement fails, every attribute the flush set is put back and nothing is marked as written.
 */

import { tuple_ } from "../../sql/ast/functions.js";
import { select } from "../../sql/ast/select.js";
import type { Column } from "../../sql/schema/column.js";
import type { ForeignKeyConstraint } from "../../sql/schema/constraints.js";
import { InvalidRequestError, StaleDataError } from "../../util/errors.js";
import { InstrumentedList } from "../attributes.js";
import { gather, setSequence } from "../column-access.js";
import type { Mapper } from "../mapper.js";
import { describe } from "../model-base.js";
import { pushTo, RunGroups } from "../multimap.js";
import type { RelationshipProperty } from "../relationship-property.js";
import type { IdentityMap } from "../session/identity-map.js";
import type { InsertedBatch, SessionTransaction } from "../session/session-transaction.js";
import { type InstanceState, stateAccess } from "../state.js";
import type { StateList } from "../state-list.js";
import { commitOrder } from "./commit-order.js";
import { deleteAll } from "./deletes.js";
import { deleteStatement, insertStatement, runDelete, runPositional } from "./persister.js";
import { type AssociationRow, cascadeDeletes, type FkSync, parentNotInSession, planSyncs } from "./plan.js";
import { cachedUpdate, columnShape, inShape, updateRows } from "./updates.js";
import { type FlushHost, insertedBatch, newWork, rowsPerInsert, type Work } from "./work.js";

export type { FlushHost } from "./work.js";

/** Runs a flush. */
export async function flush(host: FlushHost, mappers: readonly Mapper[]): Promise<void> {
  const expunge = await cascadeDeletes(host);
  // Pending objects by class, in the order added (the planner reads these arrays too).
  const pendingByMapper = groupByMapper(host.pending);
  const plan = planSyncs(host, pendingByMapper);
  const order = commitOrder(mappers);
  const deleting = new RunGroups<Mapper, InstanceState>();
  host.toDelete.forEach((s) => {
    deleting.add(s.mapper, s); // not for-of: a Set's for-of makes an object per item until V8 optimizes the loop
  });
  const work = newWork(host, await host.connection(), deleting.map);
  const syncsByMapper = new Map<Mapper, FkSync[]>();
  for (let i = 0; i < plan.syncs.length; i++) pushTo(syncsByMapper, plan.syncs[i].child.mapper, plan.syncs[i]);
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

/**
 * States by mapper, in the order given, in arrays made at their final size (a counting pass first: a flush of 30,000
 * objects grows no arrays). Written for this one use: a generic version taking a key function (tried) made W1's flush
 * slower and its scavenge land while the objects were alive (10–15 ms instead of 1 ms). Each mapper's group is found
 * through `Mapper.groupSlot` (checked against the group list, so a stale slot from an earlier call is harmless), not a
 * Map: objects added parent, children, parent, ... change mapper at every other object (a Map lookup each time was
 * 1.5 ms of a 30,000-object flush).
 */
function groupByMapper(states: StateList): Map<Mapper, InstanceState[]> {
  // Two passes of one plain loop with locals (a forEach callback would keep `g` and `lastMapper` in a context):
  // the first counts each mapper's objects, the second fills arrays made at those counts.
  const mappers: Mapper[] = [];
  const counts: number[] = [];
  const groups: InstanceState[][] = [];
  const slots = states.slots;
  for (let pass = 0; pass < 2; pass++) {
    let g = -1;
    let lastMapper: Mapper | null = null;
    for (let i = 0; i < slots; i++) {
      const s = states.at(i);
      if (s === undefined) continue;
      const m = s.mapper;
      if (m !== lastMapper) {
        lastMapper = m;
        g = m.groupSlot;
        if (g < 0 || g >= mappers.length || mappers[g] !== m) {
          g = m.groupSlot = mappers.length;
          mappers.push(m);
          counts.push(0);
        }
      }
      if (pass === 0) counts[g]++;
      else groups[g][counts[g]++] = s;
    }
    if (pass === 0)
      for (let k = 0; k < mappers.length; k++) {
        groups.push(new Array<InstanceState>(counts[k]));
        counts[k] = 0;
      }
  }
  const out = new Map<Mapper, InstanceState[]>();
  for (let k = 0; k < mappers.length; k++) out.set(mappers[k], groups[k]);
  return out;
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

/** Sets the child's key columns from the parent if none of them is set yet (returns false, changing nothing, otherwise). */
function setUnsetKey(child: object, parent: object, childCols: readonly Column<unknown>[], parentCols: readonly Column<unknown>[]): boolean {
  const o = child as Record<string, unknown>;
  const p = parent as Record<string, unknown>;
  for (let i = 0; i < childCols.length; i++) if (o[childCols[i].key] !== undefined) return false;
  for (let i = 0; i < childCols.length; i++) o[childCols[i].key] = p[parentCols[i].key] ?? null;
  return true;
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
    // Objects whose key was unset get it without a journal entry each: they are listed once, and an undo unsets it.
    // While every object so far got its key, the list is `pending`'s first nFresh (no array of its own, the usual case).
    let fresh: InstanceState[] | null = null;
    let nFresh = 0;
    for (let i = 0; i < pending.length; i++) {
      const st = pending[i];
      const v = st.getRel(rel.index);
      if (v === undefined) continue;
      if (v === null) {
        // Set to null: NULL, unless the key columns were given directly.
        const o = st.obj as Record<string, unknown>;
        if (rel.childColumns.every((c) => o[c.key] === undefined)) for (const c of rel.childColumns) work.journal.assign(o, c.key, null);
        continue;
      }
      const ps = stateAccess.known(v as object);
      if (ps.status === "persistent" || ps.mark === work.insertedMark) {
        if (!setUnsetKey(st.obj, v as object, rel.childColumns, rel.parentColumns)) copyKey(work, st.obj, v as object, rel.childColumns, rel.parentColumns);
        else if (fresh === null && nFresh === i)
          nFresh++; // still pending's own first objects
        else (fresh ??= pending.slice(0, nFresh))[nFresh++] = st;
      } else routeSync(work, m, { child: st, rel, parent: ps, childCols: rel.childColumns, parentCols: rel.parentColumns }, broken, waiting);
    }
    if (nFresh > 0) {
      const list = fresh ?? (nFresh === pending.length ? pending : pending.slice(0, nFresh));
      for (const c of rel.childColumns) work.journal.setFresh(list, c.key);
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
    for (let i = 0; i < states.length; i++) {
      const o = states[i].obj as Record<string, unknown>;
      if (o[col.key] === undefined) work.journal.assign(o, col.key, col.defaultValue());
    }
  }
  // Rows are grouped by which columns they give (the others take their server defaults).
  for (const [shape, group] of shapeGroups(states, m.columnKeys)) {
    const given = cols.filter((_, i) => inShape(shape, i));
    const missing = cols.filter((_, i) => !inShape(shape, i));
    const autoPk = m.pkIndexes.length === 1 && missing.includes(cols[m.pkIndexes[0]]) ? cols[m.pkIndexes[0]] : null;
    const fetch = missing.filter((c) => c === autoPk || c.serverDefault !== undefined);
    // Autoincrement keys come from the driver (lastInsertId) where the dialect can tell them without RETURNING.
    const idsFromDriver = autoPk !== null && fetch.length === 1 && (dialect.preferInsertedIds || !caps.insertReturning);
    const returning = !idsFromDriver && caps.insertReturning && fetch.length > 0 ? [...new Set([...m.pkColumns, ...fetch])] : [];
    const generated = fetch.map((c) => c.key);
    // The generated code reading the given columns and setting the keys (made once per attribute names: column-access.ts).
    const gatherValues = gather(given.map((c) => c.key));
    const setKeys = autoPk !== null ? setSequence(autoPk.key) : null;
    const batch = rowsPerInsert(dialect, given.length);
    // One values array for the batches of a size (each is gathered afresh, and sent before the next is gathered; the
    // echo log's listeners get copies): a 30,000-row flush made 30 arrays of 2,000 values.
    let values: unknown[] = NO_VALUES;
    for (let start = 0; start < group.length; start += batch) {
      const rows = group.slice(start, start + batch);
      const stmt = m.cached(dialect, `ins|${shape}|${rows.length}|${returning.length}`, () => insertStatement(dialect, m.table, given, rows.length, returning));
      if (values.length !== rows.length * given.length) values = new Array<unknown>(rows.length * given.length);
      gatherValues(rows, values);
      const r = await runPositional(work.conn, stmt, values);
      if (returning.length > 0) assignReturned(work, rows, returning, r.rows, autoPk);
      else if (autoPk !== null && setKeys !== null) {
        const ids = r.lastInsertId === null ? null : dialect.insertedIdRange(r.lastInsertId, rows.length);
        if (ids === null)
          throw new InvalidRequestError(
            `cannot learn the keys of rows inserted into ${m.table.name}: the ${dialect.name} driver reported no insert id and the dialect has no RETURNING`,
          );
        const first = autoPk.type.kind === "biginteger" ? BigInt(ids.first) : Number(ids.first);
        work.journal.setFresh(rows, autoPk.key);
        setKeys(rows, first, ids.step);
      }
      if (returning.length === 0 && fetch.some((c) => c !== autoPk))
        await fetchServerValues(
          work,
          m,
          rows,
          fetch.filter((c) => c !== autoPk),
        );
      for (let i = 0; i < rows.length; i++) rows[i].mark = work.insertedMark;
      work.inserted.push(insertedBatch(rows, generated));
    }
  }
}

const NO_VALUES: unknown[] = [];

/** Objects grouped by the columns they give; one group (the objects' own array) when they all give the same ones. */
function shapeGroups(states: InstanceState[], keys: readonly string[]): Iterable<[string | number, InstanceState[]]> {
  const first = columnShape(states[0].obj as Record<string, unknown>, keys, null);
  let i = 1;
  while (i < states.length && columnShape(states[i].obj as Record<string, unknown>, keys, null) === first) i++;
  if (i === states.length) return [[first, states]];
  const groups = new RunGroups<string | number, InstanceState>();
  for (let j = 0; j < states.length; j++) groups.add(j < i ? first : columnShape(states[j].obj as Record<string, unknown>, keys, null), states[j]);
  return groups.map;
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
    // Compiled once per relationship and shape, cached on the owning mapper like its own statements.
    const colKeys = cols.map((c) => c.key).join(",");
    if (remove) {
      const stmt = rel.parent.cached(dialect, `assoc-del|${rel.key}|${colKeys}`, () => deleteStatement(dialect, sec, cols));
      await runDelete(work.conn, dialect, stmt, list.map(valuesOf), `association table '${sec.name}'`, false);
      continue;
    }
    const batch = rowsPerInsert(dialect, cols.length);
    for (let i = 0; i < list.length; i += batch) {
      const part = list.slice(i, i + batch);
      const stmt = rel.parent.cached(dialect, `assoc-ins|${rel.key}|${colKeys}|${part.length}`, () => insertStatement(dialect, sec, cols, part.length, []));
      await runPositional(work.conn, stmt, part.flatMap(valuesOf));
    }
  }
}

/** After every statement succeeded: objects become persistent / deleted, snapshots move forward. */
function bookkeeping(work: Work, expunge: InstanceState[]): void {
  const host = work.host;
  const tx = host.transaction;
  for (const s of host.relChanged) if (s.status === "persistent") tx.recordUpdate(s);
  // Deleted rows leave the identity map before new ones enter it (a new row may take a deleted row's key).
  if (host.toDelete.size > 0) forgetDeleted(work, tx);
  let inserted = 0;
  reserveKeys(work.inserted, host.identityMap);
  for (const batch of work.inserted) {
    tx.inserted.push(batch);
    const rows = batch.rows;
    if (rows.length === 0) continue;
    // A batch is one mapper's rows: its identity map store is looked up once.
    const m = rows[0].mapper;
    const store = host.identityMap.of(m);
    // The batch's committed values in one array (columns that can change in place need copies: one array each).
    const width = m.columns.length;
    const flat = m.mutableIndexes.length === 0 ? new Array<unknown>(rows.length * width) : null;
    for (let i = 0; i < rows.length; i++) {
      const s = rows[i];
      s.status = "persistent";
      s.insertedBy = tx;
      const key = m.identityOf(s.obj);
      s.key = key;
      if (flat === null) s.committed = m.currentValues(s.obj);
      else s.setCommittedFlat(m.copyValues(s.obj, flat, i * width), i * width);
      store.set(key, s);
      if (!relationshipsComplete(s)) completeNewRelationships(s);
      if (s.relChanges !== null) s.resetRelChanges();
    }
    inserted += rows.length;
  }
  if (inserted === host.pending.size) host.pending.clear();
  else
    for (let b = 0; b < work.inserted.length; b++) {
      const rows = work.inserted[b].rows;
      for (let i = 0; i < rows.length; i++) host.pending.delete(rows[i]);
    }
  // Indexed loops over the objects here and below: this runs once per flush, often before V8 optimizes it, and a
  // for...of there makes an iterator result per object (1.2 MB for a 30,000-object delete).
  const updated = work.updated;
  for (let i = 0; i < updated.length; i++) {
    const s = updated[i];
    const newKey = s.mapper.identityOf(s.obj);
    if (newKey !== s.key) {
      host.identityMap.delete(s.mapper, s.key);
      host.identityMap.set(s.mapper, newKey, s);
      s.key = newKey;
    }
    s.committed = s.mapper.currentValues(s.obj);
  }
  for (const s of work.postUpdates) s.child.committed = s.child.mapper.currentValues(s.child.obj);
  host.relChanged.forEach(resetRelChanges);
  host.relChanged.clear();
  for (let i = 0; i < expunge.length; i++) host.detach(expunge[i]);
}

/** Sizes each identity map store once for the integer keys of the rows inserted (a batch's ids ascend). */
function reserveKeys(batches: readonly InsertedBatch[], identityMap: IdentityMap): void {
  const ranges = new Map<Mapper, { first: number; last: number; count: number }>();
  for (const { rows } of batches) {
    if (rows.length === 0) continue;
    const m = rows[0].mapper;
    const first = m.identityOf(rows[0].obj);
    const last = m.identityOf(rows[rows.length - 1].obj);
    if (typeof first !== "number" || typeof last !== "number") continue;
    const r = ranges.get(m);
    if (r === undefined) ranges.set(m, { first, last, count: rows.length });
    else {
      r.first = Math.min(r.first, first);
      r.last = Math.max(r.last, last);
      r.count += rows.length;
    }
  }
  ranges.forEach((r, m) => {
    identityMap.of(m).reserve(r.first, r.last, r.count);
  });
}

/** True if every relationship of the object holds a value (loaded, or set in memory). */
function relationshipsComplete(s: InstanceState): boolean {
  const n = s.mapper.relationships.length;
  for (let i = 0; i < n; i++) if (s.getRel(i) === undefined) return false;
  return true;
}

/** Deleted objects leave the identity map and are recorded for rollback (a large delete without per-object Map work). */
function forgetDeleted(work: Work, tx: SessionTransaction): void {
  const host = work.host;
  // The transaction's first deletions take the Session's set over, as inserts do.
  const adopt = tx.deleted.size === 0;
  const deleted = adopt ? host.takeToDelete() : host.toDelete;
  if (adopt) tx.deleted = deleted;
  else
    deleted.forEach((s) => {
      tx.deleted.add(s);
    });
  for (const [m, states] of work.deleting) {
    for (let i = 0; i < states.length; i++) states[i].status = "deleted";
    // Persistent objects each hold their own key: when all of a mapper's objects go, the map is emptied at once.
    if (host.identityMap.of(m).size === states.length) host.identityMap.clearMapper(m);
    else for (let i = 0; i < states.length; i++) host.identityMap.discard(m, states[i].key, states[i]);
  }
  if (!adopt) host.toDelete.clear();
}

/** Forgets which relationships of an object changed (a Set.forEach callback: no closure made per flush). */
function resetRelChanges(s: InstanceState): void {
  s.resetRelChanges();
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
