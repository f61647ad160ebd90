/**
 * PostgreSQL constructs executed on both targets: upserts, RETURNING, DISTINCT ON, ILIKE, JSONB paths, LATERAL,
 * FILTER, savepoints, IN lists (empty, and 100,000 values), streaming through a server-side cursor, isolation levels.
 */
import {
  column,
  createEngine,
  DateTime,
  delete_,
  type Engine,
  Enum,
  ForeignKey,
  func,
  Integer,
  JSON,
  literal,
  MetaData,
  select,
  Table,
  Text,
  text,
  update,
  Varchar,
} from "crucible";
import { insert, jsonPath, jsonPathText } from "crucible/postgresql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineFor, TARGETS, uniqueName } from "./targets.js";

for (const target of TARGETS) {
  describe.skipIf(!target.available)(`queries (${target.name})`, () => {
    let engine: Engine;
    const md = new MetaData();
    const users = Table(uniqueName("users"), md, {
      id: column(Integer, { primaryKey: true }),
      email: column(Varchar(100), { nullable: false, unique: true }),
      name: column(Varchar(50)),
      visits: column(Integer, { default: 0, nullable: false }),
      status: column(Enum(["new", "active", "gone"])),
    });
    const posts = Table(uniqueName("posts"), md, {
      id: column(Integer, { primaryKey: true }),
      userId: column(Integer, ForeignKey(`${users.name}.id`, { onDelete: "CASCADE" }), { name: "user_id", nullable: false }),
      title: column(Text, { nullable: false }),
      posted: column(DateTime(), { nullable: false }),
      meta: column(JSON<{ tags: string[]; owner: { name: string } }>()),
    });

    beforeAll(async () => {
      engine = engineFor(target);
      await md.createAll(engine);
      await engine.begin(async (conn) => {
        await conn.execute(
          insert(users).values([
            { email: "spongebob@sea.org", name: "SpongeBob", status: "active" },
            { email: "sandy@tree.dome", name: "Sandy 50% Cheeks", status: "new" },
            { email: "patrick@rock.org", name: "patrick", status: "gone" },
          ]),
        );
        const day = (d: number) => new Date(Date.UTC(2024, 0, d));
        await conn.execute(
          insert(posts).values([
            { userId: 1, title: "first", posted: day(1), meta: { tags: ["a", "b"], owner: { name: "sb" } } },
            { userId: 1, title: "second", posted: day(3), meta: { tags: ["c"], owner: { name: "sb" } } },
            { userId: 2, title: "karate", posted: day(2), meta: { tags: [], owner: { name: "it's sandy" } } },
          ]),
        );
      });
    });
    afterAll(async () => {
      await md.dropAll(engine);
      await engine.dispose();
    });

    it("INSERT returns the new key; RETURNING on INSERT, UPDATE and DELETE", async () => {
      await using conn = await engine.connect();
      const one = await conn.execute(insert(users).values({ email: "gary@snail.org" }));
      expect(one.insertedPrimaryKey).toEqual([4]);
      const many = await conn.execute(
        insert(users)
          .values([{ email: "a@x" }, { email: "b@x" }])
          .returning(users.c.id, users.c.email),
      );
      expect(many.all().map((r) => [...r])).toEqual([
        [5, "a@x"],
        [6, "b@x"],
      ]);
      const upd = await conn.execute(
        update(users)
          .where(users.c.id.ge(5))
          .values({ visits: users.c.visits.add(2) })
          .returning(users.c.id, users.c.visits),
      );
      expect(upd.rowCount).toBe(2);
      expect(upd.all().map((r) => r.visits)).toEqual([2, 2]);
      const del = await conn.execute(delete_(users).where(users.c.id.ge(4)).returning(users.c.email));
      expect(del.scalars().sort()).toEqual(["a@x", "b@x", "gary@snail.org"]);
      await conn.rollback();
    });

    it("upserts: ON CONFLICT DO NOTHING and DO UPDATE with excluded and the existing row", async () => {
      await using conn = await engine.connect();
      const stmt = insert(users).values({ email: "sandy@tree.dome", name: "Sandy", visits: 5 });
      const nothing = await conn.execute(stmt.onConflictDoNothing({ indexElements: ["email"] }).returning(users.c.id));
      expect(nothing.all()).toEqual([]);
      const upsert = stmt
        .onConflictDoUpdate({ indexElements: ["email"], set: { name: stmt.excluded.name, visits: users.c.visits.add(stmt.excluded.visits) } })
        .returning(users.c.id, users.c.name, users.c.visits);
      expect([...(await conn.execute(upsert)).all()[0]]).toEqual([2, "Sandy", 5]);
      expect([...(await conn.execute(upsert)).all()[0]]).toEqual([2, "Sandy", 10]);
      const guarded = stmt.onConflictDoUpdate({ indexElements: ["email"], set: { visits: 0 }, where: users.c.visits.lt(3) }).returning(users.c.id);
      expect((await conn.execute(guarded)).all()).toEqual([]);
      await conn.rollback();
    });

    it("DISTINCT ON picks one row per group in ORDER BY order", async () => {
      const latest = select(posts.c.userId, posts.c.title).distinctOn(posts.c.userId).orderBy(posts.c.userId, posts.c.posted.desc());
      expect((await engine.execute(latest)).all().map((r) => [...r])).toEqual([
        [1, "second"],
        [2, "karate"],
      ]);
    });

    it("ILIKE matches case-insensitively; contains() escapes % and _", async () => {
      expect((await engine.execute(select(users.c.id).where(users.c.name.ilike("%BOB")))).scalars()).toEqual([1]);
      expect((await engine.execute(select(users.c.id).where(users.c.name.notIlike("p%")).orderBy(users.c.id))).scalars()).toEqual([1, 2]);
      expect((await engine.execute(select(users.c.id).where(users.c.name.contains("50%")))).scalars()).toEqual([2]);
      expect((await engine.execute(select(users.c.id).where(users.c.name.contains("0%C")))).scalars()).toEqual([]);
    });

    it("JSONB paths read values and filter", async () => {
      const tags = select(posts.c.title, jsonPath<string[]>(posts.c.meta, ["tags"]).label("tags"), jsonPath(posts.c.meta, ["tags", 0]).label("first"))
        .orderBy(posts.c.id)
        .limit(2);
      expect((await engine.execute(tags)).all().map((r) => [...r])).toEqual([
        ["first", ["a", "b"], "a"],
        ["second", ["c"], "c"],
      ]);
      const owner = jsonPathText(posts.c.meta, ["owner", "name"]);
      expect((await engine.execute(select(posts.c.id).where(owner.eq("it's sandy")))).scalars()).toEqual([3]);
      expect((await engine.execute(select(jsonPathText(posts.c.meta, ["tags"]).label("t")).where(posts.c.id.eq(3)))).scalar()).toBe("[]");
    });

    it("LATERAL subqueries and aggregate FILTER", async () => {
      const last = select(posts.c.title).where(posts.c.userId.eq(users.c.id)).orderBy(posts.c.posted.desc()).limit(1).lateral("last_post");
      const stmt = select(users.c.name, last.c.title).selectFrom(users).join(last, users.c.id.isNotNull()).orderBy(users.c.id);
      expect((await engine.execute(stmt)).all().map((r) => [...r])).toEqual([
        ["SpongeBob", "second"],
        ["Sandy 50% Cheeks", "karate"],
      ]);
      const counts = select(func.count().label("all"), func.count().filter(posts.c.userId.eq(1)).label("bob"));
      expect([...(await engine.execute(counts.selectFrom(posts))).all()[0]]).toEqual([3, 2]);
    });

    it("functions take integer arguments whatever their overloads", async () => {
      expect((await engine.execute(select(func.generate_series(1, 4).label("g")))).scalars()).toEqual([1, 2, 3, 4]);
      const stmt = select(func.round(literal("2.345"), 2).label("r"), func.left("crucible", 4).label("l"), func.power(2, 10).label("p"));
      expect([...(await engine.execute(stmt)).all()[0]]).toEqual(["2.35", "cruc", 1024]);
      const tiles = select(users.c.id, func.ntile(2).over({ orderBy: users.c.id }).label("tile")).orderBy(users.c.id);
      expect((await engine.execute(tiles)).all().map((r) => r.tile)).toEqual([1, 1, 2]);
    });

    it("savepoints: a rolled-back nested transaction keeps the outer one", async () => {
      {
        // PGlite has one connection: this one must be closed before the engine runs the checks below.
        await using conn = await engine.connect();
        await conn.execute(update(users).where(users.c.id.eq(1)).values({ visits: 100 }));
        const sp = await conn.beginNested();
        await conn.execute(update(users).where(users.c.id.eq(1)).values({ visits: 200 }));
        await sp.rollback();
        const sp2 = await conn.beginNested();
        await conn.execute(update(users).where(users.c.id.eq(2)).values({ visits: 7 }));
        await sp2.commit();
        await conn.commit();
      }
      const rows = (
        await engine.execute(
          select(users.c.visits)
            .where(users.c.id.in([1, 2]))
            .orderBy(users.c.id),
        )
      ).scalars();
      expect(rows).toEqual([100, 7]);
      await engine.execute(update(users).values({ visits: 0 }));
    });

    it("a failed statement inside a savepoint can be rolled back and the transaction goes on", async () => {
      await using conn = await engine.connect();
      const sp = await conn.beginNested();
      await expect(conn.execute(insert(users).values({ id: 1, email: "dup@x" }))).rejects.toThrow(/duplicate key/);
      await sp.rollback();
      expect((await conn.execute(select(func.count()).selectFrom(users))).scalar()).toBe(3);
      await conn.rollback();
    });

    it("IN lists: empty ones are valid for any column type; 100,000 values go in as one array", async () => {
      expect((await engine.execute(select(users.c.id).where(users.c.id.in([])))).all()).toEqual([]);
      expect((await engine.execute(select(func.count()).selectFrom(users).where(users.c.name.notIn([])))).scalar()).toBe(3);
      expect((await engine.execute(select(users.c.id).where(users.c.status.in([])))).all()).toEqual([]);
      expect(
        (
          await engine.execute(
            select(users.c.id)
              .where(users.c.status.in(["new", "gone"]))
              .orderBy(users.c.id),
          )
        ).scalars(),
      ).toEqual([2, 3]);
      const ids = Array.from({ length: 100_000 }, (_, i) => i + 1);
      expect((await engine.execute(select(func.count()).selectFrom(users).where(users.c.id.in(ids)))).scalar()).toBe(3);
      expect(
        (
          await engine.execute(
            select(func.count())
              .selectFrom(users)
              .where(users.c.id.notIn(ids.slice(1))),
          )
        ).scalar(),
      ).toBe(1);
      const emails = ids.map((i) => `${i}@nowhere`).concat(["sandy@tree.dome"]);
      expect((await engine.execute(select(users.c.id).where(users.c.email.in(emails)))).scalars()).toEqual([2]);
      const statuses = ids.map((i) => (i % 2 ? "gone" : "new") as "gone" | "new");
      expect((await engine.execute(select(func.count()).selectFrom(users).where(users.c.status.in(statuses)))).scalar()).toBe(2);
    });

    it("streams rows through a server-side cursor in chunks, also when the reader stops early", async () => {
      await using conn = await engine.connect();
      const series = select(func.generate_series(1, 2500).label("n"));
      let count = 0;
      let sum = 0;
      for await (const row of conn.stream(series, undefined, { chunkSize: 300 })) {
        count++;
        sum += row.n as number;
      }
      expect([count, sum]).toEqual([2500, (2500 * 2501) / 2]);
      let seen = 0;
      for await (const _ of conn.stream(series, undefined, { chunkSize: 100 })) if (++seen === 150) break;
      expect(seen).toBe(150);
      const open = await conn.execute(text("SELECT count(*) FROM pg_cursors"));
      expect(open.scalar()).toBe(0);
      // INSERT ... RETURNING cannot be a cursor: it runs once and streams its rows.
      const returned: unknown[] = [];
      for await (const row of conn.stream(insert(users).values({ email: "streamed@x" }).returning(users.c.email))) returned.push(row.email);
      expect(returned).toEqual(["streamed@x"]);
      await conn.rollback();
    });

    it("transactions use the engine's isolation level", async () => {
      const serializable = createEngine(target.url, { isolationLevel: "SERIALIZABLE" });
      try {
        expect((await serializable.execute(text("SHOW transaction_isolation"))).scalar()).toBe("serializable");
      } finally {
        await serializable.dispose();
      }
      expect((await engine.execute(text("SHOW transaction_isolation"))).scalar()).toBe("read committed");
    });

    it("FOR UPDATE variants run", async () => {
      await using conn = await engine.connect();
      for (const options of [{}, { nowait: true }, { skipLocked: true, of: [users] }, { read: true }])
        expect((await conn.execute(select(users.c.id).where(users.c.id.eq(1)).forUpdate(options))).scalars()).toEqual([1]);
      await conn.rollback();
    });
  });
}
