/**
 * Per-object ORM state: which Session owns the object, its identity, the column values last seen in the database
 * (to find what changed), and its relationship values. Kept in a private field (StateSlot, model-base.ts) so it
 * never shows up in spreads, JSON or console output.
 */
import { KEEP, keepAlive } from "../util/keep-alive.js";
import type { Mapper } from "./mapper.js";

/** Where an object is in its life (SQLAlchemy's object states). */
export type ObjectStatus = "transient" | "pending" | "persistent" | "deleted" | "detached";

/** The Session surface that state and attribute events need (implemented by Session). */
export interface StateOwner {
  /** A relationship of this object changed in memory (so the flush looks at it). */
  _relationshipChanged(state: InstanceState): void;
  /** save-update cascade: an object was attached to one in this Session. */
  _cascadeAdd(obj: object): void;
}

export class InstanceState {
  status: ObjectStatus = "transient";
  session: StateOwner | null = null;
  /** Identity key (primary key value, or a string for composite keys) once persistent. */
  key: unknown = undefined;
  /** The committed values, or (a number) where they start in `flatCommitted` (see `committed`). */
  private committedOrAt: unknown[] | number | null = null;
  /** The committed values of all the rows one flush inserted together, one after another (see setCommittedFlat). */
  private flatCommitted: unknown[] | null = null;
  // Relationship values by relationship index (undefined = not loaded): the first two in fields of their own, the
  // others in `relsMore`. Most models have one or two relationships, and an array per object (56 bytes) was a third
  // of what a state costs (see getRel()).
  private rel0: unknown = undefined;
  private rel1: unknown = undefined;
  private relsMore: unknown[] | null = null;
  /** What few objects ever have (changed relationships, expired columns): one field for both (see StateExtra). */
  private extra: StateExtra | null = null;
  /** Traversal mark (graph walks compare it with their own epoch instead of keeping a Set of visited objects). */
  mark = 0;
  /** The Session transaction (record) whose flush inserted this object's row, until it commits or rolls back. */
  insertedBy: object | null = null;
  /** Its slot in the Session's list of pending objects (see StateList), or -1. */
  listSlot = -1;

  constructor(
    readonly mapper: Mapper,
    /** The object (set once, by whoever makes the object: see handOver() in model-base.ts). */
    public obj: object,
  ) {
    keepAlive(KEEP.state, this);
  }

  /**
   * The relationships changed in memory since the last flush: index → value as last loaded or flushed (the related
   * object, or a copy of the collection), for the flush and for rollback.
   */
  get relChanges(): Map<number, unknown> | null {
    return this.extra === null ? null : this.extra.relChanges;
  }
  set relChanges(changes: Map<number, unknown> | null) {
    if (this.extra !== null) this.extra.relChanges = changes;
    else if (changes !== null) this.extra = stateExtra(changes, null);
  }

  /** Columns marked expired (`session.expire`): refreshed from the next row loaded; `true` = all. */
  get expired(): Set<string> | true | null {
    return this.extra === null ? null : this.extra.expired;
  }
  set expired(columns: Set<string> | true | null) {
    if (this.extra !== null) this.extra.expired = columns;
    else if (columns !== null) this.extra = stateExtra(null, columns);
  }

  /** Column values (mapper column order) as last loaded or flushed; null while never persisted. */
  get committed(): unknown[] | null {
    const c = this.committedOrAt;
    if (typeof c !== "number") return c;
    // Held in the flush's shared array until asked for: made into this object's own array now.
    const own = (this.flatCommitted as unknown[]).slice(c, c + this.mapper.columns.length);
    this.committedOrAt = own;
    this.flatCommitted = null;
    return own;
  }
  set committed(values: unknown[] | null) {
    this.committedOrAt = values;
    this.flatCommitted = null;
  }

  /**
   * The array holding the committed values without making the object's own copy (for scans that only read them):
   * this object's values are at `committedOffset()` onwards. Null while never persisted.
   */
  committedBase(): readonly unknown[] | null {
    const c = this.committedOrAt;
    return typeof c === "number" ? this.flatCommitted : c;
  }
  /** Where this object's values start in `committedBase()`. */
  committedOffset(): number {
    const c = this.committedOrAt;
    return typeof c === "number" ? c : 0;
  }
  /** The committed value of column `index` (mapper order), read in place; undefined while never persisted. */
  committedAt(index: number): unknown {
    const base = this.committedBase();
    return base === null ? undefined : base[this.committedOffset() + index];
  }

  /**
   * Sets the committed values to `flat[at]` onwards (one value per mapper column). A flush gives the rows it inserted
   * one shared array instead of an array each (30,000 arrays fewer in a large flush); `committed` makes the object's
   * own array the first time it is read.
   */
  setCommittedFlat(flat: unknown[], at: number): void {
    this.committedOrAt = at;
    this.flatCommitted = flat;
  }

  /** True if the relationship at `index` holds a loaded value. */
  isLoaded(index: number): boolean {
    return this.getRel(index) !== undefined;
  }

  /** The value of relationship `index` (mapper order): the related object, null, a collection, or undefined (not loaded). */
  getRel(index: number): unknown {
    if (index === 0) return this.rel0;
    if (index === 1) return this.rel1;
    return this.relsMore === null ? undefined : this.relsMore[index - 2];
  }

  setRelRaw(index: number, value: unknown): void {
    if (index === 0) this.rel0 = value;
    else if (index === 1) this.rel1 = value;
    else (this.relsMore ??= new Array(this.mapper.relationships.length - 2))[index - 2] = value;
  }

  /** Unloads every relationship (session.expire()). */
  unloadRels(): void {
    this.rel0 = undefined;
    this.rel1 = undefined;
    if (this.relsMore !== null) this.relsMore.fill(undefined);
  }

  /** Records that relationship `index` changed (the old value is kept for the flush and for rollback). */
  markRelChanged(index: number): void {
    // New objects are written whole: only objects with rows need their relationship changes tracked.
    if (this.status !== "persistent") return;
    const changes = (this.relChanges ??= new Map());
    if (!changes.has(index)) {
      const v = this.getRel(index);
      changes.set(index, Array.isArray(v) ? v.slice() : v); // a plain array (an InstrumentedList's slice() is one)
    }
    this.session?._relationshipChanged(this);
  }

  /** The relationship value before the changes of this flush period (loaded value or the current one). */
  relBefore(index: number): unknown {
    const changes = this.relChanges;
    return changes?.has(index) ? changes.get(index) : this.getRel(index);
  }

  /** After a flush: current relationship values become the committed ones. */
  resetRelChanges(): void {
    this.relChanges = null;
  }
}

/** The rarely set parts of an InstanceState (an object has them only once it has one). */
interface StateExtra {
  relChanges: Map<number, unknown> | null;
  expired: Set<string> | true | null;
}

function stateExtra(relChanges: Map<number, unknown> | null, expired: Set<string> | true | null): StateExtra {
  return { relChanges, expired };
}

/** The latest traversal mark (InstanceState.mark): each walk or flush takes a new one. */
let epoch = 0;

/** A mark no object carries yet: set it on the objects a walk visits, then compare. */
export function nextMark(): number {
  return ++epoch;
}

/** Holds the state of every mapped object (ModelBase sets and reads it through these). */
export const stateAccess: {
  get: (obj: object) => InstanceState | undefined;
  /** The state of an object known to be mapped (one lookup instead of a check and a lookup; throws otherwise). */
  known: (obj: object) => InstanceState;
  set: (obj: object, s: InstanceState) => void;
} = {
  get: () => undefined,
  known: () => {
    throw new Error("ModelBase is not loaded");
  },
  set: () => {},
};
