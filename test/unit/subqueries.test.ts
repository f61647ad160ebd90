import { column, exists, ForeignKey, func, Integer, insert, literal, MetaData, select, Table, Varchar } from "crucible";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSql, type TutorialDb, tuples, tutorialDb } from "./helpers.js";

let db: TutorialDb;
beforeAll(async () => {
  db = await tutorialDb();
});
afterAll(() => db.engine.dispose());

describe("subqueries", () => {
  it("a subquery in FROM with typed .c", async () => {
    const { userTable: u, addressTable: a, engine } = db;
    const sub = select(a.c.user_id, func.count(a.c.id).label("address_count")).groupBy(a.c.user_id).subquery("counts");
    const stmt = select(u.c.name, sub.c.address_count).join(sub, sub.c.user_id.eq(u.c.id)).orderBy(u.c.id);
    expectSql(
      stmt,
      "SELECT user_account.name, counts.address_count FROM user_account JOIN (SELECT address.user_id, count(address.id) AS address_count FROM address GROUP BY address.user_id) AS counts ON counts.user_id = user_account.id ORDER BY user_account.id",
    );
    const rows = (await engine.execute(stmt)).all();
    expect(tuples(rows)).toEqual([
      ["spongebob", 1],
      ["sandy", 2],
    ]);
    expect(rows[1].address_count).toBe(2);
  });

  it("unnamed columns and subqueries get anon names", () => {
    const { addressTable: a } = db;
    const sub = select(a.c.user_id, func.max(a.c.id)).groupBy(a.c.user_id).subquery();
    expectSql(
      select(sub.c.user_id),
      "SELECT anon_1.user_id FROM (SELECT address.user_id, max(address.id) AS anon_2 FROM address GROUP BY address.user_id) AS anon_1",
    );
  });

  it("a correlated scalar subquery in the columns", async () => {
    const { userTable: u, addressTable: a, engine } = db;
    const count = select(func.count(a.c.id)).where(a.c.user_id.eq(u.c.id)).scalarSubquery();
    const stmt = select(u.c.name, count.label("address_count")).orderBy(u.c.id);
    expectSql(
      stmt,
      "SELECT user_account.name, (SELECT count(address.id) AS anon_1 FROM address WHERE address.user_id = user_account.id) AS address_count FROM user_account ORDER BY user_account.id",
    );
    expect(tuples((await engine.execute(stmt)).all())).toEqual([
      ["spongebob", 1],
      ["sandy", 2],
      ["patrick", 0],
    ]);
  });

  it("a scalar subquery in WHERE", async () => {
    const { userTable: u, addressTable: a, engine } = db;
    const stmt = select(a.c.email_address).where(a.c.user_id.eq(select(u.c.id).where(u.c.name.eq("spongebob")).scalarSubquery()));
    expectSql(stmt, "SELECT address.email_address FROM address WHERE address.user_id = (SELECT user_account.id FROM user_account WHERE user_account.name = ?)");
    expect((await engine.execute(stmt)).scalars()).toEqual(["spongebob@sqlalchemy.org"]);
  });

  it("EXISTS, correlated, and NOT EXISTS", async () => {
    const { userTable: u, addressTable: a, engine } = db;
    const has = exists(select(a.c.id).where(a.c.user_id.eq(u.c.id)));
    const stmt = select(u.c.name).where(has).orderBy(u.c.id);
    expectSql(
      stmt,
      "SELECT user_account.name FROM user_account WHERE EXISTS (SELECT address.id FROM address WHERE address.user_id = user_account.id) ORDER BY user_account.id",
    );
    expect((await engine.execute(stmt)).scalars()).toEqual(["spongebob", "sandy"]);
    const { not_ } = await import("crucible");
    expect((await engine.execute(select(u.c.name).where(not_(has)))).scalars()).toEqual(["patrick"]);
  });

  it("correlate() keeps a FROM out of the subquery explicitly", () => {
    const { userTable: u, addressTable: a } = db;
    const inner = select(a.c.id).where(a.c.user_id.eq(u.c.id)).correlate(u).limit(1);
    expectSql(
      select(u.c.id, inner.scalarSubquery().label("first")),
      "SELECT user_account.id, (SELECT address.id FROM address WHERE address.user_id = user_account.id LIMIT ?) AS first FROM user_account",
    );
  });
});

describe("common table expressions", () => {
  it("a CTE is hoisted to WITH", async () => {
    const { userTable: u, addressTable: a, engine } = db;
    const sandy = select(u.c.id).where(u.c.name.eq("sandy")).cte("sandy_ids");
    const stmt = select(a.c.email_address).join(sandy, a.c.user_id.eq(sandy.c.id)).orderBy(a.c.id);
    expectSql(
      stmt,
      "WITH sandy_ids AS (SELECT user_account.id FROM user_account WHERE user_account.name = ?) SELECT address.email_address FROM address JOIN sandy_ids ON address.user_id = sandy_ids.id ORDER BY address.id",
    );
    expect((await engine.execute(stmt)).scalars()).toEqual(["sandy@sqlalchemy.org", "sandy@squirrelpower.org"]);
  });

  it("a CTE used twice is defined once", () => {
    const { userTable: u } = db;
    const c = select(u.c.id).cte("c");
    const c2 = c; // same object
    expectSql(
      select(c.c.id).where(c.c.id.in(select(c2.c.id))),
      "WITH c AS (SELECT user_account.id FROM user_account) SELECT c.id FROM c WHERE c.id IN (SELECT c.id FROM c)",
    );
  });

  it("WITH RECURSIVE walks a tree", async () => {
    const md = new MetaData();
    const node = Table("node", md, {
      id: column(Integer, { primaryKey: true }),
      parent_id: column(Integer, ForeignKey("node.id")),
      name: column(Varchar),
    });
    await md.createAll(db.engine);
    await db.engine.execute(
      insert(node).values([
        { id: 1, parent_id: null, name: "root" },
        { id: 2, parent_id: 1, name: "a" },
        { id: 3, parent_id: 2, name: "a1" },
        { id: 4, parent_id: 1, name: "b" },
        { id: 5, parent_id: null, name: "other" },
      ]),
    );
    const anchor = select(node.c.id, node.c.name, literal(0).label("depth")).where(node.c.id.eq(1)).cte("tree", { recursive: true });
    const tree = anchor.unionAll(select(node.c.id, node.c.name, anchor.c.depth.add(1)).join(anchor, node.c.parent_id.eq(anchor.c.id)));
    const stmt = select(tree.c.name, tree.c.depth).orderBy(tree.c.depth, tree.c.name);
    expectSql(
      stmt,
      "WITH RECURSIVE tree(id, name, depth) AS (SELECT node.id, node.name, ? AS depth FROM node WHERE node.id = ? UNION ALL SELECT node.id, node.name, tree.depth + ? AS anon_3 FROM node JOIN tree ON node.parent_id = tree.id) SELECT tree.name, tree.depth FROM tree ORDER BY tree.depth, tree.name",
    );
    expect(tuples((await db.engine.execute(stmt)).all())).toEqual([
      ["root", 0],
      ["a", 1],
      ["b", 1],
      ["a1", 2],
    ]);
  });
});
