/**
 * Upsert builders shared by the dialects that have them: `ON CONFLICT` (PostgreSQL, SQLite) and
 * `ON DUPLICATE KEY UPDATE` (MySQL). Import `insert` from `crucible/sqlite`, `crucible/postgresql` or `crucible/mysql`.
 */
import { excludedColumns, Insert, setList, type UpdateValues } from "../../sql/ast/dml.js";
import type { Condition } from "../../sql/ast/select.js";
import type { ColumnDefs } from "../../sql/schema/table.js";
import { ArgumentError } from "../../util/errors.js";

/**
 * The conflict target: columns (keys) of a unique index, optionally partial, or a constraint name (PostgreSQL).
 *
 * ```ts
 * stmt.onConflictDoNothing({ indexElements: ["email"] });
 * stmt.onConflictDoNothing({ constraint: "users_email_key" }); // PostgreSQL only
 * ```
 */
export interface ConflictTarget<C extends ColumnDefs = ColumnDefs> {
  readonly indexElements?: readonly (keyof C & string)[];
  readonly indexWhere?: Condition;
  readonly constraint?: string;
}

/**
 * INSERT with `ON CONFLICT ... DO NOTHING | DO UPDATE`.
 *
 * ```ts
 * import { insert } from "crucible/sqlite";
 * const stmt = insert(users).values({ id: 1, name: "x" });
 * await conn.execute(stmt.onConflictDoUpdate({ indexElements: ["id"], set: { name: stmt.excluded.name } }));
 * ```
 */
export class OnConflictInsert<C extends ColumnDefs = ColumnDefs, T extends readonly unknown[] = [], N = {}> extends Insert<C, T, N> {
  /** The row proposed for insertion (`excluded.col`). */
  get excluded(): ReturnType<typeof excludedColumns<C>> {
    return excludedColumns(this.table);
  }
  private target(t: ConflictTarget<C>) {
    return {
      target: (t.indexElements ?? []).map((k) => this.table.column(k).node),
      constraint: t.constraint ?? null,
      targetWhere: t.indexWhere?.node ?? null,
    };
  }
  onConflictDoNothing(target: ConflictTarget<C> = {}): this {
    return this.withOnConflict(Object.freeze({ kind: "on-conflict", ...this.target(target), set: null, where: null, style: "on-conflict" }));
  }
  onConflictDoUpdate(options: ConflictTarget<C> & { set: UpdateValues<C>; where?: Condition }): this {
    if (!options.indexElements?.length && !options.constraint)
      throw new ArgumentError("onConflictDoUpdate() needs indexElements (the unique columns) or a constraint name");
    const set = setList(this.table, options.set as Record<string, unknown>);
    if (set.length === 0) throw new ArgumentError("onConflictDoUpdate() needs at least one column in set");
    return this.withOnConflict(Object.freeze({ kind: "on-conflict", ...this.target(options), set, where: options.where?.node ?? null, style: "on-conflict" }));
  }
}

/**
 * INSERT with `ON DUPLICATE KEY UPDATE` (MySQL/MariaDB).
 *
 * ```ts
 * import { insert } from "crucible/mysql";
 * const stmt = insert(users).values({ id: 1, name: "x" });
 * await conn.execute(stmt.onDuplicateKeyUpdate({ name: stmt.inserted.name }));
 * ```
 */
export class DuplicateKeyInsert<C extends ColumnDefs = ColumnDefs, T extends readonly unknown[] = [], N = {}> extends Insert<C, T, N> {
  /** The row proposed for insertion (`VALUES(col)`). */
  get inserted(): ReturnType<typeof excludedColumns<C>> {
    return excludedColumns(this.table);
  }
  onDuplicateKeyUpdate(set: UpdateValues<C>): this {
    const list = setList(this.table, set as Record<string, unknown>);
    if (list.length === 0) throw new ArgumentError("onDuplicateKeyUpdate() needs at least one column");
    return this.withOnConflict(
      Object.freeze({ kind: "on-conflict", target: [], constraint: null, targetWhere: null, set: list, where: null, style: "duplicate-key" }),
    );
  }
}
