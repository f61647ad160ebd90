/**
 * `text()`: trusted SQL written by the user, with `:name` bound parameters.
 */
import { ArgumentError } from "../../util/errors.js";
import type { SqlType } from "../types/sql-type.js";
import { inferType, NullType } from "../types/standard.js";
import { ColumnElement } from "./expression.js";
import type { BindNode, TextNode } from "./nodes.js";

/** Result column types declared with `text(...).columns({...})`. */
export type TextColumns = { readonly [name: string]: SqlType<unknown> };

type ColumnsRow<C extends TextColumns> = { -readonly [K in keyof C]: C[K] extends SqlType<infer T> ? T : never };

/**
 * A piece of SQL text. Only `:name` placeholders become parameters; everything else is sent as written, so never
 * build the text from user input. `\:` is a literal colon; `::` (PostgreSQL casts) is left alone.
 *
 * ```ts
 * await conn.execute(text("SELECT x, y FROM some_table WHERE y > :y"), { y: 2 });
 * const t = text("SELECT id, name FROM user_account").columns({ id: Integer, name: String });
 * ```
 */
export class TextClause<Row = Record<string, unknown>> extends ColumnElement<unknown> {
  declare readonly node: TextNode;
  /** Rows of a text() statement are tuples of unknown length; their named fields are `Row`. */
  declare readonly __row?: unknown[];
  declare readonly __names?: Row;
  constructor(node: TextNode) {
    super(node, NullType as SqlType<unknown>);
  }
  /** Result column types declared with `columns()`, or null. */
  get resultTypes(): TextColumns | null {
    const columns = this.node.columns;
    return columns ? Object.fromEntries(columns.map((c) => [c.name, c.type])) : null;
  }
  /**
   * Gives values (and optionally types) to named parameters now, instead of at execute().
   *
   * ```ts
   * text("SELECT * FROM t WHERE id = :id").bindParams({ id: 5 })
   * ```
   */
  bindParams(values: Record<string, unknown>, types: Record<string, SqlType<unknown>> = {}): TextClause<Row> {
    for (const k of Object.keys(values))
      if (!this.node.binds.some((b) => b.key === k))
        throw new ArgumentError(
          `text().bindParams(): no parameter :${k} in ${JSON.stringify(this.node.parts.join("?"))}; its parameters are ${[...new Set(this.node.binds.map((b) => `:${b.key}`))].join(", ") || "none"}`,
        );
    const binds = this.node.binds.map((b): BindNode => {
      if (!(b.key! in values)) return b;
      const value = values[b.key!];
      return Object.freeze({ ...b, value, type: types[b.key!] ?? inferType(value) });
    });
    return new TextClause<Row>(Object.freeze({ ...this.node, binds }));
  }
  /**
   * Declares the result columns and their types, so rows are typed and values converted (booleans, dates, ...).
   *
   * ```ts
   * text("SELECT id, created FROM t").columns({ id: Integer, created: DateTime() })
   * ```
   */
  columns<const C extends TextColumns>(types: C): TextClause<ColumnsRow<C>> {
    const columns = Object.entries(types).map(([name, type]) => Object.freeze({ name, type }));
    return new TextClause<ColumnsRow<C>>(Object.freeze({ ...this.node, columns }));
  }
}

/** Parses `:name` parameters out of SQL text. Quoted strings and identifiers are skipped. */
export function parseText(sql: string): TextNode {
  const parts: string[] = [];
  const binds: BindNode[] = [];
  let current = "";
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === "'" || ch === '"' || ch === "`") {
      const end = findQuoteEnd(sql, i, ch);
      current += sql.slice(i, end);
      i = end;
    } else if (ch === "\\" && sql[i + 1] === ":") {
      current += ":";
      i += 2;
    } else if (ch === ":" && sql[i + 1] === ":") {
      current += "::";
      i += 2;
    } else if (ch === ":" && /[A-Za-z_]/.test(sql[i + 1] ?? "") && !/[\w:]/.test(sql[i - 1] ?? "")) {
      let j = i + 1;
      while (j < sql.length && /\w/.test(sql[j])) j++;
      parts.push(current);
      current = "";
      binds.push(Object.freeze({ kind: "bind", value: undefined, type: NullType as SqlType<unknown>, key: sql.slice(i + 1, j), expanding: false }));
      i = j;
    } else {
      current += ch;
      i++;
    }
  }
  parts.push(current);
  return Object.freeze({ kind: "text", parts, binds });
}

function findQuoteEnd(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

/**
 * Trusted SQL text with `:name` parameters (see TextClause).
 *
 * ```ts
 * await conn.execute(text("INSERT INTO some_table (x, y) VALUES (:x, :y)"), [{ x: 1, y: 1 }, { x: 2, y: 4 }]);
 * ```
 */
export function text(sql: string): TextClause {
  if (typeof sql !== "string") throw new ArgumentError(`text() takes a SQL string, got ${typeof sql}`);
  return new TextClause(parseText(sql));
}

/**
 * A column given as SQL text, e.g. `literalColumn("count(*)")` (trusted text, like text()).
 *
 * ```ts
 * select(literalColumn("1").label("one"))
 * ```
 */
export function literalColumn<T = unknown>(sql: string, type: SqlType<T> = NullType as unknown as SqlType<T>): ColumnElement<T> {
  return new ColumnElement<T>(parseText(sql), type);
}
