/**
 * Restores objects when a transaction (or SAVEPOINT) rolls back: what it inserted leaves the Session (database-made
 * keys cleared), what it deleted comes back, what it updated gets its values from before.
 */
import { InstrumentedList } from "../attributes.js";
import type { InstanceState, StateOwner } from "../state.js";
import type { IdentityMap } from "./identity-map.js";
import type { SessionTransaction } from "./session-transaction.js";

/** What a rollback touches on the Session (the owner of the objects it brings back). */
export interface RollbackHost extends StateOwner {
  readonly identityMap: IdentityMap;
  readonly relChanged: Set<InstanceState>;
}

/** Puts a relationship back to an earlier value (arrays are copied into a fresh owned list). */
function restoreRel(s: InstanceState, index: number, value: unknown): void {
  if (Array.isArray(value)) s.setRelRaw(index, InstrumentedList.owned(s, index, value));
  else s.setRelRaw(index, value);
}

/** Undoes what a transaction's (or SAVEPOINT's) flushes did to objects. */
export function restoreOnRollback(session: RollbackHost, tx: SessionTransaction): void {
  // Indexed loops and a Set's forEach: a rollback runs once, unoptimized, over every object the transaction wrote.
  for (const { rows, generated } of tx.inserted)
    for (let i = 0; i < rows.length; i++) {
      const s = rows[i];
      if (s.insertedBy !== tx) continue;
      session.identityMap.discard(s.mapper, s.key, s);
      const o = s.obj as Record<string, unknown>;
      for (const k of generated) o[k] = undefined;
      s.status = "transient";
      s.session = null;
      s.key = undefined;
      s.committed = null;
      s.resetRelChanges();
      session.relChanged.delete(s);
    }
  tx.deleted.forEach((s) => {
    // Inserted by this transaction too: it never had a row outside it (made transient above).
    if (s.insertedBy === tx) return;
    s.status = "persistent";
    s.session = session;
    session.identityMap.set(s.mapper, s.key, s);
  });
  for (const [s, snap] of tx.snapshots) {
    if (s.insertedBy === tx) continue;
    s.committed = snap.committed;
    if (snap.committed) s.mapper.assign(s.obj, snap.committed, 0);
    if (snap.rels) for (const [i, v] of snap.rels) restoreRel(s, i, v);
    const newKey = s.mapper.identityOf(s.obj);
    if (newKey !== s.key && session.identityMap.getState(s.mapper, s.key) === s) {
      session.identityMap.delete(s.mapper, s.key);
      session.identityMap.set(s.mapper, newKey, s);
      s.key = newKey;
    }
  }
  for (const { rows } of tx.inserted) for (const s of rows) if (s.insertedBy === tx) s.insertedBy = null;
  tx.inserted.length = 0;
  tx.deleted.clear();
  tx.snapshots.clear();
}

/** On rollback, changes not yet flushed are dropped too: objects get back their last loaded values. */
export function revertUnflushed(host: RollbackHost): void {
  for (const s of host.identityMap.all()) {
    if (s.committed) s.mapper.assign(s.obj, s.committed, 0);
    if (s.relChanges !== null) for (const [i, before] of s.relChanges) restoreRel(s, i, before);
    s.resetRelChanges();
  }
  host.relChanged.clear();
}
