import { ArgumentError, BigInteger, case_, cast, func, Integer, literal, literalColumn, null_, select, Varchar } from "crucible";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSql, type TutorialDb, tuples, tutorialDb } from "./helpers.js";

let db: TutorialDb;
beforeAll(async () => {
  db = await tutorialDb();
});
afterAll(() => db.engine.dispose());

describe("func.*", () => {
  it("known and arbitrary functions", async () => {
    const { userTable: u, engine } = db;
    const stmt = select(func.lower(u.c.fullname), func.upper(u.c.name), func.length(u.c.name), func.coalesce(u.c.name, "?"), func.substr(u.c.name, 1, 3)).where(
      u.c.id.eq(1),
    );
    expectSql(
      stmt,
      "SELECT lower(user_account.fullname), upper(user_account.name), length(user_account.name), coalesce(user_account.name, ?), substr(user_account.name, ?, ?) FROM user_account WHERE user_account.id = ?",
    );
    expect([...(await engine.execute(stmt)).one()]).toEqual(["spongebob squarepants", "SPONGEBOB", 9, "spongebob", "spo"]);
  });

  it("aggregates, count(*) and count(DISTINCT x)", async () => {
    const { addressTable: a, engine } = db;
    const stmt = select(func.count(), func.count(a.c.user_id.distinct()), func.min(a.c.id), func.max(a.c.id), func.sum(a.c.id), func.avg(a.c.id));
    expectSql(stmt, "SELECT count(*), count(DISTINCT address.user_id), min(address.id), max(address.id), sum(address.id), avg(address.id) FROM address");
    expect([...(await engine.execute(stmt)).one()]).toEqual([3, 2, 1, 3, 6, 2]);
  });

  it("aggregate FILTER (WHERE ...)", async () => {
    const { addressTable: a, engine } = db;
    const stmt = select(func.count().filter(a.c.user_id.eq(2)));
    expectSql(stmt, "SELECT count(*) FILTER (WHERE address.user_id = ?) FROM address");
    expect((await engine.execute(stmt)).scalar()).toBe(2);
  });

  it("func.now() is CURRENT_TIMESTAMP on SQLite and read as a Date", async () => {
    const stmt = select(func.now());
    expectSql(stmt, "SELECT CURRENT_TIMESTAMP", "SELECT now()");
    const now = (await db.engine.execute(stmt)).scalar();
    expect(now).toBeInstanceOf(Date);
    expect(Math.abs((now as Date).getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("a function name must be an identifier", () => {
    expect(() => func["drop table x; --"]).toThrow(ArgumentError);
  });
});

describe("CASE, CAST, literals", () => {
  it("searched CASE with ELSE", async () => {
    const { userTable: u, engine } = db;
    const initial = case_([u.c.name.eq("sandy"), "S"], [u.c.name.eq("patrick"), "P"], { else: "?" });
    const stmt = select(u.c.id, initial.label("initial")).orderBy(u.c.id);
    expectSql(
      stmt,
      "SELECT user_account.id, CASE WHEN user_account.name = ? THEN ? WHEN user_account.name = ? THEN ? ELSE ? END AS initial FROM user_account ORDER BY user_account.id",
    );
    expect(tuples((await engine.execute(stmt)).all())).toEqual([
      [1, "?"],
      [2, "S"],
      [3, "P"],
    ]);
  });

  it("CASE without ELSE is NULL when nothing matches", async () => {
    const { userTable: u, engine } = db;
    const stmt = select(case_([u.c.id.gt(2), u.c.name])).orderBy(u.c.id);
    expect((await engine.execute(stmt)).scalars()).toEqual([null, null, "patrick"]);
  });

  it("CAST uses the dialect's type names", async () => {
    const { userTable: u, engine } = db;
    const stmt = select(cast(u.c.id, Varchar).concat("x"), cast("42", Integer)).where(u.c.id.eq(2));
    expectSql(
      stmt,
      "SELECT CAST(user_account.id AS TEXT) || ?, CAST(? AS INTEGER) FROM user_account WHERE user_account.id = ?",
      "SELECT CAST(user_account.id AS VARCHAR) || ?, CAST(? AS INTEGER) FROM user_account WHERE user_account.id = ?",
    );
    expect([...(await engine.execute(stmt)).one()]).toEqual(["2x", 42]);
    expectSql(u.c.id.cast(BigInteger), "CAST(user_account.id AS INTEGER)", "CAST(user_account.id AS BIGINT)");
  });

  it("literal, literalColumn and null_", async () => {
    const stmt = select(literal(1).label("one"), literalColumn("2 + 3").label("five"), null_().label("nothing"));
    expectSql(stmt, 'SELECT ? AS one, 2 + 3 AS five, NULL AS "nothing"');
    const row = (await db.engine.execute(stmt)).one();
    expect([row.one, row.five, row.nothing]).toEqual([1, 5, null]);
  });
});

describe("window functions", () => {
  it("row_number over a partition", async () => {
    const { addressTable: a, engine } = db;
    const rn = func.row_number().over({ partitionBy: a.c.user_id, orderBy: a.c.email_address.desc() });
    const stmt = select(a.c.email_address, rn.label("rn")).orderBy(a.c.id);
    expectSql(
      stmt,
      "SELECT address.email_address, row_number() OVER (PARTITION BY address.user_id ORDER BY address.email_address DESC) AS rn FROM address ORDER BY address.id",
    );
    expect((await engine.execute(stmt)).all().map((r) => r.rn)).toEqual([1, 2, 1]);
  });

  it("running totals with a ROWS frame, and RANGE frames", async () => {
    const { addressTable: a, engine } = db;
    const running = func.sum(a.c.id).over({ orderBy: a.c.id, rows: [null, 0] });
    const stmt = select(running.label("total")).orderBy(a.c.id);
    expectSql(
      stmt,
      "SELECT sum(address.id) OVER (ORDER BY address.id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS total FROM address ORDER BY address.id",
    );
    expect((await engine.execute(stmt)).scalars()).toEqual([1, 3, 6]);
    expectSql(func.count().over({ orderBy: a.c.id, range: [-1, 2] }), "count(*) OVER (ORDER BY address.id RANGE BETWEEN 1 PRECEDING AND 2 FOLLOWING)");
  });
});
