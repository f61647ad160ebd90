// Twin of SQLAlchemy's Unified Tutorial, "Data Manipulation with the ORM": inserting with the unit of work, the
// identity map, updating and deleting ORM objects, rollback and close — with the SQL each step emits.
import { insert, Session, select } from "crucible";
import { beforeEach, describe, expect, it } from "vitest";
import { tutorialDatabase } from "./models.js";

async function seeded() {
  const db = await tutorialDatabase();
  const { engine, User, Address } = db;
  await engine.begin(async (conn) => {
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
  db.log.take();
  return db;
}

describe("ORM tutorial: data manipulation", () => {
  let db: Awaited<ReturnType<typeof seeded>>;
  beforeEach(async () => {
    db = await seeded();
  });

  it("inserts rows with the unit of work, in one multi-row INSERT", async () => {
    const { engine, User, log } = db;
    const session = new Session(engine);
    const squidward = new User({ name: "squidward", fullname: "Squidward Tentacles" });
    const krabs = new User({ name: "ehkrabs", fullname: "Eugene H. Krabs" });
    expect(squidward.id).toBeUndefined();
    session.add(squidward);
    session.add(krabs);
    expect(session.new).toEqual([squidward, krabs]);
    await session.flush();
    expect(log.take()).toEqual(["BEGIN (implicit)", "INSERT INTO user_account (name, fullname) VALUES (?, ?), (?, ?)"]);
    expect(squidward.id).toBe(4);
    expect(krabs.id).toBe(5);
    expect(session.new).toEqual([]);
    // The identity map: get() answers from it without SQL.
    const someSquidward = await session.get(User, 4);
    expect(someSquidward).toBe(squidward);
    expect(log.take()).toEqual([]);
    await session.commit();
    expect(log.take()).toEqual(["COMMIT"]);
    await session.close();
  });

  it("updates only the changed column, autoflushed before a query", async () => {
    const { engine, User, log } = db;
    const session = new Session(engine);
    const sandy = (await session.execute(select(User).where(User.c.name.eq("sandy")))).scalarOne();
    expect(`${sandy}`).toBe("User(id=2, name=sandy, fullname=Sandy Cheeks)");
    sandy.fullname = "Sandy Squirrel";
    expect(session.dirty).toContain(sandy);
    log.take();
    const fullname = (await session.execute(select(User.c.fullname).where(User.c.id.eq(2)))).scalarOne();
    expect(fullname).toBe("Sandy Squirrel");
    expect(log.takeWithParams()).toEqual([
      ["UPDATE user_account SET fullname = ? WHERE user_account.id = ?", ["Sandy Squirrel", 2]],
      ["SELECT user_account.fullname FROM user_account WHERE user_account.id = ?", [2]],
    ]);
    expect(session.dirty).not.toContain(sandy);
    await session.close();
  });

  it("deletes with cascade (loading the children first) and rolls everything back", async () => {
    const { engine, User, Address, log } = db;
    const session = new Session(engine);
    const sandy = (await session.execute(select(User).where(User.c.name.eq("sandy")))).scalarOne();
    sandy.fullname = "Sandy Squirrel";
    log.take();
    // get() misses the identity map, so it autoflushes the pending UPDATE before its SELECT.
    const patrick = (await session.get(User, 3))!;
    expect(log.take()).toEqual([
      "UPDATE user_account SET fullname = ? WHERE user_account.id = ?",
      "SELECT user_account.id, user_account.name, user_account.fullname FROM user_account WHERE user_account.id = ?",
    ]);
    session.delete(patrick);
    const found = (await session.execute(select(User).where(User.c.name.eq("patrick")))).first();
    expect(found).toBeNull();
    expect(log.take()).toEqual([
      "SELECT address.id, address.email_address, address.user_id FROM address WHERE address.user_id IN (?)",
      "DELETE FROM user_account WHERE user_account.id IN (?)",
      "SELECT user_account.id, user_account.name, user_account.fullname FROM user_account WHERE user_account.name = ?",
    ]);
    expect(session.contains(patrick)).toBe(false);

    await session.rollback();
    expect(log.take()).toEqual(["ROLLBACK"]);
    expect(sandy.fullname).toBe("Sandy Cheeks");
    expect(session.contains(patrick)).toBe(true);
    const again = (await session.execute(select(User).where(User.c.name.eq("patrick")))).scalarOne();
    expect(again).toBe(patrick);
    expect(await session.scalar(select(Address.c.emailAddress).where(Address.c.userId.eq(2)).orderBy(Address.c.id))).toBe("sandy@sqlalchemy.org");
    await session.close();
  });

  it("close() gives the connection back and detaches the objects; add() attaches them to another Session", async () => {
    const { engine, User } = db;
    const session = new Session(engine);
    const squidward = new User({ name: "squidward", fullname: "Squidward Tentacles" });
    session.add(squidward);
    await session.commit();
    await session.close();
    expect(engine.poolStatus?.inUse).toBe(0);
    expect(session.contains(squidward)).toBe(false);
    // A detached object keeps its values and can be changed, then attached to another Session.
    squidward.fullname = "Squidward T.";
    const other = new Session(engine);
    other.add(squidward);
    await other.commit();
    const check = new Session(engine);
    expect((await check.get(User, squidward.id))?.fullname).toBe("Squidward T.");
    await check.close();
    await other.close();
  });
});
