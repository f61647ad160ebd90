// A failed flush leaves the database untouched and the Session recoverable (DESIGN §5, issue "Failure semantics").
import {
  column,
  createEngine,
  declarativeBase,
  ForeignKey,
  Integer,
  IntegrityError,
  PendingRollbackError,
  relationship,
  Session,
  String,
  select,
} from "crucible";
import { describe, expect, it } from "vitest";
import { SqlLog } from "./models.js";

function models() {
  const Base = declarativeBase();
  class Author extends Base.model("author", {
    id: column(Integer, { primaryKey: true }),
    name: column(String(50), { nullable: false, unique: true }),
    books: relationship.many(() => Book, { backPopulates: "author", cascade: "all, delete-orphan" }),
  }) {}
  class Book extends Base.model("book", {
    id: column(Integer, { primaryKey: true }),
    title: column(String(100), { nullable: false }),
    authorId: column(Integer, ForeignKey("author.id"), { nullable: false }),
    author: relationship.one(() => Author, { backPopulates: "books" }),
  }) {}
  return { Base, Author, Book };
}

async function setup() {
  const m = models();
  const engine = createEngine("sqlite://");
  await m.Base.metadata.createAll(engine);
  const log = new SqlLog(engine);
  await Session.begin(engine, async (s) => {
    s.add(new m.Author({ name: "Ursula", books: [new m.Book({ title: "The Dispossessed" })] }));
  });
  log.take();
  return { ...m, engine, log };
}

describe("failure semantics", () => {
  it("a unique violation in a flush rolls back, refuses work until rollback(), then the Session works", async () => {
    const { engine, Author, Book, log } = await setup();
    const session = new Session(engine);
    const ursula = (await session.scalars(select(Author))).one();
    ursula.name = "Ursula K. Le Guin";
    const good = new Author({ name: "Octavia", books: [new Book({ title: "Kindred" })] });
    const clash = new Author({ name: "Octavia" }); // unique violation
    session.addAll([good, clash]);
    log.take();
    const err = await session.commit().catch((e) => e);
    expect(err).toBeInstanceOf(IntegrityError);
    expect((err as IntegrityError).constraint).toBe("author.name");
    expect(log.take()).toContain("ROLLBACK");

    // Nothing was written: a second engine connection sees the original data only.
    await using check = new Session(engine);
    expect((await check.scalars(select(Author.c.name))).all()).toEqual(["Ursula"]);
    expect((await check.scalars(select(Book.c.title))).all()).toEqual(["The Dispossessed"]);
    await check.close();

    // Every call raises PendingRollbackError naming the original error.
    const again = await session.execute(select(Author)).catch((e) => e);
    expect(again).toBeInstanceOf(PendingRollbackError);
    expect((again as Error).message).toMatch(/IntegrityError/);
    expect(() => session.add(new Author({ name: "x" }))).toThrow(PendingRollbackError);

    await session.rollback();
    // The edited object holds its database value; new objects are pending again with no generated keys.
    expect(ursula.name).toBe("Ursula");
    expect(good.id).toBeUndefined();
    expect(good.books[0].authorId).toBeUndefined();
    expect(session.new).toEqual([good, good.books[0], clash]);

    // Fix the problem and commit: it works.
    session.expunge(clash);
    await session.commit();
    await using verify = new Session(engine);
    expect((await verify.scalars(select(Author.c.name).orderBy(Author.c.id))).all()).toEqual(["Ursula", "Octavia"]);
    expect((await verify.scalars(select(Book.c.title).orderBy(Book.c.id))).all()).toEqual(["The Dispossessed", "Kindred"]);
  });

  it("objects inserted by an earlier flush of the rolled-back transaction are expunged", async () => {
    const { engine, Author } = await setup();
    const session = new Session(engine);
    const a = new Author({ name: "first" });
    session.add(a);
    await session.flush();
    expect(a.id).toBe(2);
    session.add(new Author({ name: "first" }));
    await expect(session.flush()).rejects.toBeInstanceOf(IntegrityError);
    await session.rollback();
    expect(session.contains(a)).toBe(false);
    expect(a.id).toBeUndefined();
    await using check = new Session(engine);
    expect(await check.scalar(select(Author.c.id).where(Author.c.name.eq("first")))).toBeNull();
  });

  it("deleted objects come back after rollback", async () => {
    const { engine, Author } = await setup();
    const session = new Session(engine);
    const ursula = (await session.scalars(select(Author))).one();
    session.delete(ursula);
    await session.flush();
    expect(session.contains(ursula)).toBe(false);
    await session.rollback();
    expect(session.contains(ursula)).toBe(true);
    expect(await session.get(Author, ursula.id)).toBe(ursula);
  });

  it("a failed flush inside a SAVEPOINT rolls back only the SAVEPOINT", async () => {
    const { engine, Author } = await setup();
    const session = new Session(engine);
    session.add(new Author({ name: "kept" }));
    const sp = await session.beginNested();
    const bad = new Author({ name: "Ursula" });
    session.add(bad);
    await expect(sp.commit()).rejects.toBeInstanceOf(IntegrityError);
    expect(sp.isActive).toBe(false);
    session.expunge(bad);
    await session.commit();
    await using check = new Session(engine);
    expect((await check.scalars(select(Author.c.name).orderBy(Author.c.id))).all()).toEqual(["Ursula", "kept"]);
  });
});
