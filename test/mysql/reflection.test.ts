/**
 * Reflection round-trip: MetaData → createAll → reflect → compare, then the reflected tables created again under
 * other names reflect the same (a fixpoint).
 */
import {
  column,
  ForeignKey,
  ForeignKeyConstraint,
  Index,
  Integer,
  inspect,
  MetaData,
  PrimaryKeyConstraint,
  type SqlType,
  Table,
  type TableObject,
  Varchar,
} from "crucible";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { everyTypeTable, quickstartTables } from "./schema.js";
import { mysqlEngine, serverAvailable, uniqueName } from "./server.js";

/** A type as comparable data. */
const typeOf = (t: SqlType<unknown>) => ({ kind: t.kind, ...t.options });

describe.skipIf(!serverAvailable)("MySQL reflection", () => {
  const prefix = `${uniqueName("refl")}_`;
  const engine = mysqlEngine();
  const { metadata, users, addresses } = quickstartTables(prefix);
  const every = everyTypeTable(prefix, metadata);
  const orders = Table(
    `${prefix}orders`,
    metadata,
    {
      region: column(Varchar(10)),
      number: column(Integer, { autoincrement: false }),
      user_id: column(Integer, ForeignKey(`${prefix}user_account.id`, { onDelete: "CASCADE", onUpdate: "SET NULL", name: `${prefix}fk_orders_user` })),
    },
    PrimaryKeyConstraint("region", "number"),
  );
  const lines = Table(
    `${prefix}order_lines`,
    metadata,
    { id: column(Integer, { primaryKey: true }), region: column(Varchar(10)), number: column(Integer), qty: column(Integer, { serverDefault: "1" }) },
    ForeignKeyConstraint(["region", "number"], [`${prefix}orders.region`, `${prefix}orders.number`], { name: `${prefix}fk_lines_order` }),
    Index(`${prefix}ix_lines_qty`, "qty"),
  );
  const copyPrefix = `${uniqueName("reflcopy")}_`;
  /** Tables the last test creates, parents first. */
  const copies: string[] = [];

  beforeAll(() => metadata.createAll(engine));
  afterAll(async () => {
    await engine.begin(async (conn) => {
      for (const name of [...copies].reverse()) await conn.execDriverSql(`DROP TABLE IF EXISTS ${name}`);
    });
    await metadata.dropAll(engine);
    await engine.dispose();
  });

  it("lists the tables of the current database", async () => {
    const names = await inspect(engine).getTableNames();
    expect(names).toEqual(expect.arrayContaining([users.name, addresses.name, every.name, orders.name, lines.name]));
    expect(await inspect(engine).hasTable(users.name)).toBe(true);
    expect(await inspect(engine).hasTable(`${prefix}missing`)).toBe(false);
  });

  it("columns: types mapped back, nullability, defaults, autoincrement, comments", async () => {
    const cols = await inspect(engine).getColumns(every.name);
    expect(cols.map((c) => [c.name, typeOf(c.type)])).toEqual([
      ["id", { kind: "biginteger" }],
      ["small", { kind: "smallinteger" }],
      ["f", { kind: "float" }],
      ["d", { kind: "double" }],
      ["n", { kind: "numeric", precision: 30, scale: 10 }],
      ["b", { kind: "boolean" }],
      ["s", { kind: "string", length: 20 }],
      ["s2", { kind: "string", length: 255 }],
      ["t", { kind: "text" }],
      ["day", { kind: "date" }],
      ["ts", { kind: "datetime" }],
      ["tstz", { kind: "datetime" }],
      ["tm", { kind: "time" }],
      ["bin", { kind: "binary" }],
      ["doc", { kind: "json" }],
      ["u", { kind: "uuid" }],
      ["mood", { kind: "enum", values: ["happy", "it's"], enumName: undefined, nativeEnum: true }],
      ["mood2", { kind: "string", length: 1 }],
    ]);
    const byName = Object.fromEntries(cols.map((c) => [c.name, c]));
    expect(byName.id).toMatchObject({ nullable: false, autoincrement: true, comment: "the key's comment", default: null });
    expect(byName.b).toMatchObject({ nullable: false, default: "1" });
    expect(byName.n.default).toMatch(/^0(\.0+)?$/);
    expect(byName.ts.default?.toLowerCase()).toBe("current_timestamp(6)");
    expect(byName.t).toMatchObject({ nullable: true, default: null, autoincrement: false, comment: null });
    const qty = (await inspect(engine).getColumns(lines.name)).find((c) => c.name === "qty");
    expect(qty?.default).toBe("1");
  });

  it("primary keys, composite and single", async () => {
    expect(await inspect(engine).getPrimaryKey(orders.name)).toEqual({ name: null, columns: ["region", "number"] });
    expect(await inspect(engine).getPrimaryKey(users.name)).toEqual({ name: null, columns: ["id"] });
  });

  it("foreign keys with names, actions and several columns", async () => {
    expect(await inspect(engine).getForeignKeys(orders.name)).toEqual([
      {
        name: `${prefix}fk_orders_user`,
        columns: ["user_id"],
        referredSchema: null,
        referredTable: users.name,
        referredColumns: ["id"],
        onDelete: "CASCADE",
        onUpdate: "SET NULL",
      },
    ]);
    expect(await inspect(engine).getForeignKeys(lines.name)).toEqual([
      {
        name: `${prefix}fk_lines_order`,
        columns: ["region", "number"],
        referredSchema: null,
        referredTable: orders.name,
        referredColumns: ["region", "number"],
        onDelete: null,
        onUpdate: null,
      },
    ]);
  });

  it("indexes (without the ones backing keys), unique constraints, checks, table comment", async () => {
    const insp = inspect(engine);
    expect(await insp.getIndexes(every.name)).toEqual([
      { name: `ix_${prefix}every_type_s2`, columns: ["s2"], expressions: [null], unique: false, where: null },
      { name: `${prefix}ix_small_s2`, columns: ["small", "s2"], expressions: [null, null], unique: false, where: null },
    ]);
    expect(await insp.getIndexes(lines.name)).toEqual([{ name: `${prefix}ix_lines_qty`, columns: ["qty"], expressions: [null], unique: false, where: null }]);
    expect(await insp.getIndexes(addresses.name)).toEqual([]);
    expect(await insp.getUniqueConstraints(every.name)).toEqual([
      { name: `${prefix}uq_s2_s`, columns: ["s2", "s"] },
      { name: "s", columns: ["s"] },
    ]);
    const checks = await insp.getCheckConstraints(every.name);
    expect(checks.map((c) => [c.name, c.sqltext.replace(/`/g, "").toLowerCase()])).toEqual([
      [`${prefix}ck_mood2`, "mood2 in ('a','b')"],
      [`${prefix}ck_positive`, "n > 0"],
    ]);
    expect(await engine._introspect((q, i) => i.getTableComment(q, every.name))).toBe("every type");
    expect(await engine._introspect((q, i) => i.getTableComment(q, users.name))).toBeNull();
  });

  it("reflect() builds tables whose DDL recreates the same schema", async () => {
    const reflected = new MetaData();
    const tables = await reflected.reflect(engine, { only: [users.name, orders.name, lines.name, every.name, addresses.name] });
    expect(tables.map((t) => t.name).sort()).toEqual([users.name, orders.name, lines.name, every.name, addresses.name].sort());
    // Create the reflected tables again under other names, then compare what the database says about both.
    const rename = (n: string) => n.replace(prefix, copyPrefix);
    const ddl = engine.dialect.createDdlCompiler();
    await engine.begin(async (conn) => {
      for (const t of reflected.sortedTables) {
        copies.push(rename(t.name));
        for (const sql of ddl.createTable(t)) await conn.execDriverSql(sql.split(prefix).join(copyPrefix));
      }
    });
    const insp = inspect(engine);
    const describeTable = async (name: string, p: string) => {
      const strip = (v: unknown) => JSON.parse(JSON.stringify(v).split(p).join("<p>"));
      return strip({
        columns: (await insp.getColumns(name)).map((c) => ({ ...c, type: typeOf(c.type) })),
        pk: await insp.getPrimaryKey(name),
        fks: await insp.getForeignKeys(name),
        indexes: await insp.getIndexes(name),
        uniques: await insp.getUniqueConstraints(name),
        checks: await insp.getCheckConstraints(name),
      });
    };
    for (const t of [users, orders, lines, every, addresses] as TableObject[])
      expect(await describeTable(rename(t.name), copyPrefix)).toEqual(await describeTable(t.name, prefix));
  });
});
