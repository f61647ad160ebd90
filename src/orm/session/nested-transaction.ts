/**
 * The handle on a Session's SAVEPOINT returned by `session.beginNested()`.
 */

import { InvalidRequestError } from "../../util/errors.js";
import type { SessionTransaction } from "./session-transaction.js";

/** @internal What a SAVEPOINT handle needs from its Session. */
export interface NestedHost {
  flush(): Promise<void>;
  rollbackRecords(record: SessionTransaction): void;
  /** Makes `record`'s parent the Session's innermost transaction again. */
  _popTransaction(record: SessionTransaction): void;
}

/**
 * A SAVEPOINT of a Session (from beginNested()): commit() keeps its changes in the outer transaction, rollback() undoes
 * them; leaving an `await using` block without commit() rolls it back.
 *
 * ```ts
 * const sp = await session.beginNested();
 * session.add(new User({ name: "x" }));
 * await sp.commit();
 * ```
 */
export class NestedSessionTransaction implements AsyncDisposable {
  constructor(
    private readonly session: NestedHost,
    private readonly record: SessionTransaction,
  ) {}
  get isActive(): boolean {
    return this.record.active;
  }
  /** Flushes and releases the SAVEPOINT (its changes join the outer transaction). */
  async commit(): Promise<void> {
    if (!this.record.active) throw new InvalidRequestError("this SAVEPOINT is no longer active; start another with session.beginNested()");
    await this.session.flush();
    if (!this.record.active) return;
    this.record.active = false;
    await this.record.savepoint?.commit();
    this.record.mergeIntoParent();
    this.session._popTransaction(this.record);
  }
  /** Rolls back to the SAVEPOINT: objects changed since are restored. */
  async rollback(): Promise<void> {
    if (!this.record.active) return;
    this.record.active = false;
    await this.record.savepoint?.rollback();
    this.session.rollbackRecords(this.record);
    this.session._popTransaction(this.record);
  }
  /** Leaving an `await using` block without commit() rolls the SAVEPOINT back (the block may have thrown). */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.record.active) await this.rollback();
  }
}
