/** createAll / dropAll / inspect / reflect on every dialect: what Crucible creates, it reads back the same. */
import { column, DateTime, ForeignKey, Index, Integer, insert, inspect, MetaData, Numeric, select, Table, UniqueConstraint, Varchar } from "crucible";
import { afterAll, beforeAll, expect, it } from "vitest";
import { forEachTarget } from "./dialects.js";

forEachTarget("reflection", (ctx) => {
  const md = new MetaData();
  const parentName = ctx.name("cx_ref_parent");
  const parent = Table(
    parentName,
    md,
    {
      id: column(Integer, { primaryKey: true }),
      code: column(Varchar(20), { nullable: false }),
      note: column(Varchar(50), { serverDefault: "'hi'" }),
    },
    UniqueConstraint("code", { name: ctx.name("uq_code") }),
  );
  const child = Table(ctx.name("cx_ref_child"), md, {
    id: column(Integer, { primaryKey: true }),
    parent_id: column(Integer, ForeignKey(`${parentName}.id`, { onDelete: "CASCADE" }), { nullable: false }),
    price: column(Numeric(10, 2)),
    at: column(DateTime()),
  });
  Index(ctx.name("ix_child_price"), child.c.price);
  beforeAll(() => md.createAll(ctx.engine));
  afterAll(() => md.dropAll(ctx.engine));

  it("createAll made the tables; createAll again is a no-op", async () => {
    const names = await inspect(ctx.engine).getTableNames();
    expect(names).toEqual(expect.arrayContaining([parent.name, child.name]));
    await md.createAll(ctx.engine);
  });

  it("columns with nullability and defaults, primary key, foreign keys, unique constraints, indexes", async () => {
    const insp = inspect(ctx.engine);
    const cols = await insp.getColumns(parent.name);
    expect(cols.map((c) => [c.name, c.nullable])).toEqual([
      ["id", false],
      ["code", false],
      ["note", true],
    ]);
    expect(cols[2].default).toContain("hi");
    expect((await insp.getPrimaryKey(parent.name)).columns).toEqual(["id"]);
    const fks = await insp.getForeignKeys(child.name);
    expect(fks.map((fk) => [fk.columns, fk.referredTable, fk.referredColumns, fk.onDelete])).toEqual([[["parent_id"], parent.name, ["id"], "CASCADE"]]);
    const uniques = await insp.getUniqueConstraints(parent.name);
    const uniqueIndexes = (await insp.getIndexes(parent.name)).filter((ix) => ix.unique);
    expect([...uniques.map((u) => u.columns), ...uniqueIndexes.map((ix) => ix.columns)]).toContainEqual(["code"]);
    expect((await insp.getIndexes(child.name)).find((ix) => ix.name === ctx.name("ix_child_price"))?.columns).toEqual(["price"]);
  });

  it("metadata.reflect builds tables that work in statements", async () => {
    const reflected = new MetaData();
    await reflected.reflect(ctx.engine, { only: [parent.name, child.name] });
    const p = reflected.tables.get(parent.name)!;
    const c = reflected.tables.get(child.name)!;
    expect(Object.keys(p.c)).toEqual(["id", "code", "note"]);
    expect(c.c.price.type.kind).toBe("numeric");
    expect(c.c.at.type.kind).toBe("datetime");
    await ctx.engine.execute(insert(p).values({ code: "x" }));
    await ctx.engine.execute(insert(c).values({ parent_id: 1, price: "9.99" }));
    const row = (await ctx.engine.execute(select(p.c.note, c.c.price).join(c))).one();
    expect([...row]).toEqual(["hi", "9.99"]);
  });
});
