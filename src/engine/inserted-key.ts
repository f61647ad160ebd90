/**
 * `result.insertedPrimaryKey`: the primary key of the row a single-row INSERT made, as SQLAlchemy's
 * `inserted_primary_key` gives it — values the statement gave, and the key the database generated.
 */
import type { Dialect } from "../dialects/base/dialect.js";
import type { DriverResult } from "../dialects/base/driver.js";
import type { CompiledStatement } from "../sql/compiler/compiled.js";
import type { Column } from "../sql/schema/column.js";
import type { SqlType } from "../sql/types/sql-type.js";

/** The new row's primary key, in key order (null where SQL computed a value), or null when no row was inserted. */
export function insertedKeyOf(dialect: Dialect, compiled: CompiledStatement, raw: DriverResult, params: readonly unknown[]): unknown[] | null {
  const key = compiled.insertedKey;
  if (key === null || raw.rowsAffected === 0) return null;
  const out = new Array<unknown>(key.columns.length);
  for (let i = 0; i < out.length; i++) {
    const pos = key.positions[i];
    const col = key.columns[i];
    if (pos === -1) out[i] = autoincrementValue(compiled, raw, col);
    else if (pos === null) out[i] = null;
    else {
      // The bound value, converted back as the column's values are read (what the database holds).
      const v = params[pos];
      const toJs = dialect.typeImpl(col.type as SqlType<unknown>).result;
      out[i] = v === null || v === undefined || toJs === null ? (v ?? null) : toJs(v);
    }
  }
  return out;
}

/** The autoincrement key of an INSERT: from RETURNING where the statement has it, else the driver's last insert id. */
function autoincrementValue(compiled: CompiledStatement, raw: DriverResult, col: Column<unknown>): unknown {
  if (raw.rows.length === 1 && compiled.resultColumns) {
    const i = compiled.resultColumns.findIndex((c) => c.name === col.name);
    if (i >= 0) return raw.rows[0][i];
  }
  if (raw.lastInsertId === null || raw.lastInsertId === undefined) return null;
  return col.type.kind === "biginteger" ? BigInt(raw.lastInsertId) : Number(raw.lastInsertId);
}
