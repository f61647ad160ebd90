import { ArgumentError, BigInteger, Boolean, createEngine, DateTime, type Engine, Integer, text, Varchar } from "crucible";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSql, sqlite, tuples } from "./helpers.js";

let engine: Engine;
beforeAll(async () => {
  engine = createEngine("sqlite://");
  await engine.begin(async (conn) => {
    await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, big BIGINT, flag BOOLEAN, at DATETIME, note TEXT)"));
    await conn.execute(text("INSERT INTO t (id, big, flag, at, note) VALUES (:id, :big, :flag, :at, :note)"), [
      { id: 1, big: 9007199254740993n, flag: true, at: new Date("2024-01-02T03:04:05.000Z"), note: "it's" },
      { id: 2, big: 5n, flag: false, at: null, note: null },
    ]);
  });
});
afterAll(() => engine.dispose());

describe("text()", () => {
  it("turns :name into placeholders and leaves quoted text, :: casts and \\: alone", () => {
    const stmt = text("SELECT ':x' AS s, \"a:b\", c::int, '\\:' FROM t WHERE id = :id AND note = :note\\:x");
    expect(sqlite(stmt, { id: 1, note: "n" })).toEqual({
      sql: "SELECT ':x' AS s, \"a:b\", c::int, '\\:' FROM t WHERE id = ? AND note = ?:x",
      params: [1, "n"],
    });
    expectSql(text("SELECT 1"), "SELECT 1");
  });

  it("a parameter used twice is bound twice", async () => {
    const stmt = text("SELECT id FROM t WHERE id = :v OR big = :v ORDER BY id");
    expect(sqlite(stmt, { v: 5 }).params).toEqual([5, 5]);
    expect((await engine.execute(stmt, { v: 5 })).scalars()).toEqual([2]);
  });

  it("rows have the driver's column names", async () => {
    const result = await engine.execute(text("SELECT id, note AS n FROM t ORDER BY id"));
    expect(result.keys()).toEqual(["id", "n"]);
    expect(result.mappings()).toEqual([
      { id: 1, n: "it's" },
      { id: 2, n: null },
    ]);
  });

  it("integers beyond 2^53 come back exact as bigint even without declared types", async () => {
    const result = await engine.execute(text("SELECT big FROM t ORDER BY id"));
    expect(result.scalars()).toEqual([9007199254740993n, 5]);
  });

  it(".columns() declares result types, so values are converted", async () => {
    const stmt = text("SELECT id, big, flag, at FROM t ORDER BY id").columns({ id: Integer, big: BigInteger, flag: Boolean, at: DateTime() });
    const rows = (await engine.execute(stmt)).all();
    expect(tuples(rows)).toEqual([
      [1, 9007199254740993n, true, new Date("2024-01-02T03:04:05.000Z")],
      [2, 5n, false, null],
    ]);
    expect(rows[0].flag).toBe(true);
  });

  it("bindParams() gives values ahead of execution; unknown names are errors", async () => {
    const stmt = text("SELECT note FROM t WHERE id = :id").bindParams({ id: 1 });
    expect((await engine.execute(stmt)).scalar()).toBe("it's");
    expect(() => text("SELECT 1").bindParams({ nope: 1 })).toThrow(ArgumentError);
  });

  it("a missing parameter is an ArgumentError naming it", async () => {
    await expect(engine.execute(text("SELECT :a, :b"), { a: 1 })).rejects.toThrow(
      /no value for the parameter :b; pass it to execute\(\) as \{ b: \.\.\. \} \(given: a\)/,
    );
  });

  it("execute() of a plain string explains text()", async () => {
    await using conn = await engine.connect();
    await expect(conn.execute("SELECT 1" as never)).rejects.toThrow(/wrap SQL text in text\(\)/);
  });

  it("typed text columns are checked by the cache: a different declaration compiles separately", async () => {
    const a = await engine.execute(text("SELECT flag FROM t WHERE id = 1").columns({ flag: Boolean }));
    const b = await engine.execute(text("SELECT flag FROM t WHERE id = 1").columns({ flag: Varchar }));
    expect(a.scalar()).toBe(true);
    expect(b.scalar()).toBe(1);
  });
});
