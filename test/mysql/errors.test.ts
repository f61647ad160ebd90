/**
 * Error translation: server errors into IntegrityError (with the constraint's name), DataError, ProgrammingError,
 * TimeoutError; network errors into DisconnectError / OperationalError.
 */
import {
  ArgumentError,
  CheckConstraint,
  column,
  createEngine,
  DataError,
  DisconnectError,
  delete_,
  ForeignKey,
  Integer,
  IntegrityError,
  insert,
  MetaData,
  OperationalError,
  ProgrammingError,
  SmallInteger,
  select,
  Table,
  TimeoutError,
  UniqueConstraint,
  update,
  Varchar,
} from "crucible";
import { translateMysqlError } from "crucible/mysql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importMysql2 } from "../../src/dialects/mysql/drivers/mysql2.js";
import { mysqlEngine, serverAvailable, uniqueName } from "./server.js";

/** Runs `fn` and returns what it threw. */
async function thrown(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

describe("translateMysqlError", () => {
  const t = (error: object) => translateMysqlError({ error, sql: "SELECT 1", params: [] });
  it("names the violated key in MariaDB's and MySQL 8's messages", () => {
    const maria = t({ errno: 1062, code: "ER_DUP_ENTRY", sqlMessage: "Duplicate entry 'x' for key 'uq_name'" });
    expect(maria).toBeInstanceOf(IntegrityError);
    expect((maria as IntegrityError).constraint).toBe("uq_name");
    expect((maria as IntegrityError).code).toBe("ER_DUP_ENTRY");
    expect((t({ errno: 1062, sqlMessage: "Duplicate entry 'x' for key 'users.uq_name'" }) as IntegrityError).constraint).toBe("uq_name");
    expect((t({ errno: 3819, sqlMessage: "Check constraint 'ck_price' is violated." }) as IntegrityError).constraint).toBe("ck_price");
    expect(
      (
        t({
          errno: 1452,
          sqlMessage:
            "Cannot add or update a child row: a foreign key constraint fails (`test`.`child`, CONSTRAINT `fk_parent` FOREIGN KEY (`pid`) REFERENCES `parent` (`id`))",
        }) as IntegrityError
      ).constraint,
    ).toBe("fk_parent");
  });
  it("network and lost-connection errors are DisconnectError, connection refused an OperationalError", () => {
    for (const e of [
      { code: "PROTOCOL_CONNECTION_LOST", fatal: true, message: "Connection lost: The server closed the connection." },
      { code: "ECONNRESET", message: "read ECONNRESET" },
      { errno: 2013, message: "Lost connection to MySQL server during query" },
      { errno: 1927, sqlMessage: "Connection was killed" },
      { errno: 1053, sqlMessage: "Server shutdown in progress" },
      { fatal: true, message: "Can't add new command when connection is in closed state" },
    ]) {
      const err = t(e);
      expect(err).toBeInstanceOf(DisconnectError);
      expect(err.retryable).toBe(true);
    }
    const refused = t({ code: "ECONNREFUSED", message: "connect ECONNREFUSED 127.0.0.1:1" });
    // Unreachable is retryable (a restarting server comes back), as on PostgreSQL; the message says what to check.
    expect(refused).toBeInstanceOf(DisconnectError);
    expect(refused.retryable).toBe(true);
    expect(refused.message).toMatch(/cannot reach the MySQL\/MariaDB server/);
  });
  it("deadlocks and lock wait timeouts are retryable", () => {
    expect(t({ errno: 1213, sqlMessage: "Deadlock found when trying to get lock" }).retryable).toBe(true);
    const timeout = t({ errno: 1205, sqlMessage: "Lock wait timeout exceeded; try restarting transaction" });
    expect(timeout).toBeInstanceOf(TimeoutError);
    expect(timeout).toBeInstanceOf(OperationalError);
    expect(timeout.retryable).toBe(true);
  });
  it("a missing mysql2 package is an ArgumentError that says how to install it", async () => {
    const e = await thrown(() => importMysql2("mysql2-not-installed-anywhere/promise"));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(/npm install mysql2/);
  });
  it("an unreachable server is an OperationalError naming the fix", async () => {
    const engine = createEngine("mysql://root@127.0.0.1:1/test", { connectArgs: { connectTimeout: 2000 } });
    try {
      const e = await thrown(() => engine.connect());
      expect(e).toBeInstanceOf(OperationalError);
      expect(e.message).toMatch(/ECONNREFUSED.*check the host and port/);
    } finally {
      await engine.dispose();
    }
  });
});

describe.skipIf(!serverAvailable)("MySQL errors from the server", () => {
  const prefix = `${uniqueName("err")}_`;
  const engine = mysqlEngine();
  const md = new MetaData();
  const parents = Table(
    `${prefix}parent`,
    md,
    { id: column(Integer, { primaryKey: true }), name: column(Varchar(5), { nullable: false }) },
    UniqueConstraint("name", { name: `${prefix}uq_parent_name` }),
  );
  const children = Table(
    `${prefix}child`,
    md,
    {
      id: column(Integer, { primaryKey: true }),
      parent_id: column(Integer, ForeignKey(`${prefix}parent.id`, { name: `${prefix}fk_child_parent` })),
      qty: column(SmallInteger),
    },
    CheckConstraint("qty >= 0", { name: `${prefix}ck_qty` }),
  );
  beforeAll(async () => {
    await md.createAll(engine);
    await engine.execute(insert(parents).values({ id: 1, name: "a" }));
    await engine.execute(insert(children).values({ id: 1, parent_id: 1, qty: 1 }));
  });
  afterAll(async () => {
    await md.dropAll(engine);
    await engine.dispose();
  });

  it("a duplicate key is an IntegrityError naming the key", async () => {
    const e = await thrown(() => engine.execute(insert(parents).values({ id: 2, name: "a" })));
    expect(e).toBeInstanceOf(IntegrityError);
    expect((e as IntegrityError).constraint).toBe(`${prefix}uq_parent_name`);
    expect(e.message).toMatch(/Duplicate entry 'a'/);
    expect(e.message).toContain(`INSERT INTO ${parents.name}`);
    const pk = await thrown(() => engine.execute(insert(parents).values({ id: 1, name: "b" })));
    expect((pk as IntegrityError).constraint).toBe("PRIMARY");
  });

  it("foreign keys: a missing parent and a referenced parent", async () => {
    const missing = await thrown(() => engine.execute(insert(children).values({ id: 2, parent_id: 99 })));
    expect(missing).toBeInstanceOf(IntegrityError);
    expect((missing as IntegrityError).constraint).toBe(`${prefix}fk_child_parent`);
    const referenced = await thrown(() => engine.execute(delete_(parents).where(parents.c.id.eq(1))));
    expect(referenced).toBeInstanceOf(IntegrityError);
    expect((referenced as IntegrityError).constraint).toBe(`${prefix}fk_child_parent`);
  });

  it("NOT NULL and CHECK violations", async () => {
    const notNull = await thrown(() =>
      engine.execute(
        update(parents)
          .values({ name: null as unknown as string })
          .where(parents.c.id.eq(1)),
      ),
    );
    expect(notNull).toBeInstanceOf(IntegrityError);
    expect(notNull.message).toMatch(/cannot be null/);
    const check = await thrown(() => engine.execute(insert(children).values({ id: 3, parent_id: 1, qty: -1 })));
    expect(check).toBeInstanceOf(IntegrityError);
    expect((check as IntegrityError).constraint).toBe(`${prefix}ck_qty`);
  });

  it("values that do not fit are DataErrors", async () => {
    expect(await thrown(() => engine.execute(insert(parents).values({ id: 5, name: "too long" })))).toBeInstanceOf(DataError);
    expect(await thrown(() => engine.execute(insert(children).values({ id: 5, parent_id: 1, qty: 70000 })))).toBeInstanceOf(DataError);
  });

  it("wrong SQL is a ProgrammingError", async () => {
    await using conn = await engine.connect();
    expect(await thrown(() => conn.execDriverSql("SELEC 1"))).toBeInstanceOf(ProgrammingError);
    await conn.rollback();
    expect(await thrown(() => conn.execDriverSql(`SELECT * FROM ${prefix}nowhere`))).toBeInstanceOf(ProgrammingError);
    await conn.rollback();
    expect(await thrown(() => conn.execDriverSql(`SELECT nothing FROM ${parents.name}`))).toBeInstanceOf(ProgrammingError);
  });

  it("a lock wait timeout is a retryable TimeoutError; the transaction stays usable", async () => {
    await using holder = await engine.connect();
    await using waiter = await engine.connect();
    await holder.execute(update(parents).values({ name: "held" }).where(parents.c.id.eq(1)));
    await waiter.execDriverSql("SET SESSION innodb_lock_wait_timeout = 1");
    const e = await thrown(() => waiter.execute(update(parents).values({ name: "wait" }).where(parents.c.id.eq(1))));
    expect(e).toBeInstanceOf(TimeoutError);
    expect((e as TimeoutError).retryable).toBe(true);
    await holder.rollback();
    expect((await waiter.execute(select(parents.c.name).where(parents.c.id.eq(1)))).scalar()).toBe("a");
    await waiter.rollback();
  });
});
