/**
 * Faults on a real server: killed connections (in a transaction, mid-query, idle in the pool), deadlocks and a
 * full pool. The process must survive each and the engine must keep working.
 */
import { column, DeadlockError, DisconnectError, Integer, insert, MetaData, type Result, select, Table, TimeoutError, update, Varchar } from "crucible";
import type { MysqlDialect } from "crucible/mysql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mysqlEngine, serverAvailable, uniqueName } from "./server.js";

describe.skipIf(!serverAvailable)("MySQL faults", () => {
  const prefix = `${uniqueName("fault")}_`;
  const engine = mysqlEngine();
  const md = new MetaData();
  const t = Table(`${prefix}t`, md, { id: column(Integer, { primaryKey: true }), v: column(Varchar(20)) });
  beforeAll(async () => {
    await md.createAll(engine);
    await engine.execute(
      insert(t).values([
        { id: 1, v: "one" },
        { id: 2, v: "two" },
      ]),
    );
  });
  afterAll(async () => {
    await md.dropAll(engine);
    await engine.dispose();
  });

  /** Runs `KILL id` from a connection of its own. */
  async function kill(...ids: number[]): Promise<void> {
    const killer = mysqlEngine({ pool: { max: 1 } });
    try {
      await using conn = await killer.connect();
      for (const id of ids) await conn.execDriverSql(`KILL ${id}`);
    } finally {
      await killer.dispose();
    }
  }

  const connectionId = async (conn: { execDriverSql(sql: string): Promise<Result> }) => Number((await conn.execDriverSql("SELECT CONNECTION_ID()")).scalar());

  it("the driver's backendId is the server's CONNECTION_ID()", async () => {
    const driver = await (engine.dialect as MysqlDialect).createDriver(engine.url, {});
    const dc = await driver.connect();
    try {
      const r = await dc.execute("SELECT CONNECTION_ID()", [], { rows: true, bigintColumns: null });
      expect(dc.backendId).toBe(r.rows[0][0]);
    } finally {
      await dc.close();
    }
  });

  it("a driver connection killed while idle starts its next transaction on a new server connection", async () => {
    const driver = await (engine.dialect as MysqlDialect).createDriver(engine.url, {});
    const dc = await driver.connect();
    try {
      const before = dc.backendId;
      await kill(before as number);
      await dc.begin(null);
      expect(dc.backendId).not.toBe(before);
      const r = await dc.execute("SELECT CONNECTION_ID()", [], { rows: true, bigintColumns: null });
      expect(r.rows[0][0]).toBe(dc.backendId);
      await dc.rollback();
      expect(await dc.ping()).toBe(true);
    } finally {
      await dc.close();
    }
    expect(await dc.ping()).toBe(false);
  });

  it("KILL mid-transaction: DisconnectError, nothing committed, the engine's next query works", async () => {
    const conn = await engine.connect();
    await conn.execute(insert(t).values({ id: 10, v: "uncommitted" }));
    await kill(await connectionId(conn));
    const e = await conn.execute(insert(t).values({ id: 11, v: "after kill" })).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(DisconnectError);
    expect((e as DisconnectError).retryable).toBe(true);
    await conn.commit();
    await conn.close();
    expect((await engine.execute(select(t.c.id).where(t.c.id.ge(10)))).all()).toEqual([]);
    expect((await engine.execute(select(t.c.v).where(t.c.id.eq(1)))).scalar()).toBe("one");
  });

  it("KILL during a running query is a DisconnectError at once", async () => {
    const conn = await engine.connect();
    const id = await connectionId(conn);
    const started = Date.now();
    const sleeping = conn.execDriverSql("SELECT SLEEP(20)").then(
      () => null,
      (err: unknown) => err,
    );
    await new Promise((r) => setTimeout(r, 200));
    await kill(id);
    expect(await sleeping).toBeInstanceOf(DisconnectError);
    expect(Date.now() - started).toBeLessThan(10_000);
    await conn.close();
    expect((await engine.execute(select(t.c.v).where(t.c.id.eq(2)))).scalar()).toBe("two");
  });

  it("killing every idle pooled connection: the process lives on and the next queries work", async () => {
    const pooled = mysqlEngine({ pool: { max: 3 } });
    try {
      const conns = await Promise.all([pooled.connect(), pooled.connect(), pooled.connect()]);
      const ids = await Promise.all(conns.map(connectionId));
      for (const c of conns) await c.close();
      expect(pooled.poolStatus).toMatchObject({ size: 3, inUse: 0 });
      await kill(...ids);
      // Let the server's disconnects arrive as 'error' events on the idle sockets (no listener would crash here).
      await new Promise((r) => setTimeout(r, 100));
      const results = await Promise.all([0, 1, 2].map(() => pooled.execute(select(t.c.v).where(t.c.id.eq(1)))));
      expect(results.map((r) => r.scalar())).toEqual(["one", "one", "one"]);
      // Killed right before use, with no time for the event: the transaction's start finds out and reconnects.
      await using conn = await pooled.connect();
      const before = await connectionId(conn);
      await conn.commit();
      await kill(before);
      expect((await conn.execute(select(t.c.v).where(t.c.id.eq(2)))).scalar()).toBe("two");
      expect(await connectionId(conn)).not.toBe(before);
    } finally {
      await pooled.dispose();
    }
  });

  it("two transactions deadlocking: exactly one DeadlockError, the other commits", async () => {
    const a = await engine.connect();
    const b = await engine.connect();
    try {
      await a.execute(update(t).values({ v: "a1" }).where(t.c.id.eq(1)));
      await b.execute(update(t).values({ v: "b2" }).where(t.c.id.eq(2)));
      const settle = (p: Promise<unknown>) =>
        p.then(
          () => "ok" as const,
          (err: unknown) => err,
        );
      const first = settle(a.execute(update(t).values({ v: "a2" }).where(t.c.id.eq(2))));
      await new Promise((r) => setTimeout(r, 100));
      const second = settle(b.execute(update(t).values({ v: "b1" }).where(t.c.id.eq(1))));
      const outcomes = await Promise.all([first, second]);
      const deadlocks = outcomes.filter((o) => o instanceof DeadlockError);
      expect(deadlocks).toHaveLength(1);
      expect(outcomes.filter((o) => o === "ok")).toHaveLength(1);
      expect((deadlocks[0] as DeadlockError).retryable).toBe(true);
      const winner = outcomes[0] === "ok" ? a : b;
      const loser = winner === a ? b : a;
      await loser.rollback();
      await winner.commit();
      const values = (
        await engine.execute(
          select(t.c.v)
            .where(t.c.id.in([1, 2]))
            .orderBy(t.c.id),
        )
      ).scalars();
      expect([...values]).toEqual(winner === a ? ["a1", "a2"] : ["b1", "b2"]);
    } finally {
      await a.close();
      await b.close();
      await engine.execute(update(t).values({ v: "one" }).where(t.c.id.eq(1)));
      await engine.execute(update(t).values({ v: "two" }).where(t.c.id.eq(2)));
    }
  });

  it("a full pool: TimeoutError after acquireTimeoutMs, and the pool recovers", async () => {
    const small = mysqlEngine({ pool: { max: 1, acquireTimeoutMs: 200 } });
    try {
      const held = await small.connect();
      await held.execDriverSql("SELECT 1");
      const started = Date.now();
      const e = await small.connect().then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(TimeoutError);
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
      await held.close();
      expect((await small.execute(select(t.c.v).where(t.c.id.eq(1)))).scalar()).toBe("one");
    } finally {
      await small.dispose();
    }
  });
});
