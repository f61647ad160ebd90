/**
 * ORM-enabled SELECT: rows with mapped objects in place of their columns, eager loading by the `joined` (same query,
 * LEFT OUTER JOIN) and `selectin` (second query) strategies, per relationship `lazy` setting or per query option.
 */

import type { Executable } from "../../engine/connection.js";
import { ScalarResult } from "../../engine/result.js";
import type { ColumnElement } from "../../sql/ast/expression.js";
import type { Alias } from "../../sql/ast/from.js";
import type { ExprNode, SelectableNode } from "../../sql/ast/nodes.js";
import { Select } from "../../sql/ast/select.js";
import { ArgumentError } from "../../util/errors.js";
import { keepShape } from "../../util/keep-alive.js";
import { thenValue } from "../../util/settled.js";
import { InstrumentedList } from "../attributes.js";
import type { Mapper, MapperEntity } from "../mapper.js";
import { pairsEqual } from "../relationship-attribute.js";
import type { RelationshipProperty } from "../relationship-property.js";
import { type InstanceState, nextMark, stateAccess } from "../state.js";
import { hydrate, type LoadHost, reserveIdentities } from "./hydrate.js";
import { type LoaderStep, loaderOptionsOf, strategyFor } from "./options.js";
import { addRelated, applySteps } from "./selectin.js";

/** One entity of the SELECT list. */
interface EntitySlot {
  readonly element: number;
  readonly mapper: Mapper;
  readonly start: number;
  readonly paths: (readonly LoaderStep[])[];
}

/** A relationship loaded by LEFT OUTER JOIN: the target's columns sit at `start` in each row. */
interface JoinedSlot {
  readonly parent: EntitySlot;
  readonly rel: RelationshipProperty;
  readonly start: number;
  readonly nested: (readonly LoaderStep[])[];
}

// One object shape each, kept alive for good (see util/keep-alive.ts).
function entitySlot(element: number, mapper: Mapper, start: number, paths: (readonly LoaderStep[])[]): EntitySlot {
  return { element, mapper, start, paths };
}
function ormRows(rows: unknown[][], keys: (string | null)[], unique: boolean): OrmRows {
  return { rows, keys, unique };
}
keepShape(entitySlot(0, null as never, 0, []));
keepShape(ormRows([], [], false));

let aliasCounter = 0;

/** Which loader paths of the options start at this mapper's entity. */
function pathsFor(paths: readonly (readonly LoaderStep[])[], mapper: Mapper): (readonly LoaderStep[])[] {
  return paths.filter((p) => p.length > 0 && p[0].attr.owner.mapper === mapper);
}

/** The result of an ORM SELECT: rows with objects, and the element names. */
export interface OrmRows {
  readonly rows: unknown[][];
  readonly keys: (string | null)[];
  /** Rows were de-duplicated (joined collection loading repeats owners). */
  readonly unique: boolean;
}

/** The object's state if it does not carry `mark` yet (then it gets it), else null: a join or a repeated row brings it again. */
function markOnce(obj: object, mark: number): InstanceState | null {
  const s = stateAccess.known(obj);
  if (s.mark === mark) return null;
  s.mark = mark;
  return s;
}

/** A relationship with this strategy is loaded by LEFT OUTER JOIN in this statement (else by selectin). */
function loadsJoined(rel: RelationshipProperty, strategy: string, limited: boolean): boolean {
  return strategy === "joined" && !(limited && rel.many) && rel.secondary === null;
}

/**
 * Runs an ORM SELECT for its first column (`session.scalars()`). The usual `select(User)` (one entity, nothing loaded
 * by join) puts each row's object straight into the result: no row arrays are made.
 */
export function executeOrmScalars<V>(
  host: LoadHost,
  stmt: Select<any, any>,
  params?: Readonly<Record<string, unknown>>,
): ScalarResult<V> | Promise<ScalarResult<V>> {
  const node = stmt.node;
  const el = node.elements[0];
  const mapper = node.elements.length === 1 && el.entity && !node.annotations.fromStatement ? (el.entity as MapperEntity).mapper : null;
  const paths =
    mapper !== null && node.annotations.options
      ? pathsFor(
          loaderOptionsOf(node.annotations).map((o) => o.path),
          mapper,
        )
      : [];
  const eager = mapper !== null && (paths.length > 0 || mapper.hasEagerRelationships);
  const limited = node.limit !== null || node.offset !== null;
  if (mapper === null || (eager && anyJoined(mapper, paths, limited))) return selectScalars<V>(host, stmt, params);
  // No await unless the driver or an eager load waits (see session-queries.ts).
  const raw = host.run(stmt, params);
  if (raw instanceof Promise) return scalarsWhenRead<V>(raw, host, mapper, el.start, eager ? paths : null);
  return entityScalars<V>(host, mapper, el.start, raw, eager ? paths : null);
}

// Closures live in functions of their own: a closure over a parameter or local makes V8 allocate a context at every
// call of the function that holds it (a query), also when the closure is never made.
function anyJoined(mapper: Mapper, paths: (readonly LoaderStep[])[], limited: boolean): boolean {
  return mapper.relationships.some((rel) => loadsJoined(rel, strategyFor(rel, paths).strategy, limited));
}
async function selectScalars<V>(host: LoadHost, stmt: Select<any, any>, params: Readonly<Record<string, unknown>> | undefined): Promise<ScalarResult<V>> {
  const orm = await executeOrmSelect(host, stmt, params);
  return firstColumn<V>(orm.rows, orm.unique);
}
function scalarsWhenRead<V>(
  raw: Promise<unknown[][]>,
  host: LoadHost,
  mapper: Mapper,
  start: number,
  paths: (readonly LoaderStep[])[] | null,
): Promise<ScalarResult<V>> {
  return raw.then((rows) => entityScalars<V>(host, mapper, start, rows, paths));
}

/** The objects of one entity's rows; then its eager loads (`paths` non-null), if any. */
function entityScalars<V>(
  host: LoadHost,
  mapper: Mapper,
  start: number,
  raw: readonly unknown[][],
  paths: (readonly LoaderStep[])[] | null,
): ScalarResult<V> | Promise<ScalarResult<V>> {
  const eager = paths !== null;
  // Made at their final size (10,000 rows would otherwise copy growing arrays a dozen times).
  const out = raw.length > 0 ? new ScalarResult<V>(raw.length) : new ScalarResult<V>();
  const states: InstanceState[] | null = eager ? new Array<InstanceState>(raw.length) : null;
  const mark = eager ? nextMark() : 0;
  reserveIdentities(host, mapper, raw, start);
  let nStates = 0;
  for (let i = 0; i < raw.length; i++) {
    const obj = hydrate(host, mapper, raw[i], start);
    out[i] = obj as V; // not push(): on an Array subclass it leaves V8's fast path
    if (states !== null && obj !== null) {
      const s = markOnce(obj, mark);
      if (s !== null) states[nStates++] = s;
    }
  }
  if (states === null) return out;
  states.length = nStates;
  return thenValue(applySteps(host, states, mapper, paths as (readonly LoaderStep[])[]), out);
}

/** Runs an ORM-enabled SELECT. */
export async function executeOrmSelect(host: LoadHost, stmt: Select<any, any>, params?: Readonly<Record<string, unknown>>): Promise<OrmRows> {
  const node = stmt.node;
  const allPaths = node.annotations.options ? loaderOptionsOf(node.annotations).map((o) => o.path) : [];
  const entities: EntitySlot[] = [];
  for (let i = 0; i < node.elements.length; i++) {
    const e = node.elements[i];
    if (!e.entity) continue;
    const mapper = (e.entity as MapperEntity).mapper;
    entities.push(entitySlot(i, mapper, e.start, allPaths.length ? pathsFor(allPaths, mapper) : []));
  }
  // Joined eager loads extend the statement (collections under LIMIT/OFFSET load by selectin instead, so the limit
  // counts owners, not joined rows).
  let run = stmt;
  const joined: JoinedSlot[] = [];
  const limited = node.limit !== null || node.offset !== null;
  let width = node.columns.length;
  for (const slot of entities) {
    if (slot.paths.length === 0 && !slot.mapper.hasEagerRelationships) continue;
    for (const rel of slot.mapper.relationships) {
      const { strategy, nested } = strategyFor(rel, slot.paths);
      if (!loadsJoined(rel, strategy, limited)) continue;
      const alias: Alias = rel.target.table.alias(`${rel.target.table.name}_${++aliasCounter}`);
      const parentFrom = (node.elements[slot.element].entity as MapperEntity).from;
      run = run.outerJoin(alias, pairsEqual(rel.pairs, parentFrom, alias));
      run = run.addColumns(...(alias.columnList as ColumnElement<unknown>[]));
      if (rel.orderBy.length) run = run.orderBy(...rel.orderBy.map((i) => ({ node: retarget(i.node, rel.target, alias) }) as ColumnElement<unknown>));
      joined.push({ parent: slot, rel, start: width, nested });
      width += rel.target.columns.length;
    }
  }
  const from = node.annotations.fromStatement as { node: SelectableNode } | undefined;
  const raw = from ? await rowsFromStatement(host, node, from.node, params) : await host.run(run, params);
  const n = node.elements.length;
  const out: unknown[][] = [];
  const seenRows = joined.some((j) => j.rel.many) ? new Set<string>() : null;
  const objectIds = seenRows ? new Map<object, number>() : null;
  const touched = joined.map(() => new Set<InstanceState>());
  // Objects per entity are only collected when something loads after the rows (selectin, nested options).
  const collect = entities.map((slot) => slot.paths.length > 0 || slot.mapper.hasEagerRelationships || joined.length > 0);
  // Each object once per entity (a join repeats rows): the first row that brings it gives it the entity's mark.
  const marks = entities.map(() => nextMark());
  const entityStates = entities.map((_, i): InstanceState[] | null => (collect[i] ? [] : null));
  for (let r = 0; r < raw.length; r++) {
    const row = raw[r];
    const result = new Array<unknown>(n);
    let ei = 0;
    for (let i = 0; i < n; i++) {
      const el = node.elements[i];
      if (el.entity) {
        const obj = hydrate(host, entities[ei].mapper, row, el.start);
        result[i] = obj;
        const states = entityStates[ei];
        const s = obj !== null && states !== null ? markOnce(obj, marks[ei]) : null;
        if (s !== null) (states as InstanceState[]).push(s);
        ei++;
      } else result[i] = row[el.start];
    }
    for (let k = 0; k < joined.length; k++) {
      const j = joined[k];
      const parent = result[j.parent.element] as object | null;
      if (!parent) continue;
      const ps = stateAccess.known(parent);
      const child = hydrate(host, j.rel.target, row, j.start);
      if (!touched[k].has(ps)) {
        touched[k].add(ps);
        if (!ps.isLoaded(j.rel.index) || host.populateExisting) ps.setRelRaw(j.rel.index, j.rel.many ? InstrumentedList.owned(ps, j.rel.index, []) : null);
        else continue;
      } else if (!j.rel.many) continue;
      if (child === null) continue;
      if (j.rel.many) {
        const list = ps.getRel(j.rel.index) as InstrumentedList<object>;
        if (!list.includes(child)) InstrumentedList.rawPush(list, child);
      } else ps.setRelRaw(j.rel.index, child);
      const back = j.rel.backref;
      const cs = stateAccess.known(child);
      if (back && !back.many && !cs.isLoaded(back.index)) cs.setRelRaw(back.index, parent);
    }
    if (seenRows && objectIds) {
      let id = "";
      for (const v of result) {
        if (v !== null && typeof v === "object") {
          let oid = objectIds.get(v);
          if (oid === undefined) objectIds.set(v, (oid = objectIds.size));
          id += `o${oid},`;
        } else id += `${typeof v}:${String(v)},`;
      }
      if (seenRows.has(id)) continue;
      seenRows.add(id);
    }
    out.push(result);
  }
  // selectin (and nested) loads for every entity's objects.
  for (let i = 0; i < entities.length; i++) {
    const states = entityStates[i];
    if (states === null) continue;
    const slot = entities[i];
    // Joined relationships are loaded; their nested options continue from the joined objects.
    const joinedHere = joined.filter((j) => j.parent === slot);
    const remaining = slot.paths.filter((p) => !joinedHere.some((j) => p[0].attr.property === j.rel));
    await applySteps(host, states, slot.mapper, remaining, new Set(joinedHere.map((j) => j.rel)));
    for (const j of joinedHere) await applySteps(host, [...addRelated(new Set(), states, j.rel)], j.rel.target, j.nested);
  }
  return ormRows(
    out,
    node.elements.map((e) => e.name),
    seenRows !== null,
  );
}

/** Runs the statement given to fromStatement() and lines its columns up with the SELECT's, by name. */
async function rowsFromStatement(
  host: LoadHost,
  node: Select["node"],
  inner: SelectableNode,
  params?: Readonly<Record<string, unknown>>,
): Promise<unknown[][]> {
  const { rows, keys } = await host.runStatement(inner, params);
  const index = new Map<string, number>();
  keys.forEach((k, i) => {
    if (k !== null && !index.has(k)) index.set(k, i);
  });
  const positions = node.columns.map((c, i) => {
    const name = c.kind === "column" ? c.name : c.kind === "label" ? c.name : null;
    const el = node.elements.find((e) => i >= e.start && i < e.start + e.count);
    const key = el && el.count === 1 ? el.name : null;
    const pos = (name !== null ? index.get(name) : undefined) ?? (key !== null ? index.get(key) : undefined);
    if (pos === undefined) throw new ArgumentError(`fromStatement(): the statement has no column "${name ?? key}" (its columns are ${keys.join(", ")})`);
    return pos;
  });
  // Text has no column types: convert with the entities' column types (booleans, dates, JSON, ...).
  const procs =
    inner.kind === "text" ? node.columns.map((c) => (c.kind === "column" ? host.dialect.typeImpl(c.type).result : null)) : node.columns.map(() => null);
  return rows.map((r) =>
    positions.map((p, i) => {
      const v = r[p];
      const fn = procs[i];
      return v === null || v === undefined || fn === null ? v : fn(v);
    }),
  );
}

/** Points column references of `target`'s table at an alias (for relationship ORDER BY on a joined alias). */
function retarget(node: ExprNode, target: Mapper, alias: Alias): ExprNode {
  if (node.kind === "column" && node.from === target.table) return (alias.c as Record<string, ColumnElement<unknown>>)[target.table.column(node.name).key].node;
  if (node.kind === "order-by") return { ...node, element: retarget(node.element, target, alias) };
  return node;
}

/** A SELECT of mapped entities (run by the ORM's loader rather than as plain Core). */
export function isOrmSelect(stmt: Executable<readonly unknown[], unknown>): stmt is Select<any, any> {
  const node = stmt.node;
  if (!(stmt instanceof Select) || node.kind !== "select") return false;
  for (const e of node.elements) if (e.entity) return true;
  return false;
}

/** The first column of each row; made unique when joined eager loading of a collection repeated owners (SQLAlchemy's `.unique()`). */
export function firstColumn<V>(rows: readonly (readonly unknown[])[], unique: boolean): ScalarResult<V> {
  const out = new ScalarResult<V>();
  const seen = unique ? new Set<unknown>() : null;
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i][0] as V;
    if (seen !== null) {
      if (seen.has(v)) continue;
      seen.add(v);
    }
    out[out.length] = v; // not push(): on an Array subclass it leaves V8's fast path
  }
  return out;
}
