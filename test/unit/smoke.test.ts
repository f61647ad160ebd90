import { column, createEngine, Integer, MetaData, select, Table, Varchar } from "crucible";
import { describe, expect, it } from "vitest";

describe("smoke", () => {
  it("creates, inserts and selects on SQLite in memory", async () => {
    const engine = createEngine("sqlite://");
    const md = new MetaData();
    const t = Table("t", md, { id: column(Integer, { primaryKey: true }), name: column(Varchar(10)) });
    await md.createAll(engine);
    await using conn = await engine.connect();
    const { insert } = await import("crucible");
    await conn.execute(insert(t).values([{ name: "a" }, { name: "b" }]));
    const rows = (await conn.execute(select(t.c.id, t.c.name).orderBy(t.c.id))).all();
    expect(rows.map((r) => [...r])).toEqual([
      [1, "a"],
      [2, "b"],
    ]);
    await engine.dispose();
  });
});
