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

/** Objects one flush inserted together, and the attributes the database generated for them (cleared on rollback). */
export interface InsertedBatch {
  readonly rows: readonly InstanceState[];
  readonly generated: readonly string[];
}

export class SessionTransaction {
  /**
   * Objects inserted by flushes of this transaction, in batches (no per-object Map entry for a large flush). An object
   * counts while its `insertedBy` is this record and the record is live: handing it to a parent (SAVEPOINT released),
   * the parent's deletion of it, or the end of the transaction changes that.
   */
  readonly inserted: InsertedBatch[] = [];
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
    if (state.insertedBy === this) return;
    let snap = this.snapshots.get(state);
    if (snap === undefined) {
      snap = { committed: state.committed, rels: null };
      this.snapshots.set(state, snap);
    }
    if (state.relChanges !== null) {
      const rels = (snap.rels ??= new Map());
      for (const [i, before] of state.relChanges) if (!rels.has(i)) rels.set(i, before);
    }
  }

  /**
   * The transaction committed: it lets go of what it recorded. Its objects' `insertedBy` still names this record, which
   * no rollback will ever be given again (every transaction gets a new record): no pass over every inserted object.
   */
  committed(): void {
    this.inserted.length = 0;
    this.deleted = new Set();
    this.snapshots.clear();
  }

  /** Hands this transaction's records to its parent when a SAVEPOINT is released. */
  mergeIntoParent(): void {
    const p = this.parent;
    if (!p) return;
    for (const b of this.inserted) {
      const rows = b.rows.filter((s) => s.insertedBy === this);
      for (const s of rows) s.insertedBy = p;
      if (rows.length > 0) p.inserted.push({ rows, generated: b.generated });
    }
    for (const s of this.deleted) {
      if (s.insertedBy === p) s.insertedBy = null;
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
