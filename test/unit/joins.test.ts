import { ArgumentError, and_, column, ForeignKey, func, Integer, MetaData, select, Table, Varchar } from "crucible";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSql, type TutorialDb, tuples, tutorialDb } from "./helpers.js";

let db: TutorialDb;
beforeAll(async () => {
  db = await tutorialDb();
});
afterAll(() => db.engine.dispose());

describe("joins", () => {
  it("infers ON from the foreign key (select columns of both tables)", async () => {
    const { userTable: u, addressTable: a, engine } = db;
    const stmt = select(u.c.name, a.c.email_address).join(a).orderBy(a.c.id);
    expectSql(stmt, "SELECT user_account.name, address.email_address FROM user_account JOIN address ON user_account.id = address.user_id ORDER BY address.id");
    expect(tuples((await engine.execute(stmt)).all())).toEqual([
      ["spongebob", "spongebob@sqlalchemy.org"],
      ["sandy", "sandy@sqlalchemy.org"],
      ["sandy", "sandy@squirrelpower.org"],
    ]);
  });

  it("selectFrom(left).join(right) as in the tutorial", async () => {
    const { userTable: u, addressTable: a, engine } = db;
    const stmt = select(a.c.email_address).selectFrom(u).join(a).where(u.c.name.eq("sandy")).orderBy(a.c.email_address);
    expectSql(
      stmt,
      "SELECT address.email_address FROM user_account JOIN address ON user_account.id = address.user_id WHERE user_account.name = ? ORDER BY address.email_address",
    );
    expect((await engine.execute(stmt)).scalars()).toEqual(["sandy@sqlalchemy.org", "sandy@squirrelpower.org"]);
  });

  it("explicit ON clause", async () => {
    const { userTable: u, addressTable: a } = db;
    const stmt = select(u.c.name).join(a, and_(a.c.user_id.eq(u.c.id), a.c.email_address.like("%squirrel%")));
    expectSql(stmt, "SELECT user_account.name FROM user_account JOIN address ON address.user_id = user_account.id AND address.email_address LIKE ?");
    expect((await db.engine.execute(stmt)).scalars()).toEqual(["sandy"]);
  });

  it("LEFT OUTER JOIN keeps rows without a match", async () => {
    const { userTable: u, addressTable: a, engine } = db;
    const stmt = select(u.c.name, a.c.email_address).outerJoin(a).where(a.c.id.isNull());
    expectSql(
      stmt,
      "SELECT user_account.name, address.email_address FROM user_account LEFT OUTER JOIN address ON user_account.id = address.user_id WHERE address.id IS NULL",
    );
    expect(tuples((await engine.execute(stmt)).all())).toEqual([["patrick", null]]);
  });

  it("FULL OUTER JOIN (SQLite ≥ 3.39)", async () => {
    const { userTable: u, addressTable: a, engine } = db;
    const stmt = select(u.c.name, a.c.id).fullJoin(a).orderBy(u.c.id, a.c.id);
    expectSql(
      stmt,
      "SELECT user_account.name, address.id FROM user_account FULL OUTER JOIN address ON user_account.id = address.user_id ORDER BY user_account.id, address.id",
    );
    expect((await engine.execute(stmt)).all()).toHaveLength(4);
    expectSql(
      select(u.c.name).outerJoin(a, undefined, { full: true }),
      "SELECT user_account.name FROM user_account FULL OUTER JOIN address ON user_account.id = address.user_id",
    );
  });

  it("self-join through an alias", async () => {
    const { userTable: u, engine } = db;
    const u2 = u.alias("u2");
    const stmt = select(u.c.name, u2.c.name)
      .join(u2, u2.c.id.eq(u.c.id.add(1)))
      .orderBy(u.c.id);
    expectSql(stmt, "SELECT user_account.name, u2.name FROM user_account JOIN user_account AS u2 ON u2.id = user_account.id + ? ORDER BY user_account.id");
    expect(tuples((await engine.execute(stmt)).all())).toEqual([
      ["spongebob", "sandy"],
      ["sandy", "patrick"],
    ]);
  });

  it("an alias of the child table infers ON from its foreign key", () => {
    const { userTable: u, addressTable: a } = db;
    const a2 = a.alias("a2");
    expectSql(select(u.c.id, a2.c.id).join(a2), "SELECT user_account.id, a2.id FROM user_account JOIN address AS a2 ON user_account.id = a2.user_id");
  });

  it("chained joins across three tables", () => {
    const md = new MetaData();
    const x = Table("x", md, { id: column(Integer, { primaryKey: true }) });
    const y = Table("y", md, { id: column(Integer, { primaryKey: true }), x_id: column(Integer, ForeignKey("x.id")) });
    const z = Table("z", md, { id: column(Integer, { primaryKey: true }), y_id: column(Integer, ForeignKey("y.id")), name: column(Varchar) });
    const stmt = select(z.c.name).selectFrom(x).join(y).join(z);
    expectSql(stmt, "SELECT z.name FROM x JOIN y ON x.id = y.x_id JOIN z ON y.id = z.y_id");
  });

  it("an error names the tables when no foreign key links them, or more than one does", () => {
    const md = new MetaData();
    const p = Table("p", md, { id: column(Integer, { primaryKey: true }) });
    const q = Table("q", md, { id: column(Integer, { primaryKey: true }) });
    const r = Table("r", md, {
      id: column(Integer, { primaryKey: true }),
      a: column(Integer, ForeignKey("p.id")),
      b: column(Integer, ForeignKey("p.id")),
    });
    expect(() => select(p.c.id).join(q)).toThrow(ArgumentError);
    expect(() => select(p.c.id).join(q)).toThrow(/cannot infer a join condition between p and q: no foreign key/);
    expect(() => select(p.c.id).join(r)).toThrow(/more than one foreign key/);
  });

  it("subqueries and CTEs carry the foreign keys of the table columns they select (both directions)", async () => {
    const { userTable: u, addressTable: a } = db;
    const counts = select(a.c.user_id, func.count(a.c.id).label("n")).groupBy(a.c.user_id).subquery("counts");
    const stmt = select(u.c.name, counts.c.n).joinFrom(u, counts).orderBy(u.c.id);
    expectSql(
      stmt,
      "SELECT user_account.name, counts.n FROM user_account JOIN (SELECT address.user_id, count(address.id) AS n FROM address GROUP BY address.user_id) AS counts ON user_account.id = counts.user_id ORDER BY user_account.id",
    );
    expect(tuples((await db.engine.execute(stmt)).all())).toEqual([
      ["spongebob", 1],
      ["sandy", 2],
    ]);
    // The referred side as a subquery, its key under a label.
    const named = select(u.c.id.label("uid"), u.c.name).subquery("named");
    expectSql(
      select(a.c.email_address, named.c.name).join(named),
      "SELECT address.email_address, named.name FROM address JOIN (SELECT user_account.id AS uid, user_account.name FROM user_account) AS named ON named.uid = address.user_id",
    );
    const cte = select(a.c.user_id).cte("c");
    expectSql(
      select(u.c.name).join(cte),
      "WITH c AS (SELECT address.user_id FROM address) SELECT user_account.name FROM user_account JOIN c ON user_account.id = c.user_id",
    );
    // No foreign key column selected: the error names the subquery.
    const emails = select(a.c.email_address).subquery("emails");
    expect(() => select(u.c.name).join(emails)).toThrow(/between user_account and subquery emails: no foreign key/);
  });

  it("joinFrom() names the left side, also inside an existing join", () => {
    const md = new MetaData();
    const x = Table("x", md, { id: column(Integer, { primaryKey: true }) });
    const y = Table("y", md, { id: column(Integer, { primaryKey: true }), x_id: column(Integer, ForeignKey("x.id")) });
    const w = Table("w", md, { id: column(Integer, { primaryKey: true }), x_id: column(Integer, ForeignKey("x.id")) });
    expectSql(select(w.c.id).selectFrom(x).join(y).joinFrom(x, w), "SELECT w.id FROM x JOIN y ON x.id = y.x_id JOIN w ON x.id = w.x_id");
    expectSql(select(y.c.id).joinFrom(x, y), "SELECT y.id FROM x JOIN y ON x.id = y.x_id");
  });
});
