import { column, delete_, Integer, insert, JSON, MetaData, select, Table, tuple_, Varchar } from "crucible";
import { jsonPath, jsonPathText } from "crucible/sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSql, sqlite, type TutorialDb, tutorialDb } from "./helpers.js";

let db: TutorialDb;
beforeAll(async () => {
  db = await tutorialDb();
});
afterAll(() => db.engine.dispose());

const ids = async (stmt: { readonly node: unknown }) => (await db.engine.execute(stmt as never)).scalars();

describe("column operators", () => {
  it("comparisons", async () => {
    const u = db.userTable;
    expectSql(u.c.id.ne(1), "user_account.id <> ?");
    expectSql(u.c.id.lt(1), "user_account.id < ?");
    expectSql(u.c.id.le(u.c.id), "user_account.id <= user_account.id");
    expect(await ids(select(u.c.id).where(u.c.id.ne(2)).orderBy(u.c.id))).toEqual([1, 3]);
  });

  it("eq(null) is IS NULL and ne(null) is IS NOT NULL", async () => {
    const { userTable: u, engine } = db;
    expectSql(u.c.name.eq(null), "user_account.name IS NULL");
    expectSql(u.c.name.ne(null), "user_account.name IS NOT NULL");
    await engine.execute(insert(u).values({ id: 99, name: null }));
    try {
      expect(await ids(select(u.c.id).where(u.c.name.eq(null)))).toEqual([99]);
      expect(await ids(select(u.c.id).where(u.c.name.ne(null)).orderBy(u.c.id))).toEqual([1, 2, 3]);
      expect(await ids(select(u.c.id).where(u.c.name.isNull()))).toEqual([99]);
    } finally {
      await engine.execute(delete_(u).where(u.c.id.eq(99)));
    }
  });

  it("in() with a list expands one placeholder per element and is cached once for every length", async () => {
    const u = db.userTable;
    expectSql(u.c.id.in([1, 2, 3]), "user_account.id IN (?, ?, ?)");
    expect(sqlite(select(u.c.id).where(u.c.id.in([5]))).params).toEqual([5]);
    expect(
      await ids(
        select(u.c.id)
          .where(u.c.name.in(["sandy", "patrick"]))
          .orderBy(u.c.id),
      ),
    ).toEqual([2, 3]);
    const before = db.engine.compileStats.compiled;
    await ids(select(u.c.id).where(u.c.id.in([1, 2])));
    await ids(select(u.c.id).where(u.c.id.in([1, 2, 3, 4])));
    expect(db.engine.compileStats.compiled - before).toBe(1);
  });

  it("in([]) is valid SQL that is false; notIn([]) is true", async () => {
    const u = db.userTable;
    expectSql(u.c.id.in([]), "user_account.id IN (SELECT NULL WHERE 1 = 0)");
    expectSql(u.c.id.notIn([]), "user_account.id NOT IN (SELECT NULL WHERE 1 = 0)");
    expect(await ids(select(u.c.id).where(u.c.id.in([])))).toEqual([]);
    expect(await ids(select(u.c.id).where(u.c.id.notIn([])).orderBy(u.c.id))).toEqual([1, 2, 3]);
  });

  it("in() refuses null in the list", () => {
    expect(() => db.userTable.c.id.in([1, null as never])).toThrow(/NULL never matches/);
  });

  it("in() and notIn() with a subquery", async () => {
    const { userTable: u, addressTable: a } = db;
    const stmt = select(u.c.name).where(u.c.id.notIn(select(a.c.user_id)));
    expectSql(stmt, "SELECT user_account.name FROM user_account WHERE user_account.id NOT IN (SELECT address.user_id FROM address)");
    expect(await ids(stmt)).toEqual(["patrick"]);
  });

  it("tuple IN", async () => {
    const u = db.userTable;
    const stmt = select(u.c.id).where(
      tuple_(u.c.id, u.c.name).in([
        [1, "spongebob"],
        [2, "nobody"],
      ]),
    );
    expectSql(stmt, "SELECT user_account.id FROM user_account WHERE (user_account.id, user_account.name) IN ((?, ?), (?, ?))");
    expect(await ids(stmt)).toEqual([1]);
  });

  it("tuple IN of more than 1,000 rows: one JSON parameter of rows", async () => {
    const u = db.userTable;
    const rows: [number, string | null][] = Array.from({ length: 20_000 }, (_, i) => [i, i === 2 ? "sandy" : `o'neil; ${i}`]);
    const stmt = select(u.c.id).where(tuple_(u.c.id, u.c.name).in(rows));
    const got = sqlite(stmt);
    expect(got.sql).toBe(
      "SELECT user_account.id FROM user_account WHERE (user_account.id, user_account.name) IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))",
    );
    expect(got.params).toHaveLength(1);
    expect((got.params[0] as string).slice(0, 30)).toBe(`[[0,"o'neil; 0"],[1,"o'neil; 1"]`.slice(0, 30));
    expect(await ids(stmt)).toEqual([2]);
    expect(await ids(select(u.c.id).where(tuple_(u.c.id, u.c.name).notIn(rows)).orderBy(u.c.id))).toEqual([1, 3]);
    // A row of the wrong width is an ArgumentError, not a driver error.
    expect(() => sqlite(select(u.c.id).where(tuple_(u.c.id, u.c.name).in([[1]] as never)))).toThrow(/row 0 of a 2-column IN list/);
  });

  it("JSON paths on SQLite: -> with a $-path literal; as text, values read as on the other databases", () => {
    const md = new MetaData();
    const docs = Table("docs", md, { id: column(Integer, { primaryKey: true }), body: column(JSON<unknown>()) });
    expect(sqlite(select(jsonPath(docs.c.body, ["tags", 0, "a b"]))).sql).toBe(`SELECT docs.body -> '$.tags[0]."a b"' FROM docs`);
    expect(sqlite(select(docs.c.id).where(jsonPathText(docs.c.body, ["o'k"]).eq("x"))).sql).toBe(
      `SELECT docs.id FROM docs WHERE CASE json_type(docs.body, '$."o''k"') WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(docs.body ->> '$."o''k"' AS TEXT) END = ?`,
    );
  });

  it("between", async () => {
    const u = db.userTable;
    expectSql(u.c.id.between(2, 3), "user_account.id BETWEEN ? AND ?");
    expect(await ids(select(u.c.id).where(u.c.id.between(2, 3)).orderBy(u.c.id))).toEqual([2, 3]);
  });

  it("like / notLike treat % and _ as wildcards; ilike is case-insensitive", async () => {
    const u = db.userTable;
    expectSql(u.c.name.like("s%"), "user_account.name LIKE ?");
    expectSql(u.c.name.notLike("s%"), "user_account.name NOT LIKE ?");
    expectSql(u.c.name.ilike("S%"), "lower(user_account.name) LIKE lower(?)");
    expect(await ids(select(u.c.id).where(u.c.name.like("s%")).orderBy(u.c.id))).toEqual([1, 2]);
    expect(await ids(select(u.c.id).where(u.c.name.notLike("s%")))).toEqual([3]);
    expect(await ids(select(u.c.id).where(u.c.fullname.ilike("%STAR")))).toEqual([3]);
  });

  it("arithmetic with precedence, negation and concat", async () => {
    const u = db.userTable;
    expectSql(u.c.id.add(1).mul(2), "(user_account.id + ?) * ?");
    expectSql(u.c.id.sub(u.c.id.sub(1)), "user_account.id - (user_account.id - ?)");
    expectSql(u.c.id.div(2).mod(3), "user_account.id / ? % ?");
    expectSql(u.c.id.neg(), "-user_account.id");
    expectSql(u.c.name.concat("!"), "user_account.name || ?");
    const row = (
      await db.engine.execute(select(u.c.id.add(1).mul(2), u.c.id.sub(u.c.id.sub(1)), u.c.name.concat("!"), u.c.id.neg()).where(u.c.id.eq(3)))
    ).one();
    expect([...row]).toEqual([8, 1, "patrick!", -3]);
  });
});

describe("LIKE helpers escape % and _", () => {
  const md = new MetaData();
  const t = Table("patterns", md, { id: column(Integer, { primaryKey: true }), s: column(Varchar) });
  const values = ["100%", "100 percent", "a_b", "axb", "50/50", "5050", "%_/", "plain"];

  beforeAll(async () => {
    await md.createAll(db.engine);
    await db.engine.execute(insert(t).values(values.map((s) => ({ s }))));
  });

  it("contains", async () => {
    expectSql(t.c.s.contains("%"), "patterns.s LIKE ? ESCAPE '/'");
    expect(sqlite(t.c.s.contains("0%")).params).toEqual(["%0/%%"]);
    expect(await ids(select(t.c.s).where(t.c.s.contains("0%")))).toEqual(["100%"]);
    expect(await ids(select(t.c.s).where(t.c.s.contains("_")).orderBy(t.c.id))).toEqual(["a_b", "%_/"]);
    expect(await ids(select(t.c.s).where(t.c.s.contains("/")).orderBy(t.c.id))).toEqual(["50/50", "%_/"]);
  });

  it("startsWith and endsWith", async () => {
    expect(sqlite(t.c.s.startsWith("a_")).params).toEqual(["a/_%"]);
    expect(await ids(select(t.c.s).where(t.c.s.startsWith("a_")))).toEqual(["a_b"]);
    expect(await ids(select(t.c.s).where(t.c.s.endsWith("0%")))).toEqual(["100%"]);
    expect(await ids(select(t.c.s).where(t.c.s.startsWith("%_/")))).toEqual(["%_/"]);
  });
});
