/**
 * SQLite introspection through the pragma table-valued functions, plus a small parser of the stored CREATE
 * statements for what the pragmas do not tell (constraint names, CHECK constraints, index expressions).
 */
import type { SqlType } from "../../sql/types/sql-type.js";
import * as T from "../../sql/types/standard.js";
import type {
  Introspector,
  QueryRunner,
  ReflectedCheck,
  ReflectedColumn,
  ReflectedForeignKey,
  ReflectedIndex,
  ReflectedPrimaryKey,
  ReflectedUnique,
} from "../base/introspector.js";

/** Maps a declared SQLite type back to a Crucible type. */
export function sqliteTypeFromDeclared(declared: string): SqlType<unknown> {
  const d = declared.trim().toUpperCase();
  const args = /\(([^)]*)\)/
    .exec(d)?.[1]
    ?.split(",")
    .map((s) => Number(s.trim()));
  const base = d.replace(/\(.*$/, "").trim();
  switch (base) {
    case "INTEGER":
    case "INT":
      return T.Integer as SqlType<unknown>;
    case "BIGINT":
      return T.BigInteger as SqlType<unknown>;
    case "SMALLINT":
      return T.SmallInteger as SqlType<unknown>;
    case "FLOAT":
      return T.Float as SqlType<unknown>;
    case "REAL":
    case "DOUBLE":
    case "DOUBLE PRECISION":
      return T.Double as SqlType<unknown>;
    case "NUMERIC":
    case "DECIMAL":
      return T.Numeric(args?.[0], args?.[1]) as SqlType<unknown>;
    case "BOOLEAN":
      return T.Boolean as SqlType<unknown>;
    case "VARCHAR":
    case "NVARCHAR":
    case "CHARACTER VARYING":
      return T.String(args?.[0]) as SqlType<unknown>;
    case "CHAR":
    case "NCHAR":
      return args?.[0] === 36 ? (T.Uuid as SqlType<unknown>) : (T.String(args?.[0]) as SqlType<unknown>);
    case "TEXT":
    case "CLOB":
      return T.Text as SqlType<unknown>;
    case "DATE":
      return T.Date as SqlType<unknown>;
    case "DATETIME":
    case "TIMESTAMP":
      return T.DateTime() as SqlType<unknown>;
    case "TIME":
      return T.Time as SqlType<unknown>;
    case "BLOB":
    case "":
      return T.LargeBinary as SqlType<unknown>;
    case "JSON":
      return T.JSON() as SqlType<unknown>;
    default:
      return T.Text as SqlType<unknown>;
  }
}

const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** Splits the body of `CREATE TABLE x ( ... )` into its top-level comma-separated items. */
export function tableItems(createSql: string): string[] {
  const start = createSql.indexOf("(");
  const items: string[] = [];
  let depth = 0;
  let cur = "";
  let quote: string | null = null;
  for (let i = start + 1; i < createSql.length; i++) {
    const ch = createSql[i];
    if (quote) {
      cur += ch;
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === "`" || ch === "[") {
      quote = ch === "[" ? "]" : ch;
      cur += ch;
    } else if (ch === "(") {
      depth++;
      cur += ch;
    } else if (ch === ")") {
      if (depth === 0) {
        items.push(cur.trim());
        break;
      }
      depth--;
      cur += ch;
    } else if (ch === "," && depth === 0) {
      items.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  return items.filter((s) => s.length > 0);
}

const IDENT = `(?:"((?:[^"]|"")+)"|\`([^\`]+)\`|\\[([^\\]]+)\\]|([A-Za-z_][A-Za-z0-9_$]*))`;
function identOf(m: RegExpExecArray, from: number): string {
  const v = m[from] ?? m[from + 1] ?? m[from + 2] ?? m[from + 3];
  return m[from] !== undefined ? v.replace(/""/g, '"') : v;
}
const unquote = (s: string) =>
  s
    .trim()
    .replace(/^["`[](.*)["`\]]$/, "$1")
    .replace(/""/g, '"');

/** The text between the parentheses that start at `open`. */
function parenthesized(s: string, open: number): string {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === "(") depth++;
    else if (s[i] === ")" && --depth === 0) return s.slice(open + 1, i);
  }
  return s.slice(open + 1);
}

export class SqliteIntrospector implements Introspector {
  private async tableSql(q: QueryRunner, table: string): Promise<string> {
    const rows = await q("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]);
    return String(rows[0]?.[0] ?? "");
  }

  async getTableNames(q: QueryRunner): Promise<string[]> {
    const rows = await q("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
    return rows.map((r) => String(r[0]));
  }

  async hasTable(q: QueryRunner, table: string): Promise<boolean> {
    const rows = await q("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]);
    return rows.length > 0;
  }

  async getColumns(q: QueryRunner, table: string): Promise<ReflectedColumn[]> {
    const rows = await q('SELECT name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid', [table]);
    const pkCount = rows.filter((r) => Number(r[4]) > 0).length;
    return rows
      .filter((r) => Number(r[5]) === 0)
      .map((r) => {
        const rawType = String(r[1] ?? "");
        const isPk = Number(r[4]) > 0;
        return {
          name: String(r[0]),
          type: sqliteTypeFromDeclared(rawType),
          rawType,
          nullable: Number(r[2]) === 0 && !isPk,
          default: reflectedDefault(str(r[3])),
          autoincrement: isPk && pkCount === 1 && rawType.toUpperCase() === "INTEGER",
          comment: null,
        };
      });
  }

  async getPrimaryKey(q: QueryRunner, table: string): Promise<ReflectedPrimaryKey> {
    const rows = await q("SELECT name, pk FROM pragma_table_xinfo(?) WHERE pk > 0 ORDER BY pk", [table]);
    const sql = await this.tableSql(q, table);
    const m = new RegExp(`CONSTRAINT\\s+${IDENT}\\s+PRIMARY\\s+KEY`, "i").exec(sql);
    return { name: m ? identOf(m, 1) : null, columns: rows.map((r) => String(r[0])) };
  }

  async getForeignKeys(q: QueryRunner, table: string): Promise<ReflectedForeignKey[]> {
    const rows = await q('SELECT id, seq, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq', [table]);
    const byId = new Map<number, { cols: string[]; refCols: string[]; table: string; onUpdate: string; onDelete: string }>();
    for (const r of rows) {
      const id = Number(r[0]);
      let fk = byId.get(id);
      if (!fk) byId.set(id, (fk = { cols: [], refCols: [], table: String(r[2]), onUpdate: String(r[5]), onDelete: String(r[6]) }));
      fk.cols.push(String(r[3]));
      fk.refCols.push(r[4] === null ? "" : String(r[4]));
    }
    const named = this.namedConstraints(await this.tableSql(q, table), "FOREIGN\\s+KEY");
    // pragma_foreign_key_list lists constraints in reverse order of declaration.
    return [...byId.values()].reverse().map((fk) => {
      const name = named.find((n) => sameColumns(columnsOfFk(n.body), fk.cols))?.name ?? null;
      return {
        name,
        columns: fk.cols,
        referredSchema: null,
        referredTable: fk.table,
        referredColumns: fk.refCols,
        onDelete: fk.onDelete === "NO ACTION" ? null : fk.onDelete,
        onUpdate: fk.onUpdate === "NO ACTION" ? null : fk.onUpdate,
      };
    });
  }

  /** `CONSTRAINT name <kind> ...` items of the CREATE TABLE statement. */
  private namedConstraints(sql: string, kind: string): { name: string; body: string }[] {
    const out: { name: string; body: string }[] = [];
    for (const item of tableItems(sql)) {
      const m = new RegExp(`^CONSTRAINT\\s+${IDENT}\\s+(${kind})`, "i").exec(item);
      if (m) out.push({ name: identOf(m, 1), body: item.slice(m[0].length - m[5].length) });
    }
    return out;
  }

  async getIndexes(q: QueryRunner, table: string): Promise<ReflectedIndex[]> {
    const list = await q('SELECT name, "unique", origin, partial FROM pragma_index_list(?) ORDER BY seq', [table]);
    const out: ReflectedIndex[] = [];
    for (const r of list) {
      if (r[2] !== "c") continue;
      const name = String(r[0]);
      const cols = await q("SELECT name FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno", [name]);
      const sqlRows = await q("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", [name]);
      const sql = String(sqlRows[0]?.[0] ?? "");
      const open = sql.indexOf("(", sql.search(/\bON\b/i));
      const body = open >= 0 ? parenthesized(sql, open) : "";
      const elements = tableItems(`(${body})`);
      const where = /\)\s*WHERE\s+([\s\S]+)$/i.exec(sql)?.[1]?.trim() ?? null;
      out.push({
        name,
        columns: cols.map((c) => (c[0] === null ? null : String(c[0]))),
        expressions: cols.map((c, i) => (c[0] === null ? stripParens(elements[i] ?? null) : null)),
        unique: Number(r[1]) === 1,
        where,
      });
    }
    return out;
  }

  async getUniqueConstraints(q: QueryRunner, table: string): Promise<ReflectedUnique[]> {
    const list = await q("SELECT name FROM pragma_index_list(?) WHERE origin = 'u' ORDER BY seq", [table]);
    const named = this.namedConstraints(await this.tableSql(q, table), "UNIQUE");
    const out: ReflectedUnique[] = [];
    for (const r of list.reverse()) {
      const cols = (await q("SELECT name FROM pragma_index_info(?) ORDER BY seqno", [String(r[0])])).map((c) => String(c[0]));
      const name = named.find((n) => sameColumns(parenthesized(n.body, n.body.indexOf("(")).split(",").map(unquote), cols))?.name ?? null;
      out.push({ name, columns: cols });
    }
    return out;
  }

  async getCheckConstraints(q: QueryRunner, table: string): Promise<ReflectedCheck[]> {
    const out: ReflectedCheck[] = [];
    for (const item of tableItems(await this.tableSql(q, table))) {
      const m = new RegExp(`^(?:CONSTRAINT\\s+${IDENT}\\s+)?CHECK\\s*\\(`, "i").exec(item);
      if (!m) continue;
      out.push({ name: m[1] || m[2] || m[3] || m[4] ? identOf(m, 1) : null, sqltext: parenthesized(item, m[0].length - 1).trim() });
    }
    return out;
  }

  async getTableComment(): Promise<string | null> {
    return null;
  }
}

/** `(lower(x))` → `lower(x)`: the DDL compiler adds the parentheses around an index expression again. */
function stripParens(expr: string | null): string | null {
  if (expr === null) return null;
  const e = expr.trim();
  return e.startsWith("(") && parenthesized(e, 0).length === e.length - 2 ? parenthesized(e, 0).trim() : e;
}

/**
 * SQLite reports a default as written but without the parentheses its grammar needs around expressions
 * (`DEFAULT (abs(-1))` reads back as `abs(-1)`); put them back so the default can be used in DDL again.
 */
function reflectedDefault(d: string | null): string | null {
  if (d === null) return null;
  const literal = /^(?:[-+]?\d+(?:\.\d*)?(?:e[-+]?\d+)?|'(?:[^']|'')*'|x'[0-9a-f]*'|null|true|false|current_timestamp|current_date|current_time|\(.*\))$/is;
  return literal.test(d.trim()) ? d : `(${d})`;
}

function columnsOfFk(body: string): string[] {
  return parenthesized(body, body.indexOf("(")).split(",").map(unquote);
}
function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
