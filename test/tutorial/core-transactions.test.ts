/**
 * The Core tutorial's "Working with Transactions and the DBAPI", in Crucible, on SQLite in memory: the same
 * statements and the same rows the tutorial shows.
 */
import { createEngine, text } from "crucible";
import { afterAll, describe, expect, it } from "vitest";

const engine = createEngine("sqlite://");
afterAll(() => engine.dispose());

const tuples = (rows: Iterable<Iterable<unknown>>) => [...rows].map((r) => [...r]);

describe("Working with Transactions and the DBAPI", () => {
  it("getting a connection: select 'hello world'", async () => {
    await using conn = await engine.connect();
    const result = await conn.execute(text("select 'hello world'"));
    expect(tuples(result.all())).toEqual([["hello world"]]);
  });

  it("committing changes: commit as you go", async () => {
    await using conn = await engine.connect();
    await conn.execute(text("CREATE TABLE some_table (x int, y int)"));
    await conn.execute(text("INSERT INTO some_table (x, y) VALUES (:x, :y)"), [
      { x: 1, y: 1 },
      { x: 2, y: 4 },
    ]);
    await conn.commit();
  });

  it("committing changes: begin once", async () => {
    await engine.begin(async (conn) => {
      await conn.execute(text("INSERT INTO some_table (x, y) VALUES (:x, :y)"), [
        { x: 6, y: 8 },
        { x: 9, y: 10 },
      ]);
    });
  });

  it("fetching rows: tuples, attribute names, index access, mappings", async () => {
    await using conn = await engine.connect();
    const result = await conn.execute(text("SELECT x, y FROM some_table"));
    const lines: string[] = [];
    for (const row of result) lines.push(`x: ${row.x}  y: ${row.y}`);
    expect(lines).toEqual(["x: 1  y: 1", "x: 2  y: 4", "x: 6  y: 8", "x: 9  y: 10"]);
    const [x, y] = result.all()[3];
    expect([x, y]).toEqual([9, 10]);
    expect(result.all().map((row) => row[0])).toEqual([1, 2, 6, 9]);
    expect(result.mappings().map((m) => m.y)).toEqual([1, 4, 8, 10]);
  });

  it("sending parameters", async () => {
    await using conn = await engine.connect();
    const result = await conn.execute(text("SELECT x, y FROM some_table WHERE y > :y"), { y: 2 });
    expect(result.all().map((row) => `x: ${row.x}  y: ${row.y}`)).toEqual(["x: 2  y: 4", "x: 6  y: 8", "x: 9  y: 10"]);
  });

  it("sending multiple parameters", async () => {
    await using conn = await engine.connect();
    await conn.execute(text("INSERT INTO some_table (x, y) VALUES (:x, :y)"), [
      { x: 11, y: 12 },
      { x: 13, y: 14 },
    ]);
    await conn.commit();
  });

  it("the same work the tutorial's Session does, on a Connection: select, then executemany UPDATE and commit", async () => {
    await using conn = await engine.connect();
    const stmt = text("SELECT x, y FROM some_table WHERE y > :y ORDER BY x, y");
    const result = await conn.execute(stmt, { y: 6 });
    expect(result.all().map((row) => `x: ${row.x}  y: ${row.y}`)).toEqual(["x: 6  y: 8", "x: 9  y: 10", "x: 11  y: 12", "x: 13  y: 14"]);
    const updated = await conn.execute(text("UPDATE some_table SET y=:y WHERE x=:x"), [
      { x: 9, y: 11 },
      { x: 13, y: 15 },
    ]);
    expect(updated.rowCount).toBe(2);
    await conn.commit();
    expect(tuples((await conn.execute(text("SELECT x, y FROM some_table ORDER BY x"))).all())).toEqual([
      [1, 1],
      [2, 4],
      [6, 8],
      [9, 11],
      [11, 12],
      [13, 15],
    ]);
  });

  it("a connection closed without commit rolls back (the tutorial's 'ROLLBACK' at the end of a with block)", async () => {
    const lines: string[] = [];
    const echo = createEngine("sqlite://", { echo: true, logger: (l) => lines.push(l) });
    {
      await using conn = await echo.connect();
      await conn.execute(text("CREATE TABLE t (x int)"));
    }
    expect(lines[0]).toBe("BEGIN (implicit)");
    expect(lines.at(-1)).toBe("ROLLBACK");
    await echo.dispose();
  });
});
