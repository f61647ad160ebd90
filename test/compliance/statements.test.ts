/** Core statements on every dialect: the same SQL constructs must give the same rows. */
import {
  bindparam,
  case_,
  cast,
  column,
  delete_,
  except_,
  exists,
  ForeignKey,
  func,
  Integer,
  insert,
  intersect,
  MetaData,
  not_,
  or_,
  select,
  Table,
  type TableObject,
  text,
  tuple_,
  union,
  unionAll,
  update,
  Varchar,
} from "crucible";
import { insert as duplicateKeyInsert } from "crucible/mysql";
import { insert as onConflictInsert } from "crucible/sqlite";
import { afterAll, beforeAll, expect, it } from "vitest";
import { forEachTarget } from "./dialects.js";

const tuples = (rows: Iterable<Iterable<unknown>>) => [...rows].map((r) => [...r]);

forEachTarget("statements", (ctx) => {
  const md = new MetaData();
  const users = Table(ctx.name("cx_users"), md, {
    id: column(Integer, { primaryKey: true, autoincrement: false }),
    name: column(Varchar(30), { nullable: false }),
    fullname: column(Varchar(100)),
  });
  const addresses = Table(ctx.name("cx_addresses"), md, {
    id: column(Integer, { primaryKey: true, autoincrement: false }),
    user_id: column(Integer, ForeignKey(`${users.name}.id`), { nullable: false }),
    email: column(Varchar(100), { nullable: false }),
  });
  const scratch = Table(ctx.name("cx_scratch"), md, {
    id: column(Integer, { primaryKey: true }),
    label: column(Varchar(50)),
    n: column(Integer, { nullable: false, default: 0 }),
  });
  const keyed = Table(ctx.name("cx_keyed"), md, {
    a: column(Integer, { primaryKey: true, autoincrement: false }),
    b: column(Varchar(10), { primaryKey: true }),
    v: column(Integer),
  });
  const run = (stmt: Parameters<typeof ctx.engine.execute>[0], params?: Record<string, unknown>) => ctx.engine.execute(stmt, params);
  const rows = async (stmt: Parameters<typeof ctx.engine.execute>[0]) => tuples((await run(stmt)).all());

  beforeAll(async () => {
    await md.createAll(ctx.engine);
    await run(
      insert(users).values([
        { id: 1, name: "spongebob", fullname: "Spongebob Squarepants" },
        { id: 2, name: "sandy", fullname: "Sandy Cheeks" },
        { id: 3, name: "patrick", fullname: null },
      ]),
    );
    await run(
      insert(addresses).values([
        { id: 1, user_id: 1, email: "spongebob@sqlalchemy.org" },
        { id: 2, user_id: 2, email: "sandy@sqlalchemy.org" },
        { id: 3, user_id: 2, email: "sandy@squirrelpower.org" },
      ]),
    );
  });
  afterAll(() => md.dropAll(ctx.engine));

  it("select with where, order by, limit and offset", async () => {
    expect(await rows(select(users.c.id, users.c.name).where(users.c.id.gt(1)).orderBy(users.c.id.desc()).limit(1).offset(1))).toEqual([[2, "sandy"]]);
    expect(await rows(select(users.c.id).orderBy(users.c.id).offset(2))).toEqual([[3]]);
  });

  it("eq(null) is IS NULL; in([]) is false and notIn([]) true; and/or/not", async () => {
    expect(await rows(select(users.c.id).where(users.c.fullname.eq(null)))).toEqual([[3]]);
    expect(await rows(select(users.c.id).where(users.c.fullname.ne(null)).orderBy(users.c.id))).toEqual([[1], [2]]);
    expect(await rows(select(users.c.id).where(users.c.id.in([])))).toEqual([]);
    expect(await rows(select(users.c.id).where(users.c.id.notIn([])).orderBy(users.c.id))).toEqual([[1], [2], [3]]);
    expect(
      await rows(
        select(users.c.id)
          .where(or_(users.c.id.eq(1), not_(users.c.name.like("s%"))))
          .orderBy(users.c.id),
      ),
    ).toEqual([[1], [3]]);
  });

  it("IN lists: expanded, and 100,000 elements", async () => {
    expect(
      await rows(
        select(users.c.id)
          .where(users.c.name.in(["sandy", "patrick"]))
          .orderBy(users.c.id),
      ),
    ).toEqual([[2], [3]]);
    const many = Array.from({ length: 100_000 }, (_, i) => i + 2);
    expect(await rows(select(users.c.id).where(users.c.id.in(many)).orderBy(users.c.id))).toEqual([[2], [3]]);
    expect(await rows(select(users.c.id).where(users.c.id.notIn(many)))).toEqual([[1]]);
  });

  it("row-value IN lists, short and of 40,000 rows", async () => {
    const pairs = (n: number) => Array.from({ length: n }, (_, i) => [i + 2, i === 0 ? "sandy" : `o'brien; ${i}`] as [number, string]);
    const byPair = (list: [number, string][]) => select(users.c.id).where(tuple_(users.c.id, users.c.name).in(list)).orderBy(users.c.id);
    expect(
      await rows(
        byPair([
          [2, "sandy"],
          [3, "nobody"],
        ]),
      ),
    ).toEqual([[2]]);
    expect(await rows(byPair(pairs(40_000)))).toEqual([[2]]);
    expect(
      await rows(
        select(users.c.id)
          .where(tuple_(users.c.id, users.c.name).notIn(pairs(40_000)))
          .orderBy(users.c.id),
      ),
    ).toEqual([[1], [3]]);
  });

  it("LIKE helpers match % and _ literally", async () => {
    await run(insert(scratch).values([{ label: "100%" }, { label: "100 percent" }, { label: "a_b" }, { label: "axb" }]));
    try {
      expect(await rows(select(scratch.c.label).where(scratch.c.label.contains("0%")))).toEqual([["100%"]]);
      expect(await rows(select(scratch.c.label).where(scratch.c.label.startsWith("a_")))).toEqual([["a_b"]]);
      expect(await rows(select(scratch.c.label).where(scratch.c.label.endsWith("_b")))).toEqual([["a_b"]]);
      // Sorted here: collations order "_" differently.
      expect((await run(select(scratch.c.label).where(scratch.c.label.ilike("A_B")))).scalars().sort()).toEqual(["a_b", "axb"]);
    } finally {
      await run(delete_(scratch));
    }
  });

  it("joins: inferred ON, outer join", async () => {
    expect(await rows(select(users.c.name, addresses.c.email).join(addresses).orderBy(addresses.c.id))).toEqual([
      ["spongebob", "spongebob@sqlalchemy.org"],
      ["sandy", "sandy@sqlalchemy.org"],
      ["sandy", "sandy@squirrelpower.org"],
    ]);
    expect(await rows(select(users.c.name).outerJoin(addresses).where(addresses.c.id.isNull()))).toEqual([["patrick"]]);
  });

  it("FULL OUTER JOIN where the dialect has it", async () => {
    if (!ctx.capabilities.fullOuterJoin) return;
    expect((await run(select(users.c.id, addresses.c.id).fullJoin(addresses))).all()).toHaveLength(4);
  });

  it("group by / having, aggregates, distinct", async () => {
    const n = func.count(addresses.c.id).label("n");
    expect(await rows(select(addresses.c.user_id, n).groupBy(addresses.c.user_id).having(func.count(addresses.c.id).gt(1)))).toEqual([[2, 2]]);
    expect(await rows(select(func.count(), func.min(users.c.id), func.max(users.c.id)).selectFrom(users))).toEqual([[3, 1, 3]]);
    expect(await rows(select(addresses.c.user_id).distinct().orderBy(addresses.c.user_id))).toEqual([[1], [2]]);
  });

  it("subqueries, correlated scalar subqueries, EXISTS", async () => {
    const counts = select(addresses.c.user_id, func.count(addresses.c.id).label("n")).groupBy(addresses.c.user_id).subquery("counts");
    expect(await rows(select(users.c.name, counts.c.n).join(counts, counts.c.user_id.eq(users.c.id)).orderBy(users.c.id))).toEqual([
      ["spongebob", 1],
      ["sandy", 2],
    ]);
    const scalar = select(func.count(addresses.c.id)).where(addresses.c.user_id.eq(users.c.id)).scalarSubquery();
    expect(await rows(select(users.c.name, scalar.label("n")).orderBy(users.c.id))).toEqual([
      ["spongebob", 1],
      ["sandy", 2],
      ["patrick", 0],
    ]);
    expect(await rows(select(users.c.name).where(not_(exists(select(addresses.c.id).where(addresses.c.user_id.eq(users.c.id))))))).toEqual([["patrick"]]);
  });

  it("CTEs, including recursive", async () => {
    const sandy = select(users.c.id).where(users.c.name.eq("sandy")).cte(ctx.name("sandy"));
    expect(await rows(select(addresses.c.email).join(sandy, addresses.c.user_id.eq(sandy.c.id)).orderBy(addresses.c.id))).toEqual([
      ["sandy@sqlalchemy.org"],
      ["sandy@squirrelpower.org"],
    ]);
    const anchor = select(users.c.id.label("k")).where(users.c.id.eq(1)).cte(ctx.name("seq"), { recursive: true });
    const seq = anchor.unionAll(select(anchor.c.k.add(1)).where(anchor.c.k.lt(5)));
    expect((await run(select(seq.c.k).orderBy(seq.c.k))).scalars()).toEqual([1, 2, 3, 4, 5]);
  });

  it("UNION, UNION ALL, INTERSECT, EXCEPT", async () => {
    expect(await rows(union(select(users.c.id).where(users.c.id.eq(1)), select(users.c.id).where(users.c.id.eq(3))).orderBy(users.c.id))).toEqual([[1], [3]]);
    expect((await run(unionAll(select(addresses.c.user_id), select(addresses.c.user_id)))).all()).toHaveLength(6);
    expect(await rows(intersect(select(users.c.id), select(addresses.c.user_id)).orderBy(users.c.id))).toEqual([[1], [2]]);
    expect(await rows(except_(select(users.c.id), select(addresses.c.user_id)))).toEqual([[3]]);
  });

  it("CASE, CAST, window functions, functions", async () => {
    const initial = case_([users.c.name.eq("sandy"), "S"], { else: "-" });
    expect(await rows(select(initial.label("i")).orderBy(users.c.id))).toEqual([["-"], ["S"], ["-"]]);
    expect(await rows(select(cast(users.c.id, Varchar(10))).orderBy(users.c.id))).toEqual([["1"], ["2"], ["3"]]);
    const rn = func.row_number().over({ partitionBy: addresses.c.user_id, orderBy: addresses.c.id });
    expect(await rows(select(addresses.c.id, rn.label("rn")).orderBy(addresses.c.id))).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
    ]);
    expect(await rows(select(func.lower(users.c.name), func.upper("x"), func.coalesce(users.c.fullname, "?")).where(users.c.id.eq(3)))).toEqual([
      ["patrick", "X", "?"],
    ]);
  });

  it("insertedPrimaryKey: the generated key, or the key the statement gave (composite too)", async () => {
    try {
      const auto = await run(insert(scratch).values({ label: "k1" }));
      const id = auto.insertedPrimaryKey?.[0] as number;
      expect(auto.insertedPrimaryKey).toEqual([id]);
      expect(await rows(select(scratch.c.label).where(scratch.c.id.eq(id)))).toEqual([["k1"]]);
      expect((await run(insert(scratch).values({ id: 9000, label: "k2" }))).insertedPrimaryKey).toEqual([9000]);
      expect((await run(insert(keyed).values({ a: 7, b: "o'k", v: 1 }))).insertedPrimaryKey).toEqual([7, "o'k"]);
      // Not for several rows (SQLAlchemy raises there; the key of which row?).
      expect(
        (
          await run(
            insert(keyed).values([
              { a: 8, b: "x" },
              { a: 9, b: "y" },
            ]),
          )
        ).insertedPrimaryKey,
      ).toBeNull();
    } finally {
      await run(delete_(scratch));
      await run(delete_(keyed));
    }
  });

  it("insert several rows, with RETURNING where the dialect has it, and INSERT ... SELECT", async () => {
    try {
      const r = await run(insert(scratch).values({ label: "one" }));
      expect(r.insertedPrimaryKey?.[0]).toBeTypeOf("number");
      if (ctx.capabilities.insertReturning) {
        const ret = await run(
          insert(scratch)
            .values([{ label: "two" }, { label: "three" }])
            .returning(scratch.c.label, scratch.c.n),
        );
        expect(tuples(ret.all())).toEqual([
          ["two", 0],
          ["three", 0],
        ]);
      } else {
        await run(insert(scratch).values([{ label: "two" }, { label: "three" }]));
      }
      await run(insert(scratch).fromSelect(["label"], select(users.c.name).where(users.c.id.eq(1))));
      expect(await rows(select(scratch.c.label).orderBy(scratch.c.id))).toEqual([["one"], ["two"], ["three"], ["spongebob"]]);
    } finally {
      await run(delete_(scratch));
    }
  });

  it("update and delete with WHERE, rowCount, RETURNING where available, executemany with bindparam", async () => {
    await run(insert(scratch).values([{ label: "a" }, { label: "b" }, { label: "c" }]));
    try {
      expect(
        (
          await run(
            update(scratch)
              .where(scratch.c.label.ne("a"))
              .values({ n: scratch.c.n.add(5) }),
          )
        ).rowCount,
      ).toBe(2);
      await ctx.engine.execute(
        update(scratch)
          .where(scratch.c.label.eq(bindparam("old")))
          .values({ label: bindparam("new") }),
        [
          { old: "a", new: "A" },
          { old: "b", new: "B" },
        ],
      );
      expect(await rows(select(scratch.c.label, scratch.c.n).orderBy(scratch.c.label))).toEqual([
        ["A", 0],
        ["B", 5],
        ["c", 5],
      ]);
      if (ctx.capabilities.updateReturning)
        expect(await rows(update(scratch).where(scratch.c.label.eq("c")).values({ n: 9 }).returning(scratch.c.label, scratch.c.n))).toEqual([["c", 9]]);
      if (ctx.capabilities.deleteReturning) expect(await rows(delete_(scratch).where(scratch.c.label.eq("A")).returning(scratch.c.label))).toEqual([["A"]]);
      else expect((await run(delete_(scratch).where(scratch.c.label.eq("A")))).rowCount).toBe(1);
      expect(await rows(select(scratch.c.label).orderBy(scratch.c.label))).toEqual([["B"], ["c"]]);
    } finally {
      await run(delete_(scratch));
    }
  });

  it("a correlated subquery in UPDATE ... SET", async () => {
    await run(
      insert(scratch).values([
        { id: 1, label: "x" },
        { id: 2, label: "y" },
      ]),
    );
    try {
      const name = select(users.c.name).where(users.c.id.eq(scratch.c.id)).scalarSubquery();
      await run(update(scratch).values({ label: name }));
      expect(await rows(select(scratch.c.label).orderBy(scratch.c.id))).toEqual([["spongebob"], ["sandy"]]);
    } finally {
      await run(delete_(scratch));
    }
  });

  it("upserts in the dialect's style", async () => {
    const style = ctx.capabilities.upsert;
    if (style === null) return;
    await run(insert(scratch).values({ id: 1, label: "first" }));
    try {
      if (style === "on-conflict") {
        const stmt = onConflictInsert(scratch).values({ id: 1, label: "second" });
        await run(stmt.onConflictDoUpdate({ indexElements: ["id"], set: { label: stmt.excluded.label, n: scratch.c.n.add(1) } }));
        await run(onConflictInsert(scratch).values({ id: 1, label: "ignored" }).onConflictDoNothing());
      } else {
        const stmt = duplicateKeyInsert(scratch).values({ id: 1, label: "second" });
        await run(stmt.onDuplicateKeyUpdate({ label: stmt.inserted.label, n: scratch.c.n.add(1) }));
      }
      expect(await rows(select(scratch.c.label, scratch.c.n))).toEqual([["second", 1]]);
    } finally {
      await run(delete_(scratch));
    }
  });

  it("text() with named parameters, and typed columns", async () => {
    const t = text(`SELECT id, name FROM ${users.name} WHERE name = :name OR id = :id ORDER BY id`);
    expect(tuples((await run(t, { name: "sandy", id: 1 })).all())).toEqual([
      [1, "spongebob"],
      [2, "sandy"],
    ]);
    const typed = (await ctx.engine.execute(t.columns({ id: Integer, name: Varchar }), { name: "patrick", id: 0 })).one();
    expect([typed.id, typed.name]).toEqual([3, "patrick"]);
  });

  it("compiles a repeated statement shape once", async () => {
    const before = ctx.engine.compileStats.compiled;
    for (let i = 0; i < 200; i++) await run(select(users.c.name).where(users.c.id.eq((i % 3) + 1)));
    expect(ctx.engine.compileStats.compiled - before).toBeLessThanOrEqual(1);
  });
});

export type { TableObject };
