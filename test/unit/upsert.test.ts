import { column, createEngine, type Engine, Integer, MetaData, select, Table, Varchar } from "crucible";
import { insert } from "crucible/sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSql, tuples } from "./helpers.js";

const md = new MetaData();
const kv = Table("kv", md, { key: column(Varchar(20), { primaryKey: true }), value: column(Varchar), hits: column(Integer, { nullable: false, default: 0 }) });
let engine: Engine;
beforeAll(async () => {
  engine = createEngine("sqlite://");
  await md.createAll(engine);
});
afterAll(() => engine.dispose());

describe("ON CONFLICT upserts (crucible/sqlite)", () => {
  it("DO NOTHING", async () => {
    const stmt = insert(kv).values({ key: "a", value: "first" }).onConflictDoNothing();
    expectSql(stmt, 'INSERT INTO kv ("key", value, hits) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
    expect((await engine.execute(stmt)).rowCount).toBe(1);
    expect(
      (
        await engine.execute(
          insert(kv)
            .values({ key: "a", value: "second" })
            .onConflictDoNothing({ indexElements: ["key"] }),
        )
      ).rowCount,
    ).toBe(0);
    expect((await engine.execute(select(kv.c.value).where(kv.c.key.eq("a")))).scalar()).toBe("first");
  });

  it("DO UPDATE with excluded values, an expression and a WHERE", async () => {
    const base = insert(kv).values({ key: "a", value: "third" });
    const stmt = base.onConflictDoUpdate({
      indexElements: ["key"],
      set: { value: base.excluded.value, hits: kv.c.hits.add(1) },
      where: kv.c.value.ne("locked"),
    });
    expectSql(
      stmt,
      'INSERT INTO kv ("key", value, hits) VALUES (?, ?, ?) ON CONFLICT ("key") DO UPDATE SET value = excluded.value, hits = hits + ? WHERE value <> ?',
      'INSERT INTO kv ("key", value, hits) VALUES (?, ?, ?) ON CONFLICT ("key") DO UPDATE SET value = excluded.value, hits = hits + ? WHERE value <> ?',
    );
    await engine.execute(stmt);
    await engine.execute(stmt);
    expect(tuples((await engine.execute(select(kv.c.value, kv.c.hits).where(kv.c.key.eq("a")))).all())).toEqual([["third", 2]]);
  });

  it("DO UPDATE with RETURNING tells the final row", async () => {
    const base = insert(kv).values({ key: "b", value: "x" });
    const stmt = base.onConflictDoUpdate({ indexElements: ["key"], set: { hits: kv.c.hits.add(10) } }).returning(kv.c.key, kv.c.hits);
    expect(tuples((await engine.execute(stmt)).all())).toEqual([["b", 0]]);
    expect(tuples((await engine.execute(stmt)).all())).toEqual([["b", 10]]);
  });

  it("a constraint name as the target is a CompileError on SQLite, and rendered generically", () => {
    const stmt = insert(kv).values({ key: "x" }).onConflictDoNothing({ constraint: "kv_pkey" });
    expect(() => engine.dialect.statementCache.compile(stmt.node)).toThrow(/ON CONFLICT ON CONSTRAINT is not supported by the sqlite dialect/);
    expect(String(stmt)).toBe('INSERT INTO kv ("key", hits) VALUES (?, ?) ON CONFLICT ON CONSTRAINT kv_pkey DO NOTHING');
  });

  it("needs a conflict target and a non-empty set", () => {
    expect(() =>
      insert(kv)
        .values({ key: "x" })
        .onConflictDoUpdate({ set: { value: "y" } }),
    ).toThrow(/needs indexElements/);
    expect(() =>
      insert(kv)
        .values({ key: "x" })
        .onConflictDoUpdate({ indexElements: ["key"], set: {} }),
    ).toThrow(/at least one column/);
  });
});
