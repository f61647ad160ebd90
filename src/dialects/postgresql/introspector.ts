/**
 * PostgreSQL introspection through pg_catalog: tables, columns (types mapped back to Crucible types, defaults as SQL
 * text, serial and identity columns as autoincrement), keys, indexes (without those that back a primary key or a
 * unique constraint; with expressions and partial predicates), unique and check constraints, and comments.
 * A null schema means the session's current schema (`current_schema()`, normally `public`).
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
import { postgresTypeFromFormat } from "./reflected-types.js";

/** The table's oid; `$1` is the table name, `$2` the schema (or null). */
const REL = `(SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relname = $1 AND n.nspname = COALESCE($2::text, current_schema()) AND c.relkind IN ('r', 'p', 'f', 'v', 'm'))`;

/** The names of the columns numbered in `keys` (an int2[] column of pg_constraint) of relation `rel`, in order. */
const columnNames = (keys: string, rel: string) =>
  `ARRAY(SELECT a.attname::text FROM unnest(${keys}) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_catalog.pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.attnum ORDER BY k.ord)`;

const ACTIONS: Readonly<Record<string, string | null>> = { a: null, r: "RESTRICT", c: "CASCADE", n: "SET NULL", d: "SET DEFAULT" };

const SERIAL_DEFAULT = /^nextval\('[^']*'::regclass\)$/;

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/**
 * Reads schema information from pg_catalog; `inspect(engine)` and `metadata.reflect(engine)` use it.
 *
 * ```ts
 * await inspect(engine).getIndexes("child", "billing"); // [{ name: "ix_child_lower_code", expressions: ["lower(code::text)"], ... }]
 * ```
 */
export class PostgresIntrospector implements Introspector {
  async getTableNames(q: QueryRunner, schema: string | null = null): Promise<string[]> {
    const rows = await q(
      `SELECT c.relname::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p') AND n.nspname = COALESCE($1::text, current_schema()) ORDER BY c.relname`,
      [schema],
    );
    return rows.map((r) => String(r[0]));
  }

  async hasTable(q: QueryRunner, table: string, schema: string | null = null): Promise<boolean> {
    const rows = await q(`SELECT ${REL}`, [table, schema]);
    return rows.length > 0 && rows[0][0] !== null;
  }

  async getColumns(q: QueryRunner, table: string, schema: string | null = null): Promise<ReflectedColumn[]> {
    const rows = await q(
      `SELECT a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
         pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, pg_catalog.col_description(a.attrelid, a.attnum),
         COALESCE(et.typname, t.typname)::text,
         (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = COALESCE(et.oid, t.oid)),
         a.attgenerated::text
       FROM pg_catalog.pg_attribute a
       JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_catalog.pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
       LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE a.attrelid = ${REL} AND a.attnum > 0 AND NOT a.attisdropped
       ORDER BY a.attnum`,
      [table, schema],
    );
    return rows.map((r) => {
      const rawType = String(r[1]);
      const labels = r[7] === null ? null : strings(r[7]);
      let def = str(r[3]);
      const identity = r[4] === "a" || r[4] === "d";
      const serial = def !== null && SERIAL_DEFAULT.test(def);
      // A serial's nextval() default and a generated column's expression are not server defaults to recreate.
      if (serial || (r[8] !== null && r[8] !== "")) def = null;
      return {
        name: String(r[0]),
        type: postgresTypeFromFormat(rawType, labels ? { name: String(r[6]), labels } : null),
        rawType,
        nullable: r[2] !== true,
        default: def,
        autoincrement: identity || serial,
        comment: str(r[5]),
      };
    });
  }

  async getPrimaryKey(q: QueryRunner, table: string, schema: string | null = null): Promise<ReflectedPrimaryKey> {
    const rows = await q(
      `SELECT con.conname::text, ${columnNames("con.conkey", "con.conrelid")}
       FROM pg_catalog.pg_constraint con WHERE con.conrelid = ${REL} AND con.contype = 'p'`,
      [table, schema],
    );
    return rows.length ? { name: str(rows[0][0]), columns: strings(rows[0][1]) } : { name: null, columns: [] };
  }

  async getForeignKeys(q: QueryRunner, table: string, schema: string | null = null): Promise<ReflectedForeignKey[]> {
    const rows = await q(
      `SELECT con.conname::text, ${columnNames("con.conkey", "con.conrelid")}, rn.nspname::text, rc.relname::text,
         ${columnNames("con.confkey", "con.confrelid")}, con.confdeltype::text, con.confupdtype::text, rn.nspname = current_schema()
       FROM pg_catalog.pg_constraint con
       JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
       JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
       WHERE con.conrelid = ${REL} AND con.contype = 'f'
       ORDER BY con.conname`,
      [table, schema],
    );
    return rows.map((r) => ({
      name: str(r[0]),
      columns: strings(r[1]),
      // Tables of the current schema are named without it when reflecting the current schema.
      referredSchema: schema === null && r[7] === true ? null : String(r[2]),
      referredTable: String(r[3]),
      referredColumns: strings(r[4]),
      onDelete: ACTIONS[String(r[5])] ?? null,
      onUpdate: ACTIONS[String(r[6])] ?? null,
    }));
  }

  async getIndexes(q: QueryRunner, table: string, schema: string | null = null): Promise<ReflectedIndex[]> {
    const rows = await q(
      `SELECT ic.relname::text, i.indisunique, pg_catalog.pg_get_expr(i.indpred, i.indrelid, true), a.attname::text,
         pg_catalog.pg_get_indexdef(i.indexrelid, k.n, true)
       FROM pg_catalog.pg_index i
       JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
       CROSS JOIN LATERAL generate_series(1, i.indnkeyatts::int) AS k(n)
       LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k.n - 1] AND i.indkey[k.n - 1] <> 0
       WHERE i.indrelid = ${REL} AND NOT i.indisprimary
         AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
       ORDER BY ic.relname, k.n`,
      [table, schema],
    );
    const byName = new Map<string, { unique: boolean; where: string | null; columns: (string | null)[]; expressions: (string | null)[] }>();
    for (const r of rows) {
      const name = String(r[0]);
      let ix = byName.get(name);
      if (!ix) byName.set(name, (ix = { unique: r[1] === true, where: str(r[2]), columns: [], expressions: [] }));
      const col = str(r[3]);
      ix.columns.push(col);
      ix.expressions.push(col === null ? str(r[4]) : null);
    }
    return [...byName].map(([name, ix]) => ({ name, ...ix }));
  }

  async getUniqueConstraints(q: QueryRunner, table: string, schema: string | null = null): Promise<ReflectedUnique[]> {
    const rows = await q(
      `SELECT con.conname::text, ${columnNames("con.conkey", "con.conrelid")}
       FROM pg_catalog.pg_constraint con WHERE con.conrelid = ${REL} AND con.contype = 'u' ORDER BY con.conname`,
      [table, schema],
    );
    return rows.map((r) => ({ name: str(r[0]), columns: strings(r[1]) }));
  }

  async getCheckConstraints(q: QueryRunner, table: string, schema: string | null = null): Promise<ReflectedCheck[]> {
    const rows = await q(
      `SELECT con.conname::text, pg_catalog.pg_get_constraintdef(con.oid, true)
       FROM pg_catalog.pg_constraint con WHERE con.conrelid = ${REL} AND con.contype = 'c' ORDER BY con.conname`,
      [table, schema],
    );
    return rows.map((r) => {
      const def = String(r[1]);
      const m = /^CHECK \(([\s\S]*)\)( NOT VALID)?$/.exec(def);
      return { name: str(r[0]), sqltext: m ? m[1] : def };
    });
  }

  async getTableComment(q: QueryRunner, table: string, schema: string | null = null): Promise<string | null> {
    const rows = await q(`SELECT pg_catalog.obj_description(${REL}, 'pg_class')`, [table, schema]);
    return rows.length ? str(rows[0][0]) : null;
  }
}
