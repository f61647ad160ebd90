/**
 * Session: the unit of work and identity map (DESIGN §5). Objects added are written by flush() in dependency order;
 * objects loaded are unique per row; commit() flushes and commits; rollback() restores objects to what the
 * database holds.
 */

import type { Dialect } from "../../dialects/base/dialect.js";
import type { Connection, Executable, ExecuteParams } from "../../engine/connection.js";
import type { Engine } from "../../engine/engine.js";
import { Result, type ScalarResult } from "../../engine/result.js";
import type { SelectableNode } from "../../sql/ast/nodes.js";
import type { Select } from "../../sql/ast/select.js";
import { ArgumentError, CrucibleError, InvalidRequestError, PendingRollbackError } from "../../util/errors.js";
import { KEEP, keepAlive } from "../../util/keep-alive.js";
import { DONE } from "../../util/settled.js";
import type { LoadHost } from "../loading/hydrate.js";
import { executeOrmSelect, isOrmSelect } from "../loading/query.js";
import { type ModelBase, maybeStateOf } from "../model-base.js";
import type { InstanceState, StateOwner } from "../state.js";
import { StateList } from "../state-list.js";
import { isModified } from "../unit-of-work/compare.js";
import { flush as runFlush } from "../unit-of-work/flush.js";
import { flushHostOf, mappersInUse, Registries } from "./flush-host.js";
import { IdentityMap } from "./identity-map.js";
import { NestedSessionTransaction } from "./nested-transaction.js";
import { restoreOnRollback, revertUnflushed } from "./rollback.js";
import {
  addObject,
  deleteObject,
  detachState,
  dirtyObjects,
  expireObject,
  expireWhole,
  expungeEverything,
  expungeObject,
  type GetOptions,
  getObject,
  loadRelationships,
  type ModelLike,
  mergeObject,
  NO_GET_OPTIONS,
  refreshObject,
} from "./session-objects.js";
import { populatingHost, runAnyStatement, runSelect, scalarsOf } from "./session-queries.js";
import { SessionTransaction } from "./session-transaction.js";

/**
 * Options of `new Session(engine, options)`.
 *
 * ```ts
 * const session = new Session(engine, { autoflush: false, expireOnCommit: true });
 * ```
 */
export interface SessionOptions {
  /** Flush pending changes before each query (default true). */
  readonly autoflush?: boolean;
  /** After commit, mark every object expired so the next load refreshes it (default false). */
  readonly expireOnCommit?: boolean;
}

/**
 * The ORM's handle on a database conversation.
 *
 * ```ts
 * await using session = new Session(engine);
 * session.add(new User({ name: "spongebob" }));
 * await session.commit();
 * ```
 */
export class Session implements StateOwner, LoadHost, AsyncDisposable {
  readonly engine: Engine;
  readonly autoflush: boolean;
  readonly expireOnCommit: boolean;
  /** @internal */
  readonly identityMap = new IdentityMap();
  /** @internal The declarative registries of the objects this Session has held (a flush orders its work by their mappers). */
  readonly registries = new Registries();
  // Made on first use: most Sessions (a request's lookups) never add, delete or change anything.
  private pendingSet: StateList | null = null;
  private toDeleteSet: Set<InstanceState> | null = null;
  private relChangedSet: Set<InstanceState> | null = null;
  /** @internal pending objects, in the order added */
  get pending(): StateList {
    return (this.pendingSet ??= new StateList());
  }
  /** @internal objects marked for deletion */
  get toDelete(): Set<InstanceState> {
    return (this.toDeleteSet ??= new Set());
  }
  /** @internal True if objects are pending (without making the set). */
  get hasPending(): boolean {
    return (this.pendingSet?.size ?? 0) > 0;
  }
  /** @internal Empties the pending, to-delete and changed-relationship sets. */
  _clearCollections(): void {
    this.pendingSet?.clear();
    this.toDeleteSet?.clear();
    this.relChangedSet?.clear();
  }
  /** @internal FlushHost: the set of objects to delete, handed over to the transaction record; a new one starts. */
  _takeToDelete(): Set<InstanceState> {
    const set = this.toDelete;
    this.toDeleteSet = null;
    return set;
  }
  /** @internal objects whose relationships changed since the last flush */
  get relChanged(): Set<InstanceState> {
    return (this.relChangedSet ??= new Set());
  }
  /** @internal the Session is its own LoadHost (owner of what it loads) */
  get owner(): this {
    return this;
  }
  /** @internal */
  readonly populateExisting = false;
  private conn: Connection | null = null;
  private tx: SessionTransaction | null = null;
  private failure: CrucibleError | null = null;
  private flushing = false;

  constructor(engine: Engine, options: SessionOptions = {}) {
    if (!engine || typeof (engine as Engine).connect !== "function") throw new ArgumentError("new Session(engine): pass the Engine made by createEngine()");
    this.engine = engine;
    this.autoflush = options.autoflush ?? true;
    this.expireOnCommit = options.expireOnCommit ?? false;
    keepAlive(KEEP.session, this);
  }

  /**
   * Runs `fn` in a Session and transaction: committed when it returns, rolled back when it throws, closed after.
   *
   * ```ts
   * await Session.begin(engine, async (session) => { session.add(new User({ name: "sandy" })); });
   * ```
   */
  static async begin<T>(engine: Engine, fn: (session: Session) => Promise<T>, options: SessionOptions = {}): Promise<T> {
    const session = new Session(engine, options);
    try {
      const result = await fn(session);
      await session.commit();
      return result;
    } catch (e) {
      await session.rollback();
      throw e;
    } finally {
      await session.close();
    }
  }

  get dialect(): Dialect {
    return this.engine.dialect;
  }

  // ---------------------------------------------------------------- state collections

  /** Pending objects (added, not yet flushed). */
  get new(): object[] {
    return [...this.pending].map((s) => s.obj);
  }
  /** Objects marked for deletion (not yet flushed). */
  get deleted(): object[] {
    return [...this.toDelete].map((s) => s.obj);
  }
  /** Persistent objects with changed columns or relationships (not yet flushed). */
  get dirty(): object[] {
    return dirtyObjects(this);
  }
  /** True when objects were added, changed or deleted since the last flush. */
  get hasChanges(): boolean {
    if ((this.pendingSet?.size ?? 0) > 0 || (this.toDeleteSet?.size ?? 0) > 0 || (this.relChangedSet?.size ?? 0) > 0) return true;
    return this.identityMap.any(isModified);
  }
  /** True while a transaction is open. */
  get inTransaction(): boolean {
    return this.tx !== null;
  }
  /** True when `obj` belongs to this Session. */
  contains(obj: object): boolean {
    const s = maybeStateOf(obj);
    return s !== undefined && s.session === this && s.status !== "deleted";
  }

  // ---------------------------------------------------------------- StateOwner

  /** @internal */
  _relationshipChanged(state: InstanceState): void {
    if (state.status === "persistent") this.relChanged.add(state);
  }
  /** @internal */
  _cascadeAdd(obj: object): void {
    this.add(obj as ModelBase);
  }

  // ---------------------------------------------------------------- adding and removing objects

  /** @internal Throws when the Session must be rolled back first. */
  checkUsable(): void {
    if (this.failure)
      throw new PendingRollbackError(
        `This Session's transaction was rolled back because of an error during flush: ${this.failure.name}: ${this.failure.message.split("\n")[0]}. Call session.rollback() before using the Session again.`,
        { cause: this.failure },
      );
  }

  /**
   * Adds an object (and what it reaches through save-update cascades); it is INSERTed at the next flush.
   *
   * ```ts
   * session.add(new User({ name: "patrick" }));
   * ```
   */
  add(obj: ModelBase): void {
    addObject(this, obj);
  }

  /**
   * Adds several objects.
   *
   * ```ts
   * session.addAll([new User({ name: "sandy" }), new User({ name: "patrick" })]);
   * ```
   */
  addAll(objs: Iterable<ModelBase>): void {
    // An indexed loop for arrays: for-of makes an iterator result per item until V8 optimizes the loop.
    if (Array.isArray(objs)) for (let i = 0; i < objs.length; i++) addObject(this, objs[i]);
    else for (const o of objs) addObject(this, o);
  }

  /**
   * Marks an object for deletion at the next flush (cascading along `delete` relationships). A pending object is
   * simply dropped.
   *
   * ```ts
   * session.delete(user);
   * await session.commit();
   * ```
   */
  delete(obj: ModelBase): void {
    deleteObject(this, obj);
  }

  /**
   * Removes an object (and its `expunge` cascades) from this Session without touching the database.
   *
   * ```ts
   * session.expunge(user);
   * ```
   */
  expunge(obj: ModelBase): void {
    expungeObject(this, obj);
  }

  /** Removes every object from the Session. */
  expungeAll(): void {
    expungeEverything(this);
  }

  // ---------------------------------------------------------------- connection and transactions

  /** @internal The Session's connection (acquired and autobegun on first use). */
  async connection(): Promise<Connection> {
    this.checkUsable();
    return this.connectionNow();
  }

  /**
   * @internal The connection, without a promise when the Session holds one or the pool has one idle (the waiting path
   * is a method of its own: an arrow here would make V8 allocate a context at every call).
   */
  connectionNow(): Connection | Promise<Connection> {
    if (this.conn !== null) return this.conn;
    this.checkUsable();
    // An idle pooled connection comes without a promise: no await (and no microtask hop) for a new Session's query.
    const c = this.engine._connect();
    if (c instanceof Promise) return this.holdWhenConnected(c);
    this.conn = c;
    return c;
  }
  private async holdWhenConnected(c: Promise<Connection>): Promise<Connection> {
    this.conn = await c;
    return this.conn;
  }

  /** @internal NestedHost: the SAVEPOINT `record` ended; its parent is the innermost transaction again. */
  _popTransaction(record: SessionTransaction): void {
    this.tx = record.parent;
  }

  /** @internal The innermost transaction record. */
  get transaction(): SessionTransaction {
    if (this.tx === null) this.tx = new SessionTransaction(null, null);
    return this.tx;
  }

  /**
   * Starts a SAVEPOINT (flushing first). Roll it back to undo only what happened since; a flush that fails inside it
   * rolls back to it and leaves the outer transaction usable.
   *
   * ```ts
   * const sp = await session.beginNested();
   * session.add(maybeDuplicate);
   * try { await sp.commit(); } catch (e) { if (!(e instanceof IntegrityError)) throw e; }
   * ```
   */
  async beginNested(): Promise<NestedSessionTransaction> {
    await this.flush();
    const conn = await this.connection();
    const savepoint = await conn.beginNested();
    this.tx = new SessionTransaction(this.transaction, savepoint);
    return new NestedSessionTransaction(this, this.tx);
  }

  /**
   * Writes pending changes to the database (in the current transaction). On failure the transaction is rolled back
   * and the Session must be rolled back before further use (unless inside a SAVEPOINT, which alone is rolled back).
   */
  async flush(): Promise<void> {
    this.checkUsable();
    if (this.flushing) return;
    if (!this.hasChanges) return;
    this.flushing = true;
    try {
      await runFlush(flushHostOf(this), mappersInUse(this));
    } catch (e) {
      const err = e instanceof CrucibleError ? e : new InvalidRequestError(String((e as Error)?.message ?? e), { cause: e });
      await this.failFlush(err);
      throw e;
    } finally {
      this.flushing = false;
    }
  }

  private async failFlush(err: CrucibleError): Promise<void> {
    const tx = this.tx;
    if (tx?.savepoint) {
      // Only the SAVEPOINT is lost: roll back to it; the outer transaction goes on.
      try {
        await tx.savepoint.rollback();
      } catch {
        // the connection may be gone; the outer rollback will tell
      }
      this.rollbackRecords(tx);
      tx.active = false;
      this.tx = tx.parent;
      return;
    }
    try {
      await this.conn?.rollback();
      await this.releaseConnection();
    } catch {
      // already rolled back by the database, or the connection broke
      this.conn = null;
    }
    this.failure = err;
  }

  /**
   * Flushes, then commits the transaction.
   *
   * ```ts
   * session.add(user);
   * await session.commit();
   * ```
   */
  async commit(): Promise<void> {
    this.checkUsable();
    await this.flush();
    while (this.tx?.savepoint) {
      await this.tx.savepoint.commit();
      this.tx.mergeIntoParent();
      this.tx = this.tx.parent;
    }
    if (this.conn) await this.conn.commit();
    this.tx?.committed();
    this.tx = null;
    await this.releaseConnection();
    if (this.expireOnCommit) this.identityMap.any(expireWhole);
  }

  /** Like SQLAlchemy, a Session gives its connection back when a transaction ends; the next use takes one again. */
  private async releaseConnection(): Promise<void> {
    const conn = this.conn;
    this.conn = null;
    if (conn) await conn.close();
  }

  /**
   * Rolls back the transaction and restores objects: those inserted in it and those still pending leave the Session
   * (transient again, keeping their attribute values), those deleted come back, changed ones get their database
   * values. Clears a failed flush's error state. As in SQLAlchemy, nothing half-added is left to fail the next flush.
   *
   * ```ts
   * try { await session.commit(); } catch { await session.rollback(); }
   * ```
   */
  async rollback(): Promise<void> {
    try {
      if (this.conn) await this.conn.rollback();
      await this.releaseConnection();
    } finally {
      this.unwind();
    }
  }

  /** Undoes the records of every open transaction level and the unflushed changes; no transaction or failure is left. */
  private unwind(): void {
    for (let tx = this.tx; tx !== null; tx = tx.parent) restoreOnRollback(this, tx);
    this.discardUnflushed();
    this.tx = null;
    this.failure = null;
  }

  /** @internal Undoes a transaction's (or SAVEPOINT's) records; objects still pending leave the Session, as in SQLAlchemy. */
  rollbackRecords(tx: SessionTransaction): void {
    restoreOnRollback(this, tx);
    this.discardUnflushed();
  }

  /**
   * What a rollback does to changes no flush wrote: changed objects get their last loaded values back, deletions are
   * forgotten, and pending objects leave the Session (transient, as SQLAlchemy's rollback leaves them).
   */
  private discardUnflushed(): void {
    revertUnflushed(this);
    this.toDeleteSet?.clear();
    if (this.pendingSet !== null && this.pendingSet.size > 0) for (const s of [...this.pendingSet]) detachState(this, s);
  }

  /**
   * Ends the Session's work, like SQLAlchemy's close(): rolls back anything not committed, gives back its connection
   * and expunges every object (they become detached: their loaded values stay readable, and add() or merge() attaches
   * them to a Session again). The Session itself can be used again.
   */
  close(): Promise<void> {
    // Not async: a Session closed per request makes no suspended function state (the usual close is synchronous).
    try {
      const conn = this.conn;
      this.conn = null;
      if (this.tx !== null || this.failure !== null) this.unwind();
      if (this.identityMap.size > 0 || this.hasPending) this.expungeAll();
      else this._clearCollections();
      return conn?._close() ?? DONE;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // ---------------------------------------------------------------- queries

  /** @internal The loading context: the Session itself, or a view of it that overwrites loaded objects. */
  loadHost(populateExisting: boolean): LoadHost {
    return populateExisting ? populatingHost(this) : this;
  }

  /** @internal LoadHost: runs a SELECT on the Session's connection (no autoflush) and returns converted rows. */
  run(stmt: Select<any, any>, params?: Readonly<Record<string, unknown>>): unknown[][] | Promise<unknown[][]> {
    return runSelect(this, stmt, params);
  }

  /** @internal LoadHost: runs any statement (fromStatement) and returns its rows and column names. */
  runStatement(node: SelectableNode, params?: Readonly<Record<string, unknown>>): Promise<{ rows: unknown[][]; keys: readonly (string | null)[] }> {
    return runAnyStatement(this, node, params);
  }

  /** @internal Flushes when autoflush is on and there are changes (not during a flush). */
  async autoflushIfNeeded(): Promise<void> {
    if (this.autoflushDue) await this.flush();
  }
  /** @internal Autoflush is on and there is something to flush (tested inline on query paths: no promise when not). */
  get autoflushDue(): boolean {
    return this.autoflush && !this.flushing && this.hasChanges;
  }

  /**
   * Executes a statement. A SELECT of mapped classes returns rows holding objects (from the identity map); other
   * statements run as in Core.
   *
   * ```ts
   * const rows = (await session.execute(select(User, Address).join(User.addresses))).all(); // [User, Address][]
   * ```
   */
  async execute<T extends readonly unknown[], N>(stmt: Executable<T, N>, params?: ExecuteParams): Promise<Result<T, N>> {
    this.checkUsable();
    if (this.autoflushDue) await this.flush();
    if (isOrmSelect(stmt)) {
      const orm = await executeOrmSelect(this.ormHost(stmt), stmt, params as Record<string, unknown> | undefined);
      return new Result<T, N>({ rows: orm.rows, keys: orm.keys, rowCount: orm.rows.length, insertedPrimaryKey: null, returnsRows: true });
    }
    const conn = await this.connection();
    return conn.execute(stmt, params);
  }

  /** @internal The loading context of an ORM SELECT (overwriting loaded objects when the statement asks for populateExisting). */
  ormHost(stmt: Select<any, any>): LoadHost {
    return this.loadHost(stmt.node.annotations.populateExisting === true);
  }

  /**
   * The first column of each row: for `select(User)`, the User objects.
   *
   * ```ts
   * for (const user of await session.scalars(select(User).where(User.c.name.in(["sandy"])))) console.log(`${user}`);
   * ```
   */
  scalars<T extends readonly unknown[], N>(stmt: Executable<T, N>, params?: ExecuteParams): Promise<ScalarResult<T[0]>> {
    return scalarsOf<T[0]>(this, stmt, params);
  }

  /**
   * The first column of the first row, or null.
   *
   * ```ts
   * const n = await session.scalar(select(func.count()).selectFrom(User));
   * ```
   */
  async scalar<T extends readonly unknown[], N>(stmt: Executable<T, N>, params?: ExecuteParams): Promise<T[0] | null> {
    return (await this.execute(stmt, params)).scalar();
  }

  /**
   * The object with this primary key: from the identity map without SQL when it is there, else one SELECT.
   * Composite keys: an array in key order, or an object by attribute name.
   *
   * ```ts
   * const sandy = await session.get(User, 2);
   * ```
   */
  get<T>(model: ModelLike<T>, pk: unknown, options: GetOptions = NO_GET_OPTIONS): Promise<T | null> {
    return getObject(this, model, pk, options);
  }

  /**
   * Loads relationships of objects explicitly (one query per relationship for all the objects given).
   *
   * ```ts
   * await session.load(user, "addresses");
   * await session.load(users, "addresses");
   * ```
   */
  load<T extends object>(objs: T | readonly T[], ...attributes: string[]): Promise<void> {
    return loadRelationships(this, (Array.isArray(objs) ? objs : [objs]) as object[], attributes);
  }

  /**
   * Reloads an object's columns (and the named relationships) from the database.
   *
   * ```ts
   * await session.refresh(user);
   * ```
   */
  refresh(obj: object, attributes: string[] = []): Promise<void> {
    return refreshObject(this, obj, attributes);
  }

  /**
   * Marks an object's attributes stale: the next query that loads its row refreshes them; named relationships are
   * unloaded (reading them raises until loaded again).
   *
   * ```ts
   * session.expire(user);
   * ```
   */
  expire(obj: object, attributes: string[] = []): void {
    expireObject(obj, attributes);
  }

  /** Expires every object of the Session. */
  expireAll(): void {
    for (const s of this.identityMap.all()) expireObject(s.obj, []);
  }

  /**
   * Copies the state of an object into this Session: returns the persistent object with the same primary key
   * (loaded if needed) with the given object's attributes applied, or a new pending copy. Follows `merge` cascades.
   *
   * ```ts
   * const attached = await session.merge(detachedUser);
   * ```
   */
  merge<T extends object>(obj: T): Promise<T> {
    return mergeObject(this, obj, new Map());
  }

  toString(): string {
    return `Session(${this.engine.url.display}, ${this.identityMap.size} objects, ${this.pendingSet?.size ?? 0} pending)`;
  }
}
