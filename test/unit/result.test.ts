import { MultipleResultsFoundError, NoResultFoundError, select } from "crucible";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TutorialDb, tutorialDb } from "./helpers.js";

let db: TutorialDb;
beforeAll(async () => {
  db = await tutorialDb();
});
afterAll(() => db.engine.dispose());

describe("Row", () => {
  it("is a tuple with named fields", async () => {
    const { userTable: u, engine } = db;
    const row = (await engine.execute(select(u.c.id, u.c.name).where(u.c.id.eq(2)))).one();
    const [id, name] = row;
    expect([id, name]).toEqual([2, "sandy"]);
    expect(row[0]).toBe(2);
    expect(row.name).toBe("sandy");
    expect(row.length).toBe(2);
    expect(String(row)).toBe("(2, 'sandy')");
    expect(JSON.stringify(row)).toBe('[2,"sandy"]');
    expect(Object.keys(row)).toEqual(["0", "1"]);
  });

  it("labels name fields; a duplicate name keeps the first column; unnamed columns have positions only", async () => {
    const { userTable: u, addressTable: a, engine } = db;
    const result = await engine.execute(select(u.c.id, a.c.id, u.c.name.label("who"), u.c.id.add(1)).join(a).where(a.c.id.eq(3)));
    const row = result.one();
    expect(result.keys()).toEqual(["id", "id", "who", "column_4"]);
    expect(row.id).toBe(2);
    expect(row[1]).toBe(3);
    expect(row.who).toBe("sandy");
    expect(row[3]).toBe(3);
  });
});

describe("Result", () => {
  const q = () => select(db.userTable.c.id, db.userTable.c.name).orderBy(db.userTable.c.id);

  it("all, first, scalar, scalars, mappings, rowCount", async () => {
    const r = await db.engine.execute(q());
    expect(r.all().map((row) => row.name)).toEqual(["spongebob", "sandy", "patrick"]);
    expect(r.first()?.name).toBe("spongebob");
    expect(r.scalar()).toBe(1);
    expect(r.scalars()).toEqual([1, 2, 3]);
    expect(r.scalars().first()).toBe(1);
    expect(r.mappings()[1]).toEqual({ id: 2, name: "sandy" });
    expect(r.rowCount).toBe(3);
    expect(r.returnsRows).toBe(true);
  });

  it("one and oneOrNone check the count", async () => {
    const none = await db.engine.execute(q().where(db.userTable.c.id.eq(99)));
    expect(() => none.one()).toThrow(NoResultFoundError);
    expect(none.oneOrNone()).toBeNull();
    expect(none.first()).toBeNull();
    expect(none.scalar()).toBeNull();
    const many = await db.engine.execute(q());
    expect(() => many.one()).toThrow(MultipleResultsFoundError);
    expect(() => many.oneOrNone()).toThrow(/returned 3 rows/);
    expect(() => many.scalars().one()).toThrow(MultipleResultsFoundError);
    expect((await db.engine.execute(q().limit(1))).scalarOne()).toBe(1);
  });

  it("is iterable, synchronously and asynchronously", async () => {
    const r = await db.engine.execute(q());
    const sync: number[] = [];
    for (const row of r) sync.push(row.id);
    const async_: string[] = [];
    for await (const row of r) async_.push(row.name as string);
    expect(sync).toEqual([1, 2, 3]);
    expect(async_).toEqual(["spongebob", "sandy", "patrick"]);
  });

  it("conn.stream() yields rows in chunks", async () => {
    await using conn = await db.engine.connect();
    const names: string[] = [];
    for await (const row of conn.stream(q(), undefined, { chunkSize: 2 })) names.push(row.name as string);
    expect(names).toEqual(["spongebob", "sandy", "patrick"]);
    // Stopping early releases the statement: the connection keeps working.
    for await (const row of conn.stream(q(), undefined, { chunkSize: 1 })) if (row.id === 1) break;
    expect((await conn.execute(q())).all()).toHaveLength(3);
  });
});
