// The unit of work on harder shapes: self-referential trees, many-to-many, one-to-one, mutually dependent rows,
// defaults, parameter-limit batching, stale data — asserting the SQL each flush emits.
import {
  ArgumentError,
  column,
  createEngine,
  DateTime,
  declarativeBase,
  ForeignKey,
  func,
  Integer,
  type MetaData,
  relationship,
  Session,
  StaleDataError,
  String,
  select,
  selectinload,
  Table,
  update,
} from "crucible";
import { describe, expect, it } from "vitest";
import { stateAccess } from "../../src/orm/state.js";
import { SqlLog } from "./models.js";

async function engineFor(Base: { metadata: MetaData }) {
  const engine = createEngine("sqlite://");
  await Base.metadata.createAll(engine);
  return { engine, log: new SqlLog(engine) };
}

describe("self-referential tree", () => {
  function models() {
    const Base = declarativeBase();
    class Node extends Base.model("node", {
      id: column(Integer, { primaryKey: true }),
      parentId: column(Integer, ForeignKey("node.id")),
      data: column(String(50), { nullable: false }),
      parent: relationship.one(() => Node, { backPopulates: "children", nullable: true }),
      children: relationship.many(() => Node, { backPopulates: "parent", cascade: "all, delete-orphan" }),
    }) {}
    return { Base, Node };
  }

  it("inserts level by level (one INSERT per level) and deletes children first", async () => {
    const { Base, Node } = models();
    const { engine, log } = await engineFor(Base);
    const root = new Node({ data: "root" });
    const a = new Node({ data: "a", parent: root });
    const b = new Node({ data: "b", parent: root });
    new Node({ data: "a1", parent: a });
    new Node({ data: "a2", parent: a });
    expect(root.children).toEqual([a, b]);
    const session = new Session(engine);
    session.add(root);
    await session.commit();
    expect(log.takeWithParams()).toEqual([
      ["BEGIN (implicit)", []],
      ["INSERT INTO node (data) VALUES (?)", ["root"]],
      ["INSERT INTO node (parent_id, data) VALUES (?, ?), (?, ?)", [1, "a", 1, "b"]],
      ["INSERT INTO node (parent_id, data) VALUES (?, ?), (?, ?)", [2, "a1", 2, "a2"]],
      ["COMMIT", []],
    ]);
    session.delete(root);
    await session.commit();
    const sql = log.take();
    expect(sql.filter((s) => s.startsWith("DELETE"))).toEqual([
      "DELETE FROM node WHERE node.id IN (?, ?, ?)", // the leaves: a1, a2, b
      "DELETE FROM node WHERE node.id IN (?)", // a
      "DELETE FROM node WHERE node.id IN (?)", // root
    ]);
    expect(await session.scalar(select(func.count()).selectFrom(Node))).toBe(0);
    await session.close();
  });

  it("deletes a wide tree in two statements and a chain leaf first (levels found in linear time)", async () => {
    const { Base, Node } = models();
    const { engine, log } = await engineFor(Base);
    const root = new Node({ data: "root" });
    for (let i = 0; i < 3000; i++) new Node({ data: `leaf${i}`, parent: root });
    const chain = [new Node({ data: "c0" })];
    for (let i = 1; i < 4; i++) chain.push(new Node({ data: `c${i}`, parent: chain[i - 1] }));
    const session = new Session(engine);
    session.addAll([root, chain[0]]);
    await session.commit();
    log.take();
    const loaded = await session.scalars(select(Node).options(selectinload(Node.children)));
    for (const n of loaded) session.delete(n);
    await session.commit();
    const deletes = log.takeWithParams().filter(([sql]) => sql.startsWith("DELETE"));
    // Leaves of both trees first (in primary key order: 1,000 per statement), then the parents a level at a time.
    expect(deletes.map(([, params]) => params.length)).toEqual([1000, 1000, 1000, 1, 2, 1, 1]);
    expect(deletes[3][1]).toEqual([chain[3].id]);
    expect(deletes[4][1]).toEqual([root.id, chain[2].id]);
    expect(deletes.slice(5).map(([, params]) => params)).toEqual([[chain[1].id], [chain[0].id]]);
    expect(await session.scalar(select(func.count()).selectFrom(Node))).toBe(0);
    await session.close();
  });
});

describe("many-to-many", () => {
  function models() {
    const Base = declarativeBase();
    const articleTag = Table("article_tag", Base.metadata, {
      article_id: column(Integer, ForeignKey("article.id", { onDelete: "CASCADE" }), { primaryKey: true }),
      tag_id: column(Integer, ForeignKey("tag.id"), { primaryKey: true }),
    });
    class Article extends Base.model("article", {
      id: column(Integer, { primaryKey: true }),
      title: column(String(50), { nullable: false }),
      tags: relationship.many(() => Tag, { secondary: articleTag, backPopulates: "articles" }),
    }) {}
    class Tag extends Base.model("tag", {
      id: column(Integer, { primaryKey: true }),
      name: column(String(20), { nullable: false }),
      articles: relationship.many(() => Article, { secondary: articleTag, backPopulates: "tags" }),
    }) {}
    return { Base, Article, Tag, articleTag };
  }

  it("writes association rows once, removes them, and loads both ways", async () => {
    const { Base, Article, Tag, articleTag } = models();
    const { engine, log } = await engineFor(Base);
    const orm = new Tag({ name: "orm" });
    const ts = new Tag({ name: "ts" });
    const a1 = new Article({ title: "one", tags: [orm, ts] });
    const a2 = new Article({ title: "two", tags: [orm] });
    expect(orm.articles).toEqual([a1, a2]);
    const session = new Session(engine);
    session.addAll([a1, a2]);
    await session.commit();
    const inserts = log.take().filter((s) => s.startsWith("INSERT"));
    expect(inserts).toEqual([
      "INSERT INTO article (title) VALUES (?), (?)",
      "INSERT INTO tag (name) VALUES (?), (?)",
      "INSERT INTO article_tag (article_id, tag_id) VALUES (?, ?), (?, ?), (?, ?)",
    ]);
    a1.tags.splice(a1.tags.indexOf(orm), 1);
    expect(orm.articles).toEqual([a2]);
    await session.commit();
    expect(log.take()).toEqual(["BEGIN (implicit)", "DELETE FROM article_tag WHERE (article_tag.article_id, article_tag.tag_id) IN ((?, ?))", "COMMIT"]);

    await using check = new Session(engine);
    const { selectinload } = await import("crucible");
    const tags = await check.scalars(select(Tag).options(selectinload(Tag.articles)).orderBy(Tag.c.id));
    expect(tags.map((t) => `${t.name}: ${t.articles.map((a) => a.title).join(",")}`)).toEqual(["orm: two", "ts: one"]);
    // Deleting an article deletes its association rows first.
    const one = (await check.scalars(select(Article).where(Article.c.title.eq("one")))).one();
    check.delete(one);
    await check.commit();
    expect((await check.execute(select(articleTag.c.article_id, articleTag.c.tag_id))).all().map((r) => [...r])).toEqual([[2, 1]]);
  });
});

describe("mutually dependent rows", () => {
  it("breaks the cycle with a post-update of the nullable foreign key", async () => {
    const Base = declarativeBase();
    class Team extends Base.model("team", {
      id: column(Integer, { primaryKey: true }),
      name: column(String(20), { nullable: false }),
      captainId: column(Integer, ForeignKey("player.id")),
      captain: relationship.one(() => Player, { foreignKeys: ["captainId"], nullable: true, postUpdate: true }),
      players: relationship.many(() => Player, { foreignKeys: ["teamId"], backPopulates: "team" }),
    }) {}
    class Player extends Base.model("player", {
      id: column(Integer, { primaryKey: true }),
      name: column(String(20), { nullable: false }),
      teamId: column(Integer, ForeignKey("team.id")),
      team: relationship.one(() => Team, { foreignKeys: ["teamId"], backPopulates: "players", nullable: true }),
    }) {}
    const { engine, log } = await engineFor(Base);
    const t = new Team({ name: "reds" });
    const p = new Player({ name: "ann", team: t });
    t.captain = p;
    const session = new Session(engine);
    session.add(t);
    await session.commit();
    expect(log.take()).toEqual([
      "BEGIN (implicit)",
      "INSERT INTO team (name, captain_id) VALUES (?, ?)",
      "INSERT INTO player (name, team_id) VALUES (?, ?)",
      "UPDATE team SET captain_id = ? WHERE team.id = ?",
      "COMMIT",
    ]);
    expect(t.captainId).toBe(p.id);
    expect(p.teamId).toBe(t.id);
  });
});

describe("defaults and stale data", () => {
  function models() {
    const Base = declarativeBase();
    let n = 0;
    class Doc extends Base.model("doc", {
      id: column(Integer, { primaryKey: true }),
      title: column(String(50), { nullable: false }),
      serial: column(Integer, { default: () => ++n }),
      status: column(String(10), { serverDefault: "'draft'", nullable: false }),
      updatedAt: column(DateTime(), { onUpdate: () => new Date(Date.UTC(2030, 0, 1)) }),
    }) {}
    return { Base, Doc };
  }

  it("client defaults are set on the object, server defaults come back with RETURNING, onUpdate applies", async () => {
    const { Base, Doc } = models();
    const { engine, log } = await engineFor(Base);
    const session = new Session(engine);
    const d = new Doc({ title: "x" });
    session.add(d);
    await session.flush();
    expect(log.take()).toEqual(["BEGIN (implicit)", "INSERT INTO doc (title, serial) VALUES (?, ?) RETURNING id, status"]);
    expect(d.serial).toBe(1);
    expect(d.status).toBe("draft");
    d.title = "y";
    await session.flush();
    expect(log.takeWithParams()).toEqual([["UPDATE doc SET title = ?, updated_at = ? WHERE doc.id = ?", ["y", "2030-01-01 00:00:00.000", 1]]]);
    expect(d.updatedAt?.toISOString()).toBe("2030-01-01T00:00:00.000Z");
    await session.commit();
  });

  it("an UPDATE that matches no row raises StaleDataError", async () => {
    const { Base, Doc } = models();
    const { engine } = await engineFor(Base);
    const session = new Session(engine);
    const d = new Doc({ title: "x" });
    session.add(d);
    await session.commit();
    await engine.begin(async (conn) => {
      const { delete_ } = await import("crucible");
      await conn.execute(delete_(Doc));
    });
    d.title = "changed";
    await expect(session.commit()).rejects.toBeInstanceOf(StaleDataError);
    await session.rollback();
    expect(d.title).toBe("x");
    void update;
  });
});

describe("batching", () => {
  /** `count` items added and committed in one Session (the SQL log holds what the commit sent). */
  async function insertItems(count: number) {
    const Base = declarativeBase();
    class Item extends Base.model("item", {
      id: column(Integer, { primaryKey: true }),
      a: column(String(10)),
      b: column(String(10)),
    }) {}
    const { engine, log } = await engineFor(Base);
    const session = new Session(engine);
    const items = Array.from({ length: count }, (_, i) => new Item({ a: `a${i}`, b: `b${i}` }));
    session.addAll(items);
    await session.commit();
    return { Item, session, items, log };
  }

  it("splits a flush of many rows into INSERTs under the parameter limit", async () => {
    const { Item, session, items, log } = await insertItems(2500);
    const inserts = log.takeWithParams().filter(([s]) => s.startsWith("INSERT"));
    expect(inserts).toHaveLength(3); // 1000 + 1000 + 500 rows
    // Each batch's parameters as sent (the flush fills one array for both full batches; listeners get copies).
    expect(inserts.map(([, p]) => [p.length, p[0], p[1], p[p.length - 1]])).toEqual([
      [2000, "a0", "b0", "b999"],
      [2000, "a1000", "b1000", "b1999"],
      [1000, "a2000", "b2000", "b2499"],
    ]);
    expect(items.map((x) => x.id)).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
    expect(await session.scalar(select(func.count()).selectFrom(Item))).toBe(2500);
  });

  it("rows inserted together keep their flushed values for the next flush (changes, UPDATEs and rollback see them)", async () => {
    const { session, items, log } = await insertItems(1500);
    log.take();
    // A scan for changes (session.dirty, a flush with nothing to do) reads the shared values in place: no copies.
    const shared = () => items.map((x) => stateAccess.known(x).committedBase());
    expect(new Set(shared()).size).toBe(2); // two INSERTs (1000 + 500 rows), one array each
    expect(session.dirty).toEqual([]);
    await session.flush();
    expect(new Set(shared()).size).toBe(2);
    items[1200].b = "changed";
    items[7].a = "also";
    expect(session.dirty).toEqual([items[7], items[1200]]);
    await session.flush();
    expect(log.takeWithParams().filter(([sql]) => sql.startsWith("UPDATE"))).toEqual([
      ["UPDATE item SET a = ? WHERE item.id = ?", ["also", 8]],
      ["UPDATE item SET b = ? WHERE item.id = ?", ["changed", 1201]],
    ]);
    expect(session.dirty).toEqual([]);
    items[0].a = "x";
    await session.rollback(); // unflushed and flushed-but-uncommitted changes go back to the committed values
    expect([items[0].a, items[7].a, items[1200].b, items[1499].b]).toEqual(["a0", "a7", "b1200", "b1499"]);
    await session.close();
  });
});

describe("deleting what one flush inserted", () => {
  it("DELETE reads the keys where the INSERT batches keep them (no copy per object), in batches", async () => {
    const Base = declarativeBase();
    class Item extends Base.model("item", { id: column(Integer, { primaryKey: true }), a: column(String(10)) }) {}
    const { engine, log } = await engineFor(Base);
    const session = new Session(engine);
    const items = Array.from({ length: 1500 }, (_, i) => new Item({ a: `a${i}` }));
    session.addAll(items);
    await session.flush();
    log.take();
    for (const x of items) session.delete(x);
    await session.commit();
    const deletes = log.takeWithParams().filter(([sql]) => sql.startsWith("DELETE"));
    expect(deletes.map(([, p]) => [p.length, p[0], p[p.length - 1]])).toEqual([
      [1000, 1, 1000],
      [500, 1001, 1500],
    ]);
    // Nothing was split into per-object arrays by reading the keys.
    expect(new Set(items.map((x) => stateAccess.known(x).committedBase())).size).toBe(2);
    expect(await session.scalar(select(func.count()).selectFrom(Item))).toBe(0);
    await session.close();
  });
});

describe("two declarative bases", () => {
  it("one commit writes the objects of both bases", async () => {
    const A = declarativeBase();
    const B = declarativeBase();
    class Left extends A.model("left_thing", { id: column(Integer, { primaryKey: true }), name: column(String(20)) }) {}
    class Right extends B.model("right_thing", { id: column(Integer, { primaryKey: true }), name: column(String(20)) }) {}
    const { engine } = await engineFor(A);
    await B.metadata.createAll(engine);
    await Session.begin(engine, async (session) => {
      session.addAll([new Left({ name: "l" }), new Right({ name: "r" })]);
    });
    await using session = new Session(engine);
    expect((await session.scalars(select(Left))).map((x) => x.name)).toEqual(["l"]);
    expect((await session.scalars(select(Right))).map((x) => x.name)).toEqual(["r"]);
  });
});

describe("session.load() of mixed classes", () => {
  it("is an ArgumentError (each relationship belongs to one class)", async () => {
    const A = declarativeBase();
    class P extends A.model("p_thing", { id: column(Integer, { primaryKey: true }), name: column(String(20)) }) {}
    class Q extends A.model("q_thing", { id: column(Integer, { primaryKey: true }), name: column(String(20)) }) {}
    const { engine } = await engineFor(A);
    await Session.begin(engine, async (session) => {
      session.addAll([new P({ name: "p" }), new Q({ name: "q" })]);
    });
    await using session = new Session(engine);
    const p = (await session.scalars(select(P))).one();
    const q = (await session.scalars(select(Q))).one();
    await expect(session.load([p, q] as object[])).rejects.toBeInstanceOf(ArgumentError);
  });
});

describe("UPDATE order", () => {
  it("follows primary key order, also when a high id was loaded first (SQLAlchemy sorts UPDATEs by key)", async () => {
    const Base = declarativeBase();
    class Item extends Base.model("item", { id: column(Integer, { primaryKey: true, autoincrement: false }), n: column(Integer) }) {}
    const { engine, log } = await engineFor(Base);
    const ids = [300, 600, 900, 1200, 1500, 2000, 90_000];
    await Session.begin(engine, async (s) => s.addAll(ids.map((id) => new Item({ id, n: 0 }))));
    const session = new Session(engine);
    await session.get(Item, 90_000);
    await session.get(Item, 1500);
    const items = await session.scalars(select(Item));
    for (const it of items) it.n = it.id;
    expect(session.dirty.map((x) => (x as Item).id)).toEqual(ids);
    log.take();
    await session.commit();
    expect(log.takeWithParams().filter(([sql]) => sql.startsWith("UPDATE"))).toEqual(ids.map((id) => ["UPDATE item SET n = ? WHERE item.id = ?", [id, id]]));
    await session.close();
    await engine.dispose();
  });
});
