// Relationship options: lazy defaults, orderBy, passiveDeletes, cascades off (FK set to NULL), expunge cascade, viewonly.
import {
  column,
  createEngine,
  declarativeBase,
  ForeignKey,
  Integer,
  InvalidRequestError,
  raiseload,
  relationship,
  Session,
  String,
  select,
  selectinload,
} from "crucible";
import { describe, expect, it } from "vitest";
import { SqlLog } from "./models.js";

function models(options: { lazy?: "selectin" | "joined"; passiveDeletes?: boolean; cascade?: string } = {}) {
  const Base = declarativeBase();
  class Parent extends Base.model("parent", {
    id: column(Integer, { primaryKey: true }),
    name: column(String(20), { nullable: false }),
    children: relationship.many(() => Child, {
      backPopulates: "parent",
      lazy: options.lazy,
      passiveDeletes: options.passiveDeletes,
      cascade: options.cascade,
      orderBy: () => Child.c.name.desc(),
    }),
    firstChildren: relationship.many(() => Child, { viewonly: true, orderBy: () => Child.c.name }),
  }) {}
  class Child extends Base.model("child", {
    id: column(Integer, { primaryKey: true }),
    name: column(String(20), { nullable: false }),
    parentId: column(Integer, ForeignKey("parent.id", { onDelete: "CASCADE" })),
    parent: relationship.one(() => Parent, { backPopulates: "children", nullable: true }),
  }) {}
  return { Base, Parent, Child };
}

async function setup(options: Parameters<typeof models>[0] = {}) {
  const m = models(options);
  const engine = createEngine("sqlite://");
  await m.Base.metadata.createAll(engine);
  await Session.begin(engine, async (s) => {
    s.add(new m.Parent({ name: "p", children: [new m.Child({ name: "a" }), new m.Child({ name: "c" }), new m.Child({ name: "b" })] }));
  });
  return { ...m, engine, log: new SqlLog(engine) };
}

describe("relationship options", () => {
  it("lazy: 'selectin' loads with the owner, in relationship orderBy", async () => {
    const { engine, Parent, log } = await setup({ lazy: "selectin" });
    await using s = new Session(engine);
    const p = (await s.scalars(select(Parent))).one();
    expect(p.children.map((c) => c.name)).toEqual(["c", "b", "a"]);
    expect(log.take()).toEqual([
      "BEGIN (implicit)",
      "SELECT parent.id, parent.name FROM parent",
      "SELECT child.id, child.name, child.parent_id FROM child WHERE child.parent_id IN (?) ORDER BY child.name DESC",
    ]);
    // an option still overrides the default
    const again = new Session(engine);
    const q = (await again.scalars(select(Parent).options(raiseload(Parent.children)))).one();
    expect(() => q.children).toThrow(/Parent\.children was not loaded/);
    await again.close();
  });

  it("lazy: 'joined' loads in the same query", async () => {
    const { engine, Parent, log } = await setup({ lazy: "joined" });
    await using s = new Session(engine);
    const p = (await s.scalars(select(Parent))).one();
    expect(p.children.map((c) => c.name)).toEqual(["c", "b", "a"]);
    const sql = log.take();
    expect(sql).toHaveLength(2);
    expect(sql[1]).toMatch(
      /^SELECT parent\.id, parent\.name, child_\d+\.id, child_\d+\.name, child_\d+\.parent_id FROM parent LEFT OUTER JOIN child AS child_\d+ ON parent\.id = child_\d+\.parent_id ORDER BY child_\d+\.name DESC$/,
    );
  });

  it("without a delete cascade, deleting the parent sets the children's key to NULL", async () => {
    const { engine, Parent, Child, log } = await setup();
    const s = new Session(engine);
    const p = (await s.scalars(select(Parent))).one();
    s.delete(p);
    await s.commit();
    const sql = log.take();
    expect(sql.filter((x) => x.startsWith("UPDATE"))).toEqual(Array(3).fill("UPDATE child SET parent_id = ? WHERE child.id = ?"));
    expect((await s.scalars(select(Child.c.parentId))).all()).toEqual([null, null, null]);
  });

  it("passiveDeletes leaves the children to ON DELETE CASCADE (no SELECT of them)", async () => {
    const { engine, Parent, Child, log } = await setup({ passiveDeletes: true, cascade: "all" });
    const s = new Session(engine);
    const p = (await s.scalars(select(Parent))).one();
    log.take();
    s.delete(p);
    await s.commit();
    expect(log.take()).toEqual(["DELETE FROM parent WHERE parent.id IN (?)", "COMMIT"]);
    expect(await s.scalar(select(Child.c.id))).toBeNull();
  });

  it("viewonly relationships load but refuse writes", async () => {
    const { engine, Parent, Child } = await setup();
    await using s = new Session(engine);
    const p = (await s.scalars(select(Parent))).one();
    await s.load(p, "firstChildren");
    expect(p.firstChildren.map((c) => c.name)).toEqual(["a", "b", "c"]);
    expect(() => {
      p.firstChildren = [];
    }).toThrow(InvalidRequestError);
    void Child;
  });

  it("expunge cascades along 'all' relationships", async () => {
    const { engine, Parent } = await setup({ cascade: "all" });
    await using s = new Session(engine);
    const p = (await s.scalars(select(Parent))).one();
    await s.load(p, "children");
    s.expunge(p);
    expect(s.contains(p)).toBe(false);
    expect(p.children.every((c) => !s.contains(c))).toBe(true);
  });

  it("save-update cascades when an object is added or attached, not again at flush: an expunged pending child stays out", async () => {
    const { engine, Parent, Child, log } = await setup();
    await using s = new Session(engine);
    const p = new Parent({ name: "p", children: [new Child({ name: "x" })] });
    s.add(p);
    const late = new Child({ name: "late" });
    p.children.push(late); // attached after add(): cascaded at once
    expect(s.contains(late)).toBe(true);
    const dropped = p.children[0];
    s.expunge(dropped);
    await s.flush();
    expect(log.takeWithParams().filter(([sql]) => sql.startsWith("INSERT"))).toEqual([
      ["INSERT INTO parent (name) VALUES (?)", ["p"]],
      ["INSERT INTO child (name, parent_id) VALUES (?, ?)", ["late", p.id]],
    ]);
    expect(s.contains(dropped)).toBe(false);
    expect(dropped.id).toBeUndefined();
  });
});

describe("selectin with owners that share a key", () => {
  it("gives every owner whose column holds the same value the same children (a one-to-many on a non-unique column)", async () => {
    const Base = declarativeBase();
    class Shop extends Base.model("shop", {
      id: column(Integer, { primaryKey: true }),
      region: column(String(10), { nullable: false }),
      notices: relationship.many(() => Notice, { viewonly: true, orderBy: () => Notice.c.id }),
    }) {}
    class Notice extends Base.model("notice", {
      id: column(Integer, { primaryKey: true }),
      region: column(String(10), ForeignKey("shop.region"), { nullable: false }),
      text: column(String(20), { nullable: false }),
    }) {}
    const engine = createEngine("sqlite://");
    // Plain DDL: SQLite refuses a foreign key to a column that is not unique, and the test needs shops sharing one.
    await engine.begin(async (conn) => {
      for (const sql of [
        "CREATE TABLE shop (id INTEGER PRIMARY KEY, region VARCHAR(10) NOT NULL)",
        "CREATE TABLE notice (id INTEGER PRIMARY KEY, region VARCHAR(10) NOT NULL, text VARCHAR(20) NOT NULL)",
        "INSERT INTO shop VALUES (1, 'north'), (2, 'south'), (3, 'north'), (4, 'east'), (5, 'north')",
        "INSERT INTO notice VALUES (1, 'north', 'snow'), (2, 'south', 'sun'), (3, 'north', 'ice')",
      ])
        await conn.execDriverSql(sql);
    });
    await using s = new Session(engine);
    const shops = await s.scalars(select(Shop).options(selectinload(Shop.notices)).orderBy(Shop.c.id));
    expect(shops.map((x) => `${x.id}:${x.notices.map((n) => n.text).join("+")}`)).toEqual(["1:snow+ice", "2:sun", "3:snow+ice", "4:", "5:snow+ice"]);
    // Each owner has its own list (the first takes the loaded array, the others copies).
    expect(shops[0].notices).not.toBe(shops[2].notices);
    expect(shops[0].notices[0]).toBe(shops[2].notices[0]);
    await engine.dispose();
  });
});
