import {
  ArgumentError,
  BigInteger,
  Boolean,
  column,
  createEngine,
  customType,
  DateOnly,
  DateTime,
  Double,
  type Engine,
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
  text,
  Uuid,
  Varchar,
} from "crucible";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlite } from "./helpers.js";

interface Point {
  x: number;
  y: number;
}
const PointType = customType<Point, string>({
  impl: Text,
  toDriver: (p) => `${p.x},${p.y}`,
  fromDriver: (s) => {
    const [x, y] = s.split(",").map(Number);
    return { x, y };
  },
});

const md = new MetaData();
const t = Table("every_type", md, {
  id: column(Integer, { primaryKey: true }),
  i: column(Integer),
  big: column(BigInteger),
  small: column(SmallInteger),
  f: column(Float),
  d: column(Double),
  n: column(Numeric(12, 2)),
  b: column(Boolean),
  s: column(Varchar(40)),
  tx: column(Text),
  day: column(DateOnly),
  naive: column(DateTime()),
  aware: column(DateTime({ timezone: true })),
  tm: column(Time),
  bin: column(LargeBinary),
  doc: column(JSON<{ tags: string[]; n: number | null }>()),
  uid: column(Uuid),
  status: column(Enum(["draft", "published"] as const)),
  point: column(PointType),
});

let engine: Engine;
beforeAll(async () => {
  engine = createEngine("sqlite://");
  await md.createAll(engine);
});
afterAll(() => engine.dispose());

const instant = new Date("2024-02-29T23:59:58.123Z");

async function roundTrip<K extends keyof typeof t.c & string>(key: K, value: unknown): Promise<unknown> {
  const r = await engine.execute(
    insert(t)
      .values({ [key]: value } as never)
      .returning(t.c.id),
  );
  const id = r.scalar() as number;
  return (await engine.execute(select(t.c[key]).where(t.c.id.eq(id)))).scalar();
}

async function stored(key: string, id: number): Promise<unknown> {
  return (await engine.execute(text(`SELECT ${key} FROM every_type WHERE id = :id`), { id })).scalar();
}

describe("type round trips on SQLite", () => {
  it("Integer, SmallInteger, Float, Double", async () => {
    expect(await roundTrip("i", 2147483647)).toBe(2147483647);
    expect(await roundTrip("small", -32768)).toBe(-32768);
    expect(await roundTrip("f", 1.5)).toBe(1.5);
    expect(await roundTrip("d", 0.1 + 0.2)).toBe(0.1 + 0.2);
  });

  it("BigInteger is a bigint, exact at ±(2^63 − 1)", async () => {
    expect(await roundTrip("big", 9223372036854775807n)).toBe(9223372036854775807n);
    expect(await roundTrip("big", -9223372036854775807n)).toBe(-9223372036854775807n);
    expect(await roundTrip("big", 7n)).toBe(7n);
    expect(() => sqlite(insert(t).values({ big: 1.5 as never }))).toThrow(/expected an integer \(bigint\)/);
  });

  it("Numeric is an exact string padded to its scale (SQLite keeps 15 significant digits)", async () => {
    expect(await roundTrip("n", "12.30")).toBe("12.30");
    expect(await roundTrip("n", "7")).toBe("7.00");
    expect(await roundTrip("n", "-0.05")).toBe("-0.05");
    expect(await roundTrip("n", "1234567890.12")).toBe("1234567890.12");
    expect(() => sqlite(insert(t).values({ n: "12,30" }))).toThrow(/expected a decimal number/);
  });

  it("Boolean is stored as 0/1 and read as a boolean", async () => {
    const r = await engine.execute(insert(t).values({ b: true }).returning(t.c.id, t.c.b));
    expect(r.one().b).toBe(true);
    expect(await stored("b", r.scalar() as number)).toBe(1);
    expect(await roundTrip("b", false)).toBe(false);
  });

  it("String and Text keep quotes, NUL-free control characters, unicode and emoji", async () => {
    const s = 'O\'Brien; DROP TABLE every_type; -- "q" \\ \t\n é 漢字 👩‍👩‍👧 \u{1F600}';
    expect(await roundTrip("s", s)).toBe(s);
    expect(await roundTrip("tx", s.repeat(1000))).toBe(s.repeat(1000));
    expect(await roundTrip("tx", "")).toBe("");
  });

  it("Date is a 'YYYY-MM-DD' string", async () => {
    expect(await roundTrip("day", "2024-02-29")).toBe("2024-02-29");
    expect(await roundTrip("day", new Date("2024-03-01T23:30:00Z"))).toBe("2024-03-01");
    expect(() => sqlite(insert(t).values({ day: "29/02/2024" }))).toThrow(/expected a date as "YYYY-MM-DD"/);
  });

  it("naive DateTime stores UTC wall-clock time, whatever the process time zone", async () => {
    const r = await engine.execute(insert(t).values({ naive: instant }).returning(t.c.id, t.c.naive));
    expect(r.one().naive).toEqual(instant);
    expect(await stored("naive", r.scalar() as number)).toBe("2024-02-29 23:59:58.123");
    expect(() => sqlite(insert(t).values({ naive: new Date("nope") }))).toThrow(/valid Date/);
  });

  it("timezone-aware DateTime stores the instant with its offset", async () => {
    const r = await engine.execute(insert(t).values({ aware: instant }).returning(t.c.id, t.c.aware));
    expect(r.one().aware).toEqual(instant);
    expect(await stored("aware", r.scalar() as number)).toBe("2024-02-29 23:59:58.123+00:00");
    // A value written by someone else with another offset is read as the same instant.
    await engine.execute(text("UPDATE every_type SET aware = '2024-03-01 01:59:58.123+02:00' WHERE id = :id"), { id: r.scalar() });
    expect((await engine.execute(select(t.c.aware).where(t.c.id.eq(r.scalar() as number)))).scalar()).toEqual(instant);
  });

  it("comparisons with Date values use the same format", async () => {
    await engine.execute(insert(t).values({ naive: new Date("2000-01-01T00:00:00Z") }));
    const rows = (await engine.execute(select(t.c.naive).where(t.c.naive.lt(new Date("2000-01-02T00:00:00Z"))))).scalars();
    expect(rows).toEqual([new Date("2000-01-01T00:00:00Z")]);
  });

  it("Time is a string", async () => {
    expect(await roundTrip("tm", "23:59:59.123456")).toBe("23:59:59.123456");
    expect(() => sqlite(insert(t).values({ tm: "25h" }))).toThrow(/expected a time/);
  });

  it("LargeBinary takes and gives bytes", async () => {
    const bytes = new Uint8Array([0, 1, 2, 254, 255, 0]);
    const got = (await roundTrip("bin", bytes)) as Uint8Array;
    expect(got).toBeInstanceOf(Uint8Array);
    expect([...got]).toEqual([...bytes]);
    expect([...((await roundTrip("bin", new Uint8Array(0))) as Uint8Array)]).toEqual([]);
  });

  it("JSON documents round-trip, including unicode and nested nulls", async () => {
    const doc = { tags: ["a", "ü", "😀", "'\""], n: null };
    expect(await roundTrip("doc", doc)).toEqual(doc);
  });

  it("Uuid is validated and normalized to lower case", async () => {
    expect(await roundTrip("uid", "123E4567-E89B-12D3-A456-426614174000")).toBe("123e4567-e89b-12d3-a456-426614174000");
    expect(() => sqlite(insert(t).values({ uid: "not-a-uuid" }))).toThrow(/expected a UUID/);
  });

  it("Enum accepts only its values, in TypeScript and at run time, and the database checks too", async () => {
    expect(await roundTrip("status", "published")).toBe("published");
    expect(() => sqlite(insert(t).values({ status: "deleted" as never }))).toThrow(ArgumentError);
    await expect(engine.execute(text("INSERT INTO every_type (status) VALUES ('deleted')"))).rejects.toThrow(/CHECK constraint failed/);
  });

  it("customType applies its processors around its impl type", async () => {
    const r = await engine.execute(
      insert(t)
        .values({ point: { x: 1, y: -2.5 } })
        .returning(t.c.id, t.c.point),
    );
    expect(r.one().point).toEqual({ x: 1, y: -2.5 });
    expect(await stored("point", r.scalar() as number)).toBe("1,-2.5");
  });

  it("NULL round-trips for every column", async () => {
    const keys = Object.keys(t.c).filter((k) => k !== "id");
    const nulls = Object.fromEntries(keys.map((k) => [k, null]));
    const r = await engine.execute(
      insert(t)
        .values(nulls as never)
        .returning(...t.columnList.filter((c) => c.key !== "id")),
    );
    expect([...r.one()]).toEqual(keys.map(() => null));
  });

  it("DDL spells each type for SQLite", () => {
    const ddl = engine.dialect.createDdlCompiler().createTable(t)[0];
    expect(ddl).toBe(
      [
        "CREATE TABLE every_type (",
        "\tid INTEGER NOT NULL,",
        "\ti INTEGER,",
        "\tbig BIGINT,",
        "\tsmall SMALLINT,",
        "\tf FLOAT,",
        "\td DOUBLE,",
        "\tn NUMERIC(12, 2),",
        "\tb BOOLEAN,",
        "\ts VARCHAR(40),",
        "\ttx TEXT,",
        "\tday DATE,",
        "\tnaive DATETIME,",
        "\taware DATETIME,",
        "\ttm TIME,",
        "\tbin BLOB,",
        "\tdoc JSON,",
        "\tuid CHAR(36),",
        "\tstatus VARCHAR(9),",
        "\tpoint TEXT,",
        "\tPRIMARY KEY (id),",
        "\tCHECK (status IN ('draft', 'published'))",
        ")",
      ].join("\n"),
    );
  });
});
