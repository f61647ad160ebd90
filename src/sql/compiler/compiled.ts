/**
 * A compiled statement: SQL text for one dialect plus the recipe to turn a statement's bound values (and the
 * execute() parameters) into the driver's positional parameters. Compiled once per statement shape and cached.
 */
import { ArgumentError } from "../../util/errors.js";
import { keepShape } from "../../util/keep-alive.js";
import type { BindNode } from "../ast/nodes.js";
import type { Column } from "../schema/column.js";
import type { SqlType } from "../types/sql-type.js";

/**
 * Converts a JS value to what the driver takes (or back).
 *
 * ```ts
 * const toInt: Processor = (v: boolean) => (v ? 1 : 0); // SQLite's Boolean bind processor
 * ```
 */
export type Processor = (value: any) => unknown;

/**
 * Where one placeholder's value comes from.
 *
 * ```ts
 * compiled.params.map((p) => p.key); // [null, "oldname"] for update(t).values({ x: 1 }).where(t.c.name.eq(bindparam("oldname")))
 * ```
 */
export interface ParamRef {
  /** Index into the statement's bind list (in cache-key traversal order), or -1 for column defaults. */
  readonly index: number;
  /** Named parameter: execute() parameters with this key override the bind's own value. */
  readonly key: string | null;
  /** Client-side INSERT default / UPDATE onupdate of a column, computed per execution. */
  readonly columnDefault: { readonly column: Column<unknown>; readonly onUpdate: boolean } | null;
  readonly process: Processor | null;
  /** IN list: one placeholder per element; `tuple` gives per-position processors for row values. */
  readonly expanding: boolean;
  readonly tuple: readonly (Processor | null)[] | null;
  /** Row-value IN list: the SQL type of each position (for a dialect that sends long lists as typed arrays). */
  readonly tupleTypes: readonly (SqlType<unknown> | null)[] | null;
  readonly type: SqlType<unknown>;
}

/** A result column of a compiled SELECT / RETURNING. */
export interface ResultColumn {
  readonly name: string | null;
  readonly type: SqlType<unknown>;
  readonly process: Processor | null;
}

/** How the engine should run a statement. */
export type StatementKind = "select" | "insert" | "update" | "delete" | "text" | "ddl";

/**
 * A compiled statement: SQL text for one dialect plus the recipe to bind its parameters and convert its rows.
 * Compiled once per statement shape and cached (`dialect.statementCache`).
 *
 * ```ts
 * const { compiled } = engine.dialect.statementCache.compile(select(users.c.id).node);
 * compiled.sql; // "SELECT user_account.id FROM user_account"
 * ```
 */
export interface CompiledStatement {
  /** Final SQL when no parameter expands (IN lists); otherwise built per execution from `parts`. */
  readonly sql: string;
  /** SQL between placeholders: `parts.length === params.length + 1`. */
  readonly parts: readonly string[];
  readonly params: readonly ParamRef[];
  readonly hasExpanding: boolean;
  readonly kind: StatementKind;
  /** Rows come back (SELECT, RETURNING, text that reads). */
  readonly returnsRows: boolean;
  readonly resultColumns: readonly ResultColumn[] | null;
  /**
   * A single-row INSERT: where each primary key value of the new row comes from — a position in the bound
   * parameters, -1 for the autoincrement value, null when the statement computes it in SQL.
   */
  readonly insertedKey: { readonly columns: readonly Column<unknown>[]; readonly positions: readonly (number | null)[] } | null;
  readonly dialectName: string;
  /** Per result column: read as an exact 64-bit integer; null when no column needs it. */
  readonly bigintColumns: readonly boolean[] | null;
  /** Result columns that need conversion: [column index, processor]. */
  readonly rowProcessors: readonly (readonly [number, Processor])[];
  /** When it was compiled (ms since epoch), for the echo log's "cached since". */
  readonly compiledAt: number;
}

/** Converts driver rows in place with the result processors of a compiled statement. */
export function processRows(rows: unknown[][], processors: readonly (readonly [number, Processor])[]): void {
  if (processors.length === 0) return;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let p = 0; p < processors.length; p++) {
      const [i, fn] = processors[p];
      const v = row[i];
      if (v !== null && v !== undefined) row[i] = fn(v);
    }
  }
}

/** Renders placeholders and IN lists for a dialect at execution. */
export interface PlaceholderStyle {
  placeholder(position: number): string;
  /** SQL for an IN list of `count` processed values starting at `position`, or null to use placeholders. */
  largeInList?(position: number, values: readonly unknown[], ref: ParamRef): { sql: string; params: unknown[] } | null;
  /** The same for a row-value IN list (`(a, b) IN (...)`), given the processed rows; null to use placeholders. */
  largeTupleInList?(position: number, rows: readonly (readonly unknown[])[], ref: ParamRef): { sql: string; params: unknown[] } | null;
  /** SQL for an empty IN list (a subquery that returns no rows). */
  readonly emptyInList: string;
  /** SQL for an empty IN list compared with values of `type`, where the database needs typed operands (else `emptyInList`). */
  emptyInListOf?(type: SqlType<unknown>): string;
  /** Largest number of parameters the database takes in one statement. */
  readonly maxParams: number;
}

/** The SQL text and positional parameters ready for the driver. */
export interface BoundStatement {
  readonly sql: string;
  readonly params: unknown[];
}

function valueFor(ref: ParamRef, binds: readonly BindNode[], params: Readonly<Record<string, unknown>> | undefined): unknown {
  if (ref.columnDefault) {
    const col = ref.columnDefault.column;
    return ref.columnDefault.onUpdate ? col.onUpdateValue() : col.defaultValue();
  }
  if (ref.key !== null && params && ref.key in params) return params[ref.key];
  const b = binds[ref.index];
  const value = b?.value;
  if (value === undefined) {
    if (ref.key !== null) {
      const given = params ? Object.keys(params) : [];
      throw new ArgumentError(
        `no value for the parameter :${ref.key}; pass it to execute() as { ${ref.key}: ... }${given.length ? ` (given: ${given.join(", ")})` : ""}`,
      );
    }
    throw new ArgumentError("a bound parameter has no value");
  }
  return value;
}

/** A bound statement (one object shape, kept alive for good: see util/keep-alive.ts). */
function bound(sql: string, params: unknown[]): BoundStatement {
  return { sql, params };
}
keepShape(bound("", []));

/**
 * Turns a compiled statement plus one statement's binds (and execute() parameters) into SQL and driver parameters.
 */
export function bindParams(
  compiled: CompiledStatement,
  binds: readonly BindNode[],
  params: Readonly<Record<string, unknown>> | undefined,
  style: PlaceholderStyle,
): BoundStatement {
  const refs = compiled.params;
  if (!compiled.hasExpanding) {
    const out = new Array<unknown>(refs.length);
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i];
      const v = valueFor(ref, binds, params);
      out[i] = v === null || ref.process === null ? v : ref.process(v);
    }
    return bound(compiled.sql, out);
  }
  const values = new Array<unknown>(refs.length);
  let lengths = "";
  let plain = true;
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i];
    const v = (values[i] = valueFor(ref, binds, params));
    if (!ref.expanding) continue;
    if (!Array.isArray(v))
      throw new ArgumentError(`the IN list parameter${ref.key === null ? "" : ` :${ref.key}`} needs an array of values, got ${JSON.stringify(v)}`);
    if (ref.tuple || v.length === 0 || (style.largeInList && v.length > style.maxParams / 4)) plain = false;
    lengths += `${v.length},`;
  }
  if (plain) return bindPlainLists(compiled, values, lengths, style);
  const out: unknown[] = [];
  let sql = compiled.parts[0];
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i];
    const v = values[i];
    if (ref.expanding) {
      sql += expandList(ref, v as readonly unknown[], out, style); // checked to be an array above
    } else {
      out.push(v === null || ref.process === null ? v : ref.process(v));
      sql += style.placeholder(out.length - 1);
    }
    sql += compiled.parts[i + 1];
  }
  return bound(sql, out);
}

/** SQL text per shape of IN-list lengths, so a repeated shape reuses one string (and the driver's prepared statement). */
const expandedSql = new WeakMap<CompiledStatement, Map<string, string>>();

/** Binds a statement whose IN lists are all plain (non-empty, short, not tuples): values flattened, SQL memoised. */
function bindPlainLists(compiled: CompiledStatement, values: readonly unknown[], lengths: string, style: PlaceholderStyle): BoundStatement {
  const refs = compiled.params;
  // Sized first: a selectin load's 5,000 keys would otherwise copy a growing array a dozen times.
  let size = 0;
  for (let i = 0; i < refs.length; i++) size += refs[i].expanding ? (values[i] as readonly unknown[]).length : 1;
  const out = new Array<unknown>(size);
  let n = 0;
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i];
    const v = values[i];
    const p = ref.process;
    if (ref.expanding) {
      const list = v as readonly unknown[];
      for (let j = 0; j < list.length; j++) {
        const x = list[j];
        out[n++] = x === null || p === null ? x : p(x);
      }
    } else out[n++] = v === null || p === null ? v : p(v);
  }
  let memo = expandedSql.get(compiled);
  if (memo === undefined) expandedSql.set(compiled, (memo = new Map()));
  let sql = memo.get(lengths);
  if (sql === undefined) {
    let n = 0;
    sql = compiled.parts[0];
    for (let i = 0; i < refs.length; i++) {
      if (refs[i].expanding) {
        const len = (values[i] as readonly unknown[]).length;
        sql += placeholderList(style, n, len);
        n += len;
      } else sql += style.placeholder(n++);
      sql += compiled.parts[i + 1];
    }
    if (memo.size < 64) memo.set(lengths, sql);
  }
  return bound(sql, out);
}

/**
 * True when the style's placeholders do not depend on their position (`?`, not `$1`): SQL repeating a group of them
 * can then be one `repeat()` of the group's text.
 *
 * ```ts
 * unnumbered(sqliteDialect); // true; false for PostgreSQL's $1, $2, ...
 * ```
 */
export function unnumbered(style: PlaceholderStyle): boolean {
  return style.placeholder(0) === style.placeholder(1);
}

/** `(?, ?, ...)` for `len` parameters from position `first`: one flat string where placeholders are not numbered. */
function placeholderList(style: PlaceholderStyle, first: number, len: number): string {
  const p = style.placeholder(first);
  if (len > 1 && unnumbered(style)) return `(${p}${`, ${p}`.repeat(len - 1)})`;
  let list = "(";
  for (let j = 0; j < len; j++) list += j === 0 ? style.placeholder(first + j) : `, ${style.placeholder(first + j)}`;
  return `${list})`;
}

/** Row-value IN lists longer than this go in through `largeTupleInList` where the dialect has it. */
const MAX_PLACEHOLDER_ROWS = 1000;

function expandList(ref: ParamRef, values: readonly unknown[], out: unknown[], style: PlaceholderStyle): string {
  if (values.length === 0) return (ref.tuple ? null : style.emptyInListOf?.(ref.type)) ?? style.emptyInList;
  if (ref.tuple) {
    const procs = ref.tuple;
    const processedRows = (values as readonly (readonly unknown[])[]).map((row, r) => {
      if (!Array.isArray(row) || row.length !== procs.length)
        throw new ArgumentError(`row ${r} of a ${procs.length}-column IN list must be an array of ${procs.length} values, got ${JSON.stringify(row)}`);
      return procs.map((p, j) => (row[j] === null || p === null ? row[j] : p(row[j])));
    });
    // Long lists go in as arrays/JSON where the dialect can: placeholders would pass the parameter limit, and
    // PostgreSQL expands a row-value IN list into nested ORs that exhaust its stack near 8,000 rows.
    if (style.largeTupleInList && (processedRows.length > MAX_PLACEHOLDER_ROWS || processedRows.length * procs.length > style.maxParams / 4)) {
      const large = style.largeTupleInList(out.length, processedRows, ref);
      if (large) {
        out.push(...large.params);
        return large.sql;
      }
    }
    const rows: string[] = [];
    for (const row of processedRows) {
      const ph: string[] = [];
      for (const v of row) {
        out.push(v);
        ph.push(style.placeholder(out.length - 1));
      }
      rows.push(`(${ph.join(", ")})`);
    }
    return `(${rows.join(", ")})`;
  }
  const processed = ref.process ? values.map((v) => (v === null ? v : (ref.process as Processor)(v))) : values;
  // Long lists (beyond a quarter of the parameter limit) go in as one array/JSON parameter where the dialect can.
  if (style.largeInList && processed.length > style.maxParams / 4) {
    const large = style.largeInList(out.length, processed, ref);
    if (large) {
      out.push(...large.params);
      return large.sql;
    }
  }
  let sql = "(";
  for (let j = 0; j < processed.length; j++) {
    out.push(processed[j]);
    sql += j === 0 ? style.placeholder(out.length - 1) : `, ${style.placeholder(out.length - 1)}`;
  }
  return `${sql})`;
}
