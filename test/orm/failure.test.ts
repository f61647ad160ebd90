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
  selectinload,
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
    // The edited object holds its database value; new objects left the Session (transient, as in SQLAlchemy)
    // with their attributes, without generated keys: nothing half-added is left to fail the next flush.
    expect(ursula.name).toBe("Ursula");
    expect(session.new).toEqual([]);
    expect(session.contains(good)).toBe(false);
    expect(good.id).toBeUndefined();
    expect(good.books[0].authorId).toBeUndefined();
    expect(good.books[0].title).toBe("Kindred");
    expect(await session.scalar(select(Author.c.name).where(Author.c.name.eq("Octavia")))).toBeNull();

    // Add what should be written again (its books follow by cascade) and commit: it works.
    session.add(good);
    expect(session.new).toEqual([good, good.books[0]]);
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

  it("a flush failing on its second table takes back the keys the first table's rows were given", async () => {
    const { engine, Author, Book } = await setup();
    const session = new Session(engine);
    const octavia = new Author({ name: "Octavia", books: [new Book({ title: null as never })] });
    session.add(octavia);
    await expect(session.flush()).rejects.toBeInstanceOf(IntegrityError);
    // The author's INSERT ran (and gave it id 2) before the book's failed: both are undone in memory.
    expect(octavia.id).toBeUndefined();
    expect(octavia.books[0].authorId).toBeUndefined();
    await session.rollback();
    octavia.books[0].title = "Kindred";
    session.add(octavia);
    await session.commit();
    expect(octavia.id).toBe(2);
    expect(octavia.books[0].authorId).toBe(2);
  });

  it("objects deleted by two flushes of one transaction, some of a class and then the rest, all come back", async () => {
    const { engine, Author } = await setup();
    await Session.begin(engine, async (s) => s.add(new Author({ name: "Octavia" })));
    const session = new Session(engine);
    const [ursula, octavia] = (await session.scalars(select(Author).orderBy(Author.c.id))).all();
    session.delete(ursula);
    await session.flush();
    expect(session.contains(octavia)).toBe(true);
    session.delete(octavia);
    await session.flush();
    expect(session.contains(octavia)).toBe(false);
    await session.rollback();
    expect(await session.get(Author, ursula.id)).toBe(ursula);
    expect(await session.get(Author, octavia.id)).toBe(octavia);
    expect((await session.scalars(select(Author.c.name).orderBy(Author.c.id))).all()).toEqual(["Ursula", "Octavia"]);
  });

  it("an object inserted and then deleted in one transaction is transient after rollback", async () => {
    const { engine, Author } = await setup();
    const session = new Session(engine);
    const brief = new Author({ name: "brief" });
    session.add(brief);
    await session.flush();
    session.delete(brief);
    await session.flush();
    await session.rollback();
    // It never existed outside the transaction: not back in the Session, no key.
    expect(session.contains(brief)).toBe(false);
    expect(brief.id).toBeUndefined();
    expect(await session.get(Author, 2)).toBeNull();
    session.add(brief);
    await session.commit();
    expect(brief.id).toBe(2);
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
    expect(session.contains(bad)).toBe(false);
    await session.commit();
    await using check = new Session(engine);
    expect((await check.scalars(select(Author.c.name).orderBy(Author.c.id))).all()).toEqual(["Ursula", "kept"]);
  });

  it("a SAVEPOINT whose flush fails restores collections changed inside it; the outer transaction commits", async () => {
    const { engine, Author, Book } = await setup();
    const session = new Session(engine);
    const ursula = (await session.scalars(select(Author).options(selectinload(Author.books)))).one();
    const sp = await session.beginNested();
    const bad = new Book({ title: "Bad", authorId: 999 }); // no such author: the INSERT fails
    const fine = new Book({ title: "The Left Hand of Darkness" });
    ursula.books.push(fine);
    session.add(bad);
    await expect(sp.commit()).rejects.toBeInstanceOf(IntegrityError);
    // The collection is as it was when the SAVEPOINT began; both new books left the Session.
    expect(ursula.books.map((b) => b.title)).toEqual(["The Dispossessed"]);
    expect(session.contains(fine)).toBe(false);
    expect(session.contains(bad)).toBe(false);
    ursula.books.push(fine);
    await session.commit();
    await using check = new Session(engine);
    expect((await check.scalars(select(Book.c.title).orderBy(Book.c.id))).all()).toEqual(["The Dispossessed", "The Left Hand of Darkness"]);
  });

  it("a failed flush puts back the foreign keys it set: unset ones unset again, given ones as given", async () => {
    const { engine, Author, Book } = await setup();
    const session = new Session(engine);
    const ursula = (await session.scalars(select(Author))).one();
    const octavia = new Author({ name: "Octavia" });
    // Keys set by the flush (from the relationship) before and after one the user gave, then a book that fails.
    const b1 = new Book({ title: "Kindred", author: octavia });
    const b2 = new Book({ title: "Lathe", authorId: ursula.id, author: ursula });
    const b3 = new Book({ title: "Dawn", author: octavia });
    const b4 = new Book({ title: "Fledgling", author: ursula });
    const bad = new Book({ title: null as unknown as string, author: octavia }); // NOT NULL violation
    session.addAll([octavia, b1, b2, b3, b4, bad]);
    expect(await session.commit().catch((e) => e)).toBeInstanceOf(IntegrityError);
    await session.rollback();
    expect([b1.authorId, b2.authorId, b3.authorId, b4.authorId, bad.authorId]).toEqual([undefined, ursula.id, undefined, undefined, undefined]);
    expect(octavia.id).toBeUndefined();
    // Added again, they are written with the right keys.
    bad.title = "Wild Seed";
    session.addAll([octavia, b1, b2, b3, b4, bad]);
    await session.commit();
    expect([b1, b2, b3, b4, bad].map((b) => b.authorId)).toEqual([octavia.id, ursula.id, octavia.id, ursula.id, octavia.id]);
    await session.close();
  });
});
