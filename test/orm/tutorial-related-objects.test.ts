// Twin of SQLAlchemy's Unified Tutorial, "Working with ORM Related Objects" and the loader strategies of the ORM
// querying guide: back_populates in memory, cascading adds, one INSERT per table per flush, joins along
// relationships, selectinload / joinedload / raiseload, and explicit loads.
import { joinedload, raiseload, Session, select, selectinload, UnloadedRelationshipError } from "crucible";
import { describe, expect, it } from "vitest";
import { tutorialDatabase } from "./models.js";

describe("ORM tutorial: related objects", () => {
  it("keeps both sides of back_populates in sync in memory and cascades the add", async () => {
    const { engine, User, Address, log } = await tutorialDatabase();
    const u1 = new User({ name: "pkrabs", fullname: "Pearl Krabs" });
    expect(u1.addresses).toEqual([]);
    const a1 = new Address({ emailAddress: "pearl.krabs@gmail.com" });
    u1.addresses.push(a1);
    expect(a1.user).toBe(u1);
    const a2 = new Address({ emailAddress: "pearl@aol.com", user: u1 });
    expect(u1.addresses).toEqual([a1, a2]);

    const session = new Session(engine);
    session.add(u1);
    expect(session.contains(a1)).toBe(true);
    expect(session.contains(a2)).toBe(true);
    expect(a1.userId).toBeUndefined();
    await session.commit();
    // users before addresses, one INSERT per table, the foreign keys set from the relationship
    expect(log.takeWithParams()).toEqual([
      ["BEGIN (implicit)", []],
      ["INSERT INTO user_account (name, fullname) VALUES (?, ?)", ["pkrabs", "Pearl Krabs"]],
      ["INSERT INTO address (email_address, user_id) VALUES (?, ?), (?, ?)", ["pearl.krabs@gmail.com", 1, "pearl@aol.com", 1]],
      ["COMMIT", []],
    ]);
    expect(u1.id).toBe(1);
    expect(a1.userId).toBe(1);
    expect([a1.id, a2.id]).toEqual([1, 2]);
    // Objects made in memory keep their relationships after the flush.
    expect(u1.addresses.map((a) => a.emailAddress)).toEqual(["pearl.krabs@gmail.com", "pearl@aol.com"]);

    // Removing from the collection clears the other side, and delete-orphan deletes the row.
    u1.addresses.splice(u1.addresses.indexOf(a2), 1);
    expect(a2.user).toBeNull();
    await session.commit();
    expect(log.take()).toEqual(["BEGIN (implicit)", "DELETE FROM address WHERE address.id IN (?)", "COMMIT"]);
    await session.close();
  });

  it("moves a child between parents (the collection of the old one loses it)", async () => {
    const { engine, User, Address } = await tutorialDatabase();
    const session = new Session(engine);
    const a = new User({ name: "a", addresses: [new Address({ emailAddress: "x@a" })] });
    const b = new User({ name: "b" });
    session.addAll([a, b]);
    await session.commit();
    const addr = a.addresses[0];
    addr.user = b;
    expect(a.addresses).toEqual([]);
    expect(b.addresses).toEqual([addr]);
    await session.commit();
    const check = new Session(engine);
    const reloaded = await check.scalars(select(Address).options(joinedload(Address.user)));
    expect(reloaded.map((x) => x.user.name)).toEqual(["b"]);
    await check.close();
    await session.close();
  });

  it("joins along a relationship", async () => {
    const { engine, User, Address, log } = await tutorialDatabase();
    await Session.begin(engine, async (s) => {
      s.add(
        new User({
          name: "sandy",
          addresses: [new Address({ emailAddress: "sandy@sqlalchemy.org" }), new Address({ emailAddress: "sandy@squirrelpower.org" })],
        }),
      );
    });
    log.take();
    await using session = new Session(engine);
    const emails = await session.scalars(
      select(Address.c.emailAddress).selectFrom(User).join(User.addresses).where(User.c.name.eq("sandy")).orderBy(Address.c.id),
    );
    expect(emails.all()).toEqual(["sandy@sqlalchemy.org", "sandy@squirrelpower.org"]);
    expect(log.take()).toEqual([
      "BEGIN (implicit)",
      "SELECT address.email_address FROM user_account JOIN address ON user_account.id = address.user_id WHERE user_account.name = ? ORDER BY address.id",
    ]);
    const pairs = (await session.execute(select(User, Address).join(User.addresses).orderBy(Address.c.id))).all();
    expect(pairs.map(([u, a]) => `${u.name}:${a.emailAddress}`)).toEqual(["sandy:sandy@sqlalchemy.org", "sandy:sandy@squirrelpower.org"]);
    expect(pairs[0][0]).toBe(pairs[1][0]);
  });

  it("raises on unloaded relationships, naming the three fixes", async () => {
    const { engine, User, Address } = await tutorialDatabase();
    await Session.begin(engine, async (s) => {
      s.add(new User({ name: "spongebob", addresses: [new Address({ emailAddress: "spongebob@sqlalchemy.org" })] }));
    });
    await using session = new Session(engine);
    const user = (await session.scalars(select(User))).one();
    expect(() => user.addresses).toThrow(UnloadedRelationshipError);
    expect(() => user.addresses).toThrow(/selectinload\(User\.addresses\)/);
    expect(() => user.addresses).toThrow(/lazy: "selectin"/);
    expect(() => user.addresses).toThrow(/session\.load\(user, "addresses"\)/);
    await session.load(user, "addresses");
    expect(user.addresses.map((a) => a.emailAddress)).toEqual(["spongebob@sqlalchemy.org"]);
    expect(user.addresses[0].user).toBe(user);
  });
});

describe("loader strategies", () => {
  async function populated() {
    const db = await tutorialDatabase();
    const { engine, User, Address } = db;
    await Session.begin(engine, async (s) => {
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
    db.log.take();
    return db;
  }

  it("selectinload: one extra SELECT ... IN for the whole result", async () => {
    const { engine, User, log } = await populated();
    await using session = new Session(engine);
    const users = await session.scalars(select(User).options(selectinload(User.addresses)).orderBy(User.c.id));
    expect(users.map((u) => `${u.name} (${u.addresses.map((a) => a.emailAddress).join(", ")})`)).toEqual([
      "spongebob (spongebob@sqlalchemy.org)",
      "sandy (sandy@sqlalchemy.org, sandy@squirrelpower.org)",
      "patrick ()",
    ]);
    expect(log.takeWithParams()).toEqual([
      ["BEGIN (implicit)", []],
      ["SELECT user_account.id, user_account.name, user_account.fullname FROM user_account ORDER BY user_account.id", []],
      ["SELECT address.id, address.email_address, address.user_id FROM address WHERE address.user_id IN (?, ?, ?)", [1, 2, 3]],
    ]);
  });

  it("joinedload: one SELECT with a LEFT OUTER JOIN; owners are unique", async () => {
    const { engine, Address, User, log } = await populated();
    await using session = new Session(engine);
    const addresses = await session.scalars(select(Address).options(joinedload(Address.user)).orderBy(Address.c.id));
    expect(addresses.map((a) => `${a.emailAddress} ${a.user.name}`)).toEqual([
      "spongebob@sqlalchemy.org spongebob",
      "sandy@sqlalchemy.org sandy",
      "sandy@squirrelpower.org sandy",
    ]);
    const sql = log.take();
    expect(sql).toHaveLength(2);
    expect(sql[1]).toMatch(
      /^SELECT address\.id, address\.email_address, address\.user_id, user_account_\d+\.id, user_account_\d+\.name, user_account_\d+\.fullname FROM address LEFT OUTER JOIN user_account AS user_account_\d+ ON address\.user_id = user_account_\d+\.id ORDER BY address\.id$/,
    );
    const users = await session.scalars(select(User).options(joinedload(User.addresses)).orderBy(User.c.id));
    expect(users.map((u) => u.addresses.length)).toEqual([1, 2, 0]);
  });

  it("raiseload overrides a relationship's lazy setting", async () => {
    const { engine, User } = await populated();
    await using session = new Session(engine);
    const users = await session.scalars(select(User).options(raiseload(User.addresses)));
    expect(() => users[0].addresses).toThrow(UnloadedRelationshipError);
  });

  it("the identity map returns the same object and keeps unflushed changes", async () => {
    const { engine, User } = await populated();
    const session = new Session(engine, { autoflush: false });
    const sandy = (await session.get(User, 2))!;
    sandy.fullname = "Sandy Squirrel";
    const again = (await session.scalars(select(User).where(User.c.name.eq("sandy")))).one();
    expect(again).toBe(sandy);
    expect(again.fullname).toBe("Sandy Squirrel");
    await session.close();
  });
});
