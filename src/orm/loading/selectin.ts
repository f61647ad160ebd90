/**
 * The selectin strategy (and explicit loads): one `SELECT ... WHERE key IN (...)` per chunk of owners, results
 * grouped back onto each owner's relationship.
 */
import { and_ } from "../../sql/ast/boolean.js";
import { ENTITY, type EntityLike } from "../../sql/ast/entity.js";
import type { ColumnElement } from "../../sql/ast/expression.js";
import { tuple_ } from "../../sql/ast/functions.js";
import { select } from "../../sql/ast/select.js";
import type { Column } from "../../sql/schema/column.js";
import { InstrumentedList } from "../attributes.js";
import { KeyedStore } from "../keyed-store.js";
import { compositeKey, type Mapper } from "../mapper.js";
import { addOneOrMany, pushTo } from "../multimap.js";
import type { RelationshipProperty } from "../relationship-property.js";
import { type InstanceState, stateAccess } from "../state.js";
import { hydrate, type LoadHost, reserveForColumn, reserveIdentities } from "./hydrate.js";
import { type LoaderStep, strategyFor } from "./options.js";

function entityOf(m: Mapper): EntityLike {
  return { [ENTITY]: m.entityInfo };
}

/** A Map key for key values: the value itself for one column (no string made), a string for several. */
function keyOf(values: readonly unknown[]): unknown {
  return values.length === 1 ? values[0] : compositeKey(values);
}

/** The key of a row's columns at `idx`, without allocating for the usual single column. */
function rowKey(row: readonly unknown[], idx: readonly number[]): unknown {
  return idx.length === 1 ? row[idx[0]] : keyOf(idx.map((i) => row[i]));
}

/** An owner's values of `cols`, or null when one is NULL (no row can match). */
function ownerValues(s: InstanceState, cols: readonly Column<unknown>[]): unknown[] | null {
  const o = s.obj as Record<string, unknown>;
  const values = cols.map((c) => o[c.key]);
  return values.some((v) => v === null || v === undefined) ? null : values;
}

/** `col IN (values)` for one column; `(a, b) IN ((..), ..)` with an array of values per key for several. */
function inCondition(cols: readonly ColumnElement<unknown>[], values: readonly unknown[]): ColumnElement<boolean> {
  if (cols.length === 1) return cols[0].in(values as never[]);
  return tuple_(...cols).in(values as never[]);
}

/** Loads `rel` for every state that does not have it yet, then applies the nested steps to what was loaded. */
export async function selectinLoad(
  host: LoadHost,
  states: readonly InstanceState[],
  rel: RelationshipProperty,
  nested: readonly (readonly LoaderStep[])[],
): Promise<void> {
  const owners = host.populateExisting || noneLoaded(states, rel.index) ? states : states.filter((s) => !s.isLoaded(rel.index));
  let loaded: InstanceState[] = [];
  if (owners.length > 0) {
    if (rel.direction === "many-to-one") loaded = await loadManyToOne(host, owners, rel);
    else if (rel.direction === "one-to-many") loaded = await loadOneToMany(host, owners, rel, nested.length > 0);
    else loaded = await loadManyToMany(host, owners, rel);
  }
  if (nested.length > 0) await applySteps(host, [...addRelated(new Set(loaded), states, rel)], rel.target, nested);
}

/** True if relationship `index` is loaded on none of the states (then they are all owners: no filtered copy). */
function noneLoaded(states: readonly InstanceState[], index: number): boolean {
  for (let i = 0; i < states.length; i++) if (states[i].isLoaded(index)) return false;
  return true;
}

/** Adds the objects `rel` holds on these owners (where it is loaded) to `into`. */
export function addRelated(into: Set<InstanceState>, owners: Iterable<InstanceState>, rel: RelationshipProperty): Set<InstanceState> {
  for (const s of owners) {
    const v = s.getRel(rel.index);
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) for (const x of v) into.add(stateAccess.known(x as object));
    else into.add(stateAccess.known(v as object));
  }
  return into;
}

/** Applies loader steps (and the target mapper's own lazy settings) to objects of one mapper. */
export async function applySteps(
  host: LoadHost,
  states: readonly InstanceState[],
  mapper: Mapper,
  paths: readonly (readonly LoaderStep[])[],
  skip: ReadonlySet<RelationshipProperty> = new Set(),
): Promise<void> {
  if (states.length === 0) return;
  for (const rel of mapper.relationships) {
    if (skip.has(rel)) continue;
    const { strategy, nested } = strategyFor(rel, paths);
    // Nested joined loads are run as selectin loads (the rows are already fetched).
    if (strategy === "selectin" || strategy === "joined") await selectinLoad(host, states, rel, nested);
  }
}

/** Runs `fn` on the items in chunks of the dialect's selectin size (one query each). */
async function chunked<T>(host: LoadHost, items: readonly T[], fn: (part: readonly T[]) => Promise<void>): Promise<void> {
  const size = host.dialect.selectinChunk;
  if (items.length <= size) {
    if (items.length > 0) await fn(items);
    return;
  }
  for (let i = 0; i < items.length; i += size) await fn(items.slice(i, i + size));
}

/** One owner, or several owners that share a key (no array is made for the usual single owner). */
type Owners = InstanceState | InstanceState[];

/** The owners of an entry, as a list. */
function ownerList(entry: Owners): readonly InstanceState[] {
  return Array.isArray(entry) ? entry : [entry];
}

/**
 * Owners grouped by their values of `cols`: each distinct key, and what to put in the IN list for it (the value itself
 * for one column, no array made per owner; the values for several). An owner with a NULL key gets nothing now.
 */
function groupOwners(owners: readonly InstanceState[], cols: readonly Column<unknown>[], rel: RelationshipProperty) {
  const byKey = new KeyedStore<Owners>();
  const ids = new Array<unknown>(owners.length); // at most one per owner; trimmed below
  let nIds = 0;
  const composite: unknown[][] | null = cols.length === 1 ? null : [];
  const single = cols.length === 1 ? cols[0].key : null;
  if (single !== null) byKey.reserveFor(owners.length, (i) => (owners[i].obj as Record<string, unknown>)[single]);
  for (let i = 0; i < owners.length; i++) {
    const s = owners[i];
    let k: unknown;
    let values: unknown[] | null = null;
    if (single !== null) k = (s.obj as Record<string, unknown>)[single];
    else if ((values = ownerValues(s, cols)) !== null) k = keyOf(values);
    if (k === null || k === undefined) {
      setLoaded(s, rel, []);
      continue;
    }
    if (addOneOrMany(byKey, k, s)) {
      ids[nIds++] = k;
      if (composite !== null) composite.push(values as unknown[]);
    }
  }
  ids.length = nIds;
  return { byKey, ids, inValues: composite ?? ids };
}

async function loadOneToMany(host: LoadHost, owners: readonly InstanceState[], rel: RelationshipProperty, collect: boolean): Promise<InstanceState[]> {
  const target = rel.target;
  const remote = rel.pairs.map((p) => p.remote);
  const remoteIdx = remote.map((c) => target.columnIndex.get(c.key) as number);
  const single = remoteIdx.length === 1 ? remoteIdx[0] : -1;
  const { byKey, ids, inValues } = groupOwners(
    owners,
    rel.pairs.map((p) => p.local),
    rel,
  );
  // Each key's children: the child itself while there is one (no list made), then the list its owner will hold.
  const children = new KeyedStore<object>();
  const loaded: InstanceState[] = [];
  await chunked(host, inValues, async (part) => {
    const rows = await host.run(
      select(entityOf(target))
        .where(inCondition(remote, part))
        .orderBy(...rel.orderBy),
    );
    reserveIdentities(host, target, rows, 0);
    if (single >= 0) reserveForColumn(children, rows, single);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const child = hydrate(host, target, row, 0) as object;
      const k = single >= 0 ? row[single] : rowKey(row, remoteIdx);
      addChild(children, k, child);
      if (collect) loaded.push(stateAccess.known(child));
    }
  });
  // The first owner of a key takes the list itself (nobody else holds it); others get copies.
  const give = (s: InstanceState, items: InstrumentedList<object>, first: boolean) => {
    if (rel.many) s.setRelRaw(rel.index, first ? InstrumentedList.adopt(s, rel.index, items) : InstrumentedList.owned(s, rel.index, items));
    else setLoaded(s, rel, items);
    populateBackref(s, rel, items);
  };
  for (let n = 0; n < ids.length; n++) {
    const k = ids[n];
    const got = children.get(k);
    const items = got instanceof InstrumentedList ? got : InstrumentedList.unowned(got === undefined ? NO_CHILDREN : [got]);
    const entry = byKey.get(k) as Owners;
    if (!Array.isArray(entry)) give(entry, items, true);
    else for (let i = 0; i < entry.length; i++) give(entry[i], items, i === 0);
  }
  return loaded;
}

const NO_CHILDREN: readonly object[] = [];

/** Adds a loaded child under its key: the child itself while it is the only one, then a list of them. */
function addChild(children: KeyedStore<object>, key: unknown, child: object): void {
  const got = children.get(key);
  if (got === undefined) children.set(key, child);
  else if (got instanceof InstrumentedList) InstrumentedList.rawPush(got, child);
  else children.set(key, InstrumentedList.pair(got, child));
}

/** The children's many-to-one back-reference is known too: set it where it is not loaded. */
function populateBackref(owner: InstanceState, rel: RelationshipProperty, items: readonly object[]): void {
  const back = rel.backref;
  if (!back || back.many) return;
  const index = back.index;
  for (let i = 0; i < items.length; i++) {
    const xs = stateAccess.known(items[i]);
    if (xs.getRel(index) === undefined) xs.setRelRaw(index, owner.obj);
  }
}

/** Sets a loaded relationship without events: a collection of the items, or the first item (null if none). */
function setLoaded(s: InstanceState, rel: RelationshipProperty, items: readonly object[]): void {
  if (rel.many) s.setRelRaw(rel.index, InstrumentedList.owned(s, rel.index, items));
  else s.setRelRaw(rel.index, items[0] ?? null);
}

async function loadManyToOne(host: LoadHost, owners: readonly InstanceState[], rel: RelationshipProperty): Promise<InstanceState[]> {
  const target = rel.target;
  const local = rel.pairs.map((p) => p.local);
  const remote = rel.pairs.map((p) => p.remote);
  const remoteIsPk = remote.length === target.pkIndexes.length && remote.every((c) => c.primaryKey);
  // Each owner's key (undefined: a NULL foreign key), the keys to select, and the targets found.
  const ownerKeys = new Array<unknown>(owners.length);
  const want = new Map<unknown, unknown>();
  const found = new Map<unknown, object>();
  for (let i = 0; i < owners.length; i++) {
    const values = ownerValues(owners[i], local);
    if (values === null) continue;
    const k = (ownerKeys[i] = keyOf(values));
    if (found.has(k) || want.has(k)) continue;
    const inMap = remoteIsPk ? host.identityMap.get(target, target.identityFromPk(values.length === 1 ? values[0] : values)) : undefined;
    if (inMap && !host.populateExisting) found.set(k, inMap);
    else want.set(k, values.length === 1 ? values[0] : values);
  }
  const loaded: InstanceState[] = [];
  const remoteIdx = remote.map((c) => target.columnIndex.get(c.key) as number);
  await chunked(host, [...want.values()], async (part) => {
    for (const row of await host.run(select(entityOf(target)).where(inCondition(remote, part)))) {
      const obj = hydrate(host, target, row, 0) as object;
      found.set(rowKey(row, remoteIdx), obj);
      loaded.push(stateAccess.known(obj));
    }
  });
  for (let i = 0; i < owners.length; i++) owners[i].setRelRaw(rel.index, ownerKeys[i] === undefined ? null : (found.get(ownerKeys[i]) ?? null));
  return loaded;
}

async function loadManyToMany(host: LoadHost, owners: readonly InstanceState[], rel: RelationshipProperty): Promise<InstanceState[]> {
  const target = rel.target;
  const sec = rel.secondary!;
  const secCols = rel.secondaryLocal.map((p) => sec.column(p.remote.key) as Column<unknown>);
  const onTarget = and_(...rel.secondaryRemote.map((p) => (p.local as ColumnElement<unknown>).eq(sec.column(p.remote.key) as unknown as ColumnElement<never>)));
  const { byKey, ids, inValues } = groupOwners(
    owners,
    rel.secondaryLocal.map((p) => p.local),
    rel,
  );
  const items = new Map<unknown, object[]>();
  const loaded: InstanceState[] = [];
  const n = target.columns.length;
  await chunked(host, inValues, async (part) => {
    const stmt = select(entityOf(target), ...secCols)
      .join(sec, onTarget)
      .where(inCondition(secCols, part))
      .orderBy(...rel.orderBy);
    for (const row of await host.run(stmt)) {
      const obj = hydrate(host, target, row, 0) as object;
      pushTo(items, keyOf(row.slice(n)), obj);
      loaded.push(stateAccess.known(obj));
    }
  });
  for (const k of ids) for (const s of ownerList(byKey.get(k) as Owners)) setLoaded(s, rel, items.get(k) ?? []);
  return loaded;
}
