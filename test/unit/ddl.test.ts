import {
  ArgumentError,
  CheckConstraint,
  column,
  createEngine,
  DateTime,
  ForeignKey,
  ForeignKeyConstraint,
  func,
  Index,
  Integer,
  IntegrityError,
  insert,
  MetaData,
  PrimaryKeyConstraint,
  select,
  Table,
  text,
  UniqueConstraint,
  Varchar,
} from "crucible";
import { describe, expect, it } from "vitest";

const ddlOf = (
  engine: ReturnType<typeof createEngine>,
  t: Parameters<ReturnType<ReturnType<typeof createEngine>["dialect"]["createDdlCompiler"]>["createTable"]>[0],
) => engine.dialect.createDdlCompiler().createTable(t);

describe("DDL per table shape", () => {
  const engine = createEngine("sqlite://");

  it("an autoincrement integer key, nullability, server defaults and a column-level unique and index", () => {
    const md = new MetaData();
    const t = Table("account", md, {
      id: column(Integer, { primaryKey: true }),
      email: column(Varchar(100), { nullable: false, unique: true }),
      status: column(Varchar(10), { serverDefault: "'new'", index: true }),
      created: column(DateTime(), { serverDefault: func.now() }),
      score: column(Integer, { serverDefault: func.abs(-5) }),
    });
    expect(ddlOf(engine, t)).toEqual([
      "CREATE TABLE account (\n\tid INTEGER NOT NULL,\n\temail VARCHAR(100) NOT NULL,\n\tstatus VARCHAR(10) DEFAULT 'new',\n\tcreated DATETIME DEFAULT CURRENT_TIMESTAMP,\n\tscore INTEGER DEFAULT (abs(-5)),\n\tPRIMARY KEY (id),\n\tUNIQUE (email)\n)",
      "CREATE INDEX ix_account_status ON account (status)",
    ]);
  });

  it("a composite primary key (no autoincrement) with a composite foreign key and referential actions", () => {
    const md = new MetaData();
    const parent = Table("parent", md, { a: column(Integer), b: column(Varchar(5)) }, PrimaryKeyConstraint("a", "b", { name: "pk_parent" }));
    const child = Table(
      "child",
      md,
      { id: column(Integer, { primaryKey: true }), pa: column(Integer), pb: column(Varchar(5)) },
      ForeignKeyConstraint(["pa", "pb"], ["parent.a", "parent.b"], { onDelete: "CASCADE", onUpdate: "SET NULL", name: "fk_child_parent" }),
    );
    expect(ddlOf(engine, parent)).toEqual([
      "CREATE TABLE parent (\n\ta INTEGER NOT NULL,\n\tb VARCHAR(5) NOT NULL,\n\tCONSTRAINT pk_parent PRIMARY KEY (a, b)\n)",
    ]);
    expect(ddlOf(engine, child)[0]).toBe(
      "CREATE TABLE child (\n\tid INTEGER NOT NULL,\n\tpa INTEGER,\n\tpb VARCHAR(5),\n\tPRIMARY KEY (id),\n\tCONSTRAINT fk_child_parent FOREIGN KEY(pa, pb) REFERENCES parent (a, b) ON DELETE CASCADE ON UPDATE SET NULL\n)",
    );
    expect(parent.c.a.autoincrement).toBe(false);
  });

  it("check and unique constraints, partial and expression indexes", () => {
    const md = new MetaData();
    const t = Table(
      "product",
      md,
      { id: column(Integer, { primaryKey: true }), sku: column(Varchar(20)), price: column(Integer), name: column(Varchar) },
      UniqueConstraint("sku", "name", { name: "uq_sku_name" }),
      CheckConstraint("price >= 0", { name: "ck_price" }),
      Index("ix_cheap", "price", { where: "price < 10" }),
    );
    const lowerName = Index("ix_lower_name", func.lower(t.c.name), { unique: true });
    expect(t.indexes).toContain(lowerName);
    expect(ddlOf(engine, t)).toEqual([
      "CREATE TABLE product (\n\tid INTEGER NOT NULL,\n\tsku VARCHAR(20),\n\tprice INTEGER,\n\tname VARCHAR,\n\tPRIMARY KEY (id),\n\tCONSTRAINT uq_sku_name UNIQUE (sku, name),\n\tCONSTRAINT ck_price CHECK (price >= 0)\n)",
      "CREATE INDEX ix_cheap ON product (price) WHERE price < 10",
      "CREATE UNIQUE INDEX ix_lower_name ON product ((lower(name)))",
    ]);
  });

  it("a CHECK constraint from an expression renders literals and bare column names", () => {
    const md = new MetaData();
    const t = Table("m", md, { id: column(Integer, { primaryKey: true }), kind: column(Varchar) });
    t.addConstraint(CheckConstraint(t.c.kind.in(["a", "b'c"]), { name: "ck_kind" }));
    expect(ddlOf(engine, t)[0]).toContain("CONSTRAINT ck_kind CHECK (kind IN ('a', 'b''c'))");
  });

  it("a foreign key to a missing column of a known table is an ArgumentError naming both; a key resolves to its name", () => {
    const md = new MetaData();
    const parent = Table("parent", md, { id: column(Integer, { primaryKey: true }), code: column(Integer, { name: "code_no", unique: true }) });
    const bad = Table("bad_child", md, { id: column(Integer, { primaryKey: true }), parent_id: column(Integer, ForeignKey("parent.nope")) });
    expect(() => ddlOf(engine, bad)).toThrow(ArgumentError);
    expect(() => ddlOf(engine, bad)).toThrow(
      /bad_child\(parent_id\) refers to parent.nope, but table "parent" has no column "nope"; its columns are id, code_no/,
    );
    const byKey = Table("by_key", md, { id: column(Integer, { primaryKey: true }), code: column(Integer, ForeignKey("parent.code")) });
    expect(ddlOf(engine, byKey).join("\n")).toContain("REFERENCES parent (code_no)");
    expect(parent.name).toBe("parent");
  });

  it("drop statements", () => {
    const md = new MetaData();
    const t = Table("gone", md, { id: column(Integer, { primaryKey: true }) });
    const ddl = engine.dialect.createDdlCompiler();
    expect(ddl.dropTable(t)).toEqual(["DROP TABLE gone"]);
    expect(ddl.dropTable(t, { ifExists: true })).toEqual(["DROP TABLE IF EXISTS gone"]);
    expect(ddl.dropIndex(t, "ix_x", { ifExists: true })).toBe("DROP INDEX IF EXISTS ix_x");
  });

  it("schema errors name what is wrong", () => {
    const md = new MetaData();
    Table("dup", md, { id: column(Integer, { primaryKey: true }) });
    expect(() => Table("dup", md, { id: column(Integer) })).toThrow(/already defined/);
    expect(() => Table("empty", md, {})).toThrow(/has no columns/);
    expect(() => Table("two", md, { a: column(Integer, { name: "x" }), b: column(Integer, { name: "x" }) })).toThrow(/two columns named "x"/);
    expect(
      () => column(Integer, { primaryKey: true, nullable: true }) && Table("pkn", md, { id: column(Integer, { primaryKey: true, nullable: true }) }),
    ).toThrow(/cannot be nullable/);
    expect(() => ForeignKey("nodot")).toThrow(ArgumentError);
    expect(() => ForeignKey("a.b", { onDelete: "EXPLODE" as never })).toThrow(/unknown referential action/);
    expect(() => Index("ix_none")).toThrow(/at least one column/);
  });
});

describe("naming conventions", () => {
  it("name every kind of constraint from templates", () => {
    const md = new MetaData({
      namingConvention: {
        ix: "ix_%(column_0_label)s",
        uq: "uq_%(table_name)s_%(column_0_N_name)s",
        ck: "ck_%(table_name)s_%(constraint_name)s",
        fk: "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        pk: "pk_%(table_name)s",
      },
    });
    Table("team", md, { id: column(Integer, { primaryKey: true }) });
    const player = Table(
      "player",
      md,
      {
        id: column(Integer, { primaryKey: true }),
        team_id: column(Integer, ForeignKey("team.id"), { index: true }),
        first: column(Varchar),
        last: column(Varchar),
        age: column(Integer),
      },
      UniqueConstraint("first", "last"),
      CheckConstraint("age > 0", { name: "positive_age" }),
    );
    const engine = createEngine("sqlite://");
    expect(engine.dialect.createDdlCompiler().createTable(player)).toEqual([
      "CREATE TABLE player (\n\tid INTEGER NOT NULL,\n\tteam_id INTEGER,\n\tfirst VARCHAR,\n\tlast VARCHAR,\n\tage INTEGER,\n\tCONSTRAINT pk_player PRIMARY KEY (id),\n\tCONSTRAINT uq_player_first_last UNIQUE (first, last),\n\tCONSTRAINT fk_player_team_id_team FOREIGN KEY(team_id) REFERENCES team (id),\n\tCONSTRAINT ck_player_positive_age CHECK (age > 0)\n)",
      "CREATE INDEX ix_player_team_id ON player (team_id)",
    ]);
  });

  it("an explicit name wins unless the template uses %(constraint_name)s; unknown tokens are errors", () => {
    const md = new MetaData({ namingConvention: { uq: "uq_%(table_name)s_%(column_0_name)s", ck: "ck_%(nope)s" } });
    const t = Table("t", md, { a: column(Integer, { primaryKey: true }) });
    expect(md.constraintName(t, UniqueConstraint("a", { name: "mine" }))).toBe("mine");
    expect(md.constraintName(t, UniqueConstraint("a"))).toBe("uq_t_a");
    expect(md.constraintName(t, CheckConstraint("a > 1", { name: "x" }))).toBe("x");
    expect(() => md.constraintName(t, CheckConstraint("a > 1"))).toThrow(/unknown token %\(nope\)s/);
  });

  it("the default convention names indexes ix_<table>_<column>", () => {
    const md = new MetaData();
    const t = Table("t", md, { a: column(Integer, { primaryKey: true, index: true }) });
    expect(
      createEngine("sqlite://")
        .dialect.createDdlCompiler()
        .allIndexes(t)
        .map((ix) => md.constraintName(t, ix)),
    ).toEqual(["ix_t_a"]);
  });
});

describe("createAll / dropAll", () => {
  function schema() {
    const md = new MetaData();
    // Declared children first: createAll must still create parents first.
    const grandchild = Table("grandchild", md, {
      id: column(Integer, { primaryKey: true }),
      child_id: column(Integer, ForeignKey("child.id", { onDelete: "CASCADE" })),
    });
    const child = Table("child", md, {
      id: column(Integer, { primaryKey: true }),
      parent_id: column(Integer, ForeignKey("parent.id", { onDelete: "CASCADE" })),
    });
    const parent = Table("parent", md, { id: column(Integer, { primaryKey: true }), name: column(Varchar) });
    const selfRef = Table("node", md, { id: column(Integer, { primaryKey: true }), parent_id: column(Integer, ForeignKey("node.id")) });
    return { md, parent, child, grandchild, selfRef };
  }

  it("orders tables by dependency, skips what exists, and drops children first", async () => {
    const { md } = schema();
    const order = md.sortedTables.map((t) => t.name);
    expect(order).toHaveLength(4);
    expect(order.indexOf("parent")).toBeLessThan(order.indexOf("child"));
    expect(order.indexOf("child")).toBeLessThan(order.indexOf("grandchild"));
    const log: string[] = [];
    const engine = createEngine("sqlite://", { echo: true, logger: (l) => log.push(l) });
    await engine.execute(text("CREATE TABLE node (id INTEGER PRIMARY KEY, parent_id INTEGER)"));
    log.length = 0;
    await md.createAll(engine);
    expect(log.filter((l) => l.startsWith("CREATE TABLE")).map((l) => l.split(" ")[2])).toEqual(["parent", "child", "grandchild"]);
    expect(await engine.inspector().getTableNames()).toEqual(["child", "grandchild", "node", "parent"]);
    await md.createAll(engine); // everything exists: nothing to do
    log.length = 0;
    await md.dropAll(engine);
    expect(log.filter((l) => l.startsWith("DROP TABLE"))).toEqual([...order].reverse().map((n) => `DROP TABLE ${n}`));
    expect(await engine.inspector().getTableNames()).toEqual([]);
    await md.dropAll(engine); // nothing left: nothing to do
    await engine.dispose();
  });

  it("checkFirst: false fails on an existing table; tables: [...] limits the work", async () => {
    const { md } = schema();
    const engine = createEngine("sqlite://");
    await md.createAll(engine, { tables: ["parent"] });
    expect(await engine.inspector().getTableNames()).toEqual(["parent"]);
    await expect(md.createAll(engine, { checkFirst: false })).rejects.toThrow(/table parent already exists/);
    expect(await engine.inspector().getTableNames()).toEqual(["parent"]); // the failed createAll was rolled back
    await expect(md.createAll(engine, { tables: ["nope"] })).rejects.toThrow(/no table "nope"/);
    await engine.dispose();
  });

  it("foreign keys are enforced, with ON DELETE CASCADE", async () => {
    const { md, parent, child, grandchild } = schema();
    const engine = createEngine("sqlite://");
    await md.createAll(engine);
    await expect(engine.execute(insert(child).values({ id: 1, parent_id: 42 }))).rejects.toThrow(IntegrityError);
    await engine.execute(insert(parent).values({ id: 1, name: "p" }));
    await engine.execute(insert(child).values({ id: 1, parent_id: 1 }));
    await engine.execute(insert(grandchild).values({ id: 1, child_id: 1 }));
    await engine.execute(text("DELETE FROM parent"));
    expect((await engine.execute(select(grandchild.c.id))).all()).toEqual([]);
    await engine.dispose();
  });
});
