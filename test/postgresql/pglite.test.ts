/**
 * The PGlite driver: a database in a directory outlives its engine; each engine's in-memory database is its own;
 * the single connection is shared in turn.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { column, createEngine, Integer, MetaData, select, Table, Text, text } from "crucible";
import { insert } from "crucible/postgresql";
import { afterAll, describe, expect, it } from "vitest";

describe("PGlite driver", () => {
  const dir = mkdtempSync(join(tmpdir(), "crucible-pglite-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a postgresql+pglite:/// directory keeps its data after the engine is disposed", async () => {
    const md = new MetaData();
    const notes = Table("notes", md, { id: column(Integer, { primaryKey: true }), body: column(Text) });
    const url = `postgresql+pglite:///${relative(process.cwd(), dir)}`;
    const first = createEngine(url);
    try {
      await md.createAll(first);
      await first.execute(insert(notes).values({ body: "kept" }));
    } finally {
      await first.dispose();
    }
    const second = createEngine(url);
    try {
      expect((await second.execute(select(notes.c.body))).scalars()).toEqual(["kept"]);
    } finally {
      await second.dispose();
    }
  });

  it("in-memory engines do not share data, and one connection is taken in turn", async () => {
    const a = createEngine("postgresql+pglite://");
    const b = createEngine("postgresql+pglite://");
    try {
      await a.execute(text("CREATE TABLE only_in_a (x int)"));
      await expect(b.execute(text("SELECT * FROM only_in_a"))).rejects.toThrow(/does not exist/);
      const results = await Promise.all([1, 2, 3].map((i) => a.execute(text(`SELECT ${i} AS n`))));
      expect(results.map((r) => r.scalar())).toEqual([1, 2, 3]);
      expect(a.poolStatus).toMatchObject({ max: 1 });
      expect((await a.execute(text("SHOW TimeZone"))).scalar()).toBe("UTC");
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });
});
