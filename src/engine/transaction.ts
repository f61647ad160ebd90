/**
 * Transaction: the handle of an explicit transaction or SAVEPOINT on a Connection (`conn.begin()`,
 * `conn.beginNested()`).
 */
import { InvalidRequestError } from "../util/errors.js";
import { keepShape } from "../util/keep-alive.js";
import type { Connection } from "./connection.js";

/**
 * An explicit transaction (`await conn.begin()`) or a SAVEPOINT (`await conn.beginNested()`); rolled back on dispose
 * if neither committed nor rolled back.
 *
 * ```ts
 * await using tx = await conn.begin();
 * await conn.execute(insert(users).values({ name: "sandy" }));
 * await tx.commit();
 * ```
 */
export class Transaction implements AsyncDisposable {
  private active = true;
  constructor(
    private readonly conn: Connection,
    /** The SAVEPOINT name of a nested transaction, or null for the outermost one. */
    readonly savepoint: string | null,
  ) {}
  get isActive(): boolean {
    return this.active;
  }
  async commit(): Promise<void> {
    this.checkActive("commit");
    this.active = false;
    if (this.savepoint) await this.conn._releaseSavepoint(this.savepoint);
    else await this.conn.commit();
  }
  async rollback(): Promise<void> {
    if (!this.active) return;
    this.active = false;
    if (this.savepoint) await this.conn._rollbackToSavepoint(this.savepoint);
    else await this.conn.rollback();
  }
  /** @internal the connection ended the transaction (commit/rollback on the connection itself). */
  _deactivate(): void {
    this.active = false;
  }
  private checkActive(what: string): void {
    if (!this.active) throw new InvalidRequestError(`cannot ${what}: this transaction is no longer active (it was committed or rolled back)`);
  }
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.active) await this.rollback();
  }
}
keepShape(new Transaction(null as never, null));
