import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BusyError, column, createEngine, type Engine, Integer, InvalidRequestError, insert, MetaData, select, Table, text, Varchar } from "crucible";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

const md = new MetaData();
const t = Table("item", md, { id: column(Integer, { primaryKey: true }), name: column(Varchar) });

// SQLite has one connection per engine: inside an open Connection, read through it, not through the engine.
const names = async (on: Pick<Engine, "execute">) => (await on.execute(select(t.c.name).orderBy(t.c.id))).scalars();

describe("Connection transactions (in memory)", () => {
  let engine: Engine;
  beforeEach(async () => {
    engine = createEngine("sqlite://");
    await md.createAll(engine);
  });

  it("autobegins; commit() keeps, close() without commit rolls back", async () => {
    const conn = await engine.connect();
    expect(conn.inTransaction).toBe(false);
    await conn.execute(insert(t).values({ name: "kept" }));
    expect(conn.inTransaction).toBe(true);
    await conn.commit();
    expect(conn.inTransaction).toBe(false);
    await conn.execute(insert(t).values({ name: "lost" }));
    await conn.close();
    expect(await names(engine)).toEqual(["kept"]);
    await expect(conn.execute(select(t.c.id))).rejects.toThrow(/this Connection is closed/);
  });

  it("rollback() undoes the autobegun transaction", async () => {
    await using conn = await engine.connect();
    await conn.execute(insert(t).values({ name: "a" }));
    await conn.rollback();
    expect((await conn.execute(select(t.c.id))).all()).toEqual([]);
  });

  it("begin() returns a Transaction; `await using` rolls back unless committed", async () => {
    await using conn = await engine.connect();
    {
      await using tx = await conn.begin();
      await conn.execute(insert(t).values({ name: "rolled back" }));
      expect(tx.isActive).toBe(true);
    }
    {
      const tx = await conn.begin();
      await conn.execute(insert(t).values({ name: "committed" }));
      await tx.commit();
      expect(tx.isActive).toBe(false);
      await expect(tx.commit()).rejects.toThrow(InvalidRequestError);
    }
    await conn.commit();
    expect(await names(conn)).toEqual(["committed"]);
  });

  it("begin() while a transaction is open is an error", async () => {
    await using conn = await engine.connect();
    await conn.execute(select(t.c.id));
    await expect(conn.begin()).rejects.toThrow(/already begun/);
  });

  it("beginNested() makes savepoints that roll back alone, and nest", async () => {
    await using conn = await engine.connect();
    await conn.execute(insert(t).values({ name: "outer" }));
    const sp1 = await conn.beginNested();
    await conn.execute(insert(t).values({ name: "sp1" }));
    const sp2 = await conn.beginNested();
    await conn.execute(insert(t).values({ name: "sp2" }));
    await sp2.rollback();
    await sp1.commit();
    const sp3 = await conn.beginNested();
    await conn.execute(insert(t).values({ name: "sp3" }));
    await sp3.rollback();
    await conn.commit();
    expect(await names(conn)).toEqual(["outer", "sp1"]);
  });

  it("rolling back an outer savepoint ends the inner ones", async () => {
    await using conn = await engine.connect();
    const outer = await conn.beginNested();
    const inner = await conn.beginNested();
    await conn.execute(insert(t).values({ name: "x" }));
    await outer.rollback();
    expect(inner.isActive).toBe(false);
    await conn.commit();
    expect(await names(conn)).toEqual([]);
  });

  it("engine.begin(fn) commits when fn returns and rolls back when it throws", async () => {
    const result = await engine.begin(async (conn) => {
      await conn.execute(insert(t).values({ name: "yes" }));
      return 42;
    });
    expect(result).toBe(42);
    await expect(
      engine.begin(async (conn) => {
        await conn.execute(insert(t).values({ name: "no" }));
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await names(engine)).toEqual(["yes"]);
  });

  it("dispose() closes the pool; the engine reconnects on next use (a new in-memory database)", async () => {
    await engine.execute(insert(t).values({ name: "x" }));
    expect(engine.poolStatus).toMatchObject({ size: 1, inUse: 0 });
    await engine.dispose();
    expect(engine.poolStatus).toBeNull();
    await expect(engine.execute(select(t.c.id))).rejects.toThrow(/no such table: item/);
    await engine.dispose();
  });
});

describe("echo logging", () => {
  it("logs BEGIN (implicit), SQL, parameters with timing and cache status, COMMIT and ROLLBACK", async () => {
    const lines: string[] = [];
    const engine = createEngine("sqlite://", { echo: true, logger: (line) => lines.push(line) });
    await md.createAll(engine);
    lines.length = 0;
    await using conn = await engine.connect();
    await conn.execute(insert(t).values({ name: "o'neil" }));
    await conn.execute(insert(t).values({ name: "b" }));
    await conn.commit();
    await conn.execute(select(t.c.id).where(t.c.id.in([1, 2])));
    await conn.rollback();
    expect(lines[0]).toBe("BEGIN (implicit)");
    expect(lines[1]).toBe("INSERT INTO item (name) VALUES (?)");
    expect(lines[2]).toMatch(/^\[generated in \d+\.\d{3} ms; \d+\.\d+ ms\] \('o\\'neil',\)$/);
    expect(lines[4]).toMatch(/^\[cached since \d+\.\d{3}s ago; \d+\.\d+ ms\] \('b',\)$/);
    expect(lines[5]).toBe("COMMIT");
    expect(lines[6]).toBe("BEGIN (implicit)");
    expect(lines[7]).toBe("SELECT item.id FROM item WHERE item.id IN (?, ?)");
    expect(lines[8]).toMatch(/\(1, 2\)$/);
    expect(lines[9]).toBe("ROLLBACK");
    await engine.dispose();
  });

  it("a logger object's info() is used; errors are logged", async () => {
    const lines: string[] = [];
    const engine = createEngine("sqlite://", { echo: true, logger: { info: (l) => lines.push(l) } });
    await expect(engine.execute(text("SELECT * FROM missing"))).rejects.toThrow();
    expect(lines).toContain("[error] ProgrammingError: (sqlite) no such table: missing");
    await engine.dispose();
  });

  it('echo: "debug" adds Col and Row lines for statements that return rows, and only for them', async () => {
    const lines: string[] = [];
    const engine = createEngine("sqlite://", { echo: "debug", logger: (line) => lines.push(line) });
    await md.createAll(engine);
    lines.length = 0;
    await engine.execute(insert(t).values({ name: "x" }));
    await engine.execute(select(t.c.id, t.c.name));
    expect(lines.filter((l) => l.startsWith("Col") || l.startsWith("Row"))).toEqual(["Col ('id', 'name')", "Row (1, 'x')"]);
    await engine.dispose();
  });

  it("echo off logs nothing", async () => {
    const lines: string[] = [];
    const engine = createEngine("sqlite://", { logger: (l) => lines.push(l) });
    await engine.execute(text("SELECT 1"));
    expect(lines).toEqual([]);
    await engine.dispose();
  });
});

describe("SQLite on a file", () => {
  let dir: string;
  let url: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "crucible-engine-"));
    url = `sqlite:///${join(dir, "app.db")}`;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("persists across engines and uses WAL", async () => {
    const a = createEngine(url);
    await md.createAll(a);
    await a.execute(insert(t).values({ name: "persisted" }));
    expect((await a.execute(text("PRAGMA journal_mode"))).scalar()).toBe("wal");
    await a.dispose();
    const b = createEngine(url);
    expect(await names(b)).toEqual(["persisted"]);
    await b.dispose();
  });

  it("reads take no lock; the first write starts BEGIN IMMEDIATE, so another writer waits the busy timeout and gets BusyError", async () => {
    const a = createEngine(url);
    const b = createEngine(url, { connectArgs: { timeout: 100 } });
    const ca = await a.connect();
    const cb = await b.connect();
    try {
      await ca.execute(select(t.c.id)); // a is in a transaction that has only read: no lock yet
      await cb.execute(insert(t).values({ name: "b wrote while a read" }));
      await cb.commit();
      await ca.execute(insert(t).values({ name: "a writes" })); // BEGIN IMMEDIATE: a holds the write lock now
      const error = await cb.execute(insert(t).values({ name: "blocked" })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BusyError);
      expect((error as BusyError).retryable).toBe(true);
      await cb.rollback();
      await ca.commit();
      await cb.execute(insert(t).values({ name: "b after a" }));
      await cb.commit();
    } finally {
      await ca.close();
      await cb.close();
    }
    expect(await names(a)).toEqual(["persisted", "b wrote while a read", "a writes", "b after a"]);
    await a.dispose();
    await b.dispose();
  });
});

describe("the better-sqlite3 driver's parameter binding", () => {
  it("binds parameters as arguments or as one array alike, and never reads a value as a list of parameters", async () => {
    const engine = createEngine("sqlite://");
    const driver = await engine.dialect.createDriver(engine.url, {});
    const dc = await driver.connect();
    const opts = { rows: true, bigintColumns: null } as const;
    try {
      // Plain values and bytes go in as separate arguments.
      const blob = Buffer.from([1, 2, 3]);
      expect((await dc.execute("SELECT ?, ?, ?, ?", [1, "x", blob, null], opts)).rows).toEqual([[1, "x", blob, null]]);
      // An array or object value is not spread into parameters: it fails as unbindable.
      await expect(async () => dc.execute("SELECT ?", [[1, 2]], opts)).rejects.toThrow(/bind/i);
      await expect(async () => dc.execute("SELECT ?", [{ a: 1 }], opts)).rejects.toThrow(/bind|named/i);
      // More parameters than go on the stack: one array.
      const many = Array.from({ length: 5000 }, (_, i) => i);
      const sql = `SELECT count(*) FROM (SELECT 1) WHERE 4999 IN (${many.map(() => "?").join(", ")})`;
      expect((await dc.execute(sql, many, opts)).rows).toEqual([[1]]);
    } finally {
      await dc.close();
      await driver.close?.();
      await engine.dispose();
    }
  });
});
