/**
 * Round trips of every type through both targets: exact 64-bit integers and decimals, unicode, NULLs, JSON (incl.
 * top-level arrays and strings), dates and times independent of the process time zone, bytes, UUIDs, enums, arrays.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  ArgumentError,
  ArrayOf,
  BigInteger,
  Boolean,
  column,
  DateTime,
  Date as DateType,
  Double,
  type Engine,
  Enum,
  Float,
  Integer,
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
import { insert } from "crucible/postgresql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineFor, SERVER_URL, serverAvailable, TARGETS, uniqueName } from "./targets.js";

const MAX = 2n ** 63n - 1n;
const AT = new Date("2024-03-10T07:30:00.123Z"); // the hour New York springs forward
const BYTES = new Uint8Array(Array.from({ length: 256 }, (_, i) => i));

for (const target of TARGETS) {
  describe.skipIf(!target.available)(`type round trips (${target.name})`, () => {
    let engine: Engine;
    const md = new MetaData();
    const name = uniqueName("types");
    const t = Table(name, md, {
      id: column(Integer, { primaryKey: true, autoincrement: false }),
      big: column(BigInteger),
      small: column(SmallInteger),
      f: column(Float),
      d: column(Double),
      dec: column(Numeric(40, 10)),
      decAny: column(Numeric, { name: "dec_any" }),
      flag: column(Boolean),
      s: column(Varchar(50)),
      tx: column(Text),
      day: column(DateType),
      naive: column(DateTime()),
      aware: column(DateTime({ timezone: true })),
      tm: column(Time),
      bin: column(LargeBinary),
      doc: column(JSON()),
      u: column(Uuid),
      mood: column(Enum(["happy", "sad"], { name: `${name}_mood` })),
      ints: column(ArrayOf(Integer)),
      words: column(ArrayOf(Text)),
      bigs: column(ArrayOf(BigInteger)),
      moods: column(ArrayOf(Enum(["happy", "sad"], { name: `${name}_mood` }))),
      times: column(ArrayOf(DateTime())),
      decs: column(ArrayOf(Numeric(40, 10))),
    });

    beforeAll(async () => {
      engine = engineFor(target);
      await md.createAll(engine);
    });
    afterAll(async () => {
      await md.dropAll(engine);
      await engine.dispose();
    });

    async function roundTrip(id: number, values: Record<string, unknown>): Promise<Record<string, unknown>> {
      await engine.execute(insert(t).values({ id, ...values } as never));
      const row = (await engine.execute(select(t).where(t.c.id.eq(id)))).mappings()[0];
      return row as Record<string, unknown>;
    }

    it("keeps every value exact", async () => {
      const values = {
        big: MAX,
        small: -32768,
        f: 0.5,
        d: 1.7976931348623157e308,
        dec: "123456789012345678901234567890.1234567890",
        decAny: "-0.000000000000000000000000000001",
        flag: true,
        s: "héllo wörld 🎉 «ünïcödé» 中文",
        tx: 'it\'s "quoted" \\ back\nslash',
        day: "2024-02-29",
        naive: AT,
        aware: AT,
        tm: "13:45:10.5",
        bin: BYTES,
        doc: { a: [1, "two", null, { deep: true }], n: 1.5, s: "x" },
        u: "123E4567-E89B-12D3-A456-426614174000",
        mood: "sad",
        ints: [1, null, 3],
        words: ['a "quote"', "comma, brace {}", "back\\slash", "NULL", ""],
        bigs: [MAX, -MAX, 0n],
        moods: ["happy", "sad"],
        times: [AT, new Date("1999-12-31T23:59:59.999Z")],
        decs: ["1.5000000000", "-99999999999999999999999999999.9999999999"],
      } as const;
      const row = await roundTrip(1, values);
      expect(row).toEqual({
        id: 1,
        ...values,
        bin: expect.any(Uint8Array),
        u: "123e4567-e89b-12d3-a456-426614174000",
        tm: "13:45:10.5",
        naive: AT,
        aware: AT,
      });
      expect(Buffer.from(row.bin as Uint8Array).equals(Buffer.from(BYTES))).toBe(true);
      expect(typeof row.big).toBe("bigint");
    });

    it("extremes of BigInteger, scale padding of Numeric, JSON scalars and top-level arrays", async () => {
      const a = await roundTrip(2, { big: -MAX - 1n, dec: "1.5", doc: [1, 2, 3] });
      expect(a.big).toBe(-(2n ** 63n));
      expect(a.dec).toBe("1.5000000000");
      expect(a.doc).toEqual([1, 2, 3]);
      const b = await roundTrip(3, { big: 9007199254740993n, doc: "just a string" });
      expect(b.big).toBe(9007199254740993n);
      expect(b.doc).toBe("just a string");
      const c = await roundTrip(4, { doc: 42, words: [] });
      expect(c.doc).toBe(42);
      expect(c.words).toEqual([]);
    });

    it("NULL in every column", async () => {
      const row = await roundTrip(5, {});
      for (const [k, v] of Object.entries(row)) if (k !== "id") expect(v, k).toBeNull();
    });

    it("naive DateTime stores UTC wall-clock time, timezone-aware stores the instant", async () => {
      await roundTrip(6, { naive: AT, aware: AT });
      const raw = (await engine.execute(text(`SELECT naive::text, aware::text, (aware AT TIME ZONE 'UTC')::text FROM ${name} WHERE id = 6`))).all()[0];
      expect([...raw]).toEqual(["2024-03-10 07:30:00.123", "2024-03-10 07:30:00.123+00", "2024-03-10 07:30:00.123"]);
      // Values written by SQL are read the same way.
      await engine.execute(
        text(`INSERT INTO ${name} (id, naive, aware, day) VALUES (7, '2001-02-03 04:05:06.789', '2001-02-03 04:05:06.789-05', '0044-03-15')`),
      );
      const row = (await engine.execute(select(t.c.naive, t.c.aware, t.c.day).where(t.c.id.eq(7)))).all()[0];
      expect(row.naive?.toISOString()).toBe("2001-02-03T04:05:06.789Z");
      expect(row.aware?.toISOString()).toBe("2001-02-03T09:05:06.789Z");
      expect(row.day).toBe("0044-03-15");
    });

    it("untyped text() results: exact int8, numbers when safe, parsed JSON, date strings", async () => {
      const r = (
        await engine.execute(
          text("SELECT 9223372036854775807::int8 AS big, 5::int8 AS small, count(*) AS n, '{\"a\":1}'::jsonb AS j, DATE '2024-01-02' AS d, 1.10::numeric AS x"),
        )
      ).mappings()[0];
      expect(r).toEqual({ big: MAX, small: 5, n: 1, j: { a: 1 }, d: "2024-01-02", x: "1.10" });
    });

    it("validates enum values and UUIDs before they reach the server", async () => {
      await expect(engine.execute(insert(t).values({ id: 8, mood: "angry" as never }))).rejects.toThrow(ArgumentError);
      await expect(engine.execute(insert(t).values({ id: 8, u: "not-a-uuid" }))).rejects.toThrow(ArgumentError);
    });
  });
}

/** Runs the date and time checks in a child process under the given time zone and returns what it printed. */
async function runUnderTz(tz: string, url: string): Promise<unknown> {
  const script = fileURLToPath(new URL("./fixtures/tz-round-trip.ts", import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", script, url], {
    env: { ...process.env, TZ: tz },
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
  });
  return globalThis.JSON.parse(stdout.trim().split("\n").pop() as string);
}

const EXPECTED_TZ = {
  naiveRaw: "2024-03-10 07:30:00.123",
  awareRaw: "2024-03-10 07:30:00.123+00",
  naiveBack: "2024-03-10T07:30:00.123Z",
  awareBack: "2024-03-10T07:30:00.123Z",
  sqlNaive: "2001-02-03T04:05:06.789Z",
  day: "2024-02-29",
  dayRaw: "2024-02-29",
};

describe("date and time values do not depend on the process time zone", () => {
  for (const tz of ["UTC", "America/New_York", "Asia/Kolkata"]) {
    it(`PGlite under TZ=${tz}`, async () => {
      expect(await runUnderTz(tz, "postgresql+pglite://")).toEqual({ tz, ...EXPECTED_TZ });
    });
    it.skipIf(!serverAvailable)(`server under TZ=${tz}`, async () => {
      expect(await runUnderTz(tz, SERVER_URL)).toEqual({ tz, ...EXPECTED_TZ });
    });
  }
});
