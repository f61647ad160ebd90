import { bindparam, column, DateTime, delete_, func, Integer, insert, MetaData, select, Table, update, Varchar } from "crucible";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectSql, sqlite, type TutorialDb, tuples, tutorialDb } from "./helpers.js";

let db: TutorialDb;
beforeEach(async () => {
  db = await tutorialDb();
});
afterEach(() => db.engine.dispose());

describe("insert", () => {
  it("a single row reports its new primary key", async () => {
    const { userTable: u, engine } = db;
    const stmt = insert(u).values({ name: "squidward", fullname: "Squidward Tentacles" });
    expectSql(stmt, "INSERT INTO user_account (name, fullname) VALUES (?, ?)", undefined, ["squidward", "Squidward Tentacles"]);
    const result = await engine.execute(stmt);
    expect(result.insertedPrimaryKey).toEqual([4]);
    expect(result.rowCount).toBe(1);
  });

  it("several rows in one statement", async () => {
    const { userTable: u, engine } = db;
    const stmt = insert(u).values([{ name: "a" }, { name: "b" }]);
    expectSql(stmt, "INSERT INTO user_account (name) VALUES (?), (?)", undefined, ["a", "b"]);
    expect((await engine.execute(stmt)).rowCount).toBe(2);
    expect((await engine.execute(select(u.c.name).where(u.c.id.gt(3)).orderBy(u.c.id))).scalars()).toEqual(["a", "b"]);
  });

  it("rows must have the same keys", () => {
    expect(() => insert(db.userTable).values([{ name: "a" }, { fullname: "b" }])).toThrow(/row 1 has keys fullname but row 0 has name/);
    expect(() => insert(db.userTable).values([])).toThrow(/at least one row/);
    expect(() => insert(db.userTable).values({ nope: 1 } as never)).toThrow(/table "user_account" has no column "nope"/);
  });

  it("RETURNING, for one row and many", async () => {
    const { userTable: u, engine } = db;
    const one = insert(u).values({ name: "x" }).returning(u.c.id, u.c.name);
    expectSql(one, "INSERT INTO user_account (name) VALUES (?) RETURNING id, name");
    const r = (await engine.execute(one)).one();
    expect([r.id, r.name]).toEqual([4, "x"]);
    const many = await engine.execute(
      insert(u)
        .values([{ name: "y" }, { name: "z" }])
        .returning(u.c.id),
    );
    expect(many.scalars()).toEqual([5, 6]);
  });

  it("executemany with a list of parameter sets (the tutorial's insert(user_table) form)", async () => {
    const { userTable: u, engine } = db;
    const result = await engine.execute(insert(u), [
      { name: "a", fullname: "A" },
      { name: "b", fullname: "B" },
    ]);
    expect(result.rowCount).toBe(2);
    expect(tuples((await engine.execute(select(u.c.name, u.c.fullname).where(u.c.id.gt(3)))).all())).toEqual([
      ["a", "A"],
      ["b", "B"],
    ]);
  });

  it("executemany keeps RETURNING", async () => {
    const { userTable: u, engine } = db;
    const result = await engine.execute(insert(u).returning(u.c.id, u.c.name), [{ name: "a" }, { name: "b" }]);
    expect(tuples(result.all())).toEqual([
      [4, "a"],
      [5, "b"],
    ]);
  });

  it("a scalar subquery as a value, with bindparam (the tutorial's address insert)", async () => {
    const { userTable: u, addressTable: a, engine } = db;
    const userId = select(u.c.id)
      .where(u.c.name.eq(bindparam("username")))
      .scalarSubquery();
    const stmt = insert(a).values({ user_id: userId, email_address: bindparam("email") });
    expectSql(stmt, "INSERT INTO address (user_id, email_address) VALUES ((SELECT user_account.id FROM user_account WHERE user_account.name = ?), ?)");
    await engine.execute(insert(a).values({ user_id: userId, email_address: bindparam("email") }), [
      { username: "patrick", email: "patrick@aol.com" },
      { username: "sandy", email: "sandy@yahoo.com" },
    ]);
    const rows = await engine.execute(select(u.c.name, a.c.email_address).join(a).where(a.c.id.gt(3)).orderBy(a.c.id));
    expect(tuples(rows.all())).toEqual([
      ["patrick", "patrick@aol.com"],
      ["sandy", "sandy@yahoo.com"],
    ]);
  });

  it("INSERT ... SELECT", async () => {
    const { userTable: u, addressTable: a, engine } = db;
    const stmt = insert(a).fromSelect(["user_id", "email_address"], select(u.c.id, u.c.name.concat("@aol.com")).where(u.c.name.eq("patrick")));
    expectSql(
      stmt,
      "INSERT INTO address (user_id, email_address) SELECT user_account.id, user_account.name || ? AS anon_2 FROM user_account WHERE user_account.name = ?",
    );
    expect((await engine.execute(stmt)).rowCount).toBe(1);
    expect((await engine.execute(select(a.c.email_address).where(a.c.user_id.eq(3)))).scalars()).toEqual(["patrick@aol.com"]);
  });

  it("INSERT ... SELECT fills client-side defaults as extra SELECT columns", async () => {
    const md = new MetaData();
    const t = Table("copy", md, {
      id: column(Integer, { primaryKey: true }),
      name: column(Varchar),
      source: column(Varchar, { nullable: false, default: () => "copied" }),
    });
    await md.createAll(db.engine);
    const stmt = insert(t).fromSelect(["name"], select(db.userTable.c.name).where(db.userTable.c.id.lt(3)));
    expectSql(stmt, "INSERT INTO copy (name, source) SELECT user_account.name, ? FROM user_account WHERE user_account.id < ?", undefined, ["copied", 3]);
    await db.engine.execute(stmt);
    expect(tuples((await db.engine.execute(select(t.c.name, t.c.source).orderBy(t.c.id))).all())).toEqual([
      ["spongebob", "copied"],
      ["sandy", "copied"],
    ]);
  });

  it("DEFAULT VALUES when no column is given", async () => {
    const { userTable: u, engine } = db;
    expectSql(insert(u), "INSERT INTO user_account DEFAULT VALUES");
    expect((await engine.execute(insert(u))).insertedPrimaryKey).toEqual([4]);
  });

  it("client-side defaults (values and functions) and onUpdate", async () => {
    const md = new MetaData();
    let calls = 0;
    const t = Table("doc", md, {
      id: column(Integer, { primaryKey: true }),
      title: column(Varchar, { default: "untitled" }),
      created: column(DateTime(), { default: () => new Date("2024-05-06T07:08:09.000Z") }),
      version: column(Integer, { default: 1, onUpdate: () => 10 + ++calls }),
    });
    await md.createAll(db.engine);
    expectSql(insert(t).values({ id: 1 }), "INSERT INTO doc (id, title, created, version) VALUES (?, ?, ?, ?)");
    await db.engine.execute(insert(t).values({ id: 1 }));
    await db.engine.execute(insert(t).values({ id: 2, title: "given" }));
    const rows = (await db.engine.execute(select(t).orderBy(t.c.id))).all();
    expect(tuples(rows)).toEqual([
      [1, "untitled", new Date("2024-05-06T07:08:09.000Z"), 1],
      [2, "given", new Date("2024-05-06T07:08:09.000Z"), 1],
    ]);
    expectSql(update(t).values({ title: "x" }), "UPDATE doc SET title = ?, version = ?");
    calls = 0;
    await db.engine.execute(update(t).where(t.c.id.eq(1)).values({ title: "renamed" }));
    await db.engine.execute(update(t).where(t.c.id.eq(1)).values({ title: "renamed again" }));
    // onUpdate is called once per execution; an UPDATE that sets the column itself does not call it.
    await db.engine.execute(update(t).where(t.c.id.eq(2)).values({ version: 5 }));
    expect(calls).toBe(2);
    expect(tuples((await db.engine.execute(select(t.c.title, t.c.version).orderBy(t.c.id))).all())).toEqual([
      ["renamed again", 12],
      ["given", 5],
    ]);
  });
});

describe("update", () => {
  it("with WHERE, and rowCount", async () => {
    const { userTable: u, engine } = db;
    const stmt = update(u).where(u.c.name.eq("patrick")).values({ fullname: "Patrick the Star" });
    expectSql(stmt, "UPDATE user_account SET fullname = ? WHERE user_account.name = ?", undefined, ["Patrick the Star", "patrick"]);
    expect((await engine.execute(stmt)).rowCount).toBe(1);
    expect((await engine.execute(select(u.c.fullname).where(u.c.id.eq(3)))).scalar()).toBe("Patrick the Star");
  });

  it("a value computed from the row", async () => {
    const { userTable: u, engine } = db;
    const stmt = update(u).values({ fullname: u.c.name.concat(" ").concat(u.c.fullname) });
    expectSql(stmt, "UPDATE user_account SET fullname = user_account.name || ? || user_account.fullname");
    expect((await engine.execute(stmt)).rowCount).toBe(3);
    expect((await engine.execute(select(u.c.fullname).where(u.c.id.eq(2)))).scalar()).toBe("sandy Sandy Cheeks");
  });

  it("executemany with bindparam (the tutorial's jack/ed form)", async () => {
    const { userTable: u, engine } = db;
    const stmt = update(u)
      .where(u.c.name.eq(bindparam("oldname")))
      .values({ name: bindparam("newname") });
    expectSql(stmt, "UPDATE user_account SET name = ? WHERE user_account.name = ?");
    expect(sqlite(stmt, { oldname: "sandy", newname: "ed" }).params).toEqual(["ed", "sandy"]);
    const result = await engine.execute(stmt, [
      { oldname: "sandy", newname: "ed" },
      { oldname: "patrick", newname: "mary" },
      { oldname: "nobody", newname: "jake" },
    ]);
    expect(result.rowCount).toBe(2);
    expect((await engine.execute(select(u.c.name).orderBy(u.c.id))).scalars()).toEqual(["spongebob", "ed", "mary"]);
  });

  it("a missing named parameter is an error that names it", async () => {
    const { userTable: u, engine } = db;
    const stmt = update(u)
      .where(u.c.name.eq(bindparam("oldname")))
      .values({ name: "x" });
    await expect(engine.execute(stmt, { other: 1 })).rejects.toThrow(/no value for the parameter :oldname.*given: other/);
  });

  it("a correlated subquery in SET refers to the updated row", async () => {
    const { userTable: u, addressTable: a, engine } = db;
    const first = select(a.c.email_address).where(a.c.user_id.eq(u.c.id)).orderBy(a.c.id).limit(1).scalarSubquery();
    const stmt = update(u).values({ fullname: first });
    expectSql(
      stmt,
      "UPDATE user_account SET fullname = (SELECT address.email_address FROM address WHERE address.user_id = user_account.id ORDER BY address.id LIMIT ?)",
    );
    await engine.execute(stmt);
    expect((await engine.execute(select(u.c.fullname).orderBy(u.c.id))).scalars()).toEqual(["spongebob@sqlalchemy.org", "sandy@sqlalchemy.org", null]);
  });

  it("RETURNING", async () => {
    const { userTable: u, engine } = db;
    const stmt = update(u)
      .where(u.c.id.le(2))
      .values({ fullname: func.upper(u.c.name) })
      .returning(u.c.id, u.c.fullname);
    expectSql(stmt, "UPDATE user_account SET fullname = upper(user_account.name) WHERE user_account.id <= ? RETURNING id, fullname");
    const rows = (await engine.execute(stmt)).all();
    expect(tuples(rows).sort()).toEqual([
      [1, "SPONGEBOB"],
      [2, "SANDY"],
    ]);
  });

  it("no values is an error", () => {
    expect(() => sqlite(update(db.userTable))).toThrow(/has no values/);
  });
});

describe("delete", () => {
  it("with WHERE and rowCount", async () => {
    const { userTable: u, engine } = db;
    const stmt = delete_(u).where(u.c.name.eq("patrick"));
    expectSql(stmt, "DELETE FROM user_account WHERE user_account.name = ?");
    expect((await engine.execute(stmt)).rowCount).toBe(1);
    expect((await engine.execute(select(u.c.id).orderBy(u.c.id))).scalars()).toEqual([1, 2]);
  });

  it("with a correlated EXISTS and RETURNING", async () => {
    const { userTable: u, addressTable: a, engine } = db;
    const { not_, exists } = await import("crucible");
    const stmt = delete_(u)
      .where(not_(exists(select(a.c.id).where(a.c.user_id.eq(u.c.id)))))
      .returning(u.c.id, u.c.name);
    expectSql(stmt, "DELETE FROM user_account WHERE NOT EXISTS (SELECT address.id FROM address WHERE address.user_id = user_account.id) RETURNING id, name");
    expect(tuples((await engine.execute(stmt)).all())).toEqual([[3, "patrick"]]);
  });

  it("without WHERE deletes every row", async () => {
    const { addressTable: a, engine } = db;
    expectSql(delete_(a), "DELETE FROM address");
    expect((await engine.execute(delete_(a))).rowCount).toBe(3);
  });
});
