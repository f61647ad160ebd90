/** Type round trips on every dialect: what goes in comes back exactly, whatever the database and the process time zone. */
import {
  BigInteger,
  Boolean,
  column,
  DateOnly,
  DateTime,
  Double,
  Enum,
  Float,
  Integer,
  insert,
  JSON,
  LargeBinary,
  MetaData,
  Numeric,
  SmallInteger,
  select,
  Table,
  Text,
  Time,
  Uuid,
  Varchar,
} from "crucible";
import { jsonPath, jsonPathText } from "crucible/sqlite";
import { afterAll, beforeAll, expect, it } from "vitest";
import { forEachTarget } from "./dialects.js";

/** Instants and wall-clock values that differ between UTC and America/New_York (and across a DST change). */
export const INSTANTS = [
  new Date("2024-01-02T03:04:05.678Z"),
  new Date("2024-03-10T07:30:00.000Z"), // 02:30 New York time does not exist that day
  new Date("2024-11-03T05:30:00.000Z"), // 01:30 New York time happens twice that day
  new Date("1969-12-31T23:59:59.000Z"),
];

forEachTarget("type round trips", (ctx) => {
  const md = new MetaData();
  const t = Table(ctx.name("cx_types"), md, {
    id: column(Integer, { primaryKey: true }),
    i: column(Integer),
    big: column(BigInteger),
    small: column(SmallInteger),
    f: column(Float),
    d: column(Double),
    money: column(Numeric(12, 2)),
    wide: column(Numeric(38, 8)),
    b: column(Boolean),
    s: column(Varchar(200)),
    tx: column(Text),
    day: column(DateOnly),
    naive: column(DateTime()),
    aware: column(DateTime({ timezone: true })),
    tm: column(Time),
    bin: column(LargeBinary),
    doc: column(JSON<unknown>()),
    uid: column(Uuid),
    status: column(Enum(["draft", "published"] as const, { name: ctx.name("cx_status") })),
  });
  beforeAll(() => md.createAll(ctx.engine));
  afterAll(() => md.dropAll(ctx.engine));

  async function roundTrip<K extends keyof typeof t.c & string>(key: K, value: unknown): Promise<unknown> {
    const r = await ctx.engine.execute(insert(t).values({ [key]: value } as never));
    const id = r.insertedPrimaryKey?.[0] as number;
    return (await ctx.engine.execute(select(t.c[key]).where(t.c.id.eq(id)))).scalar();
  }

  it("integers, including BigInteger ±(2^63 − 1) as bigint", async () => {
    expect(await roundTrip("i", -2147483648)).toBe(-2147483648);
    expect(await roundTrip("small", 32767)).toBe(32767);
    expect(await roundTrip("big", 9223372036854775807n)).toBe(9223372036854775807n);
    expect(await roundTrip("big", -9223372036854775807n)).toBe(-9223372036854775807n);
    expect(await roundTrip("big", 0n)).toBe(0n);
  });

  it("floats and doubles", async () => {
    expect(await roundTrip("f", 0.5)).toBe(0.5);
    expect(await roundTrip("d", 1.0000000000000002)).toBe(1.0000000000000002);
  });

  it("Numeric as exact strings; 30-digit decimals where the dialect keeps every digit", async () => {
    expect(await roundTrip("money", "1234567.89")).toBe("1234567.89");
    expect(await roundTrip("money", "-0.10")).toBe("-0.10");
    if (ctx.capabilities.exactDecimals)
      expect(await roundTrip("wide", "123456789012345678901234567890.12345678")).toBe("123456789012345678901234567890.12345678");
  });

  it("booleans are booleans", async () => {
    expect(await roundTrip("b", true)).toBe(true);
    expect(await roundTrip("b", false)).toBe(false);
    const both = (await ctx.engine.execute(select(t.c.b).where(t.c.b.isNotNull()).orderBy(t.c.id))).scalars();
    expect(both).toEqual([true, false]);
  });

  it("unicode, emoji, quotes and semicolons in strings", async () => {
    const s = 'O\'Brien; "x" \\ é 漢字 עברית 😀👩‍👩‍👧';
    expect(await roundTrip("s", s)).toBe(s);
    expect(await roundTrip("tx", s.repeat(500))).toBe(s.repeat(500));
    expect((await ctx.engine.execute(select(t.c.id).where(t.c.s.eq(s)))).all()).toHaveLength(1);
  });

  it("dates, naive and aware timestamps, times: independent of the process time zone", async () => {
    expect(await roundTrip("day", "2024-02-29")).toBe("2024-02-29");
    for (const instant of INSTANTS) {
      expect(await roundTrip("naive", instant)).toEqual(instant);
      expect(await roundTrip("aware", instant)).toEqual(instant);
    }
    expect(await roundTrip("tm", "23:59:58")).toMatch(/^23:59:58/);
    const before = (await ctx.engine.execute(select(t.c.naive).where(t.c.naive.lt(new Date("1970-01-01T00:00:00Z"))))).scalars();
    expect(before).toEqual([new Date("1969-12-31T23:59:59.000Z")]);
  });

  it("bytes, JSON, UUID, Enum", async () => {
    expect([...((await roundTrip("bin", new Uint8Array([0, 1, 127, 128, 255]))) as Uint8Array)]).toEqual([0, 1, 127, 128, 255]);
    const doc = { a: [1, 2.5, "ü😀"], b: null, c: { d: true } };
    expect(await roundTrip("doc", doc)).toEqual(doc);
    expect(await roundTrip("uid", "123E4567-E89B-12D3-A456-426614174000")).toBe("123e4567-e89b-12d3-a456-426614174000");
    expect(await roundTrip("status", "published")).toBe("published");
  });

  it("JSON paths: a value as JSON (jsonPath) and as text (jsonPathText), in SELECT and WHERE", async () => {
    const doc = { tags: ["x", "y"], owner: { name: "sandy", "key with space": 2, admin: true }, n: 7 };
    const r = await ctx.engine.execute(insert(t).values({ doc }));
    const id = r.insertedPrimaryKey?.[0] as number;
    const row = (
      await ctx.engine.execute(
        select(jsonPath(t.c.doc, ["tags", 0]), jsonPath(t.c.doc, ["owner", "name"]), jsonPath(t.c.doc, ["tags"]), jsonPath(t.c.doc, ["n"])).where(
          t.c.id.eq(id),
        ),
      )
    ).one();
    expect([...row]).toEqual(["x", "sandy", ["x", "y"], 7]);
    expect((await ctx.engine.execute(select(jsonPathText(t.c.doc, ["owner", "key with space"])).where(t.c.id.eq(id)))).scalar()).toBe("2");
    expect((await ctx.engine.execute(select(jsonPathText(t.c.doc, ["owner", "admin"])).where(t.c.id.eq(id)))).scalar()).toBe("true");
    expect((await ctx.engine.execute(select(t.c.id).where(jsonPathText(t.c.doc, ["owner", "name"]).eq("sandy")))).scalars()).toEqual([id]);
    expect((await ctx.engine.execute(select(jsonPath(t.c.doc, ["missing"])).where(t.c.id.eq(id)))).scalar()).toBeNull();
  });

  it("NULL in every column", async () => {
    const keys = Object.keys(t.c).filter((k) => k !== "id");
    const r = await ctx.engine.execute(insert(t).values(Object.fromEntries(keys.map((k) => [k, null])) as never));
    const row = (await ctx.engine.execute(select(...t.columnList.filter((c) => c.key !== "id")).where(t.c.id.eq(r.insertedPrimaryKey?.[0] as number)))).one();
    expect([...row]).toEqual(keys.map(() => null));
  });
});
