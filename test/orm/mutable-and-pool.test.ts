// In-place changes of JSON documents are flushed; a one-connection pool serves concurrent callers in turn.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { column, createEngine, declarativeBase, Integer, JSON as Json, Session, select, text } from "crucible";
import { describe, expect, it } from "vitest";
import { SqlLog } from "./models.js";

describe("mutable values", () => {
  it("a JSON document changed in place is written at the next flush", async () => {
    const Base = declarativeBase();
    class Doc extends Base.model("doc", {
      id: column(Integer, { primaryKey: true }),
      body: column(Json<{ tags: string[] }>(), { nullable: false }),
    }) {}
    const engine = createEngine("sqlite://");
    await Base.metadata.createAll(engine);
    await Session.begin(engine, async (s) => s.add(new Doc({ body: { tags: ["a"] } })));
    const log = new SqlLog(engine);
    const s = new Session(engine);
    const d = (await s.scalars(select(Doc))).one();
    d.body.tags.push("b");
    expect(s.dirty).toEqual([d]);
    await s.commit();
    expect(log.take().filter((x) => x.startsWith("UPDATE"))).toEqual(["UPDATE doc SET body = ? WHERE doc.id = ?"]);
    // and the new snapshot is a copy too: a second in-place change is seen as well
    d.body.tags.push("c");
    await s.commit();
    const check = new Session(engine);
    expect((await check.scalars(select(Doc))).one().body.tags).toEqual(["a", "b", "c"]);
    await check.close();
  });
});

describe("pool", () => {
  it("a pool of one connection serves concurrent callers in turn, without leaking it", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "crucible-pool-")), "db.sqlite");
    const engine = createEngine(`sqlite:///${file}`, { pool: { max: 1, acquireTimeoutMs: 2000 } });
    const results = await Promise.all([1, 2, 3, 4].map((i) => engine.execute(text(`SELECT ${i} AS n`))));
    expect(results.map((r) => r.scalar())).toEqual([1, 2, 3, 4]);
    expect(engine.poolStatus).toMatchObject({ size: 1, inUse: 0, max: 1 });
    await engine.dispose();
  });
});
