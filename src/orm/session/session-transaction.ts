/**
 * What a Session transaction (or SAVEPOINT) changed, so a rollback can put objects back as they were in the
 * database: objects inserted are expunged, objects deleted come back, objects updated get their old values.
 */
import type { Transaction } from "../../engine/connection.js";
import { KEEP, keepAlive } from "../../util/keep-alive.js";
import type { InstanceState } from "../state.js";

/** Column values and relationship values of an object before this transaction changed it. */
export interface StateSnapshot {
  readonly committed: unknown[] | null;
  /** Relationship values before (made only when relationships changed). */
  rels: Map<number, unknown> | null;
}

export class SessionTransaction {
  /** Objects inserted by flushes of this transaction, with the attributes the flush generated (to clear on rollback). */
  inserted = new Map<InstanceState, string[]>();
  /** Objects deleted by flushes of this transaction. */
  deleted = new Set<InstanceState>();
  /** Objects updated (columns or relationships) by flushes of this transaction: their state before. */
  readonly snapshots = new Map<InstanceState, StateSnapshot>();
  active = true;

  constructor(
    readonly parent: SessionTransaction | null,
    /** The connection-level SAVEPOINT of a nested transaction. */
    readonly savepoint: Transaction | null,
  ) {
    keepAlive(KEEP.sessionTransaction, this);
  }

  /** Remembers an object's committed values before a flush changes them (first time only). */
  recordUpdate(state: InstanceState): void {
    if (this.inserted.has(state)) return;
    let snap = this.snapshots.get(state);
    if (snap === undefined) {
      snap = { committed: state.committed, rels: null };
      this.snapshots.set(state, snap);
    }
    if (state.relChanged) {
      const rels = (snap.rels ??= new Map());
      for (const i of state.relChanged) if (!rels.has(i)) rels.set(i, state.relBefore(i));
    }
  }

  /** Hands this transaction's records to its parent when a SAVEPOINT is released. */
  mergeIntoParent(): void {
    const p = this.parent;
    if (!p) return;
    for (const [s, generated] of this.inserted) p.inserted.set(s, generated);
    for (const s of this.deleted) {
      if (p.inserted.has(s)) p.inserted.delete(s);
      else p.deleted.add(s);
    }
    for (const [s, snap] of this.snapshots) {
      const mine = p.snapshots.get(s);
      if (!mine) p.snapshots.set(s, snap);
      else if (snap.rels) {
        const rels = (mine.rels ??= new Map());
        for (const [i, v] of snap.rels) if (!rels.has(i)) rels.set(i, v);
      }
    }
  }
}
