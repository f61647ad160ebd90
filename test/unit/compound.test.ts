import { except_, intersect, select, union, unionAll } from "crucible";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSql, type TutorialDb, tutorialDb } from "./helpers.js";

let db: TutorialDb;
beforeAll(async () => {
  db = await tutorialDb();
});
afterAll(() => db.engine.dispose());

describe("UNION / INTERSECT / EXCEPT", () => {
  it("union with ORDER BY naming the result column", async () => {
    const { userTable: u, engine } = db;
    const stmt = union(select(u.c.name).where(u.c.id.eq(1)), select(u.c.name).where(u.c.id.eq(3))).orderBy(u.c.name);
    expectSql(
      stmt,
      "SELECT user_account.name FROM user_account WHERE user_account.id = ? UNION SELECT user_account.name FROM user_account WHERE user_account.id = ? ORDER BY name",
    );
    expect((await engine.execute(stmt)).scalars()).toEqual(["patrick", "spongebob"]);
  });

  it("unionAll keeps duplicates; limit applies to the whole", async () => {
    const { addressTable: a, engine } = db;
    const stmt = unionAll(select(a.c.user_id), select(a.c.user_id)).limit(10);
    expectSql(stmt, "SELECT address.user_id FROM address UNION ALL SELECT address.user_id FROM address LIMIT ?");
    expect((await engine.execute(stmt)).all()).toHaveLength(6);
  });

  it("intersect and except", async () => {
    const { userTable: u, addressTable: a, engine } = db;
    const both = intersect(select(u.c.id), select(a.c.user_id));
    const without = except_(select(u.c.id), select(a.c.user_id));
    expectSql(both, "SELECT user_account.id FROM user_account INTERSECT SELECT address.user_id FROM address");
    expectSql(without, "SELECT user_account.id FROM user_account EXCEPT SELECT address.user_id FROM address");
    expect([...(await engine.execute(both)).scalars()].sort()).toEqual([1, 2]);
    expect((await engine.execute(without)).scalars()).toEqual([3]);
  });

  it("a member with its own LIMIT is wrapped in a subquery", async () => {
    const { userTable: u, engine } = db;
    const stmt = select(u.c.id)
      .orderBy(u.c.id)
      .limit(1)
      .union(select(u.c.id).where(u.c.id.eq(3)));
    expectSql(
      stmt,
      "SELECT * FROM (SELECT user_account.id FROM user_account ORDER BY user_account.id LIMIT ?) AS anon UNION SELECT user_account.id FROM user_account WHERE user_account.id = ?",
    );
    expect([...(await engine.execute(stmt)).scalars()].sort()).toEqual([1, 3]);
  });

  it("INTERSECT ALL is a CompileError where the database lacks it", () => {
    const { userTable: u } = db;
    expect(() => db.engine.dialect.statementCache.compile(select(u.c.id).intersectAll(select(u.c.id)).node)).toThrow(
      /INTERSECT ALL is not supported by the sqlite dialect/,
    );
    expect(String(select(u.c.id).exceptAll(select(u.c.id)))).toBe(
      "SELECT user_account.id FROM user_account EXCEPT ALL SELECT user_account.id FROM user_account",
    );
  });

  it("a compound as a subquery", async () => {
    const { userTable: u, engine } = db;
    const sub = union(select(u.c.id).where(u.c.id.eq(1)), select(u.c.id).where(u.c.id.eq(2))).subquery("ids");
    const stmt = select(u.c.name).join(sub, sub.c.id.eq(u.c.id)).orderBy(u.c.id);
    expectSql(
      stmt,
      "SELECT user_account.name FROM user_account JOIN (SELECT user_account.id FROM user_account WHERE user_account.id = ? UNION SELECT user_account.id FROM user_account WHERE user_account.id = ?) AS ids ON ids.id = user_account.id ORDER BY user_account.id",
    );
    expect((await engine.execute(stmt)).scalars()).toEqual(["spongebob", "sandy"]);
  });
});
