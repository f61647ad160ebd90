/** Errors on every dialect: the same Crucible error classes for the same mistakes. */
import {
  CheckConstraint,
  column,
  DBAPIError,
  ForeignKey,
  Integer,
  IntegrityError,
  insert,
  MetaData,
  ProgrammingError,
  select,
  Table,
  text,
  Varchar,
} from "crucible";
import { afterAll, beforeAll, expect, it } from "vitest";
import { forEachTarget } from "./dialects.js";

forEachTarget("errors", (ctx) => {
  const md = new MetaData();
  const parent = Table(ctx.name("cx_err_parent"), md, {
    id: column(Integer, { primaryKey: true, autoincrement: false }),
    code: column(Varchar(10), { nullable: false, unique: true }),
  });
  const child = Table(
    ctx.name("cx_err_child"),
    md,
    { id: column(Integer, { primaryKey: true, autoincrement: false }), parent_id: column(Integer, ForeignKey(`${parent.name}.id`)), qty: column(Integer) },
    CheckConstraint("qty > 0", { name: ctx.name("ck_qty") }),
  );
  beforeAll(async () => {
    await md.createAll(ctx.engine);
    await ctx.engine.execute(insert(parent).values({ id: 1, code: "a" }));
  });
  afterAll(() => md.dropAll(ctx.engine));

  const failure = async (stmt: Parameters<typeof ctx.engine.execute>[0]) => {
    const e = await ctx.engine.execute(stmt).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DBAPIError);
    return e as DBAPIError;
  };

  it("unique, primary key, not-null, foreign key and check violations are IntegrityErrors with the SQL and parameters", async () => {
    const unique = await failure(insert(parent).values({ id: 2, code: "a" }));
    expect(unique).toBeInstanceOf(IntegrityError);
    expect(unique.constraint).toBeTruthy();
    expect(unique.sql).toContain("INSERT INTO");
    expect(unique.params).toContain("a");
    expect(unique.cause).toBeDefined();
    expect(await failure(insert(parent).values({ id: 1, code: "b" }))).toBeInstanceOf(IntegrityError);
    expect(await failure(insert(parent).values({ id: 3, code: null as never }))).toBeInstanceOf(IntegrityError);
    expect(await failure(insert(child).values({ id: 1, parent_id: 99, qty: 1 }))).toBeInstanceOf(IntegrityError);
    const check = await failure(insert(child).values({ id: 2, parent_id: 1, qty: 0 }));
    expect(check).toBeInstanceOf(IntegrityError);
  });

  it("SQL mistakes are ProgrammingErrors", async () => {
    expect(await failure(text("SELEC 1"))).toBeInstanceOf(ProgrammingError);
    expect(await failure(text(`SELECT nope FROM ${parent.name}`))).toBeInstanceOf(ProgrammingError);
    expect(await failure(text("SELECT * FROM no_such_table_anywhere"))).toBeInstanceOf(ProgrammingError);
  });

  it("after an error and a rollback the connection works", async () => {
    await using conn = await ctx.engine.connect();
    await expect(conn.execute(insert(parent).values({ id: 1, code: "dup" }))).rejects.toThrow(IntegrityError);
    await conn.rollback();
    expect((await conn.execute(select(parent.c.code))).scalars()).toEqual(["a"]);
  });
});
