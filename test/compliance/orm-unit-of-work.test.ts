/**
 * The unit of work on every dialect (twin of test/orm/unit-of-work.test.ts): self-referential trees, many-to-many,
 * mutually dependent rows, client and server defaults, stale data, batching under the parameter limit, and the
 * value types of keys and columns after a flush and after a load — asserting the shape of the SQL each flush emits.
 */
import {
  BigInteger,
  Boolean,
  column,
  DateOnly,
  DateTime,
  Double,
  declarativeBase,
  delete_,
  Enum,
  ForeignKey,
  func,
  Integer,
  insert,
  JSON,
  joinedload,
  LargeBinary,
  Numeric,
  relationship,
  Session,
  StaleDataError,
  String,
  select,
  selectinload,
  Table,
  Text,
  Time,
  Uuid,
  Varchar,
} from "crucible";
import { expect, it } from "vitest";
import { forEachTarget } from "./dialects.js";
import { ormFixture } from "./orm-support.js";

forEachTarget("orm unit of work: self-referential tree", (ctx) => {
  const fresh = ormFixture(ctx, (sfx) => {
    const Base = declarativeBase();
    class Node extends Base.model(`node_${sfx}`, {
      id: column(Integer, { primaryKey: true }),
      parentId: column(Integer, ForeignKey(`node_${sfx}.id`)),
      data: column(String(50), { nullable: false }),
      parent: relationship.one(() => Node, { backPopulates: "children", nullable: true }),
      children: relationship.many(() => Node, { backPopulates: "parent", cascade: "all, delete-orphan" }),
    }) {}
    return { Base, Node };
  });

  it("inserts level by level (one INSERT per level) and deletes children first", async () => {
    const db = await fresh();
    const { Node } = db.models;
    const root = new Node({ data: "root" });
    const a = new Node({ data: "a", parent: root });
    const b = new Node({ data: "b", parent: root });
    new Node({ data: "a1", parent: a });
    new Node({ data: "a2", parent: a });
    expect(root.children).toEqual([a, b]);
    const session = db.session();
    session.add(root);
    await session.commit();
    expect(db.log.takeWithParams()).toEqual([
      ["BEGIN (implicit)", []],
      [`INSERT INTO node (data) VALUES (?)${db.retId()}`, ["root"]],
      [`INSERT INTO node (parent_id, data) VALUES (?, ?), (?, ?)${db.retId()}`, [1, "a", 1, "b"]],
      [`INSERT INTO node (parent_id, data) VALUES (?, ?), (?, ?)${db.retId()}`, [2, "a1", 2, "a2"]],
      ["COMMIT", []],
    ]);
    expect([root.id, a.id, b.id]).toEqual([1, 2, 3]);

    await using check = db.session();
    const loaded = await check.scalars(select(Node).options(selectinload(Node.children)).where(Node.c.parentId.isNull()));
    expect(loaded.map((n) => `${n.data}: ${n.children.map((c) => c.data).join(",")}`)).toEqual(["root: a,b"]);
    await check.close();

    session.delete(root);
    await session.commit();
    expect(db.log.take().filter((s) => s.startsWith("DELETE"))).toEqual([
      "DELETE FROM node WHERE node.id IN (?, ?, ?)", // the leaves: a1, a2, b
      "DELETE FROM node WHERE node.id IN (?)", // a
      "DELETE FROM node WHERE node.id IN (?)", // root
    ]);
    expect(await session.scalar(select(func.count()).selectFrom(Node))).toBe(0);
  });
});

forEachTarget("orm unit of work: many-to-many", (ctx) => {
  const fresh = ormFixture(ctx, (sfx) => {
    const Base = declarativeBase();
    const articleTag = Table(`article_tag_${sfx}`, Base.metadata, {
      article_id: column(Integer, ForeignKey(`article_${sfx}.id`, { onDelete: "CASCADE" }), { primaryKey: true }),
      tag_id: column(Integer, ForeignKey(`tag_${sfx}.id`), { primaryKey: true }),
    });
    class Article extends Base.model(`article_${sfx}`, {
      id: column(Integer, { primaryKey: true }),
      title: column(String(50), { nullable: false }),
      tags: relationship.many(() => Tag, { secondary: articleTag, backPopulates: "articles" }),
    }) {}
    class Tag extends Base.model(`tag_${sfx}`, {
      id: column(Integer, { primaryKey: true }),
      name: column(String(20), { nullable: false }),
      articles: relationship.many(() => Article, { secondary: articleTag, backPopulates: "tags" }),
    }) {}
    return { Base, Article, Tag, articleTag };
  });

  it("writes association rows once, removes them (tuple IN), and loads both ways", async () => {
    const db = await fresh();
    const { Article, Tag, articleTag } = db.models;
    const orm = new Tag({ name: "orm" });
    const ts = new Tag({ name: "ts" });
    const a1 = new Article({ title: "one", tags: [orm, ts] });
    const a2 = new Article({ title: "two", tags: [orm] });
    expect(orm.articles).toEqual([a1, a2]);
    const session = db.session();
    session.addAll([a1, a2]);
    await session.commit();
    expect(db.log.take().filter((s) => s.startsWith("INSERT"))).toEqual([
      `INSERT INTO article (title) VALUES (?), (?)${db.retId()}`,
      `INSERT INTO tag (name) VALUES (?), (?)${db.retId()}`,
      "INSERT INTO article_tag (article_id, tag_id) VALUES (?, ?), (?, ?), (?, ?)",
    ]);
    a1.tags.splice(a1.tags.indexOf(orm), 1);
    expect(orm.articles).toEqual([a2]);
    await session.commit();
    expect(db.log.take()).toEqual(["BEGIN (implicit)", "DELETE FROM article_tag WHERE (article_tag.article_id, article_tag.tag_id) IN ((?, ?))", "COMMIT"]);

    const check = db.session();
    const tags = await check.scalars(select(Tag).options(selectinload(Tag.articles)).orderBy(Tag.c.id));
    expect(tags.map((t) => `${t.name}: ${t.articles.map((a) => a.title).join(",")}`)).toEqual(["orm: two", "ts: one"]);
    // Deleting an article deletes its association rows first.
    const one = (await check.scalars(select(Article).where(Article.c.title.eq("one")))).one();
    check.delete(one);
    await check.commit();
    const rows = (await check.execute(select(articleTag.c.article_id, articleTag.c.tag_id))).all();
    expect(rows.map((r) => [...r])).toEqual([[a2.id, orm.id]]);
  });
});

forEachTarget("orm unit of work: mutually dependent rows", (ctx) => {
  const fresh = ormFixture(ctx, (sfx) => {
    const Base = declarativeBase();
    class Team extends Base.model(`team_${sfx}`, {
      id: column(Integer, { primaryKey: true }),
      name: column(String(20), { nullable: false }),
      captainId: column(Integer, ForeignKey(`player_${sfx}.id`)),
      captain: relationship.one(() => Player, { foreignKeys: ["captainId"], nullable: true, postUpdate: true }),
      players: relationship.many(() => Player, { foreignKeys: ["teamId"], backPopulates: "team" }),
    }) {}
    class Player extends Base.model(`player_${sfx}`, {
      id: column(Integer, { primaryKey: true }),
      name: column(String(20), { nullable: false }),
      teamId: column(Integer, ForeignKey(`team_${sfx}.id`)),
      team: relationship.one(() => Team, { foreignKeys: ["teamId"], backPopulates: "players", nullable: true }),
    }) {}
    return { Base, Team, Player };
  });

  it("breaks the cycle with a post-update of the nullable foreign key, and deletes both", async () => {
    const db = await fresh();
    const { Team, Player } = db.models;
    const t = new Team({ name: "reds" });
    const p = new Player({ name: "ann", team: t });
    t.captain = p;
    const session = db.session();
    session.add(t);
    await session.commit();
    expect(db.log.take()).toEqual([
      "BEGIN (implicit)",
      `INSERT INTO team (name, captain_id) VALUES (?, ?)${db.retId()}`,
      `INSERT INTO player (name, team_id) VALUES (?, ?)${db.retId()}`,
      "UPDATE team SET captain_id = ? WHERE team.id = ?",
      "COMMIT",
    ]);
    expect(t.captainId).toBe(p.id);
    expect(p.teamId).toBe(t.id);
    const check = db.session();
    expect((await check.execute(select(Team.c.captainId, Player.c.teamId).join(Player, Player.c.id.eq(Team.c.captainId)))).all().map((r) => [...r])).toEqual([
      [p.id, t.id],
    ]);
    await check.close();

    session.delete(t);
    session.delete(p);
    await session.commit();
    expect(await session.scalar(select(func.count()).selectFrom(Team))).toBe(0);
    expect(await session.scalar(select(func.count()).selectFrom(Player))).toBe(0);
  });
});

forEachTarget("orm unit of work: defaults and stale data", (ctx) => {
  let n = 0;
  const fresh = ormFixture(ctx, (sfx) => {
    const Base = declarativeBase();
    class Doc extends Base.model(`doc_${sfx}`, {
      id: column(Integer, { primaryKey: true }),
      title: column(String(50), { nullable: false }),
      serial: column(Integer, { default: () => ++n }),
      status: column(String(10), { serverDefault: "'draft'", nullable: false }),
      updatedAt: column(DateTime(), { onUpdate: () => new Date(Date.UTC(2030, 0, 1)) }),
    }) {}
    return { Base, Doc };
  });

  it("client defaults are set on the object, server defaults are read back after the INSERT, onUpdate applies", async () => {
    const db = await fresh();
    const { Doc } = db.models;
    n = 0;
    const session = db.session();
    const d = new Doc({ title: "x" });
    const e = new Doc({ title: "y" });
    session.addAll([d, e]);
    await session.flush();
    // With RETURNING the key and the server default come back with the INSERT; without, one SELECT reads them.
    expect(db.log.take()).toEqual([
      "BEGIN (implicit)",
      `INSERT INTO doc (title, serial) VALUES (?, ?), (?, ?)${db.ret("id, status")}`,
      ...(db.engine.dialect.capabilities.insertReturning ? [] : ["SELECT doc.id, doc.status FROM doc WHERE doc.id IN (?, ?)"]),
    ]);
    expect([d.id, e.id]).toEqual([1, 2]);
    expect([d.serial, e.serial]).toEqual([1, 2]);
    expect([d.status, e.status]).toEqual(["draft", "draft"]);
    d.title = "z";
    await session.flush();
    const [[sql, params]] = db.log.takeWithParams();
    expect(sql).toBe("UPDATE doc SET title = ?, updated_at = ? WHERE doc.id = ?");
    expect(params[0]).toBe("z");
    expect(params[2]).toBe(1);
    expect(d.updatedAt?.toISOString()).toBe("2030-01-01T00:00:00.000Z");
    await session.commit();
    await using check = db.session();
    const again = (await check.get(Doc, 1))!;
    expect([again.title, again.serial, again.status, again.updatedAt?.toISOString()]).toEqual(["z", 1, "draft", "2030-01-01T00:00:00.000Z"]);
  });

  it("an UPDATE that matches no row raises StaleDataError, and rollback restores the object", async () => {
    const db = await fresh();
    const { Doc } = db.models;
    const session = db.session();
    const d = new Doc({ title: "x" });
    session.add(d);
    await session.commit();
    await db.engine.begin(async (conn) => {
      await conn.execute(delete_(Doc));
    });
    d.title = "changed";
    await expect(session.commit()).rejects.toBeInstanceOf(StaleDataError);
    await session.rollback();
    expect(d.title).toBe("x");
  });

  it("a DELETE that matches no row raises StaleDataError", async () => {
    const db = await fresh();
    const { Doc } = db.models;
    const session = db.session();
    const d = new Doc({ title: "x" });
    session.add(d);
    await session.commit();
    await db.engine.begin(async (conn) => {
      await conn.execute(delete_(Doc));
    });
    session.delete(d);
    await expect(session.commit()).rejects.toBeInstanceOf(StaleDataError);
    await session.rollback();
    expect(session.contains(d)).toBe(true);
  });
});

forEachTarget("orm unit of work: batching and value types", (ctx) => {
  const fresh = ormFixture(ctx, (sfx) => {
    const Base = declarativeBase();
    class Item extends Base.model(`item_${sfx}`, {
      id: column(Integer, { primaryKey: true }),
      a: column(String(10)),
      b: column(String(10)),
    }) {}
    class Big extends Base.model(`big_${sfx}`, {
      id: column(BigInteger, { primaryKey: true }),
      label: column(String(10), { nullable: false }),
      parts: relationship.many(() => BigPart, { backPopulates: "owner", cascade: "all, delete-orphan" }),
    }) {}
    class BigPart extends Base.model(`big_part_${sfx}`, {
      id: column(BigInteger, { primaryKey: true }),
      ownerId: column(BigInteger, ForeignKey(`big_${sfx}.id`), { nullable: false }),
      owner: relationship.one(() => Big, { backPopulates: "parts" }),
    }) {}
    class Event extends Base.model(`event_${sfx}`, {
      id: column(Integer, { primaryKey: true }),
      done: column(Boolean, { nullable: false }),
      day: column(DateOnly),
      at: column(DateTime()),
      stamp: column(DateTime({ timezone: true })),
    }) {}
    class Pair extends Base.model(`pair_${sfx}`, {
      a: column(Integer, { primaryKey: true, autoincrement: false }),
      b: column(Varchar(10), { primaryKey: true }),
      note: column(String(10)),
    }) {}
    return { Base, Item, Big, BigPart, Event, Pair };
  });

  it("selectinload chunks a long key list: one query per dialect.selectinChunk owners", async () => {
    const db = await fresh();
    const { Big, BigPart } = db.models;
    const chunk = db.engine.dialect.selectinChunk;
    const n = chunk + 1;
    await db.engine.begin(async (conn) => {
      await conn.execute(insert(Big).values(Array.from({ length: n }, (_, i) => ({ id: BigInt(i + 1), label: `b${i}` }))));
      await conn.execute(
        insert(BigPart).values([
          { id: 1n, ownerId: 1n },
          { id: 2n, ownerId: BigInt(n) },
          { id: 3n, ownerId: BigInt(n) },
        ]),
      );
    });
    db.log.take();
    const session = db.session();
    const owners = await session.scalars(select(Big).options(selectinload(Big.parts)).orderBy(Big.c.id));
    const loads = db.log.take().filter((q) => q.includes("FROM big_part"));
    expect(loads).toHaveLength(2);
    expect(loads[0].match(/\?|\$\d+|%s/g)?.length).toBe(chunk);
    expect(owners.length).toBe(n);
    expect(owners[0].parts.map((p) => p.id)).toEqual([1n]);
    expect(owners[n - 1].parts.map((p) => p.id)).toEqual([2n, 3n]);
    expect(owners[1].parts).toEqual([]);
  });

  it("splits a flush of many rows into INSERTs under the parameter limit, keys in order", async () => {
    const db = await fresh();
    const { Item } = db.models;
    const session = db.session();
    const items = Array.from({ length: 2500 }, (_, i) => new Item({ a: `a${i}`, b: `b${i}` }));
    session.addAll(items);
    await session.commit();
    expect(db.log.take().filter((s) => s.startsWith("INSERT"))).toHaveLength(3); // 1000 + 1000 + 500 rows
    expect(items.map((x) => x.id)).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
    const rows = (
      await session.execute(
        select(Item.c.id, Item.c.a)
          .where(Item.c.id.in([1, 1000, 1001, 2500]))
          .orderBy(Item.c.id),
      )
    ).all();
    expect(rows.map((r) => [...r])).toEqual([
      [1, "a0"],
      [1000, "a999"],
      [1001, "a1000"],
      [2500, "a2499"],
    ]);
    expect(await session.scalar(select(func.count()).selectFrom(Item))).toBe(2500);
  });

  it("BigInteger keys are bigint after the flush and after a load; get() finds them in the identity map", async () => {
    const db = await fresh();
    const { Big } = db.models;
    const session = db.session();
    const x = new Big({ label: "x" });
    const y = new Big({ label: "y" });
    session.addAll([x, y]);
    await session.flush();
    expect([x.id, y.id]).toEqual([1n, 2n]);
    db.log.clear();
    expect(await session.get(Big, 2n)).toBe(y);
    expect(db.log.take()).toEqual([]);
    await session.commit();
    const check = db.session();
    const loaded = await check.scalars(select(Big).orderBy(Big.c.id));
    expect(loaded.map((b) => [b.id, b.label])).toEqual([
      [1n, "x"],
      [2n, "y"],
    ]);
    expect(await check.get(Big, 1n)).toBe(loaded[0]);
    loaded[0].label = "x2";
    await check.commit();
    expect(await check.scalar(select(Big.c.label).where(Big.c.id.eq(1n)))).toBe("x2");
  });

  it("BigInteger foreign keys: children find their parents by bigint key in every loader", async () => {
    const db = await fresh();
    const { Big, BigPart } = db.models;
    await Session.begin(db.engine, async (s) => {
      s.addAll([new Big({ label: "a", parts: [new BigPart(), new BigPart()] }), new Big({ label: "b", parts: [new BigPart()] })]);
    });
    const session = db.session();
    const owners = await session.scalars(select(Big).options(selectinload(Big.parts)).orderBy(Big.c.id));
    expect(owners.map((o) => [o.id, o.parts.map((p) => p.ownerId)])).toEqual([
      [1n, [1n, 1n]],
      [2n, [2n]],
    ]);
    expect(owners[0].parts[0].owner).toBe(owners[0]);
    await session.close(); // PGlite has one connection
    const other = db.session();
    const parts = await other.scalars(select(BigPart).options(joinedload(BigPart.owner)).orderBy(BigPart.c.id));
    expect(parts.map((p) => p.owner.label)).toEqual(["a", "a", "b"]);
    expect(parts[0].owner).toBe(parts[1].owner);
    // Moving a part to another owner writes the bigint key.
    parts[2].owner = parts[0].owner;
    await other.commit();
    expect((await other.scalars(select(BigPart.c.ownerId).orderBy(BigPart.c.id))).all()).toEqual([1n, 1n, 1n]);
  });

  it("booleans and dates come back as booleans and Dates; unchanged values are not written", async () => {
    const db = await fresh();
    const { Event } = db.models;
    const at = new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 123));
    const session = db.session();
    session.addAll([new Event({ done: true, day: "2024-02-29", at, stamp: at }), new Event({ done: false, day: null, at: null, stamp: null })]);
    await session.commit();
    const check = db.session();
    const [e1, e2] = await check.scalars(select(Event).orderBy(Event.c.id));
    expect([e1.done, e2.done]).toEqual([true, false]);
    expect(e1.day).toBe("2024-02-29");
    expect(e1.at?.toISOString()).toBe(at.toISOString());
    expect(e1.stamp?.toISOString()).toBe(at.toISOString());
    expect([e2.day, e2.at, e2.stamp]).toEqual([null, null, null]);
    expect(check.dirty).toEqual([]);
    db.log.clear();
    await check.flush();
    expect(db.log.take()).toEqual([]);
    e2.done = true;
    await check.commit();
    expect(db.log.take()).toEqual(["UPDATE event SET done = ? WHERE event.id = ?", "COMMIT"]);
    expect((await check.scalars(select(Event.c.done).orderBy(Event.c.id))).all()).toEqual([true, true]);
  });

  it("composite keys: rows are deleted with one tuple IN", async () => {
    const db = await fresh();
    const { Pair } = db.models;
    const session = db.session();
    session.addAll([new Pair({ a: 1, b: "x", note: null }), new Pair({ a: 1, b: "y", note: null }), new Pair({ a: 2, b: "x", note: "kept" })]);
    await session.commit();
    expect(db.log.take()).toContain("INSERT INTO pair (a, b, note) VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?)");
    const one = (await session.get(Pair, [1, "x"]))!;
    const two = (await session.get(Pair, [1, "y"]))!;
    session.delete(one);
    session.delete(two);
    db.log.clear();
    await session.commit();
    expect(db.log.take()).toEqual(["BEGIN (implicit)", "DELETE FROM pair WHERE (pair.a, pair.b) IN ((?, ?), (?, ?))", "COMMIT"]);
    expect((await session.execute(select(Pair.c.a, Pair.c.b, Pair.c.note))).all().map((r) => [...r])).toEqual([[2, "x", "kept"]]);
  });
});

forEachTarget("orm unit of work: column types and refresh", (ctx) => {
  const fresh = ormFixture(ctx, (sfx) => {
    const Base = declarativeBase();
    class Sample extends Base.model(`sample_${sfx}`, {
      id: column(Integer, { primaryKey: true }),
      money: column(Numeric(12, 2)),
      ratio: column(Double),
      body: column(Text),
      doc: column(JSON<{ tags: string[]; n: number; nested: { ok: boolean } }>()),
      bin: column(LargeBinary),
      uid: column(Uuid),
      tm: column(Time),
      status: column(Enum(["draft", "published"] as const, { name: `sample_status_${sfx}` })),
    }) {}
    return { Base, Sample };
  });
  const values = {
    money: "1234.50",
    ratio: 0.1 + 0.2,
    body: "multi\nline 'quoted' \\ text ✓",
    doc: { tags: ["a", "b"], n: 3, nested: { ok: true } },
    bin: new Uint8Array([0, 1, 2, 255]),
    uid: "6f1c2e9a-3b4d-4c5e-8f70-9a1b2c3d4e5f",
    tm: "13:45:10",
    status: "published" as const,
  };

  it("every column type comes back as written through the ORM; a loaded object is not dirty", async () => {
    const db = await fresh();
    const { Sample } = db.models;
    const session = db.session();
    const written = new Sample(values);
    session.add(written);
    await session.commit();
    const check = db.session();
    const loaded = (await check.get(Sample, written.id))!;
    expect({ ...pick(loaded), bin: [...(loaded.bin ?? [])] }).toEqual({ ...values, bin: [0, 1, 2, 255] });
    expect(check.dirty).toEqual([]);
    db.log.clear();
    await check.commit();
    expect(db.log.take()).toEqual(["COMMIT"]); // nothing to write
    // A new document equal to the loaded one is no change; a different one is written.
    loaded.doc = { nested: { ok: true }, n: 3, tags: ["a", "b"] };
    expect(check.dirty).toEqual([]);
    loaded.doc = { tags: ["a", "b", "c"], n: 3, nested: { ok: true } };
    expect(check.dirty).toEqual([loaded]);
    await check.commit();
    expect(db.log.take()).toEqual(["BEGIN (implicit)", "UPDATE sample SET doc = ? WHERE sample.id = ?", "COMMIT"]);
    const again = db.session();
    expect((await again.get(Sample, written.id))?.doc).toEqual({ tags: ["a", "b", "c"], n: 3, nested: { ok: true } });
  });

  it("refresh() reads what another connection committed; expire() reloads at the next get()", async () => {
    const db = await fresh();
    const { Sample } = db.models;
    const session = db.session();
    const obj = new Sample({ body: "one", money: "1.00" });
    session.add(obj);
    await session.commit();
    await Session.begin(db.engine, async (other) => {
      const mine = (await other.get(Sample, obj.id))!;
      mine.body = "two";
      mine.money = "2.50";
    });
    expect(obj.body).toBe("one");
    await session.refresh(obj);
    expect([obj.body, obj.money]).toEqual(["two", "2.50"]);
    await session.commit();
    await Session.begin(db.engine, async (other) => {
      const mine = (await other.get(Sample, obj.id))!;
      mine.body = "three";
    });
    session.expire(obj);
    expect(await session.get(Sample, obj.id)).toBe(obj);
    expect(obj.body).toBe("three");
    expect(session.dirty).toEqual([]);
  });
});

function pick<T extends object>(o: T): Record<string, unknown> {
  const r = o as Record<string, unknown>;
  return { money: r.money, ratio: r.ratio, body: r.body, doc: r.doc, bin: r.bin, uid: r.uid, tm: r.tm, status: r.status };
}

forEachTarget("orm unit of work: database cascades, merge, locking reads", (ctx) => {
  const fresh = ormFixture(ctx, (sfx) => {
    const Base = declarativeBase();
    class Folder extends Base.model(`folder_${sfx}`, {
      id: column(Integer, { primaryKey: true }),
      name: column(String(20), { nullable: false }),
      files: relationship.many(() => File, { backPopulates: "folder", cascade: "all, delete-orphan", passiveDeletes: true }),
    }) {}
    class File extends Base.model(`file_${sfx}`, {
      id: column(Integer, { primaryKey: true }),
      name: column(String(20), { nullable: false }),
      folderId: column(Integer, ForeignKey(`folder_${sfx}.id`, { onDelete: "CASCADE" }), { nullable: false }),
      folder: relationship.one(() => Folder, { backPopulates: "files" }),
    }) {}
    return { Base, Folder, File };
  });

  it("passiveDeletes: deleting a parent leaves the children to ON DELETE CASCADE (no SELECT of them)", async () => {
    const db = await fresh();
    const { Folder, File } = db.models;
    await Session.begin(db.engine, async (s) => {
      s.add(new Folder({ name: "docs", files: [new File({ name: "a.txt" }), new File({ name: "b.txt" })] }));
      s.add(new Folder({ name: "other", files: [new File({ name: "c.txt" })] }));
    });
    const session = db.session();
    const docs = (await session.scalars(select(Folder).where(Folder.c.name.eq("docs")))).one();
    db.log.clear();
    session.delete(docs);
    await session.commit();
    expect(db.log.take()).toEqual(["DELETE FROM folder WHERE folder.id IN (?)", "COMMIT"]);
    expect((await session.scalars(select(File.c.name).orderBy(File.c.id))).all()).toEqual(["c.txt"]);
  });

  it("merge() copies a detached object's state onto the persistent one (loading it by key)", async () => {
    const db = await fresh();
    const { Folder } = db.models;
    const first = db.session();
    const f = new Folder({ name: "before" });
    first.add(f);
    await first.commit();
    first.expunge(f);
    await first.close();
    f.name = "after";
    const second = db.session();
    const merged = await second.merge(f);
    expect(merged).not.toBe(f);
    expect(merged.id).toBe(f.id);
    expect(second.dirty).toEqual([merged]);
    await second.commit();
    const check = db.session();
    expect(await check.scalar(select(Folder.c.name).where(Folder.c.id.eq(f.id)))).toBe("after");
  });

  it("SELECT ... FOR UPDATE through the Session (left out where the dialect has no row locks)", async () => {
    const db = await fresh();
    const { Folder } = db.models;
    await Session.begin(db.engine, async (s) => s.add(new Folder({ name: "locked" })));
    const session = db.session();
    db.log.clear();
    const locked = (await session.scalars(select(Folder).where(Folder.c.name.eq("locked")).forUpdate())).one();
    expect(locked.name).toBe("locked");
    const sql = db.log.take().at(-1) ?? "";
    expect(sql.endsWith(" FOR UPDATE")).toBe(db.engine.dialect.capabilities.forUpdate);
    locked.name = "unlocked";
    await session.commit();
    expect(await session.scalar(select(Folder.c.name))).toBe("unlocked");
  });
});
