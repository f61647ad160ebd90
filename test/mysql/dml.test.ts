/**
 * Statements on the server: ON DUPLICATE KEY UPDATE, RETURNING (MariaDB), inserted ids, savepoints, huge IN lists,
 * streaming and isolation levels.
 */
import { BigInteger, column, insert as coreInsert, delete_, func, Integer, MetaData, select, Table, update, Varchar } from "crucible";
import { insert, type MysqlDialect } from "crucible/mysql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mysqlEngine, serverAvailable, tuples, uniqueName } from "./server.js";

describe.skipIf(!serverAvailable)("MySQL DML on the server", () => {
  const prefix = `${uniqueName("dml")}_`;
  const engine = mysqlEngine();
  const md = new MetaData();
  const kv = Table(`${prefix}kv`, md, {
    key: column(Varchar(20), { primaryKey: true }),
    value: column(Varchar(50)),
    hits: column(Integer, { nullable: false, default: 0 }),
  });
  const items = Table(`${prefix}items`, md, { id: column(Integer, { primaryKey: true }), name: column(Varchar(50), { nullable: false }) });
  const bigItems = Table(`${prefix}big_items`, md, { id: column(BigInteger, { primaryKey: true }), name: column(Varchar(50)) });
  beforeAll(() => md.createAll(engine));
  afterAll(async () => {
    await md.dropAll(engine);
    await engine.dispose();
  });

  it("learns the server at the first connection", async () => {
    await using conn = await engine.connect();
    await conn.execDriverSql("SELECT 1");
    const dialect = engine.dialect as MysqlDialect;
    const version = (await conn.execDriverSql("SELECT VERSION()")).scalar() as string;
    expect(dialect.server.version).toBe(version);
    expect(dialect.capabilities.insertReturning).toBe(
      dialect.server.flavor === "mariadb" && dialect.server.numbers[0] * 100 + dialect.server.numbers[1] >= 1005,
    );
  });

  it("ON DUPLICATE KEY UPDATE inserts, then updates with VALUES() and expressions", async () => {
    const upsert = (value: string) => {
      const stmt = insert(kv).values({ key: "a", value });
      return stmt.onDuplicateKeyUpdate({ value: stmt.inserted.value, hits: kv.c.hits.add(1) });
    };
    expect((await engine.execute(upsert("first"))).rowCount).toBe(1);
    // MySQL counts an updated row twice.
    expect((await engine.execute(upsert("second"))).rowCount).toBe(2);
    await engine.execute(upsert("third"));
    expect(tuples((await engine.execute(select(kv.c.value, kv.c.hits).where(kv.c.key.eq("a")))).all())).toEqual([["third", 2]]);
  });

  it("insertedPrimaryKey of a single-row INSERT, Integer and BigInteger", async () => {
    await using conn = await engine.connect();
    const a = await conn.execute(coreInsert(items).values({ name: "a" }));
    const b = await conn.execute(coreInsert(items).values({ name: "b" }));
    expect(a.insertedPrimaryKey).toEqual([expect.any(Number)]);
    expect(b.insertedPrimaryKey).toEqual([(a.insertedPrimaryKey?.[0] as number) + 1]);
    await conn.execute(coreInsert(bigItems).values({ id: 9223372036854775800n, name: "high" }));
    const c = await conn.execute(coreInsert(bigItems).values({ name: "next" }));
    expect(c.insertedPrimaryKey).toEqual([9223372036854775801n]);
    await conn.rollback();
  });

  it("a multi-row INSERT: ids are the first insert id + i × auto_increment_increment", async () => {
    const dialect = engine.dialect as MysqlDialect;
    const driver = await dialect.createDriver(engine.url, {});
    const dc = await driver.connect();
    try {
      const names = ["m1", "m2", "m3", "m4"];
      const r = await dc.execute(`INSERT INTO ${items.name} (name) VALUES ${names.map(() => "(?)").join(", ")}`, names, { rows: false, bigintColumns: null });
      expect(r.rowsAffected).toBe(4);
      expect(r.lastInsertId).not.toBeNull();
      const range = dialect.insertedIdRange(r.lastInsertId as number, r.rowsAffected);
      const ids = names.map((_, i) => (range.first as number) + i * range.step);
      const read = await dc.execute(`SELECT id, name FROM ${items.name} WHERE name LIKE 'm%' ORDER BY id`, [], { rows: true, bigintColumns: null });
      expect(read.rows).toEqual(ids.map((id, i) => [id, names[i]]));
    } finally {
      await dc.close();
      await driver.close?.();
    }
  });

  it("RETURNING on MariaDB: multi-row INSERT in VALUES order, and DELETE", async (ctx) => {
    if (!engine.dialect.capabilities.insertReturning) ctx.skip();
    await using conn = await engine.connect();
    const rows = (
      await conn.execute(
        coreInsert(items)
          .values([{ name: "r1" }, { name: "r2" }, { name: "r3" }])
          .returning(items.c.id, items.c.name),
      )
    ).all();
    expect(rows.map((r) => r.name)).toEqual(["r1", "r2", "r3"]);
    const ids = rows.map((r) => r.id);
    expect(ids[1]).toBe(ids[0] + 1);
    const one = await conn.execute(coreInsert(items).values({ name: "r4" }).returning(items.c.id));
    expect(one.insertedPrimaryKey).toEqual([ids[2] + 1]);
    const deleted = (
      await conn.execute(
        delete_(items)
          .where(items.c.name.in(["r1", "r3"]))
          .returning(items.c.name),
      )
    ).scalars();
    expect([...deleted].sort()).toEqual(["r1", "r3"]);
    await conn.rollback();
  });

  it("UPDATE reports matched rows (unchanged rows count)", async () => {
    await using conn = await engine.connect();
    await conn.execute(coreInsert(items).values([{ name: "same" }, { name: "same" }]));
    expect((await conn.execute(update(items).values({ name: "same" }).where(items.c.name.eq("same")))).rowCount).toBe(2);
    await conn.rollback();
  });

  it("savepoints: a rolled-back nested transaction undoes only its own work", async () => {
    await using conn = await engine.connect();
    await conn.execute(coreInsert(items).values({ name: "outer" }));
    const sp = await conn.beginNested();
    await conn.execute(coreInsert(items).values({ name: "inner-undone" }));
    await sp.rollback();
    const sp2 = await conn.beginNested();
    await conn.execute(coreInsert(items).values({ name: "inner-kept" }));
    await sp2.commit();
    await conn.commit();
    const names = (
      await engine.execute(
        select(items.c.name)
          .where(items.c.name.in(["outer", "inner-undone", "inner-kept"]))
          .orderBy(items.c.name),
      )
    ).scalars();
    expect([...names]).toEqual(["inner-kept", "outer"]);
  });

  it("IN lists of 100,000 values (beyond the 65,535-parameter limit), numbers and strings", async () => {
    await using conn = await engine.connect();
    const before = (await conn.execute(select(items.c.id).orderBy(items.c.id))).scalars();
    const ids = Array.from({ length: 100_000 }, (_, i) => i + 1);
    const found = (await conn.execute(select(items.c.id).where(items.c.id.in(ids)).orderBy(items.c.id))).scalars();
    expect([...found]).toEqual(before.filter((id) => id <= 100_000));
    const names = Array.from({ length: 100_000 }, (_, i) => `name ${i} 😀`);
    names.push("outer");
    expect([...(await conn.execute(select(items.c.name).where(items.c.name.in(names)))).scalars()]).toEqual(["outer"]);
    expect((await conn.execute(select(items.c.id).where(items.c.id.notIn(ids)))).scalars()).toEqual(before.filter((id) => id > 100_000));
  });

  it("an empty IN list is false, NOT IN true", async () => {
    await using conn = await engine.connect();
    expect((await conn.execute(select(items.c.id).where(items.c.id.in([])))).all()).toEqual([]);
    const all = (await conn.execute(select(items.c.id))).all().length;
    expect((await conn.execute(select(items.c.id).where(items.c.id.notIn([])))).all()).toHaveLength(all);
  });

  it("streams in chunks; stopping early leaves the connection usable", async () => {
    await using conn = await engine.connect();
    await conn.execute(coreInsert(items).values(Array.from({ length: 2500 }, (_, i) => ({ name: `s${i}` }))));
    let count = 0;
    for await (const row of conn.stream(select(items.c.name).where(items.c.name.like("s%")).orderBy(items.c.id), undefined, { chunkSize: 100 })) {
      expect(row.name).toBe(`s${count}`);
      count++;
    }
    expect(count).toBe(2500);
    let seen = 0;
    for await (const _ of conn.stream(select(items.c.name).where(items.c.name.like("s%")), undefined, { chunkSize: 10 })) if (++seen === 15) break;
    expect(seen).toBe(15);
    expect((await conn.execDriverSql("SELECT 1")).scalar()).toBe(1);
    await conn.rollback();
  });

  it("the isolation level applies to each transaction (READ COMMITTED sees other commits)", async () => {
    await engine.execute(coreInsert(kv).values({ key: "iso", value: "v1" }));
    const readCommitted = mysqlEngine({ isolationLevel: "READ COMMITTED" });
    try {
      for (const [eng, expected] of [
        [engine, "v1"],
        [readCommitted, "v2"],
      ] as const) {
        await using conn = await eng.connect();
        expect((await conn.execute(select(kv.c.value).where(kv.c.key.eq("iso")))).scalar()).toBe("v1");
        await engine.execute(update(kv).values({ value: "v2" }).where(kv.c.key.eq("iso")));
        expect((await conn.execute(select(kv.c.value).where(kv.c.key.eq("iso")))).scalar()).toBe(expected);
        await conn.rollback();
        await engine.execute(update(kv).values({ value: "v1" }).where(kv.c.key.eq("iso")));
      }
    } finally {
      await readCommitted.dispose();
    }
  });

  it("escaping follows the session's NO_BACKSLASH_ESCAPES mode, also when it changes", async () => {
    const tricky = "back\\slash 'quote' \\' end \\";
    await using conn = await engine.connect();
    for (const mode of ["CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')", "REPLACE(@@sql_mode, 'NO_BACKSLASH_ESCAPES', '')"]) {
      await conn.execDriverSql(`SET SESSION sql_mode = ${mode}`);
      await conn.execute(coreInsert(kv).values({ key: "esc", value: tricky }));
      expect((await conn.execute(select(kv.c.value).where(kv.c.value.eq(tricky)))).scalar()).toBe(tricky);
      expect((await conn.execDriverSql("SELECT ?", [tricky])).scalar()).toBe(tricky);
      await conn.execute(delete_(kv).where(kv.c.key.eq("esc")));
    }
    await conn.rollback();
  });

  it("the emulated constructs run on the server", async () => {
    await using conn = await engine.connect();
    await conn.execute(
      coreInsert(kv).values([
        { key: "c1", value: null, hits: 3 },
        { key: "c2", value: "b", hits: 1 },
        { key: "c3", value: "A", hits: 2 },
      ]),
    );
    const mine = kv.c.key.in(["c1", "c2", "c3"]);
    const q = (stmt: Parameters<typeof conn.execute>[0]) => conn.execute(stmt).then((r) => [...r.scalars()]);
    expect(await q(select(kv.c.key.concat("-").concat(kv.c.key)).where(kv.c.key.eq("c1")))).toEqual(["c1-c1"]);
    expect(await q(select(kv.c.key).where(mine, kv.c.value.isDistinctFrom("b")).orderBy(kv.c.key))).toEqual(["c1", "c3"]);
    expect(await q(select(kv.c.key).where(mine, kv.c.value.isNotDistinctFrom(null as unknown as string)))).toEqual(["c1"]);
    expect(await q(select(kv.c.key).where(mine, kv.c.value.ilike("a")))).toEqual(["c3"]);
    expect(await q(select(kv.c.key).where(mine).orderBy(kv.c.value.asc().nullsLast()))).toEqual(["c3", "c2", "c1"]);
    expect(await q(select(kv.c.key).where(mine).orderBy(kv.c.value.desc().nullsFirst()))).toEqual(["c1", "c2", "c3"]);
    expect(await q(select(kv.c.key).where(mine).orderBy(kv.c.hits).offset(1))).toEqual(["c3", "c1"]);
    expect(
      await q(
        select(kv.c.key)
          .where(mine)
          .intersect(select(kv.c.key).where(kv.c.hits.ge(2)))
          .orderBy(kv.c.key),
      ),
    ).toEqual(["c1", "c3"]);
    expect(await q(select(kv.c.key).where(kv.c.key.eq("c2")).forUpdate({ read: true }))).toEqual(["c2"]);
    expect(await q(select(func.count().filter(kv.c.hits.gt(1))).where(mine))).toEqual([2]);
    const busy = select(kv.c.key, kv.c.hits).where(mine, kv.c.hits.ge(2)).cte("busy");
    await conn.execute(coreInsert(items).fromSelect(["name"], select(busy.c.key)));
    expect(
      await q(
        select(items.c.name)
          .where(items.c.name.in(["c1", "c3"]))
          .orderBy(items.c.name),
      ),
    ).toEqual(["c1", "c3"]);
    await conn.rollback();
  });

  it("a '?' inside a string literal is not a placeholder", async () => {
    await using conn = await engine.connect();
    const r = await conn.execDriverSql("SELECT '?', ?, 'it''s ?'", ["x"]);
    expect(r.raw()).toEqual([["?", "x", "it's ?"]]);
  });
});
