/**
 * MetaData: the collection of Tables of an application, with naming conventions and createAll/dropAll.
 */
import { ArgumentError } from "../../util/errors.js";
import { topoSort } from "../../util/topo-sort.js";
import type { Index, TableConstraint } from "./constraints.js";
import { referredColumnOf } from "./constraints.js";
import type { TableObject } from "./table.js";

/**
 * Templates for constraint and index names, as in SQLAlchemy: keys `ix`, `uq`, `ck`, `fk`, `pk`; tokens
 * `%(table_name)s`, `%(column_0_name)s`, `%(column_0_label)s`, `%(column_0N_name)s`, `%(column_0_N_name)s`,
 * `%(referred_table_name)s`, `%(referred_column_0_name)s`, `%(constraint_name)s`.
 *
 * ```ts
 * const metadata = new MetaData({
 *   namingConvention: { uq: "uq_%(table_name)s_%(column_0_name)s", fk: "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s" },
 * });
 * ```
 */
export type NamingConvention = Partial<Record<"ix" | "uq" | "ck" | "fk" | "pk", string>>;

/** The default convention: indexes are named `ix_<table>_<column>`; other constraints are named by the database. */
export const DEFAULT_NAMING_CONVENTION: NamingConvention = { ix: "ix_%(column_0_label)s" };

/** Options of createAll / dropAll. */
export interface CreateDropOptions {
  /** Skip tables that already exist (createAll) or do not exist (dropAll). Default true. */
  readonly checkFirst?: boolean;
  /** Only these tables (by name). */
  readonly tables?: readonly string[];
}

/** Options of reflect(). */
export interface ReflectOptions {
  /** Only these tables (default: all tables of the schema). */
  readonly only?: readonly string[];
  readonly schema?: string;
}

/** What createAll/dropAll/reflect run against: an Engine (implemented in the engine layer). */
export interface SchemaRunner {
  createTables(metadata: MetaData, tables: readonly TableObject[], checkFirst: boolean): Promise<void>;
  dropTables(metadata: MetaData, tables: readonly TableObject[], checkFirst: boolean): Promise<void>;
  reflectTables(metadata: MetaData, options: ReflectOptions): Promise<TableObject[]>;
}

/**
 * A collection of tables.
 *
 * ```ts
 * const metadata = new MetaData({ namingConvention: { fk: "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s" } });
 * await metadata.createAll(engine);
 * ```
 */
export class MetaData {
  readonly tables = new Map<string, TableObject>();
  readonly namingConvention: NamingConvention;
  readonly schema: string | null;
  constructor(options: { namingConvention?: NamingConvention; schema?: string } = {}) {
    this.namingConvention = { ...DEFAULT_NAMING_CONVENTION, ...options.namingConvention };
    this.schema = options.schema ?? null;
  }

  /** @internal called by Table's constructor. */
  _register(table: TableObject): void {
    const key = table.fullName;
    if (this.tables.has(key))
      throw new ArgumentError(`table "${key}" is already defined in this MetaData; use a different name or remove the first definition`);
    this.tables.set(key, table);
  }

  /** Removes a table (used by reflection and migrations). */
  remove(table: TableObject): void {
    this.tables.delete(table.fullName);
  }

  /** Tables ordered so each comes after the tables its foreign keys refer to (self-references ignored). */
  get sortedTables(): TableObject[] {
    const all = [...this.tables.values()];
    const { sorted, cyclic } = topoSort(all, (t) => t.foreignKeys.map((fk) => t.referredTable(fk)).filter((x): x is TableObject => x !== null));
    return [...sorted, ...cyclic];
  }

  /**
   * Creates every table (and index) that does not exist yet, parents before children.
   *
   * ```ts
   * await Base.metadata.createAll(engine);
   * ```
   */
  async createAll(runner: SchemaRunner, options: CreateDropOptions = {}): Promise<void> {
    await runner.createTables(this, this.pick(options.tables), options.checkFirst ?? true);
  }

  /**
   * Drops every table that exists, children before parents.
   *
   * ```ts
   * await metadata.dropAll(engine);
   * ```
   */
  async dropAll(runner: SchemaRunner, options: CreateDropOptions = {}): Promise<void> {
    await runner.dropTables(this, this.pick(options.tables).reverse(), options.checkFirst ?? true);
  }

  /**
   * Reads tables from the database into this MetaData (columns, keys, constraints, indexes).
   *
   * ```ts
   * const metadata = new MetaData();
   * await metadata.reflect(engine, { only: ["user_account"] });
   * ```
   */
  async reflect(runner: SchemaRunner, options: ReflectOptions = {}): Promise<TableObject[]> {
    return runner.reflectTables(this, options);
  }

  private pick(names: readonly string[] | undefined): TableObject[] {
    const sorted = this.sortedTables;
    if (!names) return sorted;
    for (const n of names) if (!this.tables.has(n)) throw new ArgumentError(`no table "${n}" in this MetaData; it has ${[...this.tables.keys()].join(", ")}`);
    return sorted.filter((t) => names.includes(t.fullName));
  }

  /** The name a constraint or index gets: its own, else from the naming convention, else undefined (database's choice). */
  constraintName(table: TableObject, con: TableConstraint | Index): string | undefined {
    const key = CONVENTION_KEY[con.kind];
    const template = this.namingConvention[key];
    if (!template) return con.name;
    if (con.name !== undefined && !template.includes("%(constraint_name)s")) return con.name;
    if (con.name === undefined && template.includes("%(constraint_name)s")) return undefined;
    const columns = conColumns(table, con);
    const refCols = con.kind === "foreign-key-constraint" ? con.refColumns.map(referredColumnOf) : [];
    const referred = con.kind === "foreign-key-constraint" ? (table.referredTable(con)?.name ?? con.refColumns[0].split(".").slice(-2)[0]) : "";
    const tokens: Record<string, string> = {
      table_name: table.name,
      constraint_name: con.name ?? "",
      column_0_name: columns[0] ?? "",
      column_0_label: `${table.name}_${columns[0] ?? ""}`,
      column_0N_name: columns.join(""),
      column_0_N_name: columns.join("_"),
      column_0N_label: columns.map((c) => `${table.name}_${c}`).join(""),
      column_0_N_label: columns.map((c) => `${table.name}_${c}`).join("_"),
      referred_table_name: referred,
      referred_column_0_name: refCols[0] ?? "",
      referred_column_0N_name: refCols.join(""),
      referred_column_0_N_name: refCols.join("_"),
    };
    return template.replace(/%\((\w+)\)s/g, (m, token: string) => {
      if (!(token in tokens)) throw new ArgumentError(`naming convention ${key}: unknown token ${m}; known tokens are ${Object.keys(tokens).join(", ")}`);
      return tokens[token];
    });
  }
}

const CONVENTION_KEY = {
  index: "ix",
  "unique-constraint": "uq",
  "check-constraint": "ck",
  "foreign-key-constraint": "fk",
  "primary-key-constraint": "pk",
} as const;

function conColumns(table: TableObject, con: TableConstraint | Index): string[] {
  switch (con.kind) {
    case "check-constraint":
      return [];
    case "index":
      return con.elements.map((e) => (typeof e === "string" ? table.column(e).name : e.node.kind === "column" ? e.node.name : "expr"));
    default:
      return con.columns.map((k) => table.column(k).name);
  }
}
