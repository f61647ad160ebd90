import { and_, false_, func, not_, or_, select, true_ } from "crucible";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSql, type TutorialDb, tuples, tutorialDb } from "./helpers.js";

let db: TutorialDb;
beforeAll(async () => {
  db = await tutorialDb();
});
afterAll(() => db.engine.dispose());

describe("select: columns, where, order, limit", () => {
  it("selects columns with a WHERE clause", async () => {
    const { userTable: u, engine } = db;
    const stmt = select(u.c.id, u.c.name).where(u.c.name.eq("spongebob"));
    expectSql(stmt, "SELECT user_account.id, user_account.name FROM user_account WHERE user_account.name = ?", undefined, ["spongebob"]);
    const rows = (await engine.execute(stmt)).all();
    expect(tuples(rows)).toEqual([[1, "spongebob"]]);
    expect(rows[0].name).toBe("spongebob");
  });

  it("selects every column of a table", async () => {
    const { userTable: u, engine } = db;
    const stmt = select(u).orderBy(u.c.id);
    expectSql(stmt, "SELECT user_account.id, user_account.name, user_account.fullname FROM user_account ORDER BY user_account.id");
    const result = await engine.execute(stmt);
    expect(result.keys()).toEqual(["id", "name", "fullname"]);
    expect(result.mappings()[2]).toEqual({ id: 3, name: "patrick", fullname: "Patrick Star" });
  });

  it("joins several where() calls with AND and nests OR in parentheses", async () => {
    const { userTable: u, engine } = db;
    const stmt = select(u.c.name)
      .where(u.c.id.gt(0))
      .where(or_(u.c.name.eq("sandy"), u.c.name.eq("patrick")))
      .orderBy(u.c.name);
    expectSql(
      stmt,
      "SELECT user_account.name FROM user_account WHERE user_account.id > ? AND (user_account.name = ? OR user_account.name = ?) ORDER BY user_account.name",
    );
    expect((await engine.execute(stmt)).scalars()).toEqual(["patrick", "sandy"]);
  });

  it("and_/or_/not_ with precedence", async () => {
    const { userTable: u, engine } = db;
    const stmt = select(u.c.id).where(not_(and_(u.c.id.ge(2), or_(u.c.name.eq("sandy"), u.c.id.le(1)))));
    expectSql(stmt, "SELECT user_account.id FROM user_account WHERE NOT (user_account.id >= ? AND (user_account.name = ? OR user_account.id <= ?))");
    expect((await engine.execute(stmt.orderBy(u.c.id))).scalars()).toEqual([1, 3]);
  });

  it("true_/false_ are 1/0 on SQLite and TRUE/FALSE generically; and_() of nothing is true", async () => {
    const { userTable: u, engine } = db;
    const stmt = select(u.c.id).where(or_(false_(), and_()));
    expectSql(stmt, "SELECT user_account.id FROM user_account WHERE 0 OR 1", "SELECT user_account.id FROM user_account WHERE false OR true");
    expect((await engine.execute(stmt)).all()).toHaveLength(3);
    expect((await engine.execute(select(u.c.id).where(true_(), false_()))).all()).toHaveLength(0);
  });

  it("orderBy with desc, nullsFirst, limit and offset", async () => {
    const { userTable: u, engine } = db;
    const stmt = select(u.c.name).orderBy(u.c.name.desc().nullsFirst(), u.c.id.asc()).limit(2).offset(1);
    expectSql(
      stmt,
      "SELECT user_account.name FROM user_account ORDER BY user_account.name DESC NULLS FIRST, user_account.id ASC LIMIT ? OFFSET ?",
      undefined,
      [2, 1],
    );
    expect((await engine.execute(stmt)).scalars()).toEqual(["sandy", "patrick"]);
  });

  it("offset without limit uses LIMIT -1 on SQLite", async () => {
    const { userTable: u, engine } = db;
    const stmt = select(u.c.id).orderBy(u.c.id).offset(2);
    expectSql(
      stmt,
      "SELECT user_account.id FROM user_account ORDER BY user_account.id LIMIT -1 OFFSET ?",
      "SELECT user_account.id FROM user_account ORDER BY user_account.id OFFSET ?",
    );
    expect((await engine.execute(stmt)).scalars()).toEqual([3]);
  });

  it("rejects a negative or fractional limit", () => {
    const { userTable: u } = db;
    expect(() => select(u.c.id).limit(-1)).toThrow(/non-negative integer/);
    expect(() => select(u.c.id).offset(1.5)).toThrow(/non-negative integer/);
  });

  it("distinct", async () => {
    const { addressTable: a, engine } = db;
    const stmt = select(a.c.user_id).distinct().orderBy(a.c.user_id);
    expectSql(stmt, "SELECT DISTINCT address.user_id FROM address ORDER BY address.user_id");
    expect((await engine.execute(stmt)).scalars()).toEqual([1, 2]);
  });

  it("distinctOn is a CompileError on SQLite", () => {
    const { addressTable: a } = db;
    expect(() => String(select(a.c.id).distinctOn(a.c.user_id))).not.toThrow();
    expect(() => db.engine.dialect.statementCache.compile(select(a.c.id).distinctOn(a.c.user_id).node)).toThrow(
      /DISTINCT ON is not supported by the sqlite dialect/,
    );
  });

  it("groupBy and having, with labels rendered by name in ORDER BY", async () => {
    const { addressTable: a, engine } = db;
    const n = func.count(a.c.id).label("n");
    const stmt = select(a.c.user_id, n).groupBy(a.c.user_id).having(func.count(a.c.id).gt(1)).orderBy(n);
    expectSql(stmt, "SELECT address.user_id, count(address.id) AS n FROM address GROUP BY address.user_id HAVING count(address.id) > ? ORDER BY n");
    const rows = (await engine.execute(stmt)).all();
    expect(tuples(rows)).toEqual([[2, 2]]);
    expect(rows[0].n).toBe(2);
  });

  it("selectFrom for a SELECT whose columns have no table", async () => {
    const { userTable: u, engine } = db;
    const stmt = select(func.count()).selectFrom(u);
    expectSql(stmt, "SELECT count(*) FROM user_account");
    expect((await engine.execute(stmt)).scalar()).toBe(3);
  });

  it("addColumns and filter()", async () => {
    const { userTable: u, engine } = db;
    const stmt = select(u.c.id).addColumns(u.c.fullname).filter(u.c.id.eq(2));
    expectSql(stmt, "SELECT user_account.id, user_account.fullname FROM user_account WHERE user_account.id = ?");
    const row = (await engine.execute(stmt)).one();
    expect(row.fullname).toBe("Sandy Cheeks");
  });

  it("builders are immutable: a derived statement leaves the original unchanged", () => {
    const { userTable: u } = db;
    const base = select(u.c.id);
    const filtered = base.where(u.c.id.eq(1)).orderBy(u.c.id).limit(1);
    expect(String(base)).toBe("SELECT user_account.id FROM user_account");
    expect(String(filtered)).toBe("SELECT user_account.id FROM user_account WHERE user_account.id = ? ORDER BY user_account.id LIMIT ?");
    expect(Object.isFrozen(base.node)).toBe(true);
  });

  it("forUpdate is left out on SQLite (it locks the whole database) and rendered generically", () => {
    const { userTable: u } = db;
    const stmt = select(u.c.id).where(u.c.id.eq(1)).forUpdate({ skipLocked: true });
    expectSql(
      stmt,
      "SELECT user_account.id FROM user_account WHERE user_account.id = ?",
      "SELECT user_account.id FROM user_account WHERE user_account.id = ? FOR UPDATE SKIP LOCKED",
    );
  });
});
