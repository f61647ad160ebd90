/**
 * Failure semantics of the Session on every dialect (twin of test/orm/failure.test.ts): a failed flush rolls the
 * transaction back (PostgreSQL aborts a transaction at its first error: the ROLLBACK must still work), the Session
 * refuses work with PendingRollbackError until rollback(), nothing is half-written, rollback() restores objects; a
 * failure inside a SAVEPOINT loses only the SAVEPOINT.
 */
import {
  column,
  declarativeBase,
  ForeignKey,
  Integer,
  IntegrityError,
  PendingRollbackError,
  ProgrammingError,
  relationship,
  Session,
  String,
  select,
  text,
} from "crucible";
import { expect, it } from "vitest";
import { forEachTarget } from "./dialects.js";
import { ormFixture } from "./orm-support.js";

function models(sfx: string) {
  const Base = declarativeBase();
  class Author extends Base.model(`author_${sfx}`, {
    id: column(Integer, { primaryKey: true }),
    name: column(String(50), { nullable: false, unique: true }),
    books: relationship.many(() => Book, { backPopulates: "author", cascade: "all, delete-orphan" }),
  }) {}
  class Book extends Base.model(`book_${sfx}`, {
    id: column(Integer, { primaryKey: true }),
    title: column(String(100), { nullable: false }),
    authorId: column(Integer, ForeignKey(`author_${sfx}.id`), { nullable: false }),
    author: relationship.one(() => Author, { backPopulates: "books" }),
  }) {}
  return { Base, Author, Book };
}

forEachTarget("orm failure semantics", (ctx) => {
  const fresh = ormFixture(ctx, models);
  async function setup() {
    const db = await fresh();
    const { Author, Book } = db.models;
    await Session.begin(db.engine, async (s) => {
      s.add(new Author({ name: "Ursula", books: [new Book({ title: "The Dispossessed" })] }));
    });
    db.log.clear();
    return db;
  }

  it("a unique violation in a flush rolls back, refuses work until rollback(), then the Session works", async () => {
    const db = await setup();
    const { Author, Book } = db.models;
    const session = db.session();
    const ursula = (await session.scalars(select(Author))).one();
    ursula.name = "Ursula K. Le Guin";
    const good = new Author({ name: "Octavia", books: [new Book({ title: "Kindred" })] });
    const clash = new Author({ name: "Octavia" }); // unique violation
    session.addAll([good, clash]);
    db.log.clear();
    const err = await session.commit().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrityError);
    // The constraint is named as the database names it (author.name, author_<sfx>_name_key, ...).
    expect((err as IntegrityError).constraint).toMatch(/name/);
    const sql = db.log.take();
    // The UPDATE ran first (persistent objects before new ones), the failing INSERT, then the ROLLBACK.
    expect(sql.at(-1)).toBe("ROLLBACK");
    expect(sql.filter((s) => s.startsWith("INSERT INTO author"))).toHaveLength(1);
    expect(sql.some((s) => s.startsWith("INSERT INTO book"))).toBe(false);

    // Nothing was written: another Session sees the original data only.
    const check = db.session();
    expect((await check.scalars(select(Author.c.name))).all()).toEqual(["Ursula"]);
    expect((await check.scalars(select(Book.c.title))).all()).toEqual(["The Dispossessed"]);
    await check.close();

    // Every call raises PendingRollbackError naming the original error.
    const again = await session.execute(select(Author)).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(PendingRollbackError);
    expect((again as Error).message).toMatch(/IntegrityError/);
    expect(() => session.add(new Author({ name: "x" }))).toThrow(PendingRollbackError);
    await expect(session.flush()).rejects.toBeInstanceOf(PendingRollbackError);

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
    expect(typeof good.id).toBe("number");
    expect(good.books[0].authorId).toBe(good.id);
    const verify = db.session();
    expect((await verify.scalars(select(Author.c.name).orderBy(Author.c.id))).all()).toEqual(["Ursula", "Octavia"]);
    expect((await verify.scalars(select(Book.c.title).orderBy(Book.c.id))).all()).toEqual(["The Dispossessed", "Kindred"]);
  });

  it("objects inserted by an earlier flush of the rolled-back transaction are expunged", async () => {
    const db = await setup();
    const { Author } = db.models;
    const session = db.session();
    const a = new Author({ name: "first" });
    session.add(a);
    await session.flush();
    expect(a.id).toBe(2);
    session.add(new Author({ name: "first" }));
    await expect(session.flush()).rejects.toBeInstanceOf(IntegrityError);
    await session.rollback();
    expect(session.contains(a)).toBe(false);
    expect(a.id).toBeUndefined();
    const check = db.session();
    expect(await check.scalar(select(Author.c.id).where(Author.c.name.eq("first")))).toBeNull();
  });

  it("a foreign key violation fails the flush the same way", async () => {
    const db = await setup();
    const { Book } = db.models;
    const session = db.session();
    const orphan = new Book({ title: "Orphan", authorId: 999 });
    session.add(orphan);
    await expect(session.commit()).rejects.toBeInstanceOf(IntegrityError);
    await expect(session.execute(select(Book))).rejects.toBeInstanceOf(PendingRollbackError);
    await session.rollback();
    // Out of the Session after the rollback (as in SQLAlchemy): the next query does not try it again.
    expect(session.new).toEqual([]);
    expect(session.contains(orphan)).toBe(false);
    expect((await session.scalars(select(Book.c.title))).all()).toEqual(["The Dispossessed"]);
  });

  it("a failing statement outside a flush: rollback() makes the Session usable again", async () => {
    const db = await setup();
    const { Author } = db.models;
    const session = db.session();
    const ursula = (await session.scalars(select(Author))).one();
    ursula.name = "Ursula K.";
    await session.flush();
    await expect(session.execute(text("SELECT no_such_column FROM no_such_table"))).rejects.toBeInstanceOf(ProgrammingError);
    // PostgreSQL refuses every statement of the transaction now; every dialect recovers by rolling back.
    await session.rollback();
    expect(ursula.name).toBe("Ursula");
    expect((await session.scalars(select(Author.c.name))).all()).toEqual(["Ursula"]);
    ursula.name = "Ursula K. Le Guin";
    await session.commit();
    const check = db.session();
    expect((await check.scalars(select(Author.c.name))).all()).toEqual(["Ursula K. Le Guin"]);
  });

  it("deleted objects come back after rollback", async () => {
    const db = await setup();
    const { Author, Book } = db.models;
    const session = db.session();
    const ursula = (await session.scalars(select(Author))).one();
    session.delete(ursula);
    await session.flush();
    expect(session.contains(ursula)).toBe(false);
    expect(await session.scalar(select(Book.c.id))).toBeNull(); // the book went with it (cascade)
    await session.rollback();
    expect(session.contains(ursula)).toBe(true);
    expect(await session.get(Author, ursula.id)).toBe(ursula);
    expect((await session.scalars(select(Book.c.title))).all()).toEqual(["The Dispossessed"]);
  });

  it("a failed flush inside a SAVEPOINT rolls back only the SAVEPOINT", async () => {
    const db = await setup();
    const { Author } = db.models;
    const session = db.session();
    const kept = new Author({ name: "kept" });
    session.add(kept);
    const sp = await session.beginNested();
    const bad = new Author({ name: "Ursula" });
    session.add(bad);
    await expect(sp.commit()).rejects.toBeInstanceOf(IntegrityError);
    expect(sp.isActive).toBe(false);
    expect(session.contains(kept)).toBe(true);
    // The object whose INSERT failed left the Session with the SAVEPOINT.
    expect(session.contains(bad)).toBe(false);
    // The outer transaction goes on: it still sees its own row.
    expect(await session.scalar(select(Author.c.name).where(Author.c.id.eq(kept.id)))).toBe("kept");
    await session.commit();
    const check = db.session();
    expect((await check.scalars(select(Author.c.name).orderBy(Author.c.id))).all()).toEqual(["Ursula", "kept"]);
  });

  it("a SAVEPOINT rolled back by hand undoes its changes and restores the objects", async () => {
    const db = await setup();
    const { Author } = db.models;
    const session = db.session();
    const ursula = (await session.scalars(select(Author))).one();
    const sp = await session.beginNested();
    ursula.name = "renamed";
    const extra = new Author({ name: "extra" });
    session.add(extra);
    await session.flush();
    expect(typeof extra.id).toBe("number");
    await sp.rollback();
    expect(ursula.name).toBe("Ursula");
    expect(session.contains(extra)).toBe(false);
    expect(extra.id).toBeUndefined();
    expect((await session.scalars(select(Author.c.name))).all()).toEqual(["Ursula"]);
    await session.commit();
  });
});
