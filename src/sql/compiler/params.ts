/**
 * Parameters of a statement being compiled. The compiler writes a marker per parameter while visiting and numbers
 * the placeholders in textual order at the end, so a dialect may render clauses in any order (CTEs are hoisted, MySQL
 * puts LIMIT where it wants) without breaking `$n` numbering.
 */
import type { Column } from "../schema/column.js";
import type { SqlType } from "../types/sql-type.js";
import type { ParamRef } from "./compiled.js";
import type { CompilerDialect } from "./compiler-dialect.js";

const MARK_OPEN = "\u0000";
const MARK_CLOSE = "\u0001";
// biome-ignore lint/suspicious/noControlCharactersInRegex: the markers are control characters on purpose (they cannot appear in SQL we write)
const MARKER = /\u0000(\d+)\u0001/g;

/** The marker standing for parameter number `index` (of the compiler's list) in SQL being written. */
export function paramMarker(index: number): string {
  return `${MARK_OPEN}${index}${MARK_CLOSE}`;
}

/** The parameter number of SQL that is exactly one marker (a bound value), else null. */
export function markerIndex(sql: string): number | null {
  if (sql.length < 3 || sql[0] !== MARK_OPEN || sql[sql.length - 1] !== MARK_CLOSE) return null;
  const n = Number(sql.slice(1, -1));
  return Number.isInteger(n) ? n : null;
}

/** Splits SQL at its markers: the text between placeholders, and the parameters in the order they appear. */
export function splitAtMarkers(body: string, refs: readonly ParamRef[]): { parts: string[]; params: ParamRef[] } {
  const parts: string[] = [];
  const params: ParamRef[] = [];
  let last = 0;
  for (const m of body.matchAll(MARKER)) {
    parts.push(body.slice(last, m.index));
    params.push(refs[Number(m[1])]);
    last = (m.index as number) + m[0].length;
  }
  parts.push(body.slice(last));
  return { parts, params };
}

/** The parameter for a column's client-side default (or onUpdate) value, computed per execution. */
export function defaultParam(column: Column<unknown>, onUpdate: boolean, dialect: CompilerDialect): ParamRef {
  // A client-side default is a value of the column's type: it goes through the same bind processing as given values.
  const type = column.type as SqlType<unknown>;
  return {
    index: -1,
    key: null,
    columnDefault: { column, onUpdate },
    process: dialect.typeImpl(type).bind,
    expanding: false,
    tuple: null,
    tupleTypes: null,
    type,
  };
}
