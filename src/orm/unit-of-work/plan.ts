/**
 * Plans a flush: which objects are saved (save-update cascade), which are deleted (delete cascade, orphans), and
 * which foreign key values and association rows follow from relationship changes.
 */
import type { Column } from "../../sql/schema/column.js";
import { InvalidRequestError } from "../../util/errors.js";
import { keepShape } from "../../util/keep-alive.js";
import type { Mapper } from "../mapper.js";
import { describe, stateOf } from "../model-base.js";
import { pushTo } from "../multimap.js";
import type { RelationshipProperty } from "../relationship-property.js";
import type { InstanceState } from "../state.js";
import type { StateList } from "../state-list.js";

/** Set `child`'s foreign key columns from `parent`'s referenced columns (or NULL when parent is null). */
export interface FkSync {
  readonly child: InstanceState;
  readonly childCols: readonly Column<unknown>[];
  readonly parentCols: readonly Column<unknown>[];
  readonly parent: InstanceState | null;
  readonly rel: RelationshipProperty;
}

/** A row of a many-to-many association table, `left` owning `rel`. */
export interface AssociationRow {
  readonly rel: RelationshipProperty;
  readonly left: InstanceState;
  readonly right: InstanceState;
}

/** What the Session gives the planner. */
export interface PlanContext {
  /** Pending objects, in the order they were added. */
  readonly pending: StateList;
  /** Objects marked for deletion. */
  readonly toDelete: Set<InstanceState>;
  /** Objects whose relationships changed. */
  readonly relChanged: Set<InstanceState>;
  /** Loads a relationship of several objects (delete cascades need the children). */
  load(states: InstanceState[], rel: RelationshipProperty): Promise<void>;
}

/** What relationship changes write: foreign key values and association rows. */
export interface FlushPlan {
  readonly syncs: FkSync[];
  readonly associationInserts: AssociationRow[];
  readonly associationDeletes: AssociationRow[];
}

const NONE: readonly object[] = [];

function items(v: unknown): readonly object[] {
  if (v === null || v === undefined) return NONE;
  return Array.isArray(v) ? (v as object[]) : [v as object];
}

/** delete cascade and delete-orphan: extends ctx.toDelete; returns pending orphans to drop. */
export async function cascadeDeletes(ctx: PlanContext): Promise<InstanceState[]> {
  const expunge: InstanceState[] = [];
  // Orphans: items removed from a delete-orphan collection (or whose parent reference was cleared).
  for (const s of ctx.relChanged) {
    if (s.relChanges === null) continue;
    for (const i of s.relChanges.keys()) {
      const rel = s.mapper.relationships[i];
      if (rel.cascade.deleteOrphan && rel.direction !== "many-to-one") {
        const now = items(s.getRel(i));
        for (const x of items(s.relBefore(i))) {
          if (now.includes(x)) continue;
          const xs = stateOf(x);
          const back = rel.backref;
          const parentNow = back && !back.many ? xs.getRel(back.index) : null;
          if (parentNow !== null && parentNow !== undefined && parentNow !== s.obj) continue; // moved to another parent
          orphan(ctx, xs, expunge);
        }
      } else if (rel.direction === "many-to-one" && rel.backref?.cascade.deleteOrphan) {
        const before = s.relBefore(i);
        if (before !== null && before !== undefined && (s.getRel(i) === null || s.getRel(i) === undefined)) orphan(ctx, s, expunge);
      }
    }
  }
  // Delete cascades, loading children that are not in memory (unless the database cascades: passiveDeletes).
  let frontier = [...ctx.toDelete];
  while (frontier.length > 0) {
    const next: InstanceState[] = [];
    const byRel = new Map<RelationshipProperty, InstanceState[]>();
    // Indexed loops: these run over every object deleted, often before V8 has optimized them.
    for (let f = 0; f < frontier.length; f++) {
      const s = frontier[f];
      const rels = s.mapper.relationships;
      for (let r = 0; r < rels.length; r++) {
        const rel = rels[r];
        if (rel.viewonly || rel.direction === "many-to-many") continue;
        if (rel.direction === "one-to-many" && rel.passiveDeletes) continue;
        if (rel.direction === "many-to-one" && !rel.cascade.delete) continue;
        if (!s.isLoaded(rel.index) && s.status === "persistent") pushTo(byRel, rel, s);
      }
    }
    for (const [rel, states] of byRel) await ctx.load(states, rel);
    for (let f = 0; f < frontier.length; f++) {
      const s = frontier[f];
      const rels = s.mapper.relationships;
      for (let r = 0; r < rels.length; r++) {
        const rel = rels[r];
        if (!rel.cascade.delete || rel.direction === "many-to-many") continue;
        const now = s.getRel(rel.index);
        const before = s.relBefore(rel.index);
        cascadeDeleteTo(ctx, now, next, expunge);
        if (before !== now) cascadeDeleteTo(ctx, before, next, expunge);
      }
    }
    frontier = next;
  }
  return expunge;
}

/** Marks the objects of a relationship value (an object, a list, null or undefined) for deletion with their parent. */
function cascadeDeleteTo(ctx: PlanContext, value: unknown, next: InstanceState[], expunge: InstanceState[]): void {
  const xs = items(value);
  for (let i = 0; i < xs.length; i++) {
    const x = stateOf(xs[i]);
    if (x.status === "pending") {
      ctx.pending.delete(x);
      expunge.push(x);
    } else if (x.status === "persistent" && !ctx.toDelete.has(x)) {
      ctx.toDelete.add(x);
      next.push(x);
    }
  }
}

function orphan(ctx: PlanContext, xs: InstanceState, expunge: InstanceState[]): void {
  if (xs.status === "pending") {
    ctx.pending.delete(xs);
    expunge.push(xs);
  } else if (xs.status === "persistent") ctx.toDelete.add(xs);
}

function childSync(child: InstanceState, rel: RelationshipProperty, parent: InstanceState | null): FkSync {
  // many-to-one: the owner is the child; one-to-many: the target is the child.
  return { child, rel, parent, childCols: rel.childColumns, parentCols: rel.parentColumns };
}

/**
 * Foreign key syncs and association rows implied by relationships of pending and changed objects (`pending`: the
 * context's pending objects grouped by mapper).
 */
export function planSyncs(ctx: PlanContext, pending: ReadonlyMap<Mapper, readonly InstanceState[]>): FlushPlan {
  const removals: FkSync[] = [];
  const additions: FkSync[] = [];
  const childSide: FkSync[] = [];
  const assocIns = new AssociationSet();
  const assocDel = new AssociationSet();
  const visit = (s: InstanceState, i: number, isNew: boolean) => {
    const rel = s.mapper.relationships[i];
    if (rel.viewonly) return;
    const now = s.getRel(i);
    if (now === undefined) return;
    const before = isNew ? undefined : s.relBefore(i);
    switch (rel.direction) {
      case "many-to-one":
        // A pending object's own references are applied by the flush as it inserts it (no sync record needed).
        if (!isNew && now !== before) childSide.push(childSync(s, rel, now === null ? null : stateOf(now)));
        return;
      case "one-to-many": {
        const current = items(now);
        const old = items(before);
        for (let j = 0; j < old.length; j++)
          if (!current.includes(old[j])) {
            const xs = stateOf(old[j]);
            if (!ctx.toDelete.has(xs)) removals.push(childSync(xs, rel, null));
          }
        const back = rel.backref;
        // Indexed loops here and below: they run per pending object, before V8 has optimized them.
        for (let j = 0; j < current.length; j++) {
          const x = current[j];
          if (!isNew && old.includes(x)) continue;
          const xs = stateOf(x);
          // The child's own many-to-one side says the same thing: let it (one sync per child, not two).
          if (back !== null && xs.status === "pending" && xs.getRel(back.index) === s.obj) continue;
          additions.push(childSync(xs, rel, s));
        }
        return;
      }
      case "many-to-many": {
        const current = items(now);
        const old = items(before);
        for (const x of old) if (!current.includes(x)) assocDel.add(rel, s, stateOf(x));
        for (const x of current) if (isNew || !old.includes(x)) assocIns.add(rel, s, stateOf(x));
        return;
      }
    }
  };
  pending.forEach((states) => {
    for (let k = 0; k < states.length; k++) {
      const s = states[k];
      const props = s.mapper.relationships;
      for (let i = 0; i < props.length; i++) {
        // A pending object's own many-to-one references are applied by the flush as it inserts it (see visit()).
        if (props[i].direction !== "many-to-one" && s.getRel(i) !== undefined) visit(s, i, true);
      }
    }
  });
  for (const s of ctx.relChanged) {
    if (s.status !== "persistent" || s.relChanges === null || ctx.toDelete.has(s)) continue;
    for (const i of s.relChanges.keys()) visit(s, i, false);
  }
  // Children of a deleted parent that are not deleted with it lose their reference (SQLAlchemy's default). A Set's
  // forEach and indexed loops: this runs once per flush, often unoptimized, over every object deleted (a for...of
  // makes an iterator result per object there).
  ctx.toDelete.forEach((s) => {
    const rels = s.mapper.relationships;
    for (let r = 0; r < rels.length; r++) {
      const rel = rels[r];
      if (rel.direction !== "one-to-many" || rel.viewonly || rel.cascade.delete || rel.passiveDeletes) continue;
      const children = items(s.getRel(rel.index));
      for (let j = 0; j < children.length; j++) {
        const xs = stateOf(children[j]);
        if (ctx.toDelete.has(xs)) continue;
        removals.push(childSync(xs, rel, null));
        const back = rel.backref;
        if (back && !back.many && xs.getRel(back.index) === s.obj) xs.setRelRaw(back.index, null);
      }
    }
  });
  // A parent losing a child must not override the parent that gained it: removals first, the child's own side last.
  const syncs = [...removals, ...additions, ...childSide].filter((x) => !ctx.toDelete.has(x.child) && (x.parent === null || !ctx.toDelete.has(x.parent)));
  for (const x of syncs) if (x.parent && x.parent.status !== "pending" && x.parent.status !== "persistent") throw parentNotInSession(x.child, x.parent);
  return flushPlan(syncs, assocIns.rows, assocDel.rows);
}

function flushPlan(syncs: FkSync[], associationInserts: AssociationRow[], associationDeletes: AssociationRow[]): FlushPlan {
  return { syncs, associationInserts, associationDeletes };
}
keepShape(flushPlan([], [], []));

/** The error for a foreign key sync whose parent has no row and will get none in this flush. */
export function parentNotInSession(child: InstanceState, parent: InstanceState): InvalidRequestError {
  return new InvalidRequestError(`${describe(child.obj)} refers to ${describe(parent.obj)}, which is ${parent.status}; add it to the Session first`);
}

/** Association rows without duplicates (both sides of a backPopulates pair report the same row). */
class AssociationSet {
  readonly rows: AssociationRow[] = [];
  private readonly seen = new Map<RelationshipProperty, Map<InstanceState, Set<InstanceState>>>();
  add(rel: RelationshipProperty, left: InstanceState, right: InstanceState): void {
    // Canonical orientation: the side whose key sorts first owns the row.
    if (rel.backref && rel.backref.key < rel.key && rel.backref.parent === right.mapper) {
      this.add(rel.backref, right, left);
      return;
    }
    let byLeft = this.seen.get(rel);
    if (!byLeft) this.seen.set(rel, (byLeft = new Map()));
    let set = byLeft.get(left);
    if (!set) byLeft.set(left, (set = new Set()));
    if (set.has(right)) return;
    set.add(right);
    this.rows.push({ rel, left, right });
  }
}
keepShape(new AssociationSet());
