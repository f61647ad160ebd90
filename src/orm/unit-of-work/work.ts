/**
 * What one flush works with: the Session seen as a FlushHost, the journal of attribute writes it undoes if a statement
 * fails, and its running record of what it wrote.
 */

import type { Dialect } from "../../dialects/base/dialect.js";
import type { Connection } from "../../engine/connection.js";
import { keepShape } from "../../util/keep-alive.js";
import type { Mapper } from "../mapper.js";
import type { IdentityMap } from "../session/identity-map.js";
import type { InsertedBatch, SessionTransaction } from "../session/session-transaction.js";
import { type InstanceState, nextMark } from "../state.js";
import type { FkSync, PlanContext } from "./plan.js";

/** What the Session provides to a flush. */
export interface FlushHost extends PlanContext {
  readonly dialect: Dialect;
  readonly identityMap: IdentityMap;
  readonly transaction: SessionTransaction;
  connection(): Promise<Connection>;
  /** Objects dropped from the Session (pending orphans). */
  detach(state: InstanceState): void;
  /** Hands the set of objects to delete over (the Session starts a new, empty one). */
  takeToDelete(): Set<InstanceState>;
}

/** Attribute writes of a flush, undone if the flush fails (three parallel arrays: no allocation per write). */
export class Journal {
  private readonly objs: Record<string, unknown>[] = [];
  private readonly keys: string[] = [];
  private readonly olds: unknown[] = [];
  /** Attributes that were unset before the flush gave them a value (database-made keys), a batch of rows at a time. */
  private readonly fresh: { readonly rows: readonly InstanceState[]; readonly key: string }[] = [];
  assign(obj: object, key: string, value: unknown): void {
    const o = obj as Record<string, unknown>;
    this.objs.push(o);
    this.keys.push(key);
    this.olds.push(o[key]);
    o[key] = value;
  }
  /** Records that `key` of these rows was undefined before this flush set it (cheaper than one assign() per row). */
  setFresh(rows: readonly InstanceState[], key: string): void {
    this.fresh.push({ rows, key });
  }
  undo(): void {
    for (let i = this.objs.length - 1; i >= 0; i--) this.objs[i][this.keys[i]] = this.olds[i];
    for (const { rows, key } of this.fresh) for (let i = 0; i < rows.length; i++) (rows[i].obj as Record<string, unknown>)[key] = undefined;
  }
}

export interface Work {
  readonly host: FlushHost;
  readonly conn: Connection;
  readonly journal: Journal;
  /** What this flush inserted, batch by batch; each of those objects carries `mark` (`insertedMark`). */
  readonly inserted: InsertedBatch[];
  readonly insertedMark: number;
  readonly updated: InstanceState[];
  readonly postUpdates: FkSync[];
  /** The objects to delete, by mapper (the delete cascade is done when the work starts). */
  readonly deleting: Map<Mapper, InstanceState[]>;
}

const MAX_ROWS_PER_INSERT = 1000;

/** Rows per multi-row INSERT of `columns` values each, under the dialect's parameter limit. */
export function rowsPerInsert(dialect: Dialect, columns: number): number {
  return Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(dialect.maxParams / Math.max(1, columns))));
}
keepShape(new Journal());

/** A flush's working state (one object shape for every flush). */
export function newWork(host: FlushHost, conn: Connection, deleting: Map<Mapper, InstanceState[]>): Work {
  return { host, conn, journal: new Journal(), inserted: [], insertedMark: nextMark(), updated: [], postUpdates: [], deleting };
}
keepShape(newWork(null as never, null as never, new Map()));

/** Objects one INSERT statement wrote. */
export function insertedBatch(rows: readonly InstanceState[], generated: readonly string[]): InsertedBatch {
  return { rows, generated };
}
keepShape(insertedBatch([], []));
