/**
 * Fault tests against the real server: a backend killed mid-transaction, a server "restart" (every idle backend of
 * the pool terminated), two transactions deadlocking, and a pool with no free connection.
 */
import { column, DeadlockError, DisconnectError, type Engine, Integer, MetaData, select, Table, TimeoutError, text, update } from "crucible";
import { insert } from "crucible/postgresql";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineFor, SERVER_URL, serverAvailable, TARGETS, uniqueName } from "./targets.js";

const server = TARGETS[1];

/** A plain pg client outside Crucible, playing the DBA. */
async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(SERVER_URL);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const terminate = (pids: readonly number[]) =>
  admin((c) => c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY($1::int[])", [pids as number[]]));

/** Waits until the server no longer lists these backends (the terminated sessions have ended). */
async function gone(pids: readonly number[]): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = await admin((c) => c.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ANY($1::int[])", [pids as number[]]));
    if (r.rows[0].n === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // Let the clients receive the server's goodbye before the next step.
  await new Promise((resolve) => setTimeout(resolve, 50));
}

describe.skipIf(!serverAvailable)("faults (server)", () => {
  let engine: Engine;
  const md = new MetaData();
  const t = Table(uniqueName("faults"), md, { id: column(Integer, { primaryKey: true, autoincrement: false }), n: column(Integer) });

  beforeAll(async () => {
    engine = engineFor(server);
    await md.createAll(engine);
  });
  afterAll(async () => {
    await md.dropAll(engine);
    await engine.dispose();
  });

  it("a backend killed mid-transaction is a DisconnectError; nothing is committed; the engine goes on", async () => {
    const conn = await engine.connect();
    const pid = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar() as number;
    await conn.execute(insert(t).values({ id: 1, n: 1 }));
    await terminate([pid]);
    await gone([pid]);
    const err = await conn.execute(insert(t).values({ id: 2, n: 2 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DisconnectError);
    expect((err as DisconnectError).retryable).toBe(true);
    await conn.close();
    expect((await engine.execute(select(t.c.id))).all()).toEqual([]);
    const fresh = (await engine.execute(text("SELECT pg_backend_pid()"))).scalar();
    expect(fresh).not.toBe(pid);
  });

  it("a server restart (all idle backends terminated) neither crashes the process nor fails the next query", async () => {
    for (const prePing of [false, true]) {
      const e = engineFor(server, { pool: { max: 3, prePing } });
      try {
        const conns = await Promise.all([e.connect(), e.connect(), e.connect()]);
        const pids = await Promise.all(conns.map(async (c) => (await c.execute(text("SELECT pg_backend_pid()"))).scalar() as number));
        for (const c of conns) await c.close();
        expect(e.poolStatus).toMatchObject({ size: 3, inUse: 0 });
        await terminate(pids);
        await gone(pids);
        // Every pooled connection is dead; the pool replaces them without a failed query.
        const after = await Promise.all([0, 1, 2].map(() => e.execute(text("SELECT pg_backend_pid()"))));
        for (const r of after) expect(pids).not.toContain(r.scalar());
      } finally {
        await e.dispose();
      }
    }
  });

  it("a connection that dies while checked out fails once, is discarded, and the next one works", async () => {
    const e = engineFor(server, { pool: { max: 1 } });
    try {
      await using conn = await e.connect();
      const pid = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar() as number;
      await conn.commit();
      await terminate([pid]);
      await gone([pid]);
      await expect(conn.execute(text("SELECT 1"))).rejects.toBeInstanceOf(DisconnectError);
      // The connection object gets a fresh pooled connection on its next statement.
      expect((await conn.execute(text("SELECT 41 + 1"))).scalar()).toBe(42);
    } finally {
      await e.dispose();
    }
  });

  it("close() whose ROLLBACK finds the connection dead gives it back to the pool once, not twice", async () => {
    const e = engineFor(server, { pool: { max: 2 } });
    try {
      const conn = await e.connect();
      const pid = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar() as number;
      await terminate([pid]);
      await gone([pid]);
      // close() rolls the open transaction back: the ROLLBACK finds the connection gone, which discards it.
      await conn.close().catch(() => undefined);
      expect(e.poolStatus).toMatchObject({ inUse: 0 });
      expect((e.poolStatus?.size ?? 0) >= 0).toBe(true);
      expect((await e.execute(text("SELECT 41 + 1"))).scalar()).toBe(42);
      expect(e.poolStatus).toMatchObject({ inUse: 0 });
    } finally {
      await e.dispose();
    }
  });

  it("two transactions deadlocking: exactly one DeadlockError, the other commits", async () => {
    await engine.execute(
      insert(t).values([
        { id: 10, n: 0 },
        { id: 11, n: 0 },
      ]),
    );
    const a = await engine.connect();
    const b = await engine.connect();
    try {
      await a.execute(update(t).where(t.c.id.eq(10)).values({ n: 1 }));
      await b.execute(update(t).where(t.c.id.eq(11)).values({ n: 2 }));
      const crossed = await Promise.allSettled([
        a.execute(update(t).where(t.c.id.eq(11)).values({ n: 1 })).then(() => a.commit()),
        b.execute(update(t).where(t.c.id.eq(10)).values({ n: 2 })).then(() => b.commit()),
      ]);
      const failed = crossed.filter((r) => r.status === "rejected");
      expect(failed).toHaveLength(1);
      const reason = (failed[0] as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(DeadlockError);
      expect(reason.retryable).toBe(true);
      expect(reason.code).toBe("40P01");
      const winner = crossed[0].status === "fulfilled" ? 1 : 2;
      const rows = (
        await engine.execute(
          select(t.c.n)
            .where(t.c.id.in([10, 11]))
            .orderBy(t.c.id),
        )
      ).scalars();
      expect(rows).toEqual([winner, winner]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("a full pool times out with a TimeoutError and recovers when a connection is returned", async () => {
    const e = engineFor(server, { pool: { max: 1, acquireTimeoutMs: 200 } });
    try {
      const held = await e.connect();
      const started = Date.now();
      const err = await e.connect().catch((x: unknown) => x);
      expect(err).toBeInstanceOf(TimeoutError);
      expect((err as TimeoutError).message).toMatch(/raise pool.max/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
      await held.close();
      await using again = await e.connect();
      expect((await again.execute(text("SELECT 1"))).scalar()).toBe(1);
    } finally {
      await e.dispose();
    }
  });
});
