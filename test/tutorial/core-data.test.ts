/**
 * The Core tutorial's "Working with Data" (insert, select, update, delete) in Crucible, on SQLite in memory: the
 * same statements and the same rows the tutorial shows. Tests run in order on one database, as the tutorial does.
 */
import {
  bindparam,
  cast,
  column,
  createEngine,
  delete_,
  exists,
  ForeignKey,
  func,
  Integer,
  insert,
  literal,
  literalColumn,
  MetaData,
  not_,
  select,
  Table,
  text,
  unionAll,
  update,
  Varchar,
} from "crucible";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const engine = createEngine("sqlite://");
const metadataObj = new MetaData();
const userTable = Table("user_account", metadataObj, {
  id: column(Integer, { primaryKey: true }),
  name: column(Varchar(30)),
  fullname: column(Varchar),
});
const addressTable = Table("address", metadataObj, {
  id: column(Integer, { primaryKey: true }),
  user_id: column(Integer, ForeignKey("user_account.id"), { nullable: false }),
  email_address: column(Varchar, { nullable: false }),
});
beforeAll(() => metadataObj.createAll(engine));
afterAll(() => engine.dispose());

const tuples = (rows: Iterable<Iterable<unknown>>) => [...rows].map((r) => [...r]);
const all = async (stmt: Parameters<typeof engine.execute>[0]) => tuples((await engine.execute(stmt)).all());

describe("Using INSERT Statements", () => {
  it("the insert() construct and executing it", async () => {
    const stmt = insert(userTable).values({ name: "spongebob", fullname: "Spongebob Squarepants" });
    expect(String(stmt)).toBe("INSERT INTO user_account (name, fullname) VALUES (?, ?)");
    await using conn = await engine.connect();
    const result = await conn.execute(stmt);
    await conn.commit();
    expect(result.insertedPrimaryKey).toEqual([1]);
  });

  it("INSERT usually generates the VALUES clause automatically (executemany)", async () => {
    await using conn = await engine.connect();
    const result = await conn.execute(insert(userTable), [
      { name: "sandy", fullname: "Sandy Cheeks" },
      { name: "patrick", fullname: "Patrick Star" },
    ]);
    expect(result.rowCount).toBe(2);
    await conn.commit();
  });

  it("insert with a scalar subquery and bindparam (deep alchemy)", async () => {
    const scalarSubq = select(userTable.c.id)
      .where(userTable.c.name.eq(bindparam("username")))
      .scalarSubquery();
    await using conn = await engine.connect();
    await conn.execute(insert(addressTable).values({ user_id: scalarSubq, email_address: bindparam("email_address") }), [
      { username: "spongebob", email_address: "spongebob@sqlalchemy.org" },
      { username: "sandy", email_address: "sandy@sqlalchemy.org" },
      { username: "sandy", email_address: "sandy@squirrelpower.org" },
    ]);
    await conn.commit();
    expect(tuples((await conn.execute(select(addressTable).orderBy(addressTable.c.id))).all())).toEqual([
      [1, 1, "spongebob@sqlalchemy.org"],
      [2, 2, "sandy@sqlalchemy.org"],
      [3, 2, "sandy@squirrelpower.org"],
    ]);
  });

  it("INSERT ... RETURNING and INSERT ... FROM SELECT (shown, then rolled back)", async () => {
    const ret = insert(addressTable).values({ user_id: 3, email_address: "x" }).returning(addressTable.c.id, addressTable.c.email_address);
    expect(String(ret)).toBe("INSERT INTO address (user_id, email_address) VALUES (?, ?) RETURNING id, email_address");
    const fromSelect = insert(addressTable).fromSelect(["user_id", "email_address"], select(userTable.c.id, userTable.c.name.concat("@aol.com")));
    expect(String(fromSelect)).toBe("INSERT INTO address (user_id, email_address) SELECT user_account.id, user_account.name || ? AS anon_2 FROM user_account");
    await using conn = await engine.connect();
    expect(tuples((await conn.execute(ret)).all())).toEqual([[4, "x"]]);
    expect((await conn.execute(fromSelect)).rowCount).toBe(3);
    await conn.rollback();
  });
});

describe("Using SELECT Statements", () => {
  it("select() with WHERE", async () => {
    const stmt = select(userTable).where(userTable.c.name.eq("spongebob"));
    expect(String(stmt)).toBe("SELECT user_account.id, user_account.name, user_account.fullname FROM user_account WHERE user_account.name = ?");
    expect(await all(stmt)).toEqual([[1, "spongebob", "Spongebob Squarepants"]]);
  });

  it("selecting columns, and labelled SQL expressions", async () => {
    expect(String(select(userTable.c.name, userTable.c.fullname))).toBe("SELECT user_account.name, user_account.fullname FROM user_account");
    const stmt = select(literal("Username: ").concat(userTable.c.name).label("username")).orderBy(userTable.c.name);
    const rows = (await engine.execute(stmt)).all();
    expect(rows.map((r) => r.username)).toEqual(["Username: patrick", "Username: sandy", "Username: spongebob"]);
  });

  it("selecting textual column expressions", async () => {
    expect(await all(select(text("'some phrase'"), userTable.c.name).orderBy(userTable.c.name))).toEqual([
      ["some phrase", "patrick"],
      ["some phrase", "sandy"],
      ["some phrase", "spongebob"],
    ]);
    const rows = (await engine.execute(select(literalColumn("'some phrase'").label("p"), userTable.c.name).orderBy(userTable.c.name))).all();
    expect(rows.map((r) => `${r.p}, ${r.name}`)).toEqual(["some phrase, patrick", "some phrase, sandy", "some phrase, spongebob"]);
  });

  it("the WHERE clause: several criteria, implicit FROM of two tables", async () => {
    const stmt = select(addressTable.c.email_address).where(userTable.c.name.eq("squidward")).where(addressTable.c.user_id.eq(userTable.c.id));
    expect(String(stmt)).toBe("SELECT address.email_address FROM address, user_account WHERE user_account.name = ? AND address.user_id = user_account.id");
    expect(await all(stmt)).toEqual([]);
    expect(
      await all(select(addressTable.c.email_address).where(userTable.c.name.eq("sandy"), addressTable.c.user_id.eq(userTable.c.id)).orderBy(addressTable.c.id)),
    ).toEqual([["sandy@sqlalchemy.org"], ["sandy@squirrelpower.org"]]);
  });

  it("explicit FROM clauses and JOINs", async () => {
    const j = select(userTable.c.name, addressTable.c.email_address).selectFrom(userTable).join(addressTable);
    expect(String(j)).toBe("SELECT user_account.name, address.email_address FROM user_account JOIN address ON user_account.id = address.user_id");
    expect(String(select(addressTable.c.email_address).selectFrom(addressTable).join(userTable))).toBe(
      "SELECT address.email_address FROM address JOIN user_account ON user_account.id = address.user_id",
    );
    expect(String(select(func.count()).selectFrom(userTable))).toBe("SELECT count(*) FROM user_account");
    expect(await all(select(userTable.c.name).outerJoin(addressTable).where(addressTable.c.id.isNull()))).toEqual([["patrick"]]);
    expect(String(select(userTable).fullJoin(addressTable))).toBe(
      "SELECT user_account.id, user_account.name, user_account.fullname FROM user_account FULL OUTER JOIN address ON user_account.id = address.user_id",
    );
  });

  it("ORDER BY, GROUP BY / HAVING", async () => {
    expect(String(select(userTable).orderBy(userTable.c.name))).toBe(
      "SELECT user_account.id, user_account.name, user_account.fullname FROM user_account ORDER BY user_account.name",
    );
    const count = func.count(addressTable.c.id).label("count");
    const stmt = select(userTable.c.name, count).join(addressTable).groupBy(userTable.c.name).having(func.count(addressTable.c.id).gt(1));
    expect(await all(stmt)).toEqual([["sandy", 2]]);
    const numAddresses = func.count(addressTable.c.id).label("num_addresses");
    expect(
      await all(select(addressTable.c.user_id, numAddresses).groupBy(addressTable.c.user_id).orderBy(addressTable.c.user_id, numAddresses.desc())),
    ).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it("using aliases", async () => {
    const userAlias1 = userTable.alias("user_alias_1");
    const userAlias2 = userTable.alias("user_alias_2");
    const stmt = select(userAlias1.c.name, userAlias2.c.name).join(userAlias2, userAlias1.c.id.gt(userAlias2.c.id)).orderBy(userAlias1.c.id, userAlias2.c.id);
    expect(String(stmt)).toBe(
      "SELECT user_alias_1.name, user_alias_2.name FROM user_account AS user_alias_1 JOIN user_account AS user_alias_2 ON user_alias_1.id > user_alias_2.id ORDER BY user_alias_1.id, user_alias_2.id",
    );
    expect(await all(stmt)).toEqual([
      ["sandy", "spongebob"],
      ["patrick", "spongebob"],
      ["patrick", "sandy"],
    ]);
  });

  it("subqueries and CTEs", async () => {
    const subq = select(func.count(addressTable.c.id).label("count"), addressTable.c.user_id).groupBy(addressTable.c.user_id).subquery();
    expect(String(subq)).toBe("(SELECT count(address.id) AS count, address.user_id FROM address GROUP BY address.user_id) AS anon_1");
    // As the tutorial: join_from(user_table, subq), the ON clause inferred through the subquery's user_id.
    const stmt = select(userTable.c.name, userTable.c.fullname, subq.c.count).joinFrom(userTable, subq).orderBy(userTable.c.id);
    expect(String(stmt)).toBe(
      "SELECT user_account.name, user_account.fullname, anon_1.count FROM user_account JOIN (SELECT count(address.id) AS count, address.user_id FROM address GROUP BY address.user_id) AS anon_1 ON user_account.id = anon_1.user_id ORDER BY user_account.id",
    );
    const expected = [
      ["spongebob", "Spongebob Squarepants", 1],
      ["sandy", "Sandy Cheeks", 2],
    ];
    expect(await all(stmt)).toEqual(expected);
    const cte = select(func.count(addressTable.c.id).label("count"), addressTable.c.user_id).groupBy(addressTable.c.user_id).cte();
    expect(await all(select(userTable.c.name, userTable.c.fullname, cte.c.count).joinFrom(userTable, cte).orderBy(userTable.c.id))).toEqual(expected);
  });

  it("scalar and correlated subqueries", async () => {
    const subq = select(func.count(addressTable.c.id)).where(userTable.c.id.eq(addressTable.c.user_id)).scalarSubquery();
    expect(String(subq.eq(5))).toBe("(SELECT count(address.id) AS anon_1 FROM address, user_account WHERE user_account.id = address.user_id) = ?");
    const stmt = select(userTable.c.name, subq.label("address_count"));
    expect(String(stmt)).toBe(
      "SELECT user_account.name, (SELECT count(address.id) AS anon_1 FROM address WHERE user_account.id = address.user_id) AS address_count FROM user_account",
    );
    expect(await all(stmt)).toEqual([
      ["spongebob", 1],
      ["sandy", 2],
      ["patrick", 0],
    ]);
  });

  it("UNION, UNION ALL", async () => {
    const stmt1 = select(userTable).where(userTable.c.name.eq("sandy"));
    const stmt2 = select(userTable).where(userTable.c.name.eq("spongebob"));
    expect(await all(unionAll(stmt1, stmt2))).toEqual([
      [2, "sandy", "Sandy Cheeks"],
      [1, "spongebob", "Spongebob Squarepants"],
    ]);
    const u = unionAll(stmt1, stmt2).subquery();
    expect(
      await all(
        select(u.c.name, addressTable.c.email_address).join(addressTable, addressTable.c.user_id.eq(u.c.id)).orderBy(u.c.name, addressTable.c.email_address),
      ),
    ).toEqual([
      ["sandy", "sandy@sqlalchemy.org"],
      ["sandy", "sandy@squirrelpower.org"],
      ["spongebob", "spongebob@sqlalchemy.org"],
    ]);
  });

  it("EXISTS subqueries", async () => {
    const subq = select(func.count(addressTable.c.id))
      .where(userTable.c.id.eq(addressTable.c.user_id))
      .groupBy(addressTable.c.user_id)
      .having(func.count(addressTable.c.id).gt(1))
      .exists();
    expect(await all(select(userTable.c.name).where(subq))).toEqual([["sandy"]]);
    const none = exists(select(addressTable.c.id).where(userTable.c.id.eq(addressTable.c.user_id)));
    expect(await all(select(userTable.c.name).where(not_(none)))).toEqual([["patrick"]]);
  });

  it("working with SQL functions", async () => {
    expect(await all(select(func.count()).selectFrom(userTable))).toEqual([[3]]);
    expect((await engine.execute(select(func.lower("A String With Much UPPERCASE")))).scalar()).toBe("a string with much uppercase");
    expect((await engine.execute(select(func.now()))).scalar()).toBeInstanceOf(Date);
    expect(String(select(func.some_crazy_function(userTable.c.name, 17)))).toBe("SELECT some_crazy_function(user_account.name, ?) FROM user_account");
    expect(
      await all(
        select(func.max(addressTable.c.user_id), func.upper(userTable.c.name))
          .selectFrom(userTable)
          .join(addressTable)
          .groupBy(userTable.c.name)
          .orderBy(userTable.c.name),
      ),
    ).toEqual([
      [2, "SANDY"],
      [1, "SPONGEBOB"],
    ]);
  });

  it("window functions", async () => {
    const stmt = select(func.row_number().over({ partitionBy: userTable.c.name }), userTable.c.name, addressTable.c.email_address)
      .selectFrom(userTable)
      .join(addressTable)
      .orderBy(userTable.c.name, addressTable.c.email_address);
    expect(await all(stmt)).toEqual([
      [1, "sandy", "sandy@sqlalchemy.org"],
      [2, "sandy", "sandy@squirrelpower.org"],
      [1, "spongebob", "spongebob@sqlalchemy.org"],
    ]);
    const counts = select(func.count().over({ partitionBy: userTable.c.name }), userTable.c.name, addressTable.c.email_address)
      .selectFrom(userTable)
      .join(addressTable)
      .orderBy(userTable.c.name, addressTable.c.email_address);
    expect((await engine.execute(counts)).all().map((r) => r[0])).toEqual([2, 2, 1]);
  });

  it("data casts", async () => {
    const stmt = select(cast(userTable.c.id, Varchar)).orderBy(userTable.c.id);
    expect(await all(stmt)).toEqual([["1"], ["2"], ["3"]]);
  });
});

describe("Using UPDATE and DELETE Statements", () => {
  it("the update() construct", async () => {
    const stmt = update(userTable).where(userTable.c.name.eq("patrick")).values({ fullname: "Patrick the Star" });
    expect(String(stmt)).toBe("UPDATE user_account SET fullname = ? WHERE user_account.name = ?");
    await engine.execute(stmt);
    expect(await all(select(userTable.c.fullname).where(userTable.c.name.eq("patrick")))).toEqual([["Patrick the Star"]]);
    const expr = update(userTable).values({ fullname: literal("Username: ").concat(userTable.c.name) });
    expect(String(expr)).toBe("UPDATE user_account SET fullname = ? || user_account.name");
  });

  it("bindparam executemany: jack → ed, wendy → mary, jim → jake", async () => {
    const stmt = update(userTable)
      .where(userTable.c.name.eq(bindparam("oldname")))
      .values({ name: bindparam("newname") });
    await using conn = await engine.connect();
    await conn.execute(insert(userTable), [{ name: "jack" }, { name: "wendy" }, { name: "jim" }]);
    const result = await conn.execute(stmt, [
      { oldname: "jack", newname: "ed" },
      { oldname: "wendy", newname: "mary" },
      { oldname: "jim", newname: "jake" },
    ]);
    expect(result.rowCount).toBe(3);
    expect(tuples((await conn.execute(select(userTable.c.name).where(userTable.c.id.gt(3)).orderBy(userTable.c.id))).all())).toEqual([
      ["ed"],
      ["mary"],
      ["jake"],
    ]);
    await conn.rollback();
  });

  it("correlated updates", async () => {
    const scalarSubq = select(addressTable.c.email_address)
      .where(addressTable.c.user_id.eq(userTable.c.id))
      .orderBy(addressTable.c.id)
      .limit(1)
      .scalarSubquery();
    const stmt = update(userTable).values({ fullname: scalarSubq });
    expect(String(stmt)).toBe(
      "UPDATE user_account SET fullname = (SELECT address.email_address FROM address WHERE address.user_id = user_account.id ORDER BY address.id LIMIT ?)",
    );
    await using conn = await engine.connect();
    await conn.execute(stmt);
    expect(tuples((await conn.execute(select(userTable.c.fullname).orderBy(userTable.c.id))).all())).toEqual([
      ["spongebob@sqlalchemy.org"],
      ["sandy@sqlalchemy.org"],
      [null],
    ]);
    await conn.rollback();
  });

  it("the delete() construct", async () => {
    const stmt = delete_(userTable).where(userTable.c.name.eq("patrick"));
    expect(String(stmt)).toBe("DELETE FROM user_account WHERE user_account.name = ?");
    await using conn = await engine.connect();
    await conn.execute(stmt);
    expect((await conn.execute(select(userTable.c.name).orderBy(userTable.c.id))).scalars()).toEqual(["spongebob", "sandy"]);
    await conn.rollback();
  });

  it("getting affected row count from UPDATE, DELETE", async () => {
    await using conn = await engine.connect();
    const result = await conn.execute(update(userTable).values({ fullname: "Patrick McStar" }).where(userTable.c.name.eq("patrick")));
    expect(result.rowCount).toBe(1);
    await conn.rollback();
  });

  it("using RETURNING with UPDATE, DELETE", async () => {
    const updateStmt = update(userTable)
      .where(userTable.c.name.eq("patrick"))
      .values({ fullname: "Patrick the Star" })
      .returning(userTable.c.id, userTable.c.name);
    expect(String(updateStmt)).toBe("UPDATE user_account SET fullname = ? WHERE user_account.name = ? RETURNING id, name");
    const deleteStmt = delete_(userTable).where(userTable.c.name.eq("patrick")).returning(userTable.c.id, userTable.c.name);
    expect(String(deleteStmt)).toBe("DELETE FROM user_account WHERE user_account.name = ? RETURNING id, name");
    await using conn = await engine.connect();
    expect(tuples((await conn.execute(updateStmt)).all())).toEqual([[3, "patrick"]]);
    expect(tuples((await conn.execute(deleteStmt)).all())).toEqual([[3, "patrick"]]);
    await conn.commit();
    expect((await conn.execute(select(userTable.c.name).orderBy(userTable.c.id))).scalars()).toEqual(["spongebob", "sandy"]);
  });
});
