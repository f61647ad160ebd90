/**
 * Round-trips of every type through MariaDB/MySQL: exact bigints and decimals, 4-byte unicode, NULLs, JSON, bytes,
 * and dates that do not depend on the process time zone.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { BigInteger, column, DateOnly, DateTime, Integer, insert, MetaData, Numeric, select, Table, Varchar } from "crucible";
import { jsonPath, jsonPathText } from "crucible/mysql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { everyTypeTable } from "./schema.js";
import { MYSQL_URL, mysqlEngine, serverAvailable, uniqueName } from "./server.js";

const run = promisify(execFile);

describe.skipIf(!serverAvailable)("MySQL types: round-trips", () => {
  const prefix = `${uniqueName("types")}_`;
  const engine = mysqlEngine();
  const md = new MetaData();
  const t = everyTypeTable(prefix, md);
  const big = Table(`${prefix}big`, md, {
    id: column(BigInteger, { primaryKey: true, autoincrement: false }),
    amount: column(Numeric(40, 10)),
    label: column(Varchar(50)),
  });
  beforeAll(() => md.createAll(engine));
  afterAll(async () => {
    await md.dropAll(engine);
    await engine.dispose();
  });

  const bytes = new Uint8Array(256).map((_, i) => i);
  const full = {
    id: 9223372036854775807n,
    small: -32768,
    f: 1.5,
    d: 1.0000000000000002,
    n: "12345678901234567890.1234567891",
    b: true,
    s: "日本語 😀",
    s2: "𝄞 clef & 🎉",
    t: "multi\nline 'quoted' \\ back\\slash \u0000 nul",
    day: "2024-02-29",
    tstz: new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 999)),
    tm: "23:59:59.5",
    bin: bytes,
    doc: { nested: { list: [1, "two", null, true], "key with space": "é" }, big: 1e300 },
    u: "123e4567-e89b-12d3-a456-426614174000",
    mood: "it's" as const,
    mood2: "b" as const,
  };

  it("writes and reads every type exactly", async () => {
    await engine.execute(insert(t).values(full));
    await using conn = await engine.connect();
    const row = (await conn.execute(select(t).where(t.c.id.eq(full.id)))).one();
    expect(row.id).toBe(9223372036854775807n);
    expect(row.small).toBe(-32768);
    expect(row.f).toBe(1.5);
    expect(row.d).toBe(1.0000000000000002);
    expect(row.n).toBe("12345678901234567890.1234567891");
    expect(row.b).toBe(true);
    expect(row.s).toBe("日本語 😀");
    expect(row.s2).toBe("𝄞 clef & 🎉");
    expect(row.t).toBe(full.t);
    expect(row.day).toBe("2024-02-29");
    expect(row.tstz?.toISOString()).toBe("1999-12-31T23:59:59.999Z");
    expect(row.tm).toBe("23:59:59.5");
    expect(row.bin).toBeInstanceOf(Uint8Array);
    expect([...(row.bin as Uint8Array)]).toEqual([...bytes]);
    expect(row.doc).toEqual(full.doc);
    expect(row.u).toBe(full.u);
    expect(row.mood).toBe("it's");
    expect(row.mood2).toBe("b");
    // The server default CURRENT_TIMESTAMP(6) is UTC wall-clock time, as DateTime() reads it.
    expect(Math.abs((row.ts as Date).getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("JSON paths read parsed JSON, or text", async () => {
    await using conn = await engine.connect();
    const row = (
      await conn.execute(
        select(jsonPath(t.c.doc, ["nested", "list"]), jsonPathText(t.c.doc, ["nested", "key with space"]), jsonPath(t.c.doc, ["nested", "list", 1])).where(
          t.c.id.eq(full.id),
        ),
      )
    ).one();
    expect([...row]).toEqual([[1, "two", null, true], "é", "two"]);
    expect((await conn.execute(select(t.c.id).where(jsonPathText(t.c.doc, ["nested", "list", 1]).eq("two")))).scalars()).toEqual([full.id]);
  });

  it("NULL in every nullable column", async () => {
    const nulls = Object.fromEntries(Object.keys(full).map((k) => [k, null])) as Record<string, null>;
    await engine.execute(insert(t).values({ ...nulls, id: 1n, b: false }));
    await using conn = await engine.connect();
    const row = (await conn.execute(select(t).where(t.c.id.eq(1n)))).one();
    for (const k of Object.keys(full)) if (k !== "id" && k !== "b") expect([k, row[k as keyof typeof row]]).toEqual([k, null]);
    expect(row.b).toBe(false);
  });

  it("JSON scalars and strings that look like JSON", async () => {
    await using conn = await engine.connect();
    for (const [id, doc] of [
      [2n, "a string"],
      [3n, 42],
      [4n, [1, 2]],
      [5n, '{"not": "parsed"}'],
    ] as const) {
      await conn.execute(insert(t).values({ id, b: true, n: "1", doc }));
      expect((await conn.execute(select(t.c.doc).where(t.c.id.eq(id)))).scalar()).toEqual(doc);
    }
    await conn.rollback();
  });

  it("bigints at ±(2^63 − 1) and 2^63 − 1 compared exactly", async () => {
    const values = [9223372036854775807n, -9223372036854775807n, -9223372036854775808n, 9007199254740993n, 0n];
    await engine.execute(insert(big).values(values.map((id, i) => ({ id, amount: null, label: `v${i}` }))));
    await using conn = await engine.connect();
    expect((await conn.execute(select(big.c.id).orderBy(big.c.id))).scalars()).toEqual([...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    // 2^53 + 1 would match 2^53 too if it were compared as a double.
    await conn.execute(insert(big).values({ id: 9007199254740992n, amount: null, label: "2^53" }));
    expect((await conn.execute(select(big.c.label).where(big.c.id.eq(9007199254740993n)))).scalars()).toEqual(["v3"]);
    expect((await conn.execute(select(big.c.label).where(big.c.id.in([9223372036854775807n])))).scalars()).toEqual(["v0"]);
    await conn.rollback();
  });

  it("30-digit decimals are exact, also in comparisons", async () => {
    const amounts = ["123456789012345678901234567890.0000000001", "-0.0000000001", "0.1000000000", "99999999999999999999999999999.9999999999"];
    await engine.execute(insert(big).values(amounts.map((amount, i) => ({ id: BigInt(100 + i), amount, label: `d${i}` }))));
    await using conn = await engine.connect();
    expect((await conn.execute(select(big.c.amount).where(big.c.id.between(100n, 103n)).orderBy(big.c.id))).scalars()).toEqual(amounts);
    // As a double, these two would be equal.
    expect((await conn.execute(select(big.c.label).where(big.c.amount.eq("123456789012345678901234567890.0000000001")))).scalars()).toEqual(["d0"]);
    expect((await conn.execute(select(big.c.label).where(big.c.amount.eq("123456789012345678901234567890.0000000002")))).scalars()).toEqual([]);
  });

  it("untyped results: counts as numbers, sums as exact strings, big values as bigint", async () => {
    await using conn = await engine.connect();
    const r = await conn.execDriverSql(`SELECT COUNT(*), CAST(9223372036854775807 AS SIGNED), 1.5 FROM ${big.name}`);
    const [count, max, dec] = r.raw()[0];
    expect(typeof count).toBe("number");
    expect(max).toBe(9223372036854775807n);
    expect(dec).toBe("1.5");
  });

  it("dates do not depend on the process time zone (TZ=UTC and TZ=America/New_York children)", async () => {
    const tz = Table(`${prefix}tz`, new MetaData(), {
      id: column(Integer, { primaryKey: true }),
      label: column(Varchar(40)),
      ts: column(DateTime()),
      tstz: column(DateTime({ timezone: true })),
      day: column(DateOnly),
    });
    await tz.metadata.createAll(engine);
    try {
      const child = fileURLToPath(new URL("./fixtures/tz-child.ts", import.meta.url));
      const outputs = [];
      for (const zone of ["UTC", "America/New_York"]) {
        const { stdout } = await run(process.execPath, ["--import", "tsx", child, MYSQL_URL, tz.name], { env: { ...process.env, TZ: zone } });
        outputs.push(JSON.parse(stdout) as { offset: number; rows: unknown[][] });
      }
      expect(outputs.map((o) => o.offset)).toEqual([0, 240]);
      const expected = ["2024-07-01T12:30:45.123Z", "2024-07-01T12:30:45.123Z", "2024-07-01", "2024-07-01 12:30:45.123000"];
      expect(outputs[1].rows).toEqual([
        ["child UTC", ...expected],
        ["child America/New_York", ...expected],
      ]);
    } finally {
      await tz.metadata.dropAll(engine);
    }
  });
});
