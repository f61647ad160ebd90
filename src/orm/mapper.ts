/**
 * Mapper: links a mapped class to its table — column attributes, primary key and identity, relationships — and
 * makes objects from rows.
 */

import type { EntityInfo } from "../sql/ast/entity.js";
import type { FromClause } from "../sql/ast/from.js";
import type { Column } from "../sql/schema/column.js";
import type { TableObject } from "../sql/schema/table.js";
import type { SqlType } from "../sql/types/sql-type.js";
import { ArgumentError } from "../util/errors.js";
import { keepRecent } from "../util/keep-alive.js";
import { type ColumnAccess, columnAccess } from "./column-access.js";
import { handOver, ModelBase } from "./model-base.js";
import type { Registry } from "./registry.js";
import type { RelationshipDef } from "./relationship.js";
import { RelationshipProperty } from "./relationship-property.js";
import { InstanceState } from "./state.js";

function isMutableType(t: SqlType<unknown>): boolean {
  if (t.kind === "json" || t.kind === "array" || t.kind === "binary") return true;
  return t.kind === "custom" && !!t.options.impl && isMutableType(t.options.impl);
}

/** The arguments of Reflect.construct() for a loaded object (none). */
const NO_ARGS: readonly unknown[] = [];

// The composite-key branches call these instead of closures: a closure over a parameter makes V8 allocate a context
// at every call of the function, single-column keys too (40 bytes per identityOf(); a flush of 30,000 objects).
function valuesOf(o: Record<string, unknown> | null, keys: readonly string[]): unknown[] {
  const values = new Array<unknown>(keys.length);
  for (let i = 0; i < keys.length; i++) values[i] = o?.[keys[i]];
  return values;
}
const isMissing = (v: unknown): boolean => v === null || v === undefined;
/** What a state's `obj` holds for the moment between its making and its object's (see newState()). */
const NO_OBJECT: object = Object.freeze({});

let nextMapperId = 1;

/** The ORM's description of an entity in a SELECT (a mapper, possibly through an alias). */
export interface MapperEntity {
  readonly mapper: Mapper;
  /** The table, or the alias for aliased(Model). */
  readonly from: FromClause;
  readonly cacheKey: string;
}

/** A Map key for several values (composite primary keys, multi-column join keys): equal values give equal strings. */
export function compositeKey(values: readonly unknown[]): string {
  let s = "";
  for (const v of values) s += `${typeof v}:${String(v)}\u0000`;
  return s;
}

export class Mapper {
  readonly id = nextMapperId++;
  /** The mapped class objects are made of (the user's subclass once seen, else the generated class). */
  cls: new (
    ...args: any[]
  ) => object;
  readonly columns: readonly Column<unknown>[];
  /** Attribute names of the columns, in table order. */
  readonly columnKeys: readonly string[];
  readonly pkIndexes: readonly number[];
  /** The primary key columns, in table order. */
  readonly pkColumns: readonly Column<unknown>[];
  readonly pkKeys: readonly string[];
  readonly relationships: RelationshipProperty[];
  readonly relationshipsByKey = new Map<string, RelationshipProperty>();
  readonly columnIndex = new Map<string, number>();
  /** Reads and writes the column attributes of this model's objects (generated for its attribute names: see column-access.ts). */
  readonly access: ColumnAccess;
  configured = false;
  /** @internal Scratch for the flush's grouping of pending objects by mapper (unit-of-work/flush.ts). */
  groupSlot = -1;
  private entityInfoCache: EntityInfo | null = null;
  /**
   * @internal The latest object loaded and the latest one constructed (they share a hidden class unless the model
   * declares class fields, which only constructed objects get): keep the class's hidden classes alive across full GCs
   * (see util/keep-alive.ts).
   */
  kept: object | null = null;
  keptNew: object | null = null;
  /** Per-dialect compiled statements the ORM reuses (get by PK, flush statements), keyed by a description. */
  private readonly statements = new Map<unknown, Map<string, unknown>>();
  private lastDialect: object | null = null;
  private lastStatements: Map<string, unknown> | undefined = undefined;

  constructor(
    readonly registry: Registry,
    /** The generated class (the one `Base.model()` returned). */
    readonly base: new (...args: any[]) => object,
    readonly table: TableObject,
    relationshipDefs: readonly (readonly [string, RelationshipDef<unknown, boolean, boolean>])[],
  ) {
    this.cls = base;
    this.columns = table.columns;
    this.columnKeys = table.columns.map((c) => c.key);
    for (let i = 0; i < this.columnKeys.length; i++) this.columnIndex.set(this.columnKeys[i], i);
    this.access = columnAccess(this.columnKeys);
    this.pkIndexes = table.columns.flatMap((c, i) => (c.primaryKey ? [i] : []));
    if (this.pkIndexes.length === 0)
      throw new ArgumentError(`mapped table "${table.name}" has no primary key: mark a column with primaryKey: true (the ORM identifies rows by it)`);
    this.pkColumns = this.pkIndexes.map((i) => this.columns[i]);
    this.pkKeys = this.pkIndexes.map((i) => this.columnKeys[i]);
    this.mutableIndexes = table.columns.flatMap((c, i) => (isMutableType(c.type as SqlType<unknown>) ? [i] : []));
    this.relationships = relationshipDefs.map(([key, def], i) => new RelationshipProperty(this, key, i, def));
    for (const r of this.relationships) this.relationshipsByKey.set(r.key, r);
  }

  /** The class name (for messages). */
  get name(): string {
    return this.cls.name || this.table.name;
  }

  /** Records the user's subclass of the generated class (the class objects are made of). */
  adoptClass(cls: new (...args: any[]) => object): void {
    if (cls === this.cls || cls === this.base) return;
    if (this.cls === this.base) this.cls = cls;
  }

  private manyToOneCache: RelationshipProperty[] | null = null;
  /** The writable many-to-one relationships (their foreign keys are on this mapper's table). */
  get manyToOne(): readonly RelationshipProperty[] {
    if (this.manyToOneCache === null) {
      this.ensureConfigured();
      this.manyToOneCache = this.relationships.filter((r) => r.direction === "many-to-one" && !r.viewonly);
    }
    return this.manyToOneCache;
  }

  /** True when a relationship loads with its owner by default (lazy "selectin" or "joined"). */
  get hasEagerRelationships(): boolean {
    return (this.eagerCache ??= this.relationships.some((r) => r.lazy !== "raise"));
  }
  private eagerCache: boolean | undefined = undefined;

  /** Configures the registry (all mappers) if not done yet. */
  ensureConfigured(): this {
    if (!this.configured) this.registry.configure();
    return this;
  }

  /** What Core needs to select this entity. */
  get entityInfo(): EntityInfo {
    if (this.entityInfoCache === null) {
      const entity: MapperEntity = { mapper: this, from: this.table, cacheKey: `M${this.id}` };
      this.entityInfoCache = { from: this.table, columns: this.table.columns, name: this.name, entity };
    }
    return this.entityInfoCache;
  }

  // ---------------------------------------------------------------- identity

  /** Identity key from a primary key value (a scalar, or an array / object for composite keys). */
  identityFromPk(pk: unknown): unknown {
    if (this.pkIndexes.length === 1) {
      const v = Array.isArray(pk)
        ? pk[0]
        : pk !== null && typeof pk === "object" && !(pk instanceof Date)
          ? (pk as Record<string, unknown>)[this.pkKeys[0]]
          : pk;
      if (v === null || v === undefined) throw new ArgumentError(`${this.name}: a primary key value is required, got ${String(v)}`);
      return v;
    }
    const values = Array.isArray(pk) ? pk : valuesOf(pk as Record<string, unknown> | null, this.pkKeys);
    if (values.length !== this.pkIndexes.length || values.some(isMissing))
      throw new ArgumentError(
        `${this.name}: the primary key has ${this.pkKeys.length} columns (${this.pkKeys.join(", ")}); pass them all, as an array or an object`,
      );
    return compositeKey(values);
  }

  /** The primary key values of a key (inverse of identityFromPk, given the same input). */
  pkValues(pk: unknown): unknown[] {
    if (this.pkIndexes.length === 1) return [this.identityFromPk(pk)];
    return Array.isArray(pk) ? [...pk] : valuesOf(pk as Record<string, unknown>, this.pkKeys);
  }

  /** Identity key of a row (processed values, this mapper's columns starting at `offset`); null if the key is NULL. */
  identityFromRow(row: readonly unknown[], offset: number): unknown {
    if (this.pkIndexes.length === 1) {
      const v = row[offset + this.pkIndexes[0]];
      return v === null || v === undefined ? null : v;
    }
    const idx = this.pkIndexes;
    const values = new Array<unknown>(idx.length);
    for (let i = 0; i < idx.length; i++) values[i] = row[offset + idx[i]];
    return values.some(isMissing) ? null : compositeKey(values);
  }

  /** Identity key of an object from its current primary key attributes (null if incomplete). */
  identityOf(obj: object): unknown {
    const o = obj as Record<string, unknown>;
    if (this.pkIndexes.length === 1) {
      const v = o[this.pkKeys[0]];
      return v === null || v === undefined ? null : v;
    }
    const values = valuesOf(o, this.pkKeys);
    return values.some(isMissing) ? null : compositeKey(values);
  }

  // ---------------------------------------------------------------- objects

  /** Sets up an object made from a row (see instantiate()); `state` is already in its slot. */
  private populateLoaded(obj: object, state: InstanceState, row: readonly unknown[], offset: number): InstanceState {
    // The state first, then the columns: the order a constructed object gets them in (ModelBase, then populateNew),
    // so loaded and new objects of a class share one hidden class and hot code sees half as many.
    state.obj = obj;
    this.assign(obj, row, offset);
    state.status = "persistent";
    state.committed = offset === 0 && row.length === this.columns.length ? (row as unknown[]) : row.slice(offset, offset + this.columns.length);
    if (this.mutableIndexes.length > 0) state.committed = this.snapshot(state.committed);
    if (this.kept === null && this.keptNew === null) keepRecent(this);
    this.kept = obj;
    return state;
  }

  /**
   * Columns whose values can be changed in place (JSON documents, arrays, bytes): their committed snapshot is a copy,
   * so `doc.tags.push(x)` is seen as a change by the next flush.
   */
  readonly mutableIndexes: readonly number[];

  /** A committed snapshot: the values as they are, with copies of the mutable ones. */
  snapshot(values: unknown[]): unknown[] {
    const out = values.slice();
    for (const i of this.mutableIndexes) {
      const v = out[i];
      if (v !== null && typeof v === "object") out[i] = v instanceof Uint8Array ? v.slice() : structuredClone(v);
    }
    return out;
  }

  /**
   * The state of an object about to be made, handed to ModelBase's constructor (called by the model's constructor
   * just before `super()`, then populateNew(); or by instantiate() for a loaded object).
   */
  newState(): InstanceState {
    const state = new InstanceState(this, NO_OBJECT);
    handOver(state);
    return state;
  }

  /** Sets up a new transient object (called by the constructor, after newState() and `super()`). */
  populateNew(obj: object, state: InstanceState): InstanceState {
    this.access.init(obj);
    state.obj = obj;
    if (this.kept === null && this.keptNew === null) keepRecent(this);
    this.keptNew = obj;
    return state;
  }

  /**
   * Makes an object from a row and returns its state (`.obj` is the object): no constructor runs (as SQLAlchemy does
   * not run __init__ on load), and nothing here is specific to one model class, so freshly declared models load at
   * full speed.
   */
  instantiate(row: readonly unknown[], offset: number): InstanceState {
    // Made as `new cls()` makes it, up to ModelBase's constructor only (the model's own constructor does not run): the
    // same initial hidden class and private state slot as a constructed object (see populateLoaded).
    const state = this.newState();
    return this.populateLoaded(Reflect.construct(ModelBase, NO_ARGS, this.cls) as object, state, row, offset);
  }

  /** Sets column values from a row (or a committed snapshot, offset 0): plain stores in column order, one hidden class per model. */
  assign(obj: object, row: readonly unknown[], offset: number): void {
    this.access.assign(obj, row, offset);
  }

  /** Overwrites an object's column values from a row (refresh / expired objects). */
  refreshFromRow(state: InstanceState, row: readonly unknown[], offset: number): void {
    this.assign(state.obj, row, offset);
    state.committed = this.snapshot(row.slice(offset, offset + this.columns.length));
    state.expired = null;
  }

  /**
   * Overwrites the columns at `indexes` from a row; the others keep their values, changed or not (refresh of named
   * attributes, objects with some attributes expired).
   */
  refreshColumns(state: InstanceState, row: readonly unknown[], offset: number, indexes: readonly number[]): void {
    const o = state.obj as Record<string, unknown>;
    const committed = state.committed === null ? this.currentValues(o) : state.committed.slice();
    const fresh = this.snapshot(row.slice(offset, offset + this.columns.length));
    for (const i of indexes) {
      o[this.columnKeys[i]] = row[offset + i];
      committed[i] = fresh[i];
    }
    state.committed = committed;
    if (state.expired instanceof Set) {
      for (const i of indexes) state.expired.delete(this.columnKeys[i]);
      if (state.expired.size === 0) state.expired = null;
    } else if (state.expired === true) {
      const left = this.columnKeys.filter((_, i) => !indexes.includes(i));
      state.expired = left.length > 0 ? new Set(left) : null;
    }
  }

  /** Refreshes a loaded object from its row: every column (populateExisting, all expired) or just the expired ones. */
  refreshExpired(state: InstanceState, row: readonly unknown[], offset: number, all: boolean): void {
    const expired = state.expired;
    if (all || expired === true || expired === null) this.refreshFromRow(state, row, offset);
    else
      this.refreshColumns(
        state,
        row,
        offset,
        [...expired].map((k) => this.columnIndex.get(k) as number),
      );
  }

  /**
   * Sorts attribute names (of refresh(), expire()) into column indexes and relationships; an unknown name is an
   * ArgumentError that lists the model's attributes.
   */
  attributesNamed(op: string, names: readonly string[]): { columns: number[]; relationships: RelationshipProperty[] } {
    const columns: number[] = [];
    const relationships: RelationshipProperty[] = [];
    for (const name of names) {
      const i = this.columnIndex.get(name);
      if (i !== undefined) columns.push(i);
      else {
        const rel = this.relationshipsByKey.get(name);
        if (!rel)
          throw new ArgumentError(
            `${op}(): ${this.name} has no attribute "${name}"; its attributes are ${[...this.columnKeys, ...this.relationshipsByKey.keys()].join(", ")}`,
          );
        relationships.push(rel);
      }
    }
    return { columns, relationships };
  }

  /** Current column values of an object, in column order. */
  currentValues(obj: object): unknown[] {
    // An array of the final size: map() makes a closure and grows its result (W1 snapshots 30,000 objects).
    const values = this.copyValues(obj, new Array<unknown>(this.columns.length), 0);
    return this.mutableIndexes.length > 0 ? this.snapshot(values) : values;
  }

  /** Writes an object's column values into `out` from `at` on, in column order (no copies of mutable values); returns `out`. */
  copyValues(obj: object, out: unknown[], at: number): unknown[] {
    this.access.read(obj, out, at);
    return out;
  }

  /** The relationship of this name (throws naming the mapper's relationships). */
  relationship(key: string): RelationshipProperty {
    const r = this.relationshipsByKey.get(key);
    if (!r)
      throw new ArgumentError(`${this.name} has no relationship "${key}"; its relationships are ${[...this.relationshipsByKey.keys()].join(", ") || "(none)"}`);
    return r;
  }

  /** A cached per-dialect item (compiled statements). */
  cached<D extends object, T>(dialect: D, key: string, make: (dialect: D, mapper: Mapper) => T): T {
    // The last dialect's items at hand: nearly every call is for the one dialect the application uses.
    let m = dialect === this.lastDialect ? this.lastStatements : this.statements.get(dialect);
    if (!m) this.statements.set(dialect, (m = new Map()));
    this.lastDialect = dialect;
    this.lastStatements = m;
    let v = m.get(key) as T | undefined;
    if (v === undefined) {
      v = make(dialect, this);
      m.set(key, v);
    }
    return v;
  }
}
