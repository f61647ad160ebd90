import { column, createEngine, delete_, type Engine, ForeignKey, Integer, insert, MetaData, select, Table, text, update, Varchar } from "crucible";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSql, tuples } from "./helpers.js";

// Identifiers that are reserved words, mixed case, or contain spaces and quotes.
const md = new MetaData();
const user = Table("user", md, {
  id: column(Integer, { primaryKey: true }),
  select: column(Varchar),
  "Mixed Case": column(Varchar),
  'we"ird': column(Varchar),
});
const order = Table("order", md, {
  id: column(Integer, { primaryKey: true }),
  group: column(Integer, ForeignKey("user.id")),
  "from;drop": column(Varchar),
});
const weird = Table('my "table"', md, { key: column(Integer, { primaryKey: true }), UPPER: column(Varchar) });

let engine: Engine;
beforeAll(async () => {
  engine = createEngine("sqlite://");
  await md.createAll(engine);
});
afterAll(() => engine.dispose());

const HOSTILE = [
  '\'; DROP TABLE "user"; --',
  "Robert'); DROP TABLE order;--",
  "a'b\"c`d",
  "semi;colon;",
  "back\\slash\\'",
  "100% _under_ /slash/",
  "tab\tnew\nline\r",
  "unicode é ñ ß 漢字 עברית",
  "emoji 😀👩‍👩‍👧‍👦🏳️‍🌈",
  "",
  " ",
  "NULL",
  "?",
  ":name",
  "$1",
];

describe("hostile identifiers", () => {
  it("are quoted where they must be, in DDL and DML", () => {
    expectSql(
      select(user.c.select, user.c["Mixed Case"], user.c['we"ird']).where(user.c.id.eq(1)),
      'SELECT user."select", user."Mixed Case", user."we""ird" FROM user WHERE user.id = ?',
      // `user` is no keyword to SQLite, but it is to PostgreSQL and the SQL standard: the generic rendering quotes it.
      'SELECT "user"."select", "user"."Mixed Case", "user"."we""ird" FROM "user" WHERE "user".id = ?',
    );
    expectSql(
      select(order.c.group).join(user),
      'SELECT "order"."group" FROM "order" JOIN user ON user.id = "order"."group"',
      'SELECT "order"."group" FROM "order" JOIN "user" ON "user".id = "order"."group"',
    );
    expectSql(select(weird.c.UPPER), 'SELECT "my ""table"""."UPPER" FROM "my ""table"""');
    const ddl = engine.dialect.createDdlCompiler().createTable(order)[0];
    expect(ddl).toBe(
      'CREATE TABLE "order" (\n\tid INTEGER NOT NULL,\n\t"group" INTEGER,\n\t"from;drop" VARCHAR,\n\tPRIMARY KEY (id),\n\tFOREIGN KEY("group") REFERENCES user (id)\n)',
    );
  });

  it("work end to end: insert, join, update, delete, returning", async () => {
    await engine.execute(insert(user).values({ id: 1, select: "s", "Mixed Case": "m", 'we"ird': "w" }));
    await engine.execute(insert(order).values({ id: 10, group: 1, "from;drop": "x" }));
    await engine.execute(insert(weird).values({ key: 5, UPPER: "u" }));
    const joined = await engine.execute(select(user.c["Mixed Case"], order.c["from;drop"]).join(order));
    expect(tuples(joined.all())).toEqual([["m", "x"]]);
    const r = await engine.execute(update(user).values({ 'we"ird': "W" }).returning(user.c['we"ird'], user.c.select));
    expect(r.mappings()).toEqual([{ 'we"ird': "W", select: "s" }]);
    expect((await engine.execute(delete_(weird).where(weird.c.key.eq(5)).returning(weird.c.UPPER))).scalars()).toEqual(["u"]);
    expect(await engine.inspector().getTableNames()).toEqual(['my "table"', "order", "user"]);
  });
});

describe("hostile values are stored and read back exactly", () => {
  it("through insert/select, and as query parameters", async () => {
    await engine.execute(insert(user).values(HOSTILE.map((s, i) => ({ id: 100 + i, select: s, "Mixed Case": s }))));
    const back = (await engine.execute(select(user.c.select).where(user.c.id.ge(100)).orderBy(user.c.id))).scalars();
    expect(back).toEqual(HOSTILE);
    for (const s of HOSTILE) {
      const ids = (await engine.execute(select(user.c.id).where(user.c.select.eq(s), user.c["Mixed Case"].eq(s)))).scalars();
      expect(ids).toEqual([100 + HOSTILE.indexOf(s)]);
    }
    // Nothing the user did not write was executed: both tables are still there with their rows.
    expect((await engine.execute(text('SELECT count(*) FROM "order"'))).scalar()).toBe(1);
  });

  it("through LIKE helpers, which match them literally", async () => {
    for (const s of HOSTILE.filter((x) => x.trim() !== "")) {
      const found = (await engine.execute(select(user.c.id).where(user.c.select.contains(s), user.c.id.ge(100)))).scalars();
      expect(found).toContain(100 + HOSTILE.indexOf(s));
      for (const id of found) expect(HOSTILE[id - 100]).toContain(s);
    }
    expect((await engine.execute(select(user.c.select).where(user.c.select.startsWith("100% _")))).scalars()).toEqual(["100% _under_ /slash/"]);
    expect((await engine.execute(select(user.c.id).where(user.c.select.endsWith("_")))).scalars()).toEqual([]);
  });

  it("through text() parameters", async () => {
    for (const s of HOSTILE) {
      expect((await engine.execute(text("SELECT :v AS v"), { v: s })).scalar()).toBe(s);
    }
  });

  it("NULL and the string 'NULL' stay different", async () => {
    await engine.execute(insert(user).values({ id: 200, select: null }));
    expect((await engine.execute(select(user.c.id).where(user.c.select.eq(null), user.c.id.ge(100)))).scalars()).toEqual([200]);
    expect((await engine.execute(select(user.c.id).where(user.c.select.eq("NULL")))).scalars()).toEqual([100 + HOSTILE.indexOf("NULL")]);
  });
});

describe("100,000-element IN lists", () => {
  it("of integers and of strings (SQLite's 32,766 variable limit is respected)", async () => {
    const nums = Array.from({ length: 100_000 }, (_, i) => i);
    expect((await engine.execute(select(user.c.id).where(user.c.id.in(nums), user.c.id.lt(200)).orderBy(user.c.id))).scalars()).toHaveLength(
      HOSTILE.length + 1,
    );
    const strs = [...nums.map((i) => `s${i}`), ...HOSTILE];
    expect((await engine.execute(select(user.c.id).where(user.c.select.in(strs)))).scalars()).toHaveLength(HOSTILE.length);
    expect((await engine.execute(select(user.c.id).where(user.c.id.notIn(nums)).orderBy(user.c.id))).scalars()).toEqual([]);
  });

  it("a 40,000-row multi-row INSERT runs in batches under the limit", async () => {
    const rows = Array.from({ length: 40_000 }, (_, i) => ({ id: 1000 + i, group: null, "from;drop": `v${i}` }));
    const r = await engine.execute(insert(order).values(rows).returning(order.c.id));
    expect(r.rowCount).toBe(40_000);
    expect(r.scalars()[39_999]).toBe(40_999);
    expect((await engine.execute(text('SELECT count(*) FROM "order"'))).scalar()).toBe(40_001);
  });
});
