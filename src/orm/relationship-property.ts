/**
 * A configured relationship: its target mapper, direction, the column pairs that link the two tables (through the
 * association table for many-to-many), its back-reference and cascades. Built from a RelationshipDef the first time
 * the mappers are used, when every class exists.
 */
import type { ColumnElement, OrderBy } from "../sql/ast/expression.js";
import type { Column } from "../sql/schema/column.js";
import type { ForeignKeyConstraint } from "../sql/schema/constraints.js";
import type { TableObject } from "../sql/schema/table.js";
import { ArgumentError } from "../util/errors.js";
import { Cascade } from "./cascade.js";
import type { Mapper } from "./mapper.js";
import type { LazyStrategy, RelationshipDef } from "./relationship.js";

export type Direction = "many-to-one" | "one-to-many" | "many-to-many";

/** A column of the owner's table equal to a column of the target's (or association) table. */
export interface ColumnPair {
  readonly local: Column<unknown>;
  readonly remote: Column<unknown>;
}

export class RelationshipProperty {
  target!: Mapper;
  direction!: Direction;
  /** Direct relationships: owner column = target column. */
  pairs: ColumnPair[] = [];
  /** Many-to-many: owner column = association column, and target column = association column. */
  secondary: TableObject | null = null;
  secondaryLocal: ColumnPair[] = [];
  secondaryRemote: ColumnPair[] = [];
  backref: RelationshipProperty | null = null;
  readonly cascade: Cascade;
  readonly lazy: LazyStrategy;
  readonly many: boolean;
  readonly passiveDeletes: boolean;
  readonly viewonly: boolean;
  readonly postUpdate: boolean;
  private orderByItems: readonly (ColumnElement<unknown> | OrderBy)[] | null = null;
  configured = false;

  constructor(
    readonly parent: Mapper,
    readonly key: string,
    readonly index: number,
    readonly def: RelationshipDef<unknown, boolean, boolean>,
  ) {
    const o = def.options;
    this.many = def.many;
    this.viewonly = o.viewonly ?? false;
    this.cascade = new Cascade(o.cascade, this.toString(), this.viewonly);
    this.lazy = o.lazy ?? "raise";
    if (!["raise", "selectin", "joined"].includes(this.lazy))
      throw new ArgumentError(`${this}: lazy must be "raise", "selectin" or "joined", got "${this.lazy}"`);
    this.passiveDeletes = o.passiveDeletes ?? false;
    this.postUpdate = o.postUpdate ?? false;
  }

  toString(): string {
    return `${this.parent.name}.${this.key}`;
  }

  /** Foreign key columns (on the child's table) and the columns they copy (on the parent's), for flush syncs. */
  childColumns: Column<unknown>[] = [];
  parentColumns: Column<unknown>[] = [];

  /** ORDER BY of loaded collections (the `orderBy` option's thunk, called once). */
  get orderBy(): readonly (ColumnElement<unknown> | OrderBy)[] {
    if (this.orderByItems === null) {
      const spec = this.def.options.orderBy;
      const items = spec ? spec() : [];
      this.orderByItems = Array.isArray(items) ? items : [items as ColumnElement<unknown> | OrderBy];
    }
    return this.orderByItems;
  }

  /** Resolves the target and the join columns (called once, when all mappers exist). */
  configure(resolve: (cls: unknown, where: string) => Mapper): void {
    if (this.configured) return;
    const thunk = this.def.target as () => unknown;
    let cls: unknown;
    try {
      cls = thunk();
    } catch (e) {
      throw new ArgumentError(
        `${this}: calling its target thunk failed (${(e as Error).message}); the target class must be defined (its module imported) before the models are used`,
        { cause: e },
      );
    }
    this.target = resolve(cls, this.toString());
    const secondary = this.def.options.secondary;
    if (secondary !== undefined) this.configureSecondary(secondary);
    else this.configureDirect();
    // many-to-one: the owner is the child (it holds the foreign key); otherwise the target is.
    const ownerIsChild = this.direction === "many-to-one";
    this.childColumns = this.pairs.map((p) => (ownerIsChild ? p.local : p.remote));
    this.parentColumns = this.pairs.map((p) => (ownerIsChild ? p.remote : p.local));
    this.configured = true;
  }

  private configureSecondary(secondary: TableObject | string): void {
    const table = typeof secondary === "string" ? this.parent.table.metadata.tables.get(secondary) : (secondary as TableObject);
    if (!table) throw new ArgumentError(`${this}: secondary table "${String(secondary)}" is not in the models' MetaData`);
    if (!this.many) throw new ArgumentError(`${this}: a relationship through a secondary table must be relationship.many()`);
    this.secondary = table;
    this.direction = "many-to-many";
    const toParent = table.foreignKeys.filter((fk) => table.referredTable(fk) === this.parent.table);
    const toTarget = table.foreignKeys.filter((fk) => table.referredTable(fk) === this.target.table);
    let localFk: ForeignKeyConstraint | undefined;
    let remoteFk: ForeignKeyConstraint | undefined;
    if (this.parent.table === this.target.table) {
      // Self-referential many-to-many: the first FK is the owner's side unless foreignKeys says otherwise.
      const named = this.def.options.foreignKeys;
      localFk = named ? toParent.find((fk) => fk.columns.some((c) => named.includes(c))) : toParent[0];
      remoteFk = toParent.find((fk) => fk !== localFk);
    } else {
      localFk = this.pickOne(toParent, `${table.name} → ${this.parent.table.name}`);
      remoteFk = this.pickOne(toTarget, `${table.name} → ${this.target.table.name}`);
    }
    if (!localFk || !remoteFk)
      throw new ArgumentError(
        `${this}: the secondary table ${table.name} needs a foreign key to ${this.parent.table.name} and one to ${this.target.table.name}`,
      );
    // local = the owner's (or target's) column, remote = the association table's column
    this.secondaryLocal = pairsOf(table, localFk, this.parent.table, true);
    this.secondaryRemote = pairsOf(table, remoteFk, this.target.table, true);
  }

  private pickOne(fks: ForeignKeyConstraint[], what: string): ForeignKeyConstraint | undefined {
    const named = this.def.options.foreignKeys;
    const list = named ? fks.filter((fk) => fk.columns.some((c) => named.includes(c))) : fks;
    if (list.length > 1) throw new ArgumentError(`${this}: more than one foreign key path ${what}; pass foreignKeys: ["<column attribute>"] to choose one`);
    return list[0];
  }

  private configureDirect(): void {
    const p = this.parent.table;
    const t = this.target.table;
    const named = this.def.options.foreignKeys;
    const filter = (fks: ForeignKeyConstraint[], table: TableObject) =>
      named ? fks.filter((fk) => fk.columns.some((c) => named.includes(c) || named.includes(table.column(c).name))) : fks;
    const ownerToTarget = filter(
      p.foreignKeys.filter((fk) => p.referredTable(fk) === t),
      p,
    );
    const targetToOwner = filter(
      t.foreignKeys.filter((fk) => t.referredTable(fk) === p),
      t,
    );
    let direction: "many-to-one" | "one-to-many";
    let fk: ForeignKeyConstraint;
    if (p === t) {
      // Self-referential: many = the children (one-to-many), one = the parent (many-to-one).
      const fks = ownerToTarget;
      if (fks.length === 0)
        throw new ArgumentError(`${this}: no foreign key from ${p.name} to itself; declare one, e.g. parentId: column(Integer, ForeignKey("${p.name}.id"))`);
      if (fks.length > 1) throw new ArgumentError(`${this}: more than one foreign key from ${p.name} to itself; pass foreignKeys: ["parentId"]`);
      fk = fks[0];
      direction = this.many ? "one-to-many" : "many-to-one";
    } else if (this.many) {
      if (targetToOwner.length === 0)
        throw new ArgumentError(
          `${this}: a collection needs a foreign key from ${t.name} to ${p.name} (e.g. ${this.target.name}.${p.name}Id: column(Integer, ForeignKey("${p.name}.id"))), or secondary: for many-to-many`,
        );
      if (targetToOwner.length > 1)
        throw new ArgumentError(
          `${this}: more than one foreign key from ${t.name} to ${p.name}; pass foreignKeys: ["<column attribute of ${this.target.name}>"]`,
        );
      fk = targetToOwner[0];
      direction = "one-to-many";
    } else if (ownerToTarget.length === 1 && (targetToOwner.length === 0 || named)) {
      fk = ownerToTarget[0];
      direction = "many-to-one";
    } else if (ownerToTarget.length === 0 && targetToOwner.length === 1) {
      fk = targetToOwner[0];
      direction = "one-to-many"; // one-to-one, the key on the target
    } else if (ownerToTarget.length === 0 && targetToOwner.length === 0) {
      throw new ArgumentError(`${this}: no foreign key links ${p.name} and ${t.name}; add a ForeignKey column, or secondary: for many-to-many`);
    } else {
      throw new ArgumentError(`${this}: more than one foreign key path links ${p.name} and ${t.name}; pass foreignKeys: ["<column attribute>"] to choose one`);
    }
    this.direction = direction;
    this.pairs = direction === "many-to-one" ? pairsOf(p, fk, t, false) : pairsOf(t, fk, p, true);
  }

  /** Links this relationship with its `backPopulates` partner and checks they agree. */
  linkBackref(): void {
    const name = this.def.options.backPopulates;
    if (name === undefined) return;
    const other = this.target.relationshipsByKey.get(name);
    if (!other) {
      const isColumn = this.target.columnKeys.includes(name);
      throw new ArgumentError(
        `${this}: backPopulates "${name}" ${isColumn ? "is a column" : "does not exist"} on ${this.target.name}; it must name a relationship of ${this.target.name} that points back to ${this.parent.name} (known: ${[...this.target.relationshipsByKey.keys()].join(", ") || "none"})`,
      );
    }
    if (other.def.options.backPopulates !== undefined && other.def.options.backPopulates !== this.key)
      throw new ArgumentError(`${this}: backPopulates "${name}", but ${other} has backPopulates "${other.def.options.backPopulates}" instead of "${this.key}"`);
    this.backref = other;
  }

  /** Checks the backref's target (call after both sides are configured). */
  checkBackref(): void {
    const other = this.backref;
    if (!other) return;
    if (other.target !== this.parent)
      throw new ArgumentError(`${this}: backPopulates "${other.key}", but ${other} points to ${other.target.name}, not ${this.parent.name}`);
  }
}

/**
 * Column pairs of a foreign key of `fromTable` referring to `toTable`: local = the FK column, remote = the referred
 * column; `referredIsLocal` swaps them (when the owner's side is the referred table).
 */
function pairsOf(fromTable: TableObject, fk: ForeignKeyConstraint, toTable: TableObject, referredIsLocal: boolean): ColumnPair[] {
  return fk.columns.map((k, i) => {
    const ref = fk.refColumns[i];
    const fkCol = fromTable.column(k);
    const referred = toTable.column(ref.slice(ref.lastIndexOf(".") + 1));
    return referredIsLocal ? { local: referred, remote: fkCol } : { local: fkCol, remote: referred };
  });
}
