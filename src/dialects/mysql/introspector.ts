/**
 * MySQL/MariaDB introspection through `information_schema`. A schema is a database; `null` means the current one
 * (`DATABASE()`). Where MySQL and MariaDB differ (how COLUMN_DEFAULT is written, where CHECK constraints are
 * listed) the server read at connection time decides.
 *
 * Unique indexes and UNIQUE constraints are the same thing in MySQL: they are reported by getUniqueConstraints and
 * left out of getIndexes, as are PRIMARY and the indexes MySQL creates by itself for foreign keys.
 */
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
import { mysqlTypeFromColumnType } from "./reflected-types.js";
import { featuresOf, type MysqlServerInfo } from "./server-info.js";

/** A value from information_schema as text (some servers return binary strings). */
const str = (v: unknown): string => (v instanceof Uint8Array ? Buffer.from(v).toString("utf8") : String(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : str(v));

const SCHEMA = "COALESCE(?, DATABASE())";

const NUMERIC_TYPES = /^(tinyint|smallint|mediumint|int|integer|bigint|decimal|numeric|float|double|real|bit|year)\b/i;

/**
 * `(x > 0)` → `x > 0` when the outer parentheses enclose everything.
 *
 * ```ts
 * stripOuterParens("((`n` > 0))"); // "`n` > 0"
 * ```
 */
export function stripOuterParens(sql: string): string {
  let s = sql.trim();
  while (s.startsWith("(") && s.endsWith(")")) {
    let depth = 0;
    let enclosesAll = true;
    for (let i = 0; i < s.length; i++) {
      if (s[i] === "(") depth++;
      else if (s[i] === ")" && --depth === 0 && i < s.length - 1) {
        enclosesAll = false;
        break;
      }
    }
    if (!enclosesAll) break;
    s = s.slice(1, -1).trim();
  }
  return s;
}

/**
 * A column default as SQL text. MariaDB (≥ 10.2.7) already writes SQL (`'abc'`, `1.50`, `current_timestamp(6)`)
 * and `NULL` for "no default"; MySQL writes literals bare and marks expressions with EXTRA `DEFAULT_GENERATED`.
 *
 * ```ts
 * defaultSql("it's", "varchar(10)", "", parseServerVersion("8.0.36")); // "'it''s'"
 * ```
 */
export function defaultSql(raw: string | null, columnType: string, extra: string, server: MysqlServerInfo): string | null {
  if (raw === null) return null;
  if (server.flavor === "mariadb") return raw === "NULL" ? null : raw;
  if (/DEFAULT_GENERATED/i.test(extra)) return /^current_timestamp(\(\d*\))?$/i.test(raw) || /^\(.*\)$/.test(raw) ? raw : `(${raw})`;
  if (NUMERIC_TYPES.test(columnType)) return raw;
  return `'${raw.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

/**
 * Reads tables, columns, keys, indexes and constraints from information_schema.
 *
 * ```ts
 * const columns = await new MysqlIntrospector(() => dialect.server).getColumns(q, "user_account");
 * ```
 */
export class MysqlIntrospector implements Introspector {
  constructor(private readonly server: () => MysqlServerInfo) {}

  async getTableNames(q: QueryRunner, schema: string | null = null): Promise<string[]> {
    const rows = await q(`SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${SCHEMA} AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`, [
      schema,
    ]);
    return rows.map((r) => str(r[0]));
  }

  async hasTable(q: QueryRunner, table: string, schema: string | null = null): Promise<boolean> {
    const rows = await q(`SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${SCHEMA} AND TABLE_NAME = ?`, [schema, table]);
    return rows.length > 0;
  }

  /** The table's CHECK constraints as (name, clause) rows: MariaDB lists them with their table, MySQL only by name. */
  private checkRows(q: QueryRunner, table: string, schema: string | null): Promise<unknown[][]> {
    if (this.server().flavor === "mariadb")
      return q(
        `SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ${SCHEMA} AND TABLE_NAME = ? ORDER BY CONSTRAINT_NAME`,
        [schema, table],
      );
    return q(
      `SELECT cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE FROM information_schema.TABLE_CONSTRAINTS tc
       JOIN information_schema.CHECK_CONSTRAINTS cc ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
       WHERE tc.TABLE_SCHEMA = ${SCHEMA} AND tc.TABLE_NAME = ? AND tc.CONSTRAINT_TYPE = 'CHECK' ORDER BY cc.CONSTRAINT_NAME`,
      [schema, table],
    );
  }

  /** Columns with a `json_valid(col)` check: MariaDB's JSON columns (LONGTEXT underneath). */
  private async jsonCheckedColumns(q: QueryRunner, table: string, schema: string | null): Promise<Set<string>> {
    if (this.server().flavor !== "mariadb") return new Set();
    const rows = await this.checkRows(q, table, schema);
    const out = new Set<string>();
    for (const r of rows) if (isJsonValidCheck(str(r[0]), str(r[1]))) out.add(str(r[0]));
    return out;
  }

  async getColumns(q: QueryRunner, table: string, schema: string | null = null): Promise<ReflectedColumn[]> {
    const json = await this.jsonCheckedColumns(q, table, schema);
    const rows = await q(
      `SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLUMN_COMMENT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ${SCHEMA} AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
      [schema, table],
    );
    const server = this.server();
    return rows.map((r) => {
      const name = str(r[0]);
      const rawType = str(r[1]);
      const extra = str(r[4] ?? "");
      return {
        name,
        type: mysqlTypeFromColumnType(rawType, json.has(name)),
        rawType,
        nullable: str(r[2]) === "YES",
        default: defaultSql(strOrNull(r[3]), rawType, extra, server),
        autoincrement: /auto_increment/i.test(extra),
        comment: strOrNull(r[5]) || null,
      };
    });
  }

  async getPrimaryKey(q: QueryRunner, table: string, schema: string | null = null): Promise<ReflectedPrimaryKey> {
    const rows = await q(
      `SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ${SCHEMA} AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION`,
      [schema, table],
    );
    // MySQL names every primary key PRIMARY, whatever the CREATE TABLE said: there is no user-given name to report.
    return { name: null, columns: rows.map((r) => str(r[0])) };
  }

  async getForeignKeys(q: QueryRunner, table: string, schema: string | null = null): Promise<ReflectedForeignKey[]> {
    const rows = await q(
      `SELECT k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE, DATABASE()
       FROM information_schema.KEY_COLUMN_USAGE k
       JOIN information_schema.REFERENTIAL_CONSTRAINTS r
         ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
       WHERE k.TABLE_SCHEMA = ${SCHEMA} AND k.TABLE_NAME = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL
       ORDER BY k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
      [schema, table],
    );
    const byName = new Map<string, { cols: string[]; refCols: string[]; schema: string | null; table: string; onUpdate: string; onDelete: string }>();
    for (const r of rows) {
      const name = str(r[0]);
      let fk = byName.get(name);
      if (!fk) {
        const refSchema = str(r[2]);
        fk = { cols: [], refCols: [], schema: refSchema === str(r[7]) ? null : refSchema, table: str(r[3]), onUpdate: str(r[5]), onDelete: str(r[6]) };
        byName.set(name, fk);
      }
      fk.cols.push(str(r[1]));
      fk.refCols.push(str(r[4]));
    }
    // RESTRICT and NO ACTION are the same in InnoDB and information_schema does not say which was written: both
    // read as "not given".
    const action = (a: string) => (a === "RESTRICT" || a === "NO ACTION" ? null : a);
    return [...byName].map(([name, fk]) => ({
      name,
      columns: fk.cols,
      referredSchema: fk.schema,
      referredTable: fk.table,
      referredColumns: fk.refCols,
      onDelete: action(fk.onDelete),
      onUpdate: action(fk.onUpdate),
    }));
  }

  /** Index name → columns (or expressions) of every index of the table, with uniqueness. */
  private async indexRows(q: QueryRunner, table: string, schema: string | null) {
    const expression = featuresOf(this.server()).indexExpressionColumn ? "EXPRESSION" : "NULL";
    const rows = await q(
      `SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME, ${expression} FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ${SCHEMA} AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
      [schema, table],
    );
    const byName = new Map<string, { unique: boolean; columns: (string | null)[]; expressions: (string | null)[] }>();
    for (const r of rows) {
      const name = str(r[0]);
      let ix = byName.get(name);
      if (!ix) byName.set(name, (ix = { unique: Number(r[1]) === 0, columns: [], expressions: [] }));
      ix.columns.push(strOrNull(r[2]));
      ix.expressions.push(r[2] === null ? strOrNull(r[3]) : null);
    }
    return byName;
  }

  async getIndexes(q: QueryRunner, table: string, schema: string | null = null): Promise<ReflectedIndex[]> {
    const indexes = await this.indexRows(q, table, schema);
    const fks = await this.getForeignKeys(q, table, schema);
    // The index InnoDB creates for a foreign key is named after the constraint, or after its first column.
    const backsForeignKey = (name: string, columns: readonly (string | null)[]) =>
      fks.some((fk) => (name === fk.name || name === fk.columns[0]) && fk.columns.length === columns.length && fk.columns.every((c, i) => c === columns[i]));
    const out: ReflectedIndex[] = [];
    for (const [name, ix] of indexes) {
      if (name === "PRIMARY" || ix.unique || backsForeignKey(name, ix.columns)) continue;
      out.push({ name, columns: ix.columns, expressions: ix.expressions, unique: false, where: null });
    }
    return out;
  }

  async getUniqueConstraints(q: QueryRunner, table: string, schema: string | null = null): Promise<ReflectedUnique[]> {
    const indexes = await this.indexRows(q, table, schema);
    const out: ReflectedUnique[] = [];
    for (const [name, ix] of indexes) {
      if (name === "PRIMARY" || !ix.unique || ix.columns.some((c) => c === null)) continue;
      out.push({ name, columns: ix.columns as string[] });
    }
    return out;
  }

  async getCheckConstraints(q: QueryRunner, table: string, schema: string | null = null): Promise<ReflectedCheck[]> {
    const rows = await this.checkRows(q, table, schema);
    return rows.filter((r) => !isJsonValidCheck(str(r[0]), str(r[1]))).map((r) => ({ name: str(r[0]), sqltext: stripOuterParens(str(r[1])) }));
  }

  async getTableComment(q: QueryRunner, table: string, schema: string | null = null): Promise<string | null> {
    const rows = await q(`SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${SCHEMA} AND TABLE_NAME = ?`, [schema, table]);
    return rows.length > 0 ? strOrNull(rows[0][0]) || null : null;
  }
}

/** MariaDB's automatic check of a JSON column: named after the column, `json_valid(`col`)`. */
function isJsonValidCheck(name: string, clause: string): boolean {
  const m = /^\(?\s*json_valid\(`((?:[^`]|``)+)`\)\s*\)?$/i.exec(clause.trim());
  return m !== null && m[1].replace(/``/g, "`") === name;
}
