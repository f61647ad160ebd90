// Session API beyond add/commit: get with composite keys, merge, refresh, expire, expunge, aliased, fromStatement,
// one-to-one, Session.begin, and the mapper configuration errors.
import {
  ArgumentError,
  aliased,
  bindparam,
  column,
  createEngine,
  DetachedInstanceError,
  declarativeBase,
  ForeignKey,
  Integer,
  relationship,
  Session,
  String,
  select,
  selectinload,
  text,
  UnmappedInstanceError,
  update,
} from "crucible";
import { describe, expect, it } from "vitest";
import { SqlLog, tutorialDatabase } from "./models.js";

async function populated() {
  const db = await tutorialDatabase();
  const { engine, User, Address } = db;
  await Session.begin(engine, async (s) => {
    s.addAll([
      new User({ name: "spongebob", fullname: "Spongebob Squarepants", addresses: [new Address({ emailAddress: "spongebob@sqlalchemy.org" })] }),
      new User({ name: "sandy", fullname: "Sandy Cheeks", addresses: [new Address({ emailAddress: "sandy@sqlalchemy.org" })] }),
    ]);
  });
  db.log.take();
  return db;
}

describe("Session API", () => {
  it("get() by composite key, as an array or an object", async () => {
    const Base = declarativeBase();
    class Pair extends Base.model("pair", {
      a: column(Integer, { primaryKey: true, autoincrement: false }),
      b: column(String(5), { primaryKey: true }),
      note: column(String(20)),
    }) {}
    const engine = createEngine("sqlite://");
    await Base.metadata.createAll(engine);
    await Session.begin(engine, async (s) => s.addAll([new Pair({ a: 1, b: "x", note: "one" }), new Pair({ a: 1, b: "y", note: "two" })]));
    await using s = new Session(engine);
    const p = await s.get(Pair, [1, "y"]);
    expect(p?.note).toBe("two");
    expect(await s.get(Pair, { a: 1, b: "y" })).toBe(p);
    expect(await s.get(Pair, [2, "y"])).toBeNull();
    await expect(s.get(Pair, [1])).rejects.toBeInstanceOf(ArgumentError);
  });

  it("refresh() reloads columns changed by another statement; expire() refreshes on the next load", async () => {
    const { engine, User } = await populated();
    await using s = new Session(engine);
    const sandy = (await s.get(User, 2))!;
    await engine.begin((conn) => conn.execute(update(User).where(User.c.id.eq(2)).values({ fullname: "Sandy Squirrel" })));
    expect(sandy.fullname).toBe("Sandy Cheeks");
    await s.refresh(sandy);
    expect(sandy.fullname).toBe("Sandy Squirrel");
    await engine.begin((conn) => conn.execute(update(User).where(User.c.id.eq(2)).values({ fullname: "S. Cheeks" })));
    s.expire(sandy);
    await s.scalars(select(User));
    expect(sandy.fullname).toBe("S. Cheeks");
  });

  it("refresh() and expire() of named attributes touch only those; an unknown name is an ArgumentError", async () => {
    const { engine, User, log } = await populated();
    await using s = new Session(engine, { autoflush: false });
    const sandy = (await s.get(User, 2))!;
    await engine.begin((conn) => conn.execute(update(User).where(User.c.id.eq(2)).values({ name: "sandy2", fullname: "Sandy Squirrel" })));
    sandy.name = "mine";
    log.take();
    // A column name refreshes that column only: the unflushed change to `name` stays (and is still a change).
    await s.refresh(sandy, ["fullname"]);
    expect(sandy.fullname).toBe("Sandy Squirrel");
    expect(sandy.name).toBe("mine");
    expect(s.dirty).toEqual([sandy]);
    // A relationship name alone loads that relationship, without reading the row again.
    log.take();
    await s.refresh(sandy, ["addresses"]);
    expect(sandy.addresses.map((a) => a.emailAddress)).toEqual(["sandy@sqlalchemy.org"]);
    expect(log.take().filter((q) => q.startsWith("SELECT"))).toEqual([expect.stringMatching(/FROM address WHERE address\.user_id IN/)]);
    // Unknown names fail before any query, naming the model's attributes.
    await expect(s.refresh(sandy, ["fulname"])).rejects.toThrow(
      new ArgumentError('refresh(): User has no attribute "fulname"; its attributes are id, name, fullname, addresses'),
    );
    expect(() => s.expire(sandy, ["nmae"])).toThrow(ArgumentError);
    expect(log.take()).toEqual([]);

    // expire() of a column: the next load refreshes it and keeps other unflushed changes; expirations add up.
    await engine.begin((conn) => conn.execute(update(User).where(User.c.id.eq(2)).values({ fullname: "S. Cheeks" })));
    s.expire(sandy, ["fullname"]);
    s.expire(sandy, ["id"]);
    expect(sandy.fullname).toBe("Sandy Squirrel"); // still readable until the next load
    await s.scalars(select(User));
    expect(sandy.fullname).toBe("S. Cheeks");
    expect(sandy.name).toBe("mine");
    expect(s.dirty).toEqual([sandy]);
    // Nothing is expired any more: get() answers from the identity map.
    log.take();
    expect(await s.get(User, 2)).toBe(sandy);
    expect(log.take()).toEqual([]);
  });

  it("merge() copies a detached object's state onto the persistent one", async () => {
    const { engine, User } = await populated();
    const detached = new User({ id: 1, name: "spongebob", fullname: "SpongeBob SquarePants" });
    await using s = new Session(engine);
    const merged = await s.merge(detached);
    expect(merged).not.toBe(detached);
    expect(merged.fullname).toBe("SpongeBob SquarePants");
    expect(s.dirty).toEqual([merged]);
    await s.commit();
    await using check = new Session(engine);
    expect((await check.get(User, 1))?.fullname).toBe("SpongeBob SquarePants");
  });

  it("aliased() selects the same class twice", async () => {
    const { engine, User, Address } = await populated();
    await using s = new Session(engine);
    const a1 = aliased(Address);
    const a2 = aliased(Address);
    await Session.begin(engine, async (w) => {
      const sandy = (await w.get(User, 2))!;
      await w.load(sandy, "addresses");
      sandy.addresses.push(new Address({ emailAddress: "sandy@squirrelpower.org" }));
    });
    const rows = (
      await s.execute(
        select(User.c.name, a1.emailAddress, a2.emailAddress)
          .join(User.addresses.of(a1))
          .join(User.addresses.of(a2))
          .where(a1.c.emailAddress.eq("sandy@sqlalchemy.org"), a2.c.emailAddress.eq("sandy@squirrelpower.org")),
      )
    ).all();
    expect(rows.map((r) => [...r])).toEqual([["sandy", "sandy@sqlalchemy.org", "sandy@squirrelpower.org"]]);
    const pairs = (await s.execute(select(User, a1).join(User.addresses.of(a1)).orderBy(a1.c.id))).all();
    expect(pairs.map(([u, a]) => `${u.name}/${a.emailAddress}`)).toEqual([
      "spongebob/spongebob@sqlalchemy.org",
      "sandy/sandy@sqlalchemy.org",
      "sandy/sandy@squirrelpower.org",
    ]);
  });

  it("fromStatement() loads entities from textual SQL, converting by column type", async () => {
    const { engine, User } = await populated();
    await using s = new Session(engine);
    const users = await s.scalars(select(User).fromStatement(text("SELECT id, fullname, name FROM user_account WHERE name = :n")), { n: "sandy" });
    expect(users.map((u) => `${u}`)).toEqual(["User(id=2, name=sandy, fullname=Sandy Cheeks)"]);
    expect(users[0]).toBe(await s.get(User, 2));
  });

  it("an ORM select takes execute-time parameters for its bindparam()s, in scalars() and execute()", async () => {
    const { engine, User, Address } = await populated();
    await using s = new Session(engine);
    const byName = select(User).where(User.c.name.eq(bindparam("n")));
    expect((await s.scalars(byName, { n: "sandy" })).map((u) => u.name)).toEqual(["sandy"]);
    expect((await s.scalars(byName.options(selectinload(User.addresses)), { n: "spongebob" }))[0].addresses.map((a) => a.emailAddress)).toEqual([
      "spongebob@sqlalchemy.org",
    ]);
    const rows = (
      await s.execute(
        select(User, Address)
          .join(User.addresses)
          .where(User.c.name.eq(bindparam("n"))),
        { n: "sandy" },
      )
    ).all();
    expect(rows.map(([u, a]) => `${u.name}/${a.emailAddress}`)).toEqual(["sandy/sandy@sqlalchemy.org"]);
    await expect(s.scalars(byName)).rejects.toThrow(/no value for the parameter :n/);
  });

  it("objects loaded from rows do not run the model's constructor or class-field initializers", async () => {
    const Base = declarativeBase();
    let constructed = 0;
    class Counter extends Base.model("counter", { id: column(Integer, { primaryKey: true }), name: column(String(20)) }) {
      tag = "made in memory";
      constructor(init?: { name?: string | null }) {
        super(init);
        constructed++;
      }
      label(): string {
        return `${this.name}!`;
      }
    }
    const engine = createEngine("sqlite://");
    await Base.metadata.createAll(engine);
    await Session.begin(engine, async (s) => s.add(new Counter({ name: "a" })));
    expect(constructed).toBe(1);
    await using s = new Session(engine);
    const [loaded] = await s.scalars(select(Counter));
    expect(constructed).toBe(1);
    expect(loaded).toBeInstanceOf(Counter);
    expect(loaded.tag).toBeUndefined();
    expect(loaded.label()).toBe("a!");
    expect({ ...loaded }).toEqual({ id: 1, name: "a" }); // columns only: the ORM's state is private
    await engine.dispose();
  });

  it("Session.begin() commits on return and rolls back on error", async () => {
    const { engine, User } = await populated();
    await expect(
      Session.begin(engine, async (s) => {
        s.add(new User({ name: "patrick" }));
        await s.flush();
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await using s = new Session(engine);
    expect(await s.scalar(select(User.c.id).where(User.c.name.eq("patrick")))).toBeNull();
  });

  it("one-to-one: a scalar on both sides; a new partner replaces the old one", async () => {
    const Base = declarativeBase();
    class Person extends Base.model("person", {
      id: column(Integer, { primaryKey: true }),
      name: column(String(20), { nullable: false }),
      passport: relationship.one(() => Passport, { backPopulates: "owner", nullable: true }),
    }) {}
    class Passport extends Base.model("passport", {
      id: column(Integer, { primaryKey: true }),
      number: column(String(20), { nullable: false }),
      ownerId: column(Integer, ForeignKey("person.id")),
      owner: relationship.one(() => Person, { backPopulates: "passport", nullable: true }),
    }) {}
    const engine = createEngine("sqlite://");
    await Base.metadata.createAll(engine);
    const log = new SqlLog(engine);
    const p = new Person({ name: "ann" });
    const first = new Passport({ number: "A1" });
    p.passport = first;
    expect(first.owner).toBe(p);
    const second = new Passport({ number: "B2", owner: p });
    expect(p.passport).toBe(second);
    expect(first.owner).toBeNull();
    await Session.begin(engine, async (s) => s.addAll([p, first]));
    expect(log.take().filter((x) => x.startsWith("INSERT"))).toEqual([
      "INSERT INTO person (name) VALUES (?)",
      "INSERT INTO passport (number, owner_id) VALUES (?, ?), (?, ?)",
    ]);
    expect([first.ownerId, second.ownerId]).toEqual([null, p.id]);
  });
});

describe("mapper configuration errors say what is wrong and where", () => {
  it("unknown backPopulates", () => {
    const Base = declarativeBase();
    class A extends Base.model("a", {
      id: column(Integer, { primaryKey: true }),
      bs: relationship.many(() => B, { backPopulates: "nope" }),
    }) {}
    class B extends Base.model("b", { id: column(Integer, { primaryKey: true }), aId: column(Integer, ForeignKey("a.id")) }) {}
    expect(() => new A()).toThrow(/A\.bs: backPopulates "nope" does not exist on B/);
    void B;
  });

  it("no foreign key path", () => {
    const Base = declarativeBase();
    class A extends Base.model("a", { id: column(Integer, { primaryKey: true }), bs: relationship.many(() => B) }) {}
    class B extends Base.model("b", { id: column(Integer, { primaryKey: true }) }) {}
    expect(() => new A()).toThrow(/A\.bs: a collection needs a foreign key from b to a/);
    void B;
  });

  it("ambiguous foreign key paths", () => {
    const Base = declarativeBase();
    class A extends Base.model("a", { id: column(Integer, { primaryKey: true }), bs: relationship.many(() => B) }) {}
    class B extends Base.model("b", {
      id: column(Integer, { primaryKey: true }),
      x: column(Integer, ForeignKey("a.id")),
      y: column(Integer, ForeignKey("a.id")),
    }) {}
    expect(() => new A()).toThrow(/more than one foreign key from b to a; pass foreignKeys/);
    void B;
  });

  it("a viewonly relationship refuses cascades that write (merge and expunge are fine)", () => {
    // Checked when the model is declared, like an unknown cascade name.
    const declare = (cascade: string) => () => {
      const Base = declarativeBase();
      class A extends Base.model("a", {
        id: column(Integer, { primaryKey: true }),
        bs: relationship.many(() => B, { viewonly: true, cascade }),
      }) {}
      class B extends Base.model("b", { id: column(Integer, { primaryKey: true }), aId: column(Integer, ForeignKey("a.id")) }) {}
      return new A();
    };
    expect(declare("all")).toThrow(/A\.bs: cascade "save-update, delete" applies to writes, and a viewonly relationship is never written/);
    expect(declare("delete, delete-orphan")).toThrow(ArgumentError);
    expect(declare("merge, expunge")).not.toThrow();
  });

  it("unknown init attribute and missing primary key", () => {
    const Base = declarativeBase();
    class A extends Base.model("a", { id: column(Integer, { primaryKey: true }) }) {}
    expect(() => new A({ nope: 1 } as never)).toThrow(/A has no attribute "nope"/);
    expect(() => Base.model("nopk", { x: column(Integer) })).toThrow(/has no primary key/);
  });
});

describe("echo", () => {
  it('echo: "debug" logs the rows of an ORM query under the columns\' names', async () => {
    const lines: string[] = [];
    const engine = createEngine("sqlite://", { echo: "debug", logger: (line) => lines.push(line) });
    const Base = declarativeBase();
    class Pet extends Base.model("pet", { id: column(Integer, { primaryKey: true }), name: column(String(20)) }) {}
    await Base.metadata.createAll(engine);
    await Session.begin(engine, async (s) => s.add(new Pet({ name: "gary" })));
    lines.length = 0;
    const s = new Session(engine);
    expect((await s.scalars(select(Pet))).one().name).toBe("gary");
    await s.close();
    expect(lines.filter((l) => l.startsWith("Col") || l.startsWith("Row"))).toEqual(["Col ('id', 'name')", "Row (1, 'gary')"]);
  });
});

describe("objects the Session cannot use", () => {
  it("a plain object is an UnmappedInstanceError; a detached one a DetachedInstanceError naming add() and merge()", async () => {
    const Base = declarativeBase();
    class Pet extends Base.model("pet", { id: column(Integer, { primaryKey: true }), name: column(String(20)) }) {}
    const engine = createEngine("sqlite://");
    await Base.metadata.createAll(engine);
    const s = new Session(engine);
    expect(() => s.add({ name: "x" } as never)).toThrow(UnmappedInstanceError);
    expect(() => s.add({ name: "x" } as never)).toThrow(/not an instance of a mapped class/);
    const pet = new Pet({ name: "gary" });
    s.add(pet);
    await s.commit();
    await s.close();
    const other = new Session(engine);
    await expect(other.refresh(pet)).rejects.toBeInstanceOf(DetachedInstanceError);
    await expect(other.refresh(pet)).rejects.toThrow(/add\(\) or merge\(\) it into this Session first/);
    expect((await other.merge(pet)).name).toBe("gary");
    await other.close();
  });
});
