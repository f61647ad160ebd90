/**
 * Relationship attributes on instances: the accessors, the instrumented collection, and the in-memory
 * synchronisation of `backPopulates` pairs (`address.user = u` puts `address` in `u.addresses` at once; removing it
 * from the list clears `address.user`).
 */
import { InvalidRequestError, UnloadedRelationshipError } from "../util/errors.js";
import { KEEP, keepAlive } from "../util/keep-alive.js";
import { describe, maybeStateOf, stateOf } from "./model-base.js";
import type { RelationshipProperty } from "./relationship-property.js";
import type { InstanceState } from "./state.js";

/** No items (added or removed). */
const NONE: readonly never[] = [];

/**
 * The array of a collection relationship. Its mutators (push, pop, shift, unshift, splice, remove) keep the other
 * side of `backPopulates` in sync and tell the Session; derived arrays (map, filter, ...) are plain arrays.
 * Assigning by index (`list[0] = x`) is not seen: use splice.
 *
 * ```ts
 * user.addresses.push(address); // address.user === user
 * user.addresses.splice(0, 1);   // address.user === null (and delete-orphan deletes it at the next flush)
 * ```
 */
export class InstrumentedList<T> extends Array<T> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  // The relationship the list belongs to (private: invisible to equality checks, spreads, JSON and console output).
  #owner: InstanceState | null = null;
  #index = -1;

  /**
   * @internal A list owned by a relationship, holding `items` (copied), filled without events. Constructed (with its
   * fields in the object) and filled by index: ten times cheaper than a plain array given this prototype and its
   * fields afterwards, which also changed the array's hidden class twice per list.
   */
  static owned<T>(owner: InstanceState, index: number, items: readonly T[]): InstrumentedList<T> {
    return InstrumentedList.own(InstrumentedList.unowned<T>(items), owner, index);
  }

  /** @internal A list of `items` (copied) that no relationship owns yet: adopt() gives it one. */
  static unowned<T>(items: readonly T[]): InstrumentedList<T> {
    const list = new InstrumentedList<T>();
    for (let i = 0; i < items.length; i++) list[i] = items[i];
    return list;
  }

  /** @internal An unowned list of two items (see unowned()). */
  static pair<T>(a: T, b: T): InstrumentedList<T> {
    const list = new InstrumentedList<T>();
    list[0] = a;
    list[1] = b;
    return list;
  }

  /** @internal owned(), without the copy for a list made by unowned() that no relationship owns yet. */
  static adopt<T>(owner: InstanceState, index: number, items: readonly T[]): InstrumentedList<T> {
    if (!(items instanceof InstrumentedList) || items.#owner !== null) return InstrumentedList.owned(owner, index, items);
    return InstrumentedList.own(items, owner, index);
  }

  /** Gives an unowned list its relationship. */
  private static own<T>(list: InstrumentedList<T>, owner: InstanceState, index: number): InstrumentedList<T> {
    list.#owner = owner;
    list.#index = index;
    // Empty and filled lists have different hidden classes: keep one of each alive (see util/keep-alive.ts).
    keepAlive(list.length === 0 ? KEEP.emptyList : KEEP.list, list);
    return list;
  }

  /** @internal */
  static rawPush<T>(list: InstrumentedList<T>, item: T): void {
    // An indexed store: push() on an Array subclass leaves V8's fast path (several times slower).
    list[list.length] = item;
  }

  private before(): void {
    this.#owner?.markRelChanged(this.#index);
  }
  private after(added: readonly T[], removed: readonly T[]): void {
    const owner = this.#owner;
    if (owner === null) return;
    const rel = owner.mapper.relationships[this.#index];
    checkItems(rel, added);
    collectionChanged(owner, rel, added, removed);
  }

  override push(...items: T[]): number {
    this.before();
    // Index stores: Array.prototype.push called with spread arguments on a subclass is several times slower.
    for (let i = 0; i < items.length; i++) this[this.length] = items[i];
    this.after(items, NONE);
    return this.length;
  }
  override unshift(...items: T[]): number {
    this.before();
    const n = super.unshift(...items);
    this.after(items, NONE);
    return n;
  }
  override pop(): T | undefined {
    if (this.length === 0) return undefined;
    this.before();
    const x = super.pop() as T;
    this.after(NONE, [x]);
    return x;
  }
  override shift(): T | undefined {
    if (this.length === 0) return undefined;
    this.before();
    const x = super.shift() as T;
    this.after(NONE, [x]);
    return x;
  }
  override splice(start: number, deleteCount?: number, ...items: T[]): T[] {
    this.before();
    const removed = deleteCount === undefined && items.length === 0 ? super.splice(start) : super.splice(start, deleteCount ?? 0, ...items);
    this.after(items, removed);
    return removed;
  }
  /** Removes one item (SQLAlchemy's `list.remove`); returns whether it was there. */
  remove(item: T): boolean {
    const i = this.indexOf(item);
    if (i < 0) return false;
    this.splice(i, 1);
    return true;
  }
}

/** Removes `item` from a loaded collection without events. */
function rawRemove(state: InstanceState, index: number, item: unknown): void {
  const list = state.getRel(index) as unknown[] | undefined;
  if (!list) return;
  const i = list.indexOf(item);
  if (i < 0) return;
  state.markRelChanged(index);
  Array.prototype.splice.call(list, i, 1);
}

/** Clears a scalar relationship without events. */
function rawClear(state: InstanceState, index: number): void {
  state.markRelChanged(index);
  state.setRelRaw(index, null);
}

/** `item` left a relationship of `owner`: its side of the pair (`back`) lets go of `owner` too, without events. */
function unlinkBack(item: unknown, back: RelationshipProperty, owner: object): void {
  const xs = stateOf(item);
  if (back.many) rawRemove(xs, back.index, owner);
  else if (xs.getRel(back.index) === owner) rawClear(xs, back.index);
}

/** Throws unless every item is an object of the relationship's target class. */
function checkItems(rel: RelationshipProperty, items: readonly unknown[]): void {
  // Indexed loops in this file: they run per object, and for...of makes an iterator until V8 optimizes the caller.
  for (let i = 0; i < items.length; i++) {
    const x = items[i];
    const xs = maybeStateOf(x);
    if (!xs || xs.mapper !== rel.target) throw new InvalidRequestError(`${rel} holds ${rel.target.name} objects, got ${describe(x)}`);
  }
}

/** Appends `item` to a loaded collection without events. */
function rawAppend(state: InstanceState, index: number, item: unknown): void {
  const list = state.getRel(index) as InstrumentedList<unknown> | undefined;
  if (list === undefined) {
    // An object made in memory has an (empty) collection even if it was never read; a loaded one stays unloaded.
    if (state.status === "transient" || state.status === "pending") state.setRelRaw(index, InstrumentedList.owned(state, index, [item]));
    return;
  }
  if (list.includes(item)) return;
  state.markRelChanged(index);
  InstrumentedList.rawPush(list, item);
}

/**
 * A collection changed: update the back-references of the items and cascade new items into the Session (the caller
 * has checked that the added items are of the target class).
 */
function collectionChanged(owner: InstanceState, rel: RelationshipProperty, added: readonly unknown[], removed: readonly unknown[]): void {
  const other = rel.backref;
  const list = owner.getRel(rel.index) as unknown[];
  if (other) {
    for (let i = 0; i < removed.length; i++) if (!list.includes(removed[i])) unlinkBack(removed[i], other, owner.obj); // (still there: added again)
    for (let i = 0; i < added.length; i++) {
      const xs = stateOf(added[i]);
      if (other.many) rawAppend(xs, other.index, owner.obj);
      else setScalar(xs, other, owner.obj, true);
    }
  }
  cascadeAdd(owner, rel, added);
}

function cascadeAdd(owner: InstanceState, rel: RelationshipProperty, items: readonly unknown[]): void {
  const session = owner.session;
  if (session === null || !rel.cascade.saveUpdate) return;
  for (let i = 0; i < items.length; i++) {
    const x = items[i];
    const xs = maybeStateOf(x);
    if (xs && xs.session === null && xs.status === "transient") session._cascadeAdd(x as object);
  }
}

/**
 * Sets a scalar relationship. With `fromBackref`, the caller already updated the other side (a collection append),
 * so only the old partner's side is fixed here.
 */
function setScalar(state: InstanceState, rel: RelationshipProperty, value: unknown, fromBackref: boolean): void {
  const old = state.getRel(rel.index);
  if (old === value) return;
  // From a backref, the value is the owner of the paired relationship: of the right class by construction.
  if (!fromBackref && value !== null && value !== undefined) {
    const vs = stateOf(value);
    if (vs.mapper !== rel.target) throw new InvalidRequestError(`${rel} takes a ${rel.target.name}, got ${describe(value)}`);
  }
  state.markRelChanged(rel.index);
  state.setRelRaw(rel.index, value ?? null);
  const other = rel.backref;
  if (other) {
    if (old !== null && old !== undefined) unlinkBack(old, other, state.obj);
    if (!fromBackref && value !== null && value !== undefined) {
      const vs = stateOf(value);
      if (other.many) rawAppend(vs, other.index, state.obj);
      else {
        // one-to-one: the new partner leaves its previous partner
        const prev = vs.getRel(other.index);
        if (prev !== null && prev !== undefined && prev !== state.obj) rawClear(stateOf(prev), rel.index);
        vs.markRelChanged(other.index);
        vs.setRelRaw(other.index, state.obj);
      }
    }
  }
  if (value !== null && value !== undefined && state.session !== null) cascadeAdd(state, rel, [value]);
}

/** Replaces a whole collection (`user.addresses = [...]`). */
export function setCollection(state: InstanceState, rel: RelationshipProperty, value: unknown): void {
  if (!Array.isArray(value)) throw new InvalidRequestError(`${rel} is a collection: assign an array of ${rel.target.name}`);
  checkItems(rel, value);
  const old = state.getRel(rel.index) as unknown[] | undefined;
  if (old === undefined && state.status !== "transient" && state.status !== "pending") throw unloaded(state, rel, "assigned");
  state.markRelChanged(rel.index);
  const list = InstrumentedList.owned(state, rel.index, value);
  state.setRelRaw(rel.index, list);
  if (old === undefined || old.length === 0) collectionChanged(state, rel, list, []);
  else collectionChanged(state, rel, notIn(list, old), notIn(old, list));
}

/** The items of `xs` not in `ys` (a function of its own: a closure in setCollection would cost a context per call). */
function notIn(xs: readonly unknown[], ys: readonly unknown[]): unknown[] {
  return xs.filter((x) => !ys.includes(x));
}

/** The UnloadedRelationshipError with the three fixes. */
function unloaded(state: InstanceState, rel: RelationshipProperty, verb: "read" | "assigned"): UnloadedRelationshipError {
  const owner = rel.parent.name;
  const variable = owner.charAt(0).toLowerCase() + owner.slice(1);
  return new UnloadedRelationshipError(
    `${owner}.${rel.key} was not loaded, so it cannot be ${verb} (Crucible never runs a hidden query on attribute access). Fix it one of three ways:\n` +
      `  1. load it with the query:   select(${owner}).options(selectinload(${owner}.${rel.key}))\n` +
      `  2. load it with its owner:   relationship.${rel.many ? "many" : "one"}(() => ${rel.target.name}, { lazy: "selectin" })\n` +
      `  3. load it now:              await session.load(${variable}, "${rel.key}")\n` +
      `(object: ${describe(state.obj)}, state: ${state.status})`,
  );
}

/** Reads a relationship attribute. Objects made in memory have their relationships (empty / null) from the start. */
export function getRelationship(obj: object, rel: RelationshipProperty): unknown {
  const state = stateOf(obj);
  const v = state.getRel(rel.index);
  if (v !== undefined) return v;
  if (state.status === "transient" || state.status === "pending") {
    const init = rel.many ? InstrumentedList.owned(state, rel.index, []) : null;
    state.setRelRaw(rel.index, init);
    return init;
  }
  throw unloaded(state, rel, "read");
}

/** Writes a relationship attribute. */
export function setRelationship(obj: object, rel: RelationshipProperty, value: unknown): void {
  const state = stateOf(obj);
  if (rel.viewonly) throw new InvalidRequestError(`${rel} is viewonly: change the relationship it mirrors instead`);
  if (rel.many) setCollection(state, rel, value);
  else setScalar(state, rel, value, false);
}
