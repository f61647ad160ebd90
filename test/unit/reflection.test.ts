import {
  CheckConstraint,
  column,
  createEngine,
  DateTime,
  type Engine,
  ForeignKey,
  ForeignKeyConstraint,
  func,
  Index,
  Integer,
  insert,
  inspect,
  MetaData,
  Numeric,
  PrimaryKeyConstraint,
  select,
  Table,
  UniqueConstraint,
  Varchar,
} from "crucible";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const md = new MetaData();
Table(
  "parent",
  md,
  { a: column(Integer), b: column(Varchar(10)), note: column(Varchar, { serverDefault: "'hi'" }), score: column(Integer, { serverDefault: func.abs(-3) }) },
  PrimaryKeyConstraint("a", "b", { name: "pk_parent" }),
  UniqueConstraint("note", { name: "uq_parent_note" }),
  CheckConstraint("a > 0", { name: "ck_parent_a" }),
);
const child = Table(
  "child",
  md,
  {
    id: column(Integer, { primaryKey: true }),
    pa: column(Integer, { nullable: false }),
    pb: column(Varchar(10)),
    price: column(Numeric(10, 2), { index: true }),
    owner: column(Integer, ForeignKey("parent.a")),
    at: column(DateTime()),
  },
  ForeignKeyConstraint(["pa", "pb"], ["parent.a", "parent.b"], { onDelete: "CASCADE", name: "fk_child_parent" }),
  Index("ix_child_partial", "pa", { unique: true, where: "pa > 5" }),
);
Index("ix_child_expr", func.lower(child.c.pb), child.c.pa);

let engine: Engine;
beforeAll(async () => {
  engine = createEngine("sqlite://");
  await md.createAll(engine);
});
afterAll(() => engine.dispose());

describe("inspect(engine)", () => {
  it("tables, columns, keys", async () => {
    const insp = inspect(engine);
    expect(await insp.getTableNames()).toEqual(["child", "parent"]);
    expect(await insp.hasTable("child")).toBe(true);
    expect(await insp.hasTable("nope")).toBe(false);
    const cols = await insp.getColumns("parent");
    expect(cols.map((c) => [c.name, c.rawType, c.nullable, c.default])).toEqual([
      ["a", "INTEGER", false, null],
      ["b", "VARCHAR(10)", false, null],
      ["note", "VARCHAR", true, "'hi'"],
      ["score", "INTEGER", true, "(abs(-3))"],
    ]);
    expect(await insp.getPrimaryKey("parent")).toEqual({ name: "pk_parent", columns: ["a", "b"] });
    expect((await insp.getColumns("child"))[0]).toMatchObject({ name: "id", autoincrement: true });
    expect(await insp.getForeignKeys("child")).toEqual([
      { name: null, columns: ["owner"], referredSchema: null, referredTable: "parent", referredColumns: ["a"], onDelete: null, onUpdate: null },
      {
        name: "fk_child_parent",
        columns: ["pa", "pb"],
        referredSchema: null,
        referredTable: "parent",
        referredColumns: ["a", "b"],
        onDelete: "CASCADE",
        onUpdate: null,
      },
    ]);
  });

  it("indexes (partial and expression), unique and check constraints", async () => {
    const insp = inspect(engine);
    const indexes = (await insp.getIndexes("child")).sort((x, y) => x.name.localeCompare(y.name));
    expect(indexes).toEqual([
      { name: "ix_child_expr", columns: [null, "pa"], expressions: ["lower(pb)", null], unique: false, where: null },
      { name: "ix_child_partial", columns: ["pa"], expressions: [null], unique: true, where: "pa > 5" },
      { name: "ix_child_price", columns: ["price"], expressions: [null], unique: false, where: null },
    ]);
    expect(await insp.getUniqueConstraints("parent")).toEqual([{ name: "uq_parent_note", columns: ["note"] }]);
    expect(await insp.getCheckConstraints("parent")).toEqual([{ name: "ck_parent_a", sqltext: "a > 0" }]);
  });
});

describe("metadata.reflect(engine)", () => {
  it("round-trips: the reflected tables create the same DDL and work in statements", async () => {
    const reflected = new MetaData();
    const tables = await reflected.reflect(engine);
    expect(tables.map((t) => t.name).sort()).toEqual(["child", "parent"]);
    const ddl = engine.dialect.createDdlCompiler();
    const sortIx = (stmts: string[]) => [stmts[0], ...stmts.slice(1).sort()];
    for (const name of ["parent", "child"]) {
      const original = md.tables.get(name)!;
      const copy = reflected.tables.get(name)!;
      expect(sortIx(ddl.createTable(copy))).toEqual(sortIx(ddl.createTable(original)));
    }
    const p = reflected.tables.get("parent")!;
    await engine.execute(insert(p).values({ a: 1, b: "x" }));
    expect((await engine.execute(select(p.c.note, p.c.score))).all().map((r) => [...r])).toEqual([["hi", 3]]);
    const c = reflected.tables.get("child")!;
    expect(c.foreignKeys.map((fk) => [fk.columns, fk.refColumns, fk.options.onDelete])).toEqual([
      [["owner"], ["parent.a"], undefined],
      [["pa", "pb"], ["parent.a", "parent.b"], "CASCADE"],
    ]);
    expect(String(select(c.c.id).join(p, c.c.pa.eq(p.c.a)))).toBe("SELECT child.id FROM child JOIN parent ON child.pa = parent.a");
  });

  it("only: reflects the named tables", async () => {
    const reflected = new MetaData();
    await reflected.reflect(engine, { only: ["parent"] });
    expect([...reflected.tables.keys()]).toEqual(["parent"]);
  });
});
