import {
  ArgumentError,
  CheckConstraint,
  CompileError,
  CrucibleError,
  column,
  createEngine,
  DataError,
  DBAPIError,
  type Engine,
  ForeignKey,
  Integer,
  IntegrityError,
  insert,
  inspect,
  MetaData,
  OperationalError,
  ProgrammingError,
  select,
  Table,
  text,
  Varchar,
} from "crucible";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const md = new MetaData();
const parent = Table("parent", md, { id: column(Integer, { primaryKey: true }), code: column(Varchar(5), { unique: true, nullable: false }) });
const child = Table(
  "child",
  md,
  { id: column(Integer, { primaryKey: true }), parent_id: column(Integer, ForeignKey("parent.id")), qty: column(Integer) },
  CheckConstraint("qty > 0", { name: "ck_child_qty" }),
);

let engine: Engine;
beforeAll(async () => {
  engine = createEngine("sqlite://");
  await md.createAll(engine);
  await engine.execute(insert(parent).values({ id: 1, code: "a" }));
});
afterAll(() => engine.dispose());

async function failure(stmt: Parameters<Engine["execute"]>[0], params?: Record<string, unknown>): Promise<DBAPIError> {
  const e = await engine.execute(stmt, params).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(DBAPIError);
  return e as DBAPIError;
}

describe("driver errors are wrapped with the SQL and parameters", () => {
  it("a unique violation is an IntegrityError naming the constraint", async () => {
    const e = await failure(insert(parent).values({ id: 2, code: "a" }));
    expect(e).toBeInstanceOf(IntegrityError);
    expect(e.constraint).toBe("parent.code");
    expect(e.code).toBe("SQLITE_CONSTRAINT_UNIQUE");
    expect(e.sql).toBe("INSERT INTO parent (id, code) VALUES (?, ?)");
    expect(e.params).toEqual([2, "a"]);
    expect(e.message).toBe("(sqlite) UNIQUE constraint failed: parent.code\n[SQL: INSERT INTO parent (id, code) VALUES (?, ?)]\n[parameters: (2, 'a')]");
    expect((e.cause as Error).message).toBe("UNIQUE constraint failed: parent.code");
    expect(e.retryable).toBe(false);
  });

  it("check, not-null, primary key and foreign key violations are IntegrityErrors", async () => {
    const check = await failure(insert(child).values({ id: 1, qty: 0 }));
    expect(check).toBeInstanceOf(IntegrityError);
    expect(check.constraint).toBe("ck_child_qty");
    const notNull = await failure(insert(parent).values({ id: 3, code: null as never }));
    expect(notNull).toBeInstanceOf(IntegrityError);
    expect(notNull.constraint).toBe("parent.code");
    const pk = await failure(insert(parent).values({ id: 1, code: "zz" }));
    expect(pk).toBeInstanceOf(IntegrityError);
    expect(pk.constraint).toBe("parent.id");
    const fk = await failure(insert(child).values({ id: 1, parent_id: 99, qty: 1 }));
    expect(fk).toBeInstanceOf(IntegrityError);
    expect(fk.code).toBe("SQLITE_CONSTRAINT_FOREIGNKEY");
  });

  it("SQL errors are ProgrammingErrors", async () => {
    const e = await failure(text("SELEC 1"));
    expect(e).toBeInstanceOf(ProgrammingError);
    expect(e.message).toContain('near "SELEC": syntax error');
    expect(await failure(text("SELECT nope FROM parent"))).toBeInstanceOf(ProgrammingError);
  });

  it("a wrong parameter count is a ProgrammingError, too big a value a DataError", async () => {
    await using conn = await engine.connect();
    const e = await conn.execDriverSql("SELECT ?", []).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ProgrammingError);
    const big = await conn.execDriverSql("SELECT zeroblob(?)", [2_000_000_000]).catch((x: unknown) => x);
    expect(big).toBeInstanceOf(DataError);
  });

  it("a long parameter list is shortened in the message", async () => {
    const e = await failure(
      text(`SELECT ${Array.from({ length: 12 }, (_, i) => `:p${i}`).join(", ")} FROM nowhere`),
      Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`p${i}`, i])),
    );
    expect(e.message).toContain("[parameters: (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ... 2 more)]");
  });

  it("the connection stays usable after an error", async () => {
    await using conn = await engine.connect();
    await expect(conn.execute(text("SELEC 1"))).rejects.toThrow(ProgrammingError);
    expect((await conn.execute(select(parent.c.code))).scalars()).toEqual(["a"]);
  });
});

describe("the error hierarchy", () => {
  it("every error is a CrucibleError with its class name", () => {
    for (const E of [ArgumentError, CompileError, IntegrityError, OperationalError, ProgrammingError, DataError]) {
      const e = new E("x");
      expect(e).toBeInstanceOf(CrucibleError);
      expect(e.name).toBe(E.name);
    }
    expect(new IntegrityError("x")).toBeInstanceOf(DBAPIError);
  });

  it("a wrong argument is named by its kind in the message (one wording everywhere)", () => {
    expect(() => select(new Map() as never)).toThrow(/select\(\) cannot select an object of class Map: pass columns/);
    expect(() => select("name" as never)).toThrow(/cannot select string "name"/);
    expect(() => inspect("sqlite://" as never)).toThrow(/inspect\(\) takes an Engine \(from createEngine\(\)\), got string "sqlite:\/\/"/);
    expect(() => inspect({} as never)).toThrow(/got an object of class Object/);
  });

  it("compile errors name the construct and the dialect", () => {
    const lateral = select(parent.c.id).lateral("l");
    expect(() => engine.dialect.statementCache.compile(select(lateral.c.id).node)).toThrow(CompileError);
    expect(() => engine.dialect.statementCache.compile(select(lateral.c.id).node)).toThrow(/LATERAL subqueries are not supported by the sqlite dialect/);
    expect(() => engine.dialect.statementCache.compile(select(parent.c.id).distinctOn(parent.c.id).node)).toThrow(/sqlite dialect/);
  });

  it("undefined is not a SQL value", () => {
    expect(() => parent.c.code.eq(undefined as never)).toThrow(/undefined cannot be used as a SQL value/);
  });
});
