/** Transactions and savepoints on every dialect. */
import { column, delete_, Integer, insert, MetaData, select, Table, Varchar } from "crucible";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { forEachTarget } from "./dialects.js";

forEachTarget("transactions", (ctx) => {
  const md = new MetaData();
  const t = Table(ctx.name("cx_tx"), md, { id: column(Integer, { primaryKey: true }), name: column(Varchar(20)) });
  beforeAll(() => md.createAll(ctx.engine));
  afterAll(() => md.dropAll(ctx.engine));
  beforeEach(() => ctx.engine.begin(async (conn) => void (await conn.execute(delete_(t)))));
  const names = async (conn: { execute: typeof ctx.engine.execute }) => (await conn.execute(select(t.c.name).orderBy(t.c.id))).scalars();

  it("commit keeps and rollback discards (autobegin)", async () => {
    await using conn = await ctx.engine.connect();
    await conn.execute(insert(t).values({ id: 1, name: "kept" }));
    await conn.commit();
    await conn.execute(insert(t).values({ id: 2, name: "discarded" }));
    await conn.rollback();
    expect(await names(conn)).toEqual(["kept"]);
  });

  it("closing without commit rolls back", async () => {
    {
      await using conn = await ctx.engine.connect();
      await conn.execute(insert(t).values({ id: 1, name: "lost" }));
    }
    await using conn = await ctx.engine.connect();
    expect(await names(conn)).toEqual([]);
  });

  it("savepoints roll back alone and nest", async () => {
    await using conn = await ctx.engine.connect();
    await conn.execute(insert(t).values({ id: 1, name: "outer" }));
    const sp1 = await conn.beginNested();
    await conn.execute(insert(t).values({ id: 2, name: "sp1" }));
    const sp2 = await conn.beginNested();
    await conn.execute(insert(t).values({ id: 3, name: "sp2" }));
    await sp2.rollback();
    await sp1.commit();
    await conn.commit();
    expect(await names(conn)).toEqual(["outer", "sp1"]);
  });

  it("a failed statement inside a savepoint can be rolled back to it and the transaction goes on", async () => {
    await using conn = await ctx.engine.connect();
    await conn.execute(insert(t).values({ id: 1, name: "a" }));
    const sp = await conn.beginNested();
    await expect(conn.execute(insert(t).values({ id: 1, name: "duplicate" }))).rejects.toThrow();
    await sp.rollback();
    await conn.execute(insert(t).values({ id: 2, name: "b" }));
    await conn.commit();
    expect(await names(conn)).toEqual(["a", "b"]);
  });

  it("engine.begin(fn) commits or rolls back", async () => {
    await ctx.engine.begin(async (conn) => {
      await conn.execute(insert(t).values({ id: 1, name: "yes" }));
    });
    await expect(
      ctx.engine.begin(async (conn) => {
        await conn.execute(insert(t).values({ id: 2, name: "no" }));
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await using conn = await ctx.engine.connect();
    expect(await names(conn)).toEqual(["yes"]);
  });

  it("DDL inside a rolled-back transaction disappears where DDL is transactional", async () => {
    if (!ctx.capabilities.transactionalDDL) return;
    const md2 = new MetaData();
    const tmp = Table(ctx.name("cx_tx_ddl"), md2, { id: column(Integer, { primaryKey: true }) });
    await using conn = await ctx.engine.connect();
    for (const sql of ctx.engine.dialect.createDdlCompiler().createTable(tmp)) await conn.execDriverSql(sql);
    await conn.rollback();
    await conn.close();
    expect(await ctx.engine.inspector().hasTable(tmp.name)).toBe(false);
  });

  it("another connection sees committed rows only", async () => {
    if (!ctx.target.sharedDatabase) return;
    const other = ctx.otherEngine();
    await using writer = await ctx.engine.connect();
    await writer.execute(insert(t).values({ id: 1, name: "pending" }));
    await writer.commit();
    await writer.execute(insert(t).values({ id: 2, name: "uncommitted" }));
    await using reader = await other.connect();
    expect(await names(reader)).toEqual(["pending"]);
    await reader.rollback();
    await writer.rollback();
  });
});
