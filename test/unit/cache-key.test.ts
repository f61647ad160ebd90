import { bindparam, column, declarativeBase, Integer, MetaData, or_, select, statementKey, Table, text, update } from "crucible";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlite, type TutorialDb, tutorialDb } from "./helpers.js";

let db: TutorialDb;
beforeAll(async () => {
  db = await tutorialDb();
});
afterAll(() => db.engine.dispose());

const keyOf = (stmt: { readonly node: unknown }) => statementKey(stmt.node as never).key;

describe("statement cache key", () => {
  it("same shape → same key; different values → same key, with the values extracted", () => {
    const u = db.userTable;
    const a = select(u.c.id).where(u.c.name.eq("sandy")).limit(1);
    const b = select(u.c.id).where(u.c.name.eq("patrick")).limit(5);
    expect(keyOf(a)).toBe(keyOf(b));
    expect(statementKey(b.node).binds.map((x) => x.value)).toEqual(["patrick", 5]);
  });

  it("different shapes → different keys", () => {
    const u = db.userTable;
    const base = keyOf(select(u.c.id).where(u.c.name.eq("x")));
    const variants = [
      select(u.c.name).where(u.c.name.eq("x")),
      select(u.c.id).where(u.c.name.ne("x")),
      select(u.c.id).where(u.c.fullname.eq("x")),
      select(u.c.id).where(u.c.name.eq(null)),
      select(u.c.id).where(u.c.name.eq("x")).distinct(),
      select(u.c.id).where(u.c.name.eq("x")).orderBy(u.c.id),
      select(u.c.id).where(u.c.name.eq("x")).limit(1),
      select(u.c.id.label("id2")).where(u.c.name.eq("x")),
      select(u.c.id).where(u.c.name.like("x")),
      select(u.c.id).where(u.c.name.contains("x")),
      select(u.c.id).where(u.c.id.eq(1)),
    ];
    const keys = new Set(variants.map(keyOf));
    expect(keys.size).toBe(variants.length);
    expect(keys.has(base)).toBe(false);
  });

  it("two tables of the same name in two MetaData never share a key", () => {
    const t1 = Table("t", new MetaData(), { id: column(Integer, { primaryKey: true }) });
    const t2 = Table("t", new MetaData(), { id: column(Integer, { primaryKey: true }) });
    expect(keyOf(select(t1.c.id))).not.toBe(keyOf(select(t2.c.id)));
  });

  it("IN lists of any length share a key", () => {
    const u = db.userTable;
    expect(keyOf(select(u.c.id).where(u.c.id.in([1])))).toBe(keyOf(select(u.c.id).where(u.c.id.in([1, 2, 3]))));
    expect(keyOf(select(u.c.id).where(u.c.id.in([])))).toBe(keyOf(select(u.c.id).where(u.c.id.in([1, 2, 3]))));
  });

  it("text() is keyed by its SQL; bindparam by its name", () => {
    expect(keyOf(text("SELECT :a"))).not.toBe(keyOf(text("SELECT :b")));
    const u = db.userTable;
    expect(keyOf(select(u.c.id).where(u.c.name.eq(bindparam("a"))))).not.toBe(keyOf(select(u.c.id).where(u.c.name.eq(bindparam("b")))));
  });

  it("a bind node shared by two places is keyed once and bound in both places correctly", async () => {
    const u = db.userTable;
    const cond = u.c.id.eq(2);
    const stmt = select(u.c.name).where(or_(cond, cond));
    const shared = statementKey(stmt.node);
    expect(shared.binds).toHaveLength(1);
    expect(sqlite(stmt).params).toEqual([2, 2]);
    expect((await db.engine.execute(stmt)).scalars()).toEqual(["sandy"]);
    // A statement with two separate values of the same shape must not reuse the shared statement's compiled form wrongly.
    const separate = select(u.c.name).where(or_(u.c.id.eq(1), u.c.id.eq(3)));
    expect(keyOf(separate)).not.toBe(shared.key);
    expect((await db.engine.execute(separate)).scalars()).toEqual(["spongebob", "patrick"]);
    expect((await db.engine.execute(stmt)).scalars()).toEqual(["sandy"]);
  });

  it("a subquery used twice is keyed by back-reference and compiles right", async () => {
    const { userTable: u, addressTable: a } = db;
    const sub = select(a.c.user_id)
      .where(a.c.email_address.like(bindparam("pattern")))
      .subquery("s");
    const stmt = select(u.c.name)
      .join(sub, sub.c.user_id.eq(u.c.id))
      .where(u.c.id.in(select(sub.c.user_id)))
      .distinct()
      .orderBy(u.c.name);
    expect((await db.engine.execute(stmt, { pattern: "%sqlalchemy%" })).scalars()).toEqual(["sandy", "spongebob"]);
    expect((await db.engine.execute(stmt, { pattern: "%squirrel%" })).scalars()).toEqual(["sandy"]);
  });
});

describe("compiled SQL is cached by shape", () => {
  it("building and running the same query 10,000 times compiles it once", async () => {
    const { userTable: u, engine } = db;
    const before = { ...engine.compileStats };
    await using conn = await engine.connect();
    for (let i = 0; i < 10_000; i++) {
      const stmt = select(u.c.id, u.c.name).where(u.c.name.eq(i % 2 ? "sandy" : "patrick"), u.c.id.gt(-(i % 3)));
      const row = (await conn.execute(stmt)).one();
      if (row.name !== (i % 2 ? "sandy" : "patrick")) throw new Error(`wrong row at ${i}`);
    }
    expect(engine.compileStats.compiled - before.compiled).toBe(1);
    expect(engine.compileStats.hits - before.hits).toBe(9_999);
    expect(engine.dialect.statementCache.stats).toBe(engine.compileStats);
  });

  it("update executemany compiles once for all parameter sets", async () => {
    const { userTable: u, engine } = db;
    const before = engine.compileStats.compiled;
    const stmt = update(u)
      .where(u.c.id.eq(bindparam("uid")))
      .values({ fullname: bindparam("fn") });
    await engine.execute(
      stmt,
      Array.from({ length: 100 }, (_, i) => ({ uid: 1 + (i % 3), fn: `n${i}` })),
    );
    expect(engine.compileStats.compiled - before).toBe(1);
    expect((await engine.execute(select(u.c.fullname).orderBy(u.c.id))).scalars()).toEqual(["n99", "n97", "n98"]);
  });

  it("a shared, frozen list of columns (select of a mapped class) is keyed once; lists with binds every time", () => {
    const Base = declarativeBase();
    class Thing extends Base.model("thing", { id: column(Integer, { primaryKey: true }), label: column(Integer) }) {}
    const a = select(Thing).where(Thing.c.label.eq(1));
    const b = select(Thing).where(Thing.c.label.eq(2));
    expect(a.node.columns).toBe(b.node.columns); // shared
    expect(Object.isFrozen(a.node.columns)).toBe(true);
    const unshared = { ...b.node, columns: [...b.node.columns], elements: [...b.node.elements] };
    expect(keyOf(a)).toBe(statementKey(unshared as never).key);
    expect(keyOf(b)).toBe(keyOf(a));
    expect(statementKey(b.node).binds.map((x) => x.value)).toEqual([2]);
    // A frozen list holding binds: its binds are collected in every statement that uses it.
    const x = bindparam("x", 1);
    const frozenTuple = { node: { kind: "tuple", items: Object.freeze([x.node, x.node]) } };
    for (let i = 0; i < 2; i++) {
      const k = statementKey(frozenTuple.node as never);
      expect(k.binds).toEqual([x.node]);
      expect(k.key).toContain("@b0");
    }
  });

  it("table columns, column lists, types and select(Entity)'s elements are keyed by short stand-ins", () => {
    const Base = declarativeBase();
    class Thing extends Base.model("thing", { id: column(Integer, { primaryKey: true }), label: column(Integer) }) {}
    // Hashed at every cache lookup: the key of a usual ORM query stays short (120 characters before stand-ins).
    expect(keyOf(select(Thing).where(Thing.c.label.in([1, 2, 3]))).length).toBeLessThan(64);
    // An equal column list, shared or not, gets the same stand-in: the same key.
    const cols = () => select(Thing.c.id, Thing.c.label);
    expect(keyOf(cols())).toBe(keyOf(cols()));
    expect(keyOf(cols())).not.toBe(keyOf(select(Thing.c.label, Thing.c.id)));
  });

  it("stand-ins are never reused: past the table's limit a fragment gets a new one (a cache miss, not a wrong hit)", () => {
    const md = new MetaData();
    const first = Table("first_table", md, { id: column(Integer, { primaryKey: true }) });
    const before = keyOf(select(first.c.id));
    const keys = new Set<string>();
    for (let i = 0; i < 5100; i++) {
      const ti = Table(`t${i}`, md, { a: column(Integer, { primaryKey: true }), b: column(Integer) });
      keys.add(keyOf(select(ti.c.a, ti.c.b)));
    }
    expect(keys.size).toBe(5100); // 15,300 fragments: the table was emptied at least once
    const after = keyOf(select(first.c.id));
    expect(keys.has(before)).toBe(false);
    expect(keys.has(after)).toBe(false);
  });

  it("a bind used twice is keyed by back-reference, in a statement with few binds or many", () => {
    const u = db.userTable;
    const shared = bindparam("x", 7);
    for (const count of [2, 20]) {
      const distinct = Array.from({ length: count }, (_, i) => u.c.id.eq(i));
      const k = statementKey(select(u.c.id).where(or_(...distinct, u.c.id.eq(shared), u.c.name.eq(shared as never))).node);
      expect(k.binds).toHaveLength(count + 1); // the shared bind once
      expect(k.binds[count]).toBe(shared.node);
      expect(k.key).toContain(`@b${count}`);
    }
  });
});
