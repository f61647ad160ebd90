/**
 * The ORM tutorial twins (test/orm/tutorial-*.test.ts) on every dialect: inserting with the unit of work, the
 * identity map, updating and deleting, rollback; related objects, one INSERT per table per flush, joins along
 * relationships and the loader strategies — with the shape of the SQL each step emits.
 */
import { insert, joinedload, raiseload, Session, select, selectinload, UnloadedRelationshipError } from "crucible";
import { expect, it } from "vitest";
import { forEachTarget } from "./dialects.js";
import { ormFixture, tutorialModels } from "./orm-support.js";

forEachTarget("orm tutorial: data manipulation", (ctx) => {
  const fresh = ormFixture(ctx, tutorialModels);
  async function seeded() {
    const db = await fresh();
    const { User, Address } = db.models;
    await db.engine.begin(async (conn) => {
      await conn.execute(
        insert(User).values([
          { name: "spongebob", fullname: "Spongebob Squarepants" },
          { name: "sandy", fullname: "Sandy Cheeks" },
          { name: "patrick", fullname: "Patrick Star" },
        ]),
      );
      await conn.execute(
        insert(Address).values([
          { userId: 1, emailAddress: "spongebob@sqlalchemy.org" },
          { userId: 2, emailAddress: "sandy@sqlalchemy.org" },
          { userId: 2, emailAddress: "sandy@squirrelpower.org" },
        ]),
      );
    });
    db.log.clear();
    return db;
  }

  it("inserts rows with the unit of work, in one multi-row INSERT", async () => {
    const db = await seeded();
    const { User } = db.models;
    const session = db.session();
    const squidward = new User({ name: "squidward", fullname: "Squidward Tentacles" });
    const krabs = new User({ name: "ehkrabs", fullname: "Eugene H. Krabs" });
    expect(squidward.id).toBeUndefined();
    session.add(squidward);
    session.add(krabs);
    expect(session.new).toEqual([squidward, krabs]);
    await session.flush();
    expect(db.log.take()).toEqual(["BEGIN (implicit)", `INSERT INTO user_account (name, fullname) VALUES (?, ?), (?, ?)${db.retId()}`]);
    expect(squidward.id).toBe(4);
    expect(krabs.id).toBe(5);
    expect(session.new).toEqual([]);
    // The identity map: get() answers from it without SQL.
    expect(await session.get(User, 4)).toBe(squidward);
    expect(db.log.take()).toEqual([]);
    await session.commit();
    expect(db.log.take()).toEqual(["COMMIT"]);
    await using check = db.session();
    expect((await check.scalars(select(User.c.name).where(User.c.id.gt(3)).orderBy(User.c.id))).all()).toEqual(["squidward", "ehkrabs"]);
  });

  it("updates only the changed column, autoflushed before a query", async () => {
    const db = await seeded();
    const { User } = db.models;
    const session = db.session();
    const sandy = (await session.execute(select(User).where(User.c.name.eq("sandy")))).scalarOne();
    expect(`${sandy}`).toBe("User(id=2, name=sandy, fullname=Sandy Cheeks)");
    sandy.fullname = "Sandy Squirrel";
    expect(session.dirty).toContain(sandy);
    db.log.clear();
    const fullname = (await session.execute(select(User.c.fullname).where(User.c.id.eq(2)))).scalarOne();
    expect(fullname).toBe("Sandy Squirrel");
    expect(db.log.takeWithParams()).toEqual([
      ["UPDATE user_account SET fullname = ? WHERE user_account.id = ?", ["Sandy Squirrel", 2]],
      ["SELECT user_account.fullname FROM user_account WHERE user_account.id = ?", [2]],
    ]);
    expect(session.dirty).not.toContain(sandy);
  });

  it("deletes with cascade (loading the children first) and rolls everything back", async () => {
    const db = await seeded();
    const { User, Address } = db.models;
    const session = db.session();
    const sandy = (await session.execute(select(User).where(User.c.name.eq("sandy")))).scalarOne();
    sandy.fullname = "Sandy Squirrel";
    db.log.clear();
    // get() misses the identity map, so it autoflushes the pending UPDATE before its SELECT.
    const patrick = (await session.get(User, 3))!;
    expect(db.log.take()).toEqual([
      "UPDATE user_account SET fullname = ? WHERE user_account.id = ?",
      "SELECT user_account.id, user_account.name, user_account.fullname FROM user_account WHERE user_account.id = ?",
    ]);
    session.delete(patrick);
    expect((await session.execute(select(User).where(User.c.name.eq("patrick")))).first()).toBeNull();
    expect(db.log.take()).toEqual([
      "SELECT address.id, address.email_address, address.user_id FROM address WHERE address.user_id IN (?)",
      "DELETE FROM user_account WHERE user_account.id IN (?)",
      "SELECT user_account.id, user_account.name, user_account.fullname FROM user_account WHERE user_account.name = ?",
    ]);
    expect(session.contains(patrick)).toBe(false);

    await session.rollback();
    expect(db.log.take()).toEqual(["ROLLBACK"]);
    expect(sandy.fullname).toBe("Sandy Cheeks");
    expect(session.contains(patrick)).toBe(true);
    expect((await session.execute(select(User).where(User.c.name.eq("patrick")))).scalarOne()).toBe(patrick);
    expect(await session.scalar(select(Address.c.emailAddress).where(Address.c.userId.eq(2)).orderBy(Address.c.id))).toBe("sandy@sqlalchemy.org");
    expect(await session.scalar(select(User.c.fullname).where(User.c.id.eq(2)))).toBe("Sandy Cheeks");
  });

  it("close() gives the connection back and detaches the objects; add() attaches them to another Session", async () => {
    const db = await seeded();
    const { User } = db.models;
    const session = db.session();
    const squidward = new User({ name: "squidward", fullname: "Squidward Tentacles" });
    session.add(squidward);
    await session.commit();
    await session.close();
    expect(db.engine.poolStatus?.inUse).toBe(0);
    expect(session.contains(squidward)).toBe(false);
    // A detached object keeps its values and can be changed, then attached to another Session.
    squidward.fullname = "Squidward T.";
    const other = db.session();
    other.add(squidward);
    await other.commit();
    const check = db.session();
    expect((await check.get(User, squidward.id))?.fullname).toBe("Squidward T.");
  });
});

forEachTarget("orm tutorial: related objects", (ctx) => {
  const fresh = ormFixture(ctx, tutorialModels);

  it("keeps both sides of back_populates in sync in memory and cascades the add", async () => {
    const db = await fresh();
    const { User, Address } = db.models;
    const u1 = new User({ name: "pkrabs", fullname: "Pearl Krabs" });
    expect(u1.addresses).toEqual([]);
    const a1 = new Address({ emailAddress: "pearl.krabs@gmail.com" });
    u1.addresses.push(a1);
    expect(a1.user).toBe(u1);
    const a2 = new Address({ emailAddress: "pearl@aol.com", user: u1 });
    expect(u1.addresses).toEqual([a1, a2]);

    const session = db.session();
    session.add(u1);
    expect(session.contains(a1)).toBe(true);
    expect(session.contains(a2)).toBe(true);
    expect(a1.userId).toBeUndefined();
    await session.commit();
    // users before addresses, one INSERT per table, the foreign keys set from the relationship
    expect(db.log.takeWithParams()).toEqual([
      ["BEGIN (implicit)", []],
      [`INSERT INTO user_account (name, fullname) VALUES (?, ?)${db.retId()}`, ["pkrabs", "Pearl Krabs"]],
      [`INSERT INTO address (email_address, user_id) VALUES (?, ?), (?, ?)${db.retId()}`, ["pearl.krabs@gmail.com", 1, "pearl@aol.com", 1]],
      ["COMMIT", []],
    ]);
    expect(u1.id).toBe(1);
    expect(a1.userId).toBe(1);
    expect([a1.id, a2.id]).toEqual([1, 2]);
    expect(u1.addresses.map((a) => a.emailAddress)).toEqual(["pearl.krabs@gmail.com", "pearl@aol.com"]);

    // Removing from the collection clears the other side, and delete-orphan deletes the row.
    u1.addresses.splice(u1.addresses.indexOf(a2), 1);
    expect(a2.user).toBeNull();
    await session.commit();
    expect(db.log.take()).toEqual(["BEGIN (implicit)", "DELETE FROM address WHERE address.id IN (?)", "COMMIT"]);
    await using check = db.session();
    expect((await check.scalars(select(Address.c.emailAddress))).all()).toEqual(["pearl.krabs@gmail.com"]);
  });

  it("moves a child between parents (the collection of the old one loses it)", async () => {
    const db = await fresh();
    const { User, Address } = db.models;
    const session = db.session();
    const a = new User({ name: "a", addresses: [new Address({ emailAddress: "x@a" })] });
    const b = new User({ name: "b" });
    session.addAll([a, b]);
    await session.commit();
    const addr = a.addresses[0];
    addr.user = b;
    expect(a.addresses).toEqual([]);
    expect(b.addresses).toEqual([addr]);
    await session.commit();
    const check = db.session();
    const reloaded = await check.scalars(select(Address).options(joinedload(Address.user)));
    expect(reloaded.map((x) => x.user.name)).toEqual(["b"]);
  });

  it("joins along a relationship", async () => {
    const db = await fresh();
    const { User, Address } = db.models;
    await Session.begin(db.engine, async (s) => {
      s.add(
        new User({
          name: "sandy",
          addresses: [new Address({ emailAddress: "sandy@sqlalchemy.org" }), new Address({ emailAddress: "sandy@squirrelpower.org" })],
        }),
      );
    });
    db.log.clear();
    const session = db.session();
    const emails = await session.scalars(
      select(Address.c.emailAddress).selectFrom(User).join(User.addresses).where(User.c.name.eq("sandy")).orderBy(Address.c.id),
    );
    expect(emails.all()).toEqual(["sandy@sqlalchemy.org", "sandy@squirrelpower.org"]);
    expect(db.log.take()).toEqual([
      "BEGIN (implicit)",
      "SELECT address.email_address FROM user_account JOIN address ON user_account.id = address.user_id WHERE user_account.name = ? ORDER BY address.id",
    ]);
    const pairs = (await session.execute(select(User, Address).join(User.addresses).orderBy(Address.c.id))).all();
    expect(pairs.map(([u, a]) => `${u.name}:${a.emailAddress}`)).toEqual(["sandy:sandy@sqlalchemy.org", "sandy:sandy@squirrelpower.org"]);
    expect(pairs[0][0]).toBe(pairs[1][0]);
  });

  it("raises on unloaded relationships, naming the three fixes", async () => {
    const db = await fresh();
    const { User, Address } = db.models;
    await Session.begin(db.engine, async (s) => {
      s.add(new User({ name: "spongebob", addresses: [new Address({ emailAddress: "spongebob@sqlalchemy.org" })] }));
    });
    const session = db.session();
    const user = (await session.scalars(select(User))).one();
    expect(() => user.addresses).toThrow(UnloadedRelationshipError);
    expect(() => user.addresses).toThrow(/selectinload\(User\.addresses\)/);
    await session.load(user, "addresses");
    expect(user.addresses.map((a) => a.emailAddress)).toEqual(["spongebob@sqlalchemy.org"]);
    expect(user.addresses[0].user).toBe(user);
  });
});

forEachTarget("orm tutorial: loader strategies", (ctx) => {
  const fresh = ormFixture(ctx, tutorialModels);
  async function populated() {
    const db = await fresh();
    const { User, Address } = db.models;
    await Session.begin(db.engine, async (s) => {
      s.addAll([
        new User({ name: "spongebob", fullname: "Spongebob Squarepants", addresses: [new Address({ emailAddress: "spongebob@sqlalchemy.org" })] }),
        new User({
          name: "sandy",
          fullname: "Sandy Cheeks",
          addresses: [new Address({ emailAddress: "sandy@sqlalchemy.org" }), new Address({ emailAddress: "sandy@squirrelpower.org" })],
        }),
        new User({ name: "patrick", fullname: "Patrick Star" }),
      ]);
    });
    db.log.clear();
    return db;
  }

  it("inserts the graph users first, then addresses, with the generated keys", async () => {
    const db = await populated();
    const { User, Address } = db.models;
    const session = db.session();
    const rows = (await session.execute(select(Address.c.emailAddress, User.c.name).join(User).orderBy(Address.c.id))).all();
    expect(rows.map((r) => [...r])).toEqual([
      ["spongebob@sqlalchemy.org", "spongebob"],
      ["sandy@sqlalchemy.org", "sandy"],
      ["sandy@squirrelpower.org", "sandy"],
    ]);
    expect((await session.scalars(select(User.c.id).orderBy(User.c.id))).all()).toEqual([1, 2, 3]);
  });

  it("selectinload: one extra SELECT ... IN for the whole result", async () => {
    const db = await populated();
    const { User } = db.models;
    const session = db.session();
    const users = await session.scalars(select(User).options(selectinload(User.addresses)).orderBy(User.c.id));
    expect(users.map((u) => `${u.name} (${u.addresses.map((a) => a.emailAddress).join(", ")})`)).toEqual([
      "spongebob (spongebob@sqlalchemy.org)",
      "sandy (sandy@sqlalchemy.org, sandy@squirrelpower.org)",
      "patrick ()",
    ]);
    expect(db.log.takeWithParams()).toEqual([
      ["BEGIN (implicit)", []],
      ["SELECT user_account.id, user_account.name, user_account.fullname FROM user_account ORDER BY user_account.id", []],
      ["SELECT address.id, address.email_address, address.user_id FROM address WHERE address.user_id IN (?, ?, ?)", [1, 2, 3]],
    ]);
  });

  it("joinedload: one SELECT with a LEFT OUTER JOIN; owners are unique", async () => {
    const db = await populated();
    const { User, Address } = db.models;
    const session = db.session();
    const addresses = await session.scalars(select(Address).options(joinedload(Address.user)).orderBy(Address.c.id));
    expect(addresses.map((a) => `${a.emailAddress} ${a.user.name}`)).toEqual([
      "spongebob@sqlalchemy.org spongebob",
      "sandy@sqlalchemy.org sandy",
      "sandy@squirrelpower.org sandy",
    ]);
    expect(addresses[1].user).toBe(addresses[2].user);
    const sql = db.log.take();
    expect(sql).toHaveLength(2);
    expect(sql[1]).toMatch(
      /^SELECT address\.id, address\.email_address, address\.user_id, user_account_\d+\.id, user_account_\d+\.name, user_account_\d+\.fullname FROM address LEFT OUTER JOIN user_account AS user_account_\d+ ON address\.user_id = user_account_\d+\.id ORDER BY address\.id$/,
    );
    const users = await session.scalars(select(User).options(joinedload(User.addresses)).orderBy(User.c.id));
    expect(users.map((u) => u.addresses.length)).toEqual([1, 2, 0]);
  });

  it("raiseload overrides a relationship's lazy setting", async () => {
    const db = await populated();
    const { User } = db.models;
    const session = db.session();
    const users = await session.scalars(select(User).options(raiseload(User.addresses)));
    expect(() => users[0].addresses).toThrow(UnloadedRelationshipError);
  });

  it("the identity map returns the same object and keeps unflushed changes", async () => {
    const db = await populated();
    const { User } = db.models;
    const session = db.session({ autoflush: false });
    const sandy = (await session.get(User, 2))!;
    sandy.fullname = "Sandy Squirrel";
    const again = (await session.scalars(select(User).where(User.c.name.eq("sandy")))).one();
    expect(again).toBe(sandy);
    expect(again.fullname).toBe("Sandy Squirrel");
  });
});
