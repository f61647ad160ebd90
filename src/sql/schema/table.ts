/**
 * Table: a named set of columns with constraints and indexes, registered in a MetaData.
 */
import { ArgumentError } from "../../util/errors.js";
import { Alias, type ColumnSpec, type ForeignKeyLink, FromClause, type TableLike } from "../ast/from.js";
import type { TableNode } from "../ast/nodes.js";
import { collectFroms } from "../compiler/froms.js";
import { Column, ColumnDef, type DefValue } from "./column.js";
import {
  type CheckConstraint,
  ForeignKeyConstraint,
  type Index,
  indexCreatedHook,
  type PrimaryKeyConstraint,
  referredColumnOf,
  referredTableOf,
  type TableConstraint,
  type UniqueConstraint,
} from "./constraints.js";
import type { MetaData } from "./metadata.js";

/** Column definitions of a table, keyed by column key. */
export type ColumnDefs = { readonly [key: string]: ColumnDef<unknown> };

/**
 * The typed `.c` collection of a Table.
 *
 * ```ts
 * users.c.name; // Column<string, "name"> when declared column(Varchar(30), { nullable: false })
 * ```
 */
export type TableColumns<C extends ColumnDefs> = { readonly [K in keyof C & string]: Column<DefValue<C[K]>, K> };

/** Options of a Table (pass as one of the trailing arguments). */
export interface TableOptions {
  readonly schema?: string;
  readonly comment?: string;
  /** Column name for a key when the column has no `name` option (the ORM maps camelCase to snake_case here). */
  readonly columnName?: (key: string) => string;
}

/** A trailing argument of Table(): a constraint, an index or options. */
export type TableArg = TableConstraint | Index | TableOptions;

let nextTableId = 1;
const INTEGER_KINDS = new Set(["integer", "biginteger", "smallinteger"]);

/**
 * The Table class (use `Table(...)` or `new Table(...)`).
 *
 * ```ts
 * const users = Table("user_account", metadata, { id: column(Integer, { primaryKey: true }) });
 * users instanceof TableObject; // true
 * users.primaryKeyColumns; // [users.c.id]
 * ```
 */
export class TableObject<C extends ColumnDefs = ColumnDefs> extends FromClause<TableColumns<C>> implements TableNode, TableLike {
  readonly kind = "table" as const;
  readonly id = nextTableId++;
  readonly schema: string | null;
  readonly comment: string | undefined;
  readonly c: TableColumns<C>;
  /** Columns in declaration order. */
  readonly columns: readonly Column<unknown>[];
  readonly primaryKey: PrimaryKeyConstraint;
  readonly foreignKeys: ForeignKeyConstraint[] = [];
  readonly uniqueConstraints: UniqueConstraint[] = [];
  readonly checkConstraints: CheckConstraint[] = [];
  readonly indexes: Index[] = [];

  constructor(
    readonly name: string,
    readonly metadata: MetaData,
    defs: C,
    ...args: TableArg[]
  ) {
    super();
    if (typeof name !== "string" || name.length === 0) throw new ArgumentError("Table() needs a non-empty name");
    const options: TableOptions = Object.assign({}, ...args.filter((a) => !("kind" in a)));
    this.schema = options.schema ?? null;
    this.comment = options.comment;
    const constraints = args.filter((a): a is TableConstraint | Index => "kind" in a);
    const explicitPk = constraints.find((a): a is PrimaryKeyConstraint => a.kind === "primary-key-constraint");
    const pkKeys = new Set(explicitPk?.columns ?? []);
    const nameFor = options.columnName ?? ((k: string) => k);

    const cols: Record<string, Column<unknown>> = {};
    const defEntries = Object.entries(defs);
    if (defEntries.length === 0)
      throw new ArgumentError(`Table("${name}") has no columns; declare at least one, e.g. { id: column(Integer, { primaryKey: true }) }`);
    const pkCount = explicitPk ? explicitPk.columns.length : defEntries.filter(([, d]) => d.options.primaryKey).length;
    for (const [key, def] of defEntries) {
      if (def?.kind !== "column-def") throw new ArgumentError(`Table("${name}").${key} is not a column(): got ${String(def)}`);
      // A column named by PrimaryKeyConstraint(...) is a primary key column as if declared `primaryKey: true`.
      const effective = pkKeys.has(key) && !def.options.primaryKey ? new ColumnDef(def.type, def.foreignKey, { ...def.options, primaryKey: true }) : def;
      const isPk = effective.options.primaryKey === true;
      const autoinc = isPk && pkCount === 1 && INTEGER_KINDS.has(def.type.kind);
      cols[key] = new Column(key, def.options.name ?? nameFor(key), effective, this, autoinc);
    }
    this.c = Object.freeze(cols) as unknown as TableColumns<C>;
    this.columns = Object.values(cols);
    const names = new Set<string>();
    for (const col of this.columns) {
      if (names.has(col.name)) throw new ArgumentError(`Table("${name}") has two columns named "${col.name}"`);
      names.add(col.name);
    }
    this.primaryKey = Object.freeze({
      kind: "primary-key-constraint",
      columns: this.columns.filter((col) => col.primaryKey).map((col) => col.key),
      name: explicitPk?.name,
    });
    for (const col of this.columns) {
      if (!col.foreignKey) continue;
      const t = col.foreignKey.target;
      const ref = typeof t === "string" ? t : `${(t.node.from as TableNode).name}.${t.name}`;
      this.foreignKeys.push(ForeignKeyConstraint([col.key], [ref], col.foreignKey.options));
    }
    for (const con of constraints) this.addConstraint(con);
    metadata._register(this);
  }

  /** Adds a constraint or index after creation (migrations and Index() made of this table's columns use it). */
  addConstraint(con: TableConstraint | Index): void {
    switch (con.kind) {
      case "primary-key-constraint":
        for (const k of con.columns) this.column(k);
        return;
      case "foreign-key-constraint":
        for (const k of con.columns) this.column(k);
        this.foreignKeys.push(con);
        return;
      case "unique-constraint":
        for (const k of con.columns) this.column(k);
        this.uniqueConstraints.push(con);
        return;
      case "check-constraint":
        this.checkConstraints.push(con);
        return;
      case "index":
        for (const e of con.elements) if (typeof e === "string") this.column(e);
        if (!this.indexes.includes(con)) this.indexes.push(con);
        return;
    }
  }

  get node(): TableNode {
    return this;
  }
  override get baseTable(): TableNode {
    return this;
  }
  /** `schema.name` or `name`: the key of this table in its MetaData. */
  get fullName(): string {
    return this.schema ? `${this.schema}.${this.name}` : this.name;
  }
  /** The primary key columns. */
  get primaryKeyColumns(): Column<unknown>[] {
    return this.primaryKey.columns.map((k) => this.column(k));
  }

  /** Finds a column by key or SQL name; throws naming the table and its columns when there is none. */
  column(keyOrName: string): Column<unknown> {
    const byKey = (this.c as Record<string, Column<unknown>>)[keyOrName];
    if (byKey) return byKey;
    const byName = this.columns.find((col) => col.name === keyOrName);
    if (byName) return byName;
    throw new ArgumentError(`table "${this.name}" has no column "${keyOrName}"; its columns are ${this.columns.map((c) => c.key).join(", ")}`);
  }

  columnSpecs(): readonly ColumnSpec[] {
    return this.columns.map((col) => ({ key: col.key, name: col.name, type: col.type }));
  }

  /** The table a foreign key refers to, found in this table's MetaData (null if it is not there yet). */
  referredTable(fk: ForeignKeyConstraint): TableObject | null {
    return this.metadata.tables.get(referredTableOf(fk.refColumns[0])) ?? null;
  }

  override foreignKeyLinks(): readonly ForeignKeyLink[] {
    const links: ForeignKeyLink[] = [];
    for (const fk of this.foreignKeys) {
      const target = this.referredTable(fk);
      if (!target) continue;
      links.push({ columns: fk.columns.map((k) => this.column(k)), referredTable: target, referredColumns: fk.refColumns.map(referredColumnOf) });
    }
    return links;
  }

  /**
   * `table AS name`.
   *
   * ```ts
   * const manager = employees.alias("manager");
   * ```
   */
  alias(name: string): Alias<TableColumns<C>> {
    return new Alias<TableColumns<C>>(this, name);
  }
}

// An Index() made of columns of one table, or of expressions over them (`func.lower(t.c.name)`), joins that table.
indexCreatedHook.onCreate = (index) => {
  const froms = collectFroms(index.elements.flatMap((e) => (typeof e === "string" ? [] : [e.node])));
  const table = froms.find((f) => f instanceof TableObject);
  if (table instanceof TableObject) table.addConstraint(index);
};

/** A Table with columns C. */
export type Table<C extends ColumnDefs = ColumnDefs> = TableObject<C>;

/** Both `Table(...)` and `new Table(...)` work. */
export interface TableFactory {
  new <const C extends ColumnDefs>(name: string, metadata: MetaData, columns: C, ...args: TableArg[]): TableObject<C>;
  <const C extends ColumnDefs>(name: string, metadata: MetaData, columns: C, ...args: TableArg[]): TableObject<C>;
}

/**
 * Declares a table in a MetaData. Column keys are the column names (use `name:` to differ).
 *
 * ```ts
 * const userTable = Table("user_account", metadata, {
 *   id: column(Integer, { primaryKey: true }),
 *   name: column(String(30)),
 *   fullname: column(String),
 * });
 * ```
 */
export const Table: TableFactory = function Table<C extends ColumnDefs>(name: string, metadata: MetaData, columns: C, ...args: TableArg[]) {
  return new TableObject(name, metadata, columns, ...args);
} as unknown as TableFactory;
(Table as unknown as { prototype: unknown }).prototype = TableObject.prototype;
