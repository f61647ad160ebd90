/**
 * The Session's operations on objects: add (with save-update cascades), delete, expunge, get, load, refresh, expire
 * and merge. `Session` delegates its methods of the same names here.
 */

import type { Connection } from "../../engine/connection.js";
import type { EntityLike } from "../../sql/ast/entity.js";
import { ArgumentError, DetachedInstanceError, InvalidRequestError } from "../../util/errors.js";
import { asPromise, thenValue } from "../../util/settled.js";
import { hydrate } from "../loading/hydrate.js";
import type { LoaderOption } from "../loading/options.js";
import { applySteps, selectinLoad } from "../loading/selectin.js";
import type { Mapper } from "../mapper.js";
import { describe, type ModelBase, maybeStateOf, stateOf } from "../model-base.js";
import { findMapper } from "../registry.js";
import { type InstanceState, stateAccess } from "../state.js";
import { isModified } from "../unit-of-work/compare.js";
import { getStatement, keyParams } from "./get-statement.js";
import type { Session } from "./session.js";

/** A mapped class (or an alias of one) whose instances are `T`. */
export type ModelLike<T> = (abstract new (...args: any) => T) & EntityLike;

/** Options of `session.get()`. */
export interface GetOptions {
  /** Reload the object's columns even when it is in the identity map. */
  readonly populateExisting?: boolean;
  /** Loader options (`selectinload(...)`, ...) for the loaded object. */
  readonly options?: LoaderOption[];
}

/** The options of a get() given none (one object, not one per call). */
export const NO_GET_OPTIONS: GetOptions = Object.freeze({});

/** session.add(): transient objects become pending, detached ones persistent; save-update cascades follow. */
export function addObject(session: Session, obj: ModelBase): void {
  session.checkUsable();
  addState(session, stateOf(obj));
}

/** addObject() for a state in hand (the save-update cascade has it already: no second lookup per object). */
function addState(session: Session, s: InstanceState): void {
  const obj = s.obj;
  if (s.session !== null && s.session !== session)
    throw new InvalidRequestError(`${describe(obj)} is already attached to another Session; expunge() it there first, or merge() it into this one`);
  switch (s.status) {
    case "transient":
      s.status = "pending";
      s.session = session;
      session.pending.add(s);
      session.registries.add(s.mapper.registry);
      cascadeAdd(session, s);
      return;
    case "detached": {
      const existing = session.identityMap.get(s.mapper, s.key);
      if (existing && existing !== obj)
        throw new InvalidRequestError(`another object with the same identity as ${describe(obj)} is already in this Session; use merge()`);
      s.status = "persistent";
      s.session = session;
      session.identityMap.set(s.mapper, s.key, s);
      cascadeAdd(session, s);
      return;
    }
    case "deleted":
      throw new InvalidRequestError(`${describe(obj)} was deleted; it cannot be added again (make a new object)`);
    default:
      // pending or persistent here: re-adding restores an object marked for deletion
      session.toDelete.delete(s);
      return;
  }
}

/** Adds the objects that `s` reaches through save-update relationships and that are in no Session. */
function cascadeAdd(session: Session, s: InstanceState): void {
  const rels = s.mapper.relationships;
  for (let i = 0; i < rels.length; i++) {
    const rel = rels[i];
    const v = s.getRel(i);
    if (!rel.cascade.saveUpdate || v === undefined || v === null) continue;
    if (Array.isArray(v)) {
      for (let j = 0; j < v.length; j++) {
        const xs = stateAccess.known(v[j] as object);
        if (xs.session === null && (xs.status === "transient" || xs.status === "detached")) addState(session, xs);
      }
    } else {
      const xs = stateAccess.known(v as object);
      if (xs.session === null && (xs.status === "transient" || xs.status === "detached")) addState(session, xs);
    }
  }
}

/** session.delete(): marks a persistent object for deletion; a pending one is simply dropped. */
export function deleteObject(session: Session, obj: ModelBase): void {
  session.checkUsable();
  const s = stateOf(obj);
  if (s.status === "pending") {
    expungeObject(session, obj);
    return;
  }
  if (s.status !== "persistent" && s.status !== "detached")
    throw new InvalidRequestError(`${describe(obj)} is ${s.status} and has no row to delete; only loaded or flushed objects can be deleted`);
  if (s.status === "detached") addObject(session, obj);
  session.toDelete.add(s);
}

/** session.expunge(): the object and its expunge cascades leave the Session; the database is not touched. */
export function expungeObject(session: Session, obj: ModelBase): void {
  const s = stateOf(obj);
  if (s.session !== session) throw new InvalidRequestError(`${describe(obj)} is not in this Session`);
  detachState(session, s);
  s.mapper.relationships.forEach((rel, i) => {
    if (!rel.cascade.expunge) return;
    const v = s.getRel(i);
    for (const x of Array.isArray(v) ? v : v ? [v] : []) if (maybeStateOf(x)?.session === session) expungeObject(session, x as ModelBase);
  });
}

/** session.dirty: persistent objects with changed columns or relationships, in identity map order. */
export function dirtyObjects(session: Session): object[] {
  const out: object[] = [];
  session.identityMap.some((s) => {
    if (session.relChanged.has(s) || isModified(s)) out.push(s.obj);
    return false;
  });
  return out;
}

/** Identity map visitor (module-level: no closure made per call): expire all of the object. */
export const expireWhole = (s: InstanceState): boolean => {
  s.expired = true;
  return false;
};

/** Detaches a persistent object without touching the Session's collections (they are emptied at once after). */
const detachLoaded = (s: InstanceState): boolean => {
  s.status = "detached";
  s.session = null;
  return false;
};

/** session.expungeAll(): everything leaves at once, without per-object bookkeeping (the collections are emptied). */
export function expungeEverything(session: Session): void {
  session.identityMap.any(detachLoaded);
  if (session.hasPending)
    for (const s of session.pending) {
      s.status = "transient";
      s.session = null;
    }
  session._clearCollections();
  session.identityMap.clear();
}

/** Drops an object from the Session's bookkeeping: pending becomes transient, persistent or deleted detached. */
export function detachState(session: Session, s: InstanceState): void {
  session.pending.delete(s);
  session.toDelete.delete(s);
  session.relChanged.delete(s);
  if (s.status === "persistent" || s.status === "deleted") {
    session.identityMap.discard(s.mapper, s.key, s);
    s.status = "detached";
  } else if (s.status === "pending") s.status = "transient";
  s.session = null;
}

/** session.get(): the identity map first, else one SELECT by primary key (a cached statement per mapper). */
export function getObject<T>(session: Session, model: ModelLike<T>, pk: unknown, options: GetOptions): Promise<T | null> {
  // Not an async function: with a synchronous driver (SQLite) the whole lookup runs without awaiting, and an async
  // function's suspended state (a few hundred bytes) would be made for every get(). Errors still reject the promise.
  try {
    return asPromise(startGet<T>(session, model, pk, options));
  } catch (e) {
    return Promise.reject(e);
  }
}

type Maybe<T> = T | null | Promise<T | null>;

function startGet<T>(session: Session, model: ModelLike<T>, pk: unknown, options: GetOptions): Maybe<T> {
  session.checkUsable();
  const mapper = findMapper(model);
  if (!mapper)
    throw new ArgumentError(`get(): ${String((model as { name?: string })?.name ?? model)} is not a mapped class; pass a class made with Base.model()`);
  mapper.ensureConfigured();
  const key = mapper.identityFromPk(pk);
  const hs = session.identityMap.getState(mapper, key);
  if (hs !== undefined && !options.populateExisting && hs.expired === null) return hs.status === "deleted" ? null : (hs.obj as T);
  if (session.autoflush && session.hasChanges) return selectAfterFlush<T>(session, mapper, key, pk, options);
  return selectByKey<T>(session, mapper, key, pk, options);
}

// The promise continuations of get() live in functions of their own: a closure over a parameter makes V8 allocate a
// context at every call of the function that holds it, also when the closure is never made (the SQLite case).
function selectAfterFlush<T>(session: Session, mapper: Mapper, key: unknown, pk: unknown, options: GetOptions): Promise<T | null> {
  return session.autoflushIfNeeded().then(() => selectByKey<T>(session, mapper, key, pk, options));
}
function runWhenConnected<T>(conn: Promise<Connection>, session: Session, mapper: Mapper, key: unknown, pk: unknown, options: GetOptions): Promise<T | null> {
  return conn.then((c) => runByKey<T>(session, c, mapper, key, pk, options));
}
function objectWhenRead<T>(raw: Promise<{ rows: unknown[][] }>, session: Session, mapper: Mapper, options: GetOptions): Promise<T | null> {
  return raw.then((r) => objectFromRows<T>(session, mapper, r.rows, options));
}

function selectByKey<T>(session: Session, mapper: Mapper, key: unknown, pk: unknown, options: GetOptions): Maybe<T> {
  const conn = session.connectionNow();
  if (conn instanceof Promise) return runWhenConnected<T>(conn, session, mapper, key, pk, options);
  return runByKey<T>(session, conn, mapper, key, pk, options);
}

function runByKey<T>(session: Session, conn: Connection, mapper: Mapper, key: unknown, pk: unknown, options: GetOptions): Maybe<T> {
  const stmt = getStatement(session.dialect, mapper);
  const params = keyParams(stmt, mapper.pkIndexes.length === 1 ? [key] : mapper.pkValues(pk));
  const raw = conn._run(stmt.compiled, stmt.compiled.sql, params, "cached", true);
  if (raw instanceof Promise) return objectWhenRead<T>(raw, session, mapper, options);
  return objectFromRows<T>(session, mapper, raw.rows, options);
}

function objectFromRows<T>(session: Session, mapper: Mapper, rows: readonly unknown[][], options: GetOptions): Maybe<T> {
  if (rows.length === 0) return null;
  const host = session.loadHost(options.populateExisting ?? false);
  const obj = hydrate(host, mapper, rows[0], 0) as T;
  if (!options.options?.length && !mapper.hasEagerRelationships) return obj;
  const paths = (options.options ?? []).map((o) => o.path);
  return thenValue(applySteps(host, [stateOf(obj as object)], mapper, paths), obj);
}

/** session.load(): one query per named relationship for all the objects given. */
export async function loadRelationships(session: Session, objs: readonly object[], attributes: readonly string[]): Promise<void> {
  session.checkUsable();
  if (objs.length === 0) return;
  const states = objs.map((o) => stateOf(o));
  const mapper = states[0].mapper.ensureConfigured();
  for (const s of states) {
    if (s.session !== session) throw notHere("load", session, s);
    if (s.mapper !== mapper)
      throw new ArgumentError(`load(): ${describe(s.obj)} is not a ${mapper.name} like the first object; load the objects of each class separately`);
  }
  const rels = attributes.length ? attributes.map((name) => mapper.relationship(name)) : mapper.relationships;
  if (rels.length === 0) return;
  await session.autoflushIfNeeded();
  const persistent = states.filter((s) => s.status === "persistent");
  const host = session.loadHost(true);
  for (const rel of rels) await selectinLoad(host, persistent, rel, []);
}

/**
 * session.refresh(): the object's row again (every column, or the named ones), and the named relationships. Naming only
 * relationships loads just them.
 */
export async function refreshObject(session: Session, obj: object, attributes: readonly string[]): Promise<void> {
  session.checkUsable();
  const s = stateOf(obj);
  if (s.session !== session || s.status !== "persistent") throw notHere("refresh", session, s);
  const { columns, relationships } = s.mapper.ensureConfigured().attributesNamed("refresh", attributes);
  if (attributes.length === 0 || columns.length > 0) await refreshRow(session, s, attributes.length === 0 ? null : columns);
  for (const rel of relationships) await selectinLoad(session.loadHost(true), [s], rel, []);
}

/** Reads an object's row again: all its columns (`columns` null) or those at the given indexes. */
async function refreshRow(session: Session, s: InstanceState, columns: readonly number[] | null): Promise<void> {
  const obj = s.obj;
  const conn = await session.connection();
  const stmt = getStatement(session.dialect, s.mapper);
  const params = keyParams(
    stmt,
    s.mapper.pkKeys.map((k) => (obj as Record<string, unknown>)[k]),
  );
  const { rows } = await conn.runRaw(stmt.compiled, stmt.compiled.sql, params);
  if (rows.length === 0) throw new InvalidRequestError(`refresh(): the row of ${describe(obj)} no longer exists; expunge() the object or add it again`);
  if (columns === null) s.mapper.refreshFromRow(s, rows[0], 0);
  else s.mapper.refreshColumns(s, rows[0], 0, columns);
}

/**
 * session.expire(): the columns (all, or the named ones) are refreshed by the next load of the row, keeping earlier
 * expirations; the relationships (all, or the named ones) are unloaded.
 */
export function expireObject(obj: object, attributes: readonly string[]): void {
  const s = stateOf(obj);
  if (attributes.length === 0) {
    s.expired = true;
    s.unloadRels();
    return;
  }
  const { columns, relationships } = s.mapper.attributesNamed("expire", attributes);
  if (columns.length > 0 && s.expired !== true) {
    const expired = s.expired ?? new Set<string>();
    for (const i of columns) expired.add(s.mapper.columnKeys[i]);
    s.expired = expired;
  }
  for (const rel of relationships) s.setRelRaw(rel.index, undefined);
}

/** session.merge(): the persistent (or new pending) object with `obj`'s state applied, following merge cascades. */
export async function mergeObject<T extends object>(session: Session, obj: T, memo: Map<object, object>): Promise<T> {
  session.checkUsable();
  const done = memo.get(obj);
  if (done) return done as T;
  const s = stateOf(obj);
  if (s.session === session) return obj;
  const mapper = s.mapper;
  const key = mapper.identityOf(obj);
  let target: object | null = null;
  if (key !== null)
    target =
      (session.identityMap.get(mapper, key) as object | undefined) ??
      (await session.get(
        mapper.cls as never,
        mapper.pkKeys.map((k) => (obj as Record<string, unknown>)[k]),
      ));
  if (target === null) {
    target = new mapper.cls();
    session.add(target as ModelBase);
  }
  memo.set(obj, target);
  const src = obj as Record<string, unknown>;
  const dst = target as Record<string, unknown>;
  for (const k of mapper.columnKeys) if (src[k] !== undefined) dst[k] = src[k];
  for (const rel of mapper.relationships) {
    if (!rel.cascade.merge || !s.isLoaded(rel.index)) continue;
    // The persistent target's side is loaded first (no autoflush: the target is half merged).
    const ts = stateOf(target);
    if (ts.status === "persistent" && !ts.isLoaded(rel.index)) await selectinLoad(session.loadHost(false), [ts], rel, []);
    const v = s.getRel(rel.index);
    if (rel.many) dst[rel.key] = await Promise.all((v as object[]).map((x) => mergeObject(session, x, memo)));
    else dst[rel.key] = v === null ? null : await mergeObject(session, v as object, memo);
  }
  return target as T;
}

/** The error for an object the operation cannot use: detached (needs a Session), in another Session, or without a row. */
function notHere(op: string, session: Session, s: InstanceState): InvalidRequestError {
  if (s.session === null)
    return new DetachedInstanceError(`${op}(): ${describe(s.obj)} is ${s.status} (not in any Session); add() or merge() it into this Session first`);
  if (s.session !== session) return new InvalidRequestError(`${op}(): ${describe(s.obj)} belongs to another Session`);
  return new InvalidRequestError(`${op}(): ${describe(s.obj)} is ${s.status}; only persistent objects (loaded, or written by a flush) have a row to read`);
}
