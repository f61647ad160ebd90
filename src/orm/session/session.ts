/**
 * Session: the unit of work and identity map (DESIGN §5). Objects added are written by flush() in dependency order;
 * objects loaded are unique per row; commit() flushes and commits; rollback() restores objects to what the
 * database holds.
 */

import type { Dialect } from "../../dialects/base/dialect.js";
import type { Connection, Executable, ExecuteParams } from "../../engine/connection.js";
import type { Engine } from "../../engine/engine.js";
import { Result, ScalarResult } from "../../engine/result.js";
import type { EntityLike } from "../../sql/ast/entity.js";
import type { SelectableNode } from "../../sql/ast/nodes.js";
import { Select } from "../../sql/ast/select.js";
import { bindParams } from "../../sql/compiler/compiled.js";
import { ArgumentError, CrucibleError, DetachedInstanceError, InvalidRequestError, PendingRollbackError } from "../../util/errors.js";
import { KEEP, keepAlive } from "../../util/keep-alive.js";
import { hydrate, type LoadHost } from "../loading/hydrate.js";
import type { LoaderOption } from "../loading/options.js";
import { executeOrmSelect } from "../loading/query.js";
import { applySteps, selectinLoad } from "../loading/selectin.js";
import type { Mapper } from "../mapper.js";
import { describe, type ModelBase, maybeStateOf, stateOf } from "../model-base.js";
import { findMapper } from "../registry.js";
import type { RelationshipProperty } from "../relationship-property.js";
import { type InstanceState, type StateOwner, stateAccess } from "../state.js";
import { valuesDiffer } from "../unit-of-work/compare.js";
import { type FlushHost, flush as runFlush } from "../unit-of-work/flush.js";
import { getStatement } from "./get-statement.js";
import { IdentityMap } from "./identity-map.js";
import { restoreOnRollback, restoreRel } from "./rollback.js";
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

type ModelLike<T> = (abstract new (...args: any) => T) & EntityLike;

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
  // Made on first use: most Sessions (a request's lookups) never add, delete or change anything.
  private pendingSet: Set<InstanceState> | null = null;
  private toDeleteSet: Set<InstanceState> | null = null;
  private relChangedSet: Set<InstanceState> | null = null;
  /** @internal pending objects, in the order added */
  get pending(): Set<InstanceState> {
    return (this.pendingSet ??= new Set());
  }
  /** @internal objects marked for deletion */
  get toDelete(): Set<InstanceState> {
    return (this.toDeleteSet ??= new Set());
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
    const out: object[] = [];
    for (const obj of this.identityMap.all()) {
      const s = stateAccess.get(obj) as InstanceState;
      if (this.relChanged.has(s) || isModified(s)) out.push(obj);
    }
    return out;
  }
  /** True when objects were added, changed or deleted since the last flush. */
  get hasChanges(): boolean {
    if ((this.pendingSet?.size ?? 0) > 0 || (this.toDeleteSet?.size ?? 0) > 0 || (this.relChangedSet?.size ?? 0) > 0) return true;
    if (this.identityMap.size === 0) return false;
    for (const obj of this.identityMap.all()) if (isModified(stateAccess.get(obj) as InstanceState)) return true;
    return false;
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

  private checkUsable(): void {
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
    this.checkUsable();
    const s = stateOf(obj);
    if (s.session !== null && s.session !== this)
      throw new InvalidRequestError(`${describe(obj)} is already attached to another Session; expunge() it there first, or merge() it into this one`);
    switch (s.status) {
      case "transient":
        s.status = "pending";
        s.session = this;
        this.pending.add(s);
        this.cascadeFrom(s);
        return;
      case "detached": {
        const existing = this.identityMap.get(s.mapper, s.key);
        if (existing && existing !== obj)
          throw new InvalidRequestError(`another object with the same identity as ${describe(obj)} is already in this Session; use merge()`);
        s.status = "persistent";
        s.session = this;
        this.identityMap.set(s.mapper, s.key, obj);
        this.cascadeFrom(s);
        return;
      }
      case "deleted":
        throw new InvalidRequestError(`${describe(obj)} was deleted; it cannot be added again (make a new object)`);
      default:
        // pending or persistent here: re-adding restores an object marked for deletion
        this.toDelete.delete(s);
        return;
    }
  }

  private cascadeFrom(s: InstanceState): void {
    if (s.rels === null) return;
    const rels = s.mapper.relationships;
    for (let i = 0; i < rels.length; i++) {
      const rel = rels[i];
      const v = s.rels[i];
      if (!rel.cascade.saveUpdate || v === undefined || v === null) continue;
      if (Array.isArray(v)) {
        for (let j = 0; j < v.length; j++) {
          const xs = stateAccess.get(v[j] as object) as InstanceState;
          if (xs.session === null && (xs.status === "transient" || xs.status === "detached")) this.add(v[j] as ModelBase);
        }
      } else {
        const xs = stateAccess.get(v as object) as InstanceState;
        if (xs.session === null && (xs.status === "transient" || xs.status === "detached")) this.add(v as ModelBase);
      }
    }
  }

  /**
   * Adds several objects.
   *
   * ```ts
   * session.addAll([new User({ name: "sandy" }), new User({ name: "patrick" })]);
   * ```
   */
  addAll(objs: Iterable<ModelBase>): void {
    for (const o of objs) this.add(o);
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
    this.checkUsable();
    const s = stateOf(obj);
    if (s.status === "pending") {
      this.expunge(obj);
      return;
    }
    if (s.status !== "persistent" && s.status !== "detached")
      throw new InvalidRequestError(`${describe(obj)} is ${s.status} and has no row to delete; only loaded or flushed objects can be deleted`);
    if (s.status === "detached") this.add(obj);
    this.toDelete.add(s);
  }

  /**
   * Removes an object (and its `expunge` cascades) from this Session without touching the database.
   *
   * ```ts
   * session.expunge(user);
   * ```
   */
  expunge(obj: ModelBase): void {
    const s = stateOf(obj);
    if (s.session !== this) throw new InvalidRequestError(`${describe(obj)} is not in this Session`);
    this.detach(s);
    if (s.rels)
      s.mapper.relationships.forEach((rel, i) => {
        if (!rel.cascade.expunge) return;
        const v = s.rels?.[i];
        for (const x of Array.isArray(v) ? v : v ? [v] : []) if (maybeStateOf(x)?.session === this) this.expunge(x as ModelBase);
      });
  }

  /** @internal drops an object from the Session's bookkeeping. */
  detach(s: InstanceState): void {
    this.pending.delete(s);
    this.toDelete.delete(s);
    this.relChanged.delete(s);
    if (s.status === "persistent" || s.status === "deleted") {
      if (this.identityMap.get(s.mapper, s.key) === s.obj) this.identityMap.delete(s.mapper, s.key);
      s.status = s.status === "deleted" ? "detached" : "detached";
    } else if (s.status === "pending") s.status = "transient";
    s.session = null;
  }

  /** Removes every object from the Session. */
  expungeAll(): void {
    for (const obj of [...this.identityMap.all()]) this.detach(stateAccess.get(obj) as InstanceState);
    if (this.pendingSet) for (const s of [...this.pendingSet]) this.detach(s);
    this.identityMap.clear();
  }

  // ---------------------------------------------------------------- connection and transactions

  /** @internal The Session's connection (acquired and autobegun on first use). */
  async connection(): Promise<Connection> {
    this.checkUsable();
    if (this.conn === null) {
      const c = this.engine._connect();
      this.conn = c instanceof Promise ? await c : c;
    }
    return this.conn;
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
      await runFlush(this.flushHost(), this.mappersInUse());
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

  private mappersInUse(): Mapper[] {
    const set = new Set<Mapper>();
    for (const s of this.pending) set.add(s.mapper);
    for (const s of this.toDelete) set.add(s.mapper);
    for (const m of this.identityMap.mappers()) set.add(m);
    const registry = [...set][0]?.registry;
    // The commit order is computed over the whole registry (cached), so order is stable between flushes.
    return registry ? registry.mappers : [];
  }

  private flushHost(): FlushHost {
    const session = this;
    return {
      dialect: this.dialect,
      identityMap: this.identityMap,
      pending: this.pending,
      toDelete: this.toDelete,
      relChanged: this.relChanged,
      get transaction() {
        return session.transaction;
      },
      connection: () => this.connection(),
      attach: (s) => {
        s.status = "pending";
        s.session = this;
        this.pending.add(s);
      },
      load: (states, rel) => selectinLoad(this.loadHost(false), states, rel, []),
      detach: (s) => this.detach(s),
    };
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
    this.endTransaction();
    await this.releaseConnection();
    if (this.expireOnCommit) for (const obj of this.identityMap.all()) (stateAccess.get(obj) as InstanceState).expired = true;
  }

  private endTransaction(): void {
    this.tx = null;
  }

  /** Like SQLAlchemy, a Session gives its connection back when a transaction ends; the next use takes one again. */
  private async releaseConnection(): Promise<void> {
    const conn = this.conn;
    this.conn = null;
    if (conn) await conn.close();
  }

  /**
   * Rolls back the transaction and restores objects: those inserted in it are expunged, those deleted come back,
   * changed ones get their database values; pending objects stay pending. Clears a failed flush's error state.
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
      let tx = this.tx;
      while (tx) {
        this.rollbackRecords(tx);
        tx = tx.parent;
      }
      this.revertUnflushed();
      this.tx = null;
      this.failure = null;
    }
  }

  /** @internal */
  rollbackRecords(tx: SessionTransaction): void {
    restoreOnRollback(this, tx);
  }

  /** Changes not yet flushed are dropped too: objects get back their last loaded values. */
  private revertUnflushed(): void {
    for (const obj of this.identityMap.all()) {
      const s = stateAccess.get(obj) as InstanceState;
      if (s.committed) {
        const o = obj as Record<string, unknown>;
        s.mapper.columnKeys.forEach((k, i) => {
          o[k] = s.committed?.[i];
        });
      }
      if (s.relChanged) for (const i of s.relChanged) restoreRel(s, i, s.relBefore(i));
      s.resetRelChanges();
    }
    this.relChanged.clear();
    this.toDelete.clear();
  }

  /**
   * Ends the Session's work, like SQLAlchemy's close(): rolls back anything not committed, gives back its connection
   * and expunges every object (they become detached: their loaded values stay readable, and add() or merge() attaches
   * them to a Session again). The Session itself can be used again.
   */
  async close(): Promise<void> {
    const conn = this.conn;
    this.conn = null;
    if (this.tx !== null || this.failure !== null) {
      let tx = this.tx;
      while (tx) {
        this.rollbackRecords(tx);
        tx = tx.parent;
      }
      this.tx = null;
      this.failure = null;
    }
    if (this.identityMap.size > 0 || (this.pendingSet?.size ?? 0) > 0) this.expungeAll();
    this.toDeleteSet?.clear();
    this.relChangedSet?.clear();
    if (conn) {
      const r = conn._close();
      if (r) await r;
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // ---------------------------------------------------------------- queries

  /** @internal The loading context: the Session itself, or a view of it that overwrites loaded objects. */
  loadHost(populateExisting: boolean): LoadHost {
    if (!populateExisting) return this;
    return {
      identityMap: this.identityMap,
      dialect: this.dialect,
      owner: this,
      populateExisting: true,
      run: (stmt) => this.run(stmt),
      runStatement: (node, params) => this.runStatement(node, params),
    };
  }

  /** @internal LoadHost: runs a SELECT on the Session's connection (no autoflush) and returns converted rows. */
  async run(stmt: Select<any, any>): Promise<unknown[][]> {
    const conn = this.conn ?? (await this.connection());
    const { compiled, binds } = this.dialect.statementCache.compile(stmt.node);
    const bound = bindParams(compiled, binds, undefined, this.dialect);
    let raw = conn._run(compiled, bound.sql, bound.params);
    if (raw instanceof Promise) raw = await raw;
    return raw.rows;
  }

  /** @internal LoadHost: runs any statement (fromStatement) and returns its rows and column names. */
  async runStatement(node: SelectableNode, params?: Readonly<Record<string, unknown>>): Promise<{ rows: unknown[][]; keys: readonly (string | null)[] }> {
    const conn = await this.connection();
    const { compiled, binds } = this.dialect.statementCache.compile(node);
    const bound = bindParams(compiled, binds, params, this.dialect);
    const raw = await conn.runRaw(compiled, bound.sql, bound.params);
    return { rows: raw.rows, keys: compiled.resultColumns ? compiled.resultColumns.map((c) => c.name) : (raw.columns ?? []) };
  }

  private async autoflushIfNeeded(): Promise<void> {
    if (this.autoflush && !this.flushing && this.hasChanges) await this.flush();
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
    await this.autoflushIfNeeded();
    if (isOrmSelect(stmt)) {
      const orm = await executeOrmSelect(this.loadHost(stmt.node.annotations.populateExisting === true), stmt, params as Record<string, unknown> | undefined);
      return new Result<T, N>({ rows: orm.rows, keys: orm.keys, rowCount: orm.rows.length, insertedPrimaryKey: null, returnsRows: true });
    }
    const conn = await this.connection();
    return conn.execute(stmt, params);
  }

  /**
   * The first column of each row: for `select(User)`, the User objects.
   *
   * ```ts
   * for (const user of await session.scalars(select(User).where(User.c.name.in(["sandy"])))) console.log(`${user}`);
   * ```
   */
  async scalars<T extends readonly unknown[], N>(stmt: Executable<T, N>, params?: ExecuteParams): Promise<ScalarResult<T[0]>> {
    this.checkUsable();
    await this.autoflushIfNeeded();
    let rows: readonly (readonly unknown[])[];
    let unique = false;
    if (isOrmSelect(stmt)) {
      const orm = await executeOrmSelect(this.loadHost(stmt.node.annotations.populateExisting === true), stmt, params as Record<string, unknown> | undefined);
      rows = orm.rows;
      unique = orm.unique;
    } else rows = (await (await this.connection()).execute(stmt, params)).raw();
    const out = new ScalarResult<T[0]>();
    // Joined eager loading of a collection repeats owners: objects are made unique then (SQLAlchemy's .unique()).
    const seen = unique ? new Set<unknown>() : null;
    for (let i = 0; i < rows.length; i++) {
      const v = rows[i][0] as T[0];
      if (seen !== null) {
        if (seen.has(v)) continue;
        seen.add(v);
      }
      out.push(v);
    }
    return out;
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
  async get<T>(model: ModelLike<T>, pk: unknown, options: { populateExisting?: boolean; options?: LoaderOption[] } = {}): Promise<T | null> {
    this.checkUsable();
    const mapper = findMapper(model);
    if (!mapper) throw new ArgumentError(`get(): ${String((model as { name?: string })?.name ?? model)} is not a mapped class`);
    mapper.ensureConfigured();
    const key = mapper.identityFromPk(pk);
    const hit = this.identityMap.get(mapper, key);
    if (hit !== undefined && !options.populateExisting && (stateAccess.get(hit) as InstanceState).expired === null) {
      if ((stateAccess.get(hit) as InstanceState).status === "deleted") return null;
      return hit as T;
    }
    if (this.autoflush && this.hasChanges) await this.autoflushIfNeeded();
    let conn = this.conn;
    if (conn === null) {
      const c = this.engine._connect();
      conn = this.conn = c instanceof Promise ? await c : c;
    }
    const stmt = getStatement(this.dialect, mapper);
    let params: unknown[];
    if (mapper.pkIndexes.length === 1) {
      const p = stmt.processors[0];
      params = [p === null ? key : p(key)];
    } else {
      const values = mapper.pkValues(pk);
      params = values.map((v, i) => (v === null || stmt.processors[i] === null ? v : (stmt.processors[i] as (x: unknown) => unknown)(v)));
    }
    let raw = conn._run(stmt.compiled, stmt.compiled.sql, params, "cached", true);
    if (raw instanceof Promise) raw = await raw;
    const rows = raw.rows;
    if (rows.length === 0) return null;
    const host = this.loadHost(options.populateExisting ?? false);
    const obj = hydrate(host, mapper, rows[0], 0) as T;
    if (options.options?.length || mapper.hasEagerRelationships)
      await applySteps(
        host,
        [stateOf(obj)],
        mapper,
        (options.options ?? []).map((o) => o.path),
      );
    return obj;
  }

  /**
   * Loads relationships of objects explicitly (one query per relationship for all the objects given).
   *
   * ```ts
   * await session.load(user, "addresses");
   * await session.load(users, "addresses");
   * ```
   */
  async load<T extends object>(objs: T | readonly T[], ...attributes: string[]): Promise<void> {
    this.checkUsable();
    const list = (Array.isArray(objs) ? objs : [objs]) as object[];
    if (list.length === 0) return;
    const states = list.map((o) => stateOf(o));
    for (const s of states) if (s.session !== this) throw notHere("load", s);
    const mapper = states[0].mapper.ensureConfigured();
    const host = this.loadHost(true);
    for (const name of attributes.length ? attributes : mapper.relationships.map((r) => r.key)) {
      const rel = mapper.relationship(name);
      await this.autoflushIfNeeded();
      await selectinLoad(
        host,
        states.filter((s) => s.status === "persistent"),
        rel,
        [],
      );
    }
  }

  /**
   * Reloads an object's columns (and the named relationships) from the database.
   *
   * ```ts
   * await session.refresh(user);
   * ```
   */
  async refresh(obj: object, attributes: string[] = []): Promise<void> {
    this.checkUsable();
    const s = stateOf(obj);
    if (s.session !== this || s.status !== "persistent") throw notHere("refresh", s);
    const conn = await this.connection();
    const stmt = getStatement(this.dialect, s.mapper);
    const values = s.mapper.pkKeys.map((k) => (obj as Record<string, unknown>)[k]);
    const params = values.map((v, i) => (v === null || stmt.processors[i] === null ? v : (stmt.processors[i] as (x: unknown) => unknown)(v)));
    const { rows } = await conn.runRaw(stmt.compiled, stmt.compiled.sql, params);
    if (rows.length === 0) throw new InvalidRequestError(`refresh(): the row of ${describe(obj)} no longer exists`);
    s.mapper.refreshFromRow(s, rows[0], 0);
    for (const name of attributes) await selectinLoad(this.loadHost(true), [s], s.mapper.relationship(name), []);
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
    const s = stateOf(obj);
    const rels = attributes.filter((a) => s.mapper.relationshipsByKey.has(a));
    const cols = attributes.filter((a) => s.mapper.columnIndex.has(a));
    s.expired = attributes.length === 0 ? true : new Set(cols);
    for (const name of attributes.length === 0 ? s.mapper.relationships.map((r) => r.key) : rels) {
      const rel = s.mapper.relationship(name);
      if (s.rels) s.rels[rel.index] = undefined;
    }
  }

  /** Expires every object of the Session. */
  expireAll(): void {
    for (const obj of this.identityMap.all()) this.expire(obj);
  }

  /**
   * Copies the state of an object into this Session: returns the persistent object with the same primary key
   * (loaded if needed) with the given object's attributes applied, or a new pending copy. Follows `merge` cascades.
   *
   * ```ts
   * const attached = await session.merge(detachedUser);
   * ```
   */
  async merge<T extends object>(obj: T, memo = new Map<object, object>()): Promise<T> {
    this.checkUsable();
    const done = memo.get(obj);
    if (done) return done as T;
    const s = stateOf(obj);
    if (s.session === this) return obj;
    const mapper = s.mapper;
    const key = mapper.identityOf(obj);
    let target: object | null = null;
    if (key !== null)
      target =
        (this.identityMap.get(mapper, key) as object | undefined) ??
        (await this.get(
          mapper.cls as never,
          mapper.pkKeys.map((k) => (obj as Record<string, unknown>)[k]),
        ));
    if (target === null) {
      target = new mapper.cls();
      this.add(target as ModelBase);
    }
    memo.set(obj, target);
    const src = obj as Record<string, unknown>;
    const dst = target as Record<string, unknown>;
    for (const k of mapper.columnKeys) if (src[k] !== undefined) dst[k] = src[k];
    for (const rel of mapper.relationships) {
      if (!rel.cascade.merge || !s.isLoaded(rel.index)) continue;
      // The persistent target's side is loaded first (no autoflush: the target is half merged).
      const ts = stateOf(target);
      if (ts.status === "persistent" && !ts.isLoaded(rel.index)) await selectinLoad(this.loadHost(false), [ts], rel, []);
      const v = s.getRel(rel.index);
      if (rel.many) dst[rel.key] = await Promise.all((v as object[]).map((x) => this.merge(x, memo)));
      else dst[rel.key] = v === null ? null : await this.merge(v as object, memo);
    }
    return target as T;
  }

  toString(): string {
    return `Session(${this.engine.url.display}, ${this.identityMap.size} objects, ${this.pending.size} pending)`;
  }
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
    private readonly session: Session,
    private readonly record: SessionTransaction,
  ) {}
  get isActive(): boolean {
    return this.record.active;
  }
  /** Flushes and releases the SAVEPOINT (its changes join the outer transaction). */
  async commit(): Promise<void> {
    if (!this.record.active) throw new InvalidRequestError("this SAVEPOINT is no longer active");
    await this.session.flush();
    if (!this.record.active) return;
    this.record.active = false;
    await this.record.savepoint?.commit();
    this.record.mergeIntoParent();
    popTo(this.session, this.record);
  }
  /** Rolls back to the SAVEPOINT: objects changed since are restored. */
  async rollback(): Promise<void> {
    if (!this.record.active) return;
    this.record.active = false;
    await this.record.savepoint?.rollback();
    this.session.rollbackRecords(this.record);
    popTo(this.session, this.record);
  }
  /** Leaving an `await using` block without commit() rolls the SAVEPOINT back (the block may have thrown). */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.record.active) await this.rollback();
  }
}

function popTo(session: Session, record: SessionTransaction): void {
  (session as unknown as { tx: SessionTransaction | null }).tx = record.parent;
}

/** The error for an object the operation cannot use: detached (needs a Session) or in another Session. */
function notHere(op: string, s: InstanceState): InvalidRequestError {
  if (s.session === null)
    return new DetachedInstanceError(`${op}(): ${describe(s.obj)} is ${s.status} (not in any Session); add() or merge() it into this Session first`);
  return new InvalidRequestError(`${op}(): ${describe(s.obj)} belongs to another Session`);
}

/** A SELECT of mapped entities (run by the ORM's loader rather than as plain Core). */
function isOrmSelect(stmt: Executable<readonly unknown[], unknown>): stmt is Select<any, any> {
  const node = stmt.node;
  if (!(stmt instanceof Select) || node.kind !== "select") return false;
  for (const e of node.elements) if (e.entity) return true;
  return false;
}

function isModified(s: InstanceState): boolean {
  const c = s.committed;
  if (c === null || s.status !== "persistent") return false;
  const o = s.obj as Record<string, unknown>;
  const keys = s.mapper.columnKeys;
  for (let i = 0; i < keys.length; i++) if (valuesDiffer(o[keys[i]], c[i])) return true;
  return false;
}

export type { RelationshipProperty };
