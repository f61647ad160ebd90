/**
 * Error translation: constraint violations name their constraint, SQLSTATE classes map to the hierarchy, lost
 * connections are DisconnectErrors, and every DBAPIError keeps the SQL and its parameters.
 */
import {
  ArgumentError,
  CheckConstraint,
  column,
  createEngine,
  DataError,
  DBAPIError,
  DeadlockError,
  DisconnectError,
  type Engine,
  ForeignKey,
  Integer,
  IntegrityError,
  MetaData,
  OperationalError,
  ProgrammingError,
  Table,
  text,
  Varchar,
} from "crucible";
import { insert } from "crucible/postgresql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { translatePostgresError } from "../../src/dialects/postgresql/errors.js";
import { engineFor, TARGETS, uniqueName } from "./targets.js";

const translate = (error: unknown) => translatePostgresError({ error, sql: "SELECT 1", params: [1] });

describe("translatePostgresError", () => {
  it("maps SQLSTATEs to the hierarchy", () => {
    const deadlock = translate({ code: "40P01", message: "deadlock detected" });
    expect(deadlock).toBeInstanceOf(DeadlockError);
    expect(deadlock.retryable).toBe(true);
    expect(translate({ code: "40001", message: "could not serialize access" })).toBeInstanceOf(DeadlockError);
    for (const code of ["57P01", "57P02", "57P03", "08006"])
      expect(translate({ code, message: "terminating connection" }), code).toBeInstanceOf(DisconnectError);
    expect(translate({ code: "57014", message: "canceling statement due to statement timeout" })).toBeInstanceOf(OperationalError);
    expect(translate({ code: "57014", message: "x" })).not.toBeInstanceOf(DisconnectError);
    expect(translate({ code: "55P03", message: "could not obtain lock" })).toBeInstanceOf(OperationalError);
    expect(translate({ code: "42601", message: "syntax error" })).toBeInstanceOf(ProgrammingError);
    expect(translate({ code: "42P01", message: "relation does not exist" })).toBeInstanceOf(ProgrammingError);
    expect(translate({ code: "22003", message: "integer out of range" })).toBeInstanceOf(DataError);
    const unique = translate({ code: "23505", message: "duplicate key", constraint: "uq_email", detail: "Key (email)=(a) already exists." });
    expect(unique).toBeInstanceOf(IntegrityError);
    expect((unique as IntegrityError).constraint).toBe("uq_email");
    expect(unique.message).toContain("DETAIL: Key (email)=(a) already exists.");
    const other = translate({ code: "XX000", message: "internal error" });
    expect(other.constructor).toBe(DBAPIError);
  });

  it("recognizes lost connections by socket code and by node-postgres's messages", () => {
    for (const error of [
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }),
      Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }),
      new Error("Connection terminated unexpectedly"),
      new Error("Client has encountered a connection error and is not queryable"),
      new Error("Client was closed and is not queryable"),
      new Error("PGlite is closed"),
    ])
      expect(translate(error), error.message).toBeInstanceOf(DisconnectError);
    expect(translate(new TypeError("bad value"))).toBeInstanceOf(ProgrammingError);
  });

  it("keeps the SQL and the parameters in the message", () => {
    const e = translatePostgresError({
      error: { code: "42703", message: 'column "nope" does not exist' },
      sql: "SELECT nope FROM t WHERE id = $1",
      params: [7],
    });
    expect(e.message).toBe('(postgresql) column "nope" does not exist\n[SQL: SELECT nope FROM t WHERE id = $1]\n[parameters: (7)]');
    expect((e as DBAPIError).code).toBe("42703");
  });
});

describe("connection problems", () => {
  it("an unreachable server is a DisconnectError", async () => {
    const engine = createEngine("postgresql://postgres@127.0.0.1:1/test");
    try {
      await expect(engine.connect()).rejects.toBeInstanceOf(DisconnectError);
    } finally {
      await engine.dispose();
    }
  });

  it("unknown drivers and URL parameters are ArgumentErrors that say what is valid", async () => {
    // Already at createEngine(), before any connection.
    expect(() => createEngine("postgresql+psycopg://u@h/db")).toThrow(/unknown postgresql driver "psycopg".*postgresql\+pglite:\/\//);
    await expect(createEngine("postgresql://u@127.0.0.1/db?colour=red").connect()).rejects.toThrow(ArgumentError);
    await expect(createEngine("postgresql://u@127.0.0.1/db?colour=red").connect()).rejects.toThrow(/application_name, sslmode/);
  });
});

for (const target of TARGETS) {
  describe.skipIf(!target.available)(`errors from the database (${target.name})`, () => {
    let engine: Engine;
    const md = new MetaData();
    const parent = Table(uniqueName("parent"), md, { id: column(Integer, { primaryKey: true }) });
    const child = Table(
      uniqueName("child"),
      md,
      {
        id: column(Integer, { primaryKey: true }),
        parentId: column(Integer, ForeignKey(`${parent.name}.id`), { name: "parent_id" }),
        email: column(Varchar(20), { nullable: false }),
        qty: column(Integer),
      },
      CheckConstraint("qty > 0", { name: `${parent.name}_positive_qty` }),
    );
    beforeAll(async () => {
      engine = engineFor(target);
      await md.createAll(engine);
      await engine.execute(text(`ALTER TABLE ${child.name} ADD CONSTRAINT ${child.name}_uq_email UNIQUE (email)`));
      await engine.execute(insert(parent).values({ id: 1 }));
      await engine.execute(insert(child).values({ id: 1, parentId: 1, email: "a@x", qty: 1 }));
    });
    afterAll(async () => {
      await md.dropAll(engine);
      await engine.dispose();
    });

    async function failure(values: Record<string, unknown>): Promise<IntegrityError> {
      const e = await engine.execute(insert(child).values(values as never)).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(IntegrityError);
      return e as IntegrityError;
    }

    it("unique violations name the constraint", async () => {
      const e = await failure({ id: 2, email: "a@x" });
      expect(e.constraint).toBe(`${child.name}_uq_email`);
      expect(e.code).toBe("23505");
      expect(e.message).toContain(`[SQL: INSERT INTO ${child.name} (id, email) VALUES ($1, $2)]`);
      expect(e.message).toContain("[parameters: (2, 'a@x')]");
      expect((await failure({ id: 1, email: "b@x" })).constraint).toBe(`${child.name}_pkey`);
    });

    it("foreign key, not-null and check violations", async () => {
      const fk = await failure({ id: 3, parentId: 99, email: "c@x" });
      expect([fk.code, fk.constraint]).toEqual(["23503", `${child.name}_parent_id_fkey`]);
      const nn = await failure({ id: 4, email: null });
      expect(nn.code).toBe("23502");
      expect(nn.message).toMatch(/null value in column "email"/);
      const ck = await failure({ id: 5, email: "d@x", qty: 0 });
      expect([ck.code, ck.constraint]).toEqual(["23514", `${parent.name}_positive_qty`]);
    });

    it("programming and data errors", async () => {
      await expect(engine.execute(text("SELECT * FROM no_such_table_anywhere"))).rejects.toBeInstanceOf(ProgrammingError);
      await expect(engine.execute(text("SELEC 1"))).rejects.toBeInstanceOf(ProgrammingError);
      await expect(engine.execute(text("SELECT CAST(:v AS integer)"), { v: "abc" })).rejects.toBeInstanceOf(DataError);
      await expect(engine.execute(text("SELECT 1 / 0"))).rejects.toBeInstanceOf(DataError);
    });

    it("the engine stays usable after errors", async () => {
      await failure({ id: 1, email: "zz@x" });
      expect((await engine.execute(text(`SELECT count(*) FROM ${child.name}`))).scalar()).toBe(1);
    });
  });
}
