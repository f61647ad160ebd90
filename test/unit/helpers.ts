/**
 * Shared by the unit tests: golden SQL for SQLite and for the generic `String(stmt)` rendering, and the tutorial's
 * tables on an in-memory SQLite engine.
 */
import { ArgumentError, column, createEngine, type Engine, ForeignKey, Integer, insert, MetaData, Table, Varchar } from "crucible";
import { SqliteDialect } from "crucible/sqlite";
import { expect } from "vitest";
import { bindParams } from "../../src/sql/compiler/compiled.js";

const sqliteDialect = new SqliteDialect();

/** A statement (or expression) as SQLite gets it: SQL text and driver parameters. */
export function sqlite(stmt: { readonly node: unknown }, params?: Record<string, unknown>): { sql: string; params: unknown[] } {
  const { compiled, binds } = sqliteDialect.statementCache.compile(stmt.node as never);
  try {
    return bindParams(compiled, binds, params, sqliteDialect);
  } catch (e) {
    // Named parameters without values (bindparam("x") given only at execute()): show the SQL with its placeholders.
    if (e instanceof ArgumentError && /no value for the parameter/.test(e.message)) return { sql: compiled.parts.join("?"), params: [] };
    throw e;
  }
}

/** Asserts the exact SQL for SQLite and for `String(stmt)` (the same string when only one is given), and the parameters. */
export function expectSql(stmt: { readonly node: unknown }, sqliteSql: string, genericSql: string = sqliteSql, params?: unknown[]): void {
  const got = sqlite(stmt);
  expect(got.sql).toBe(sqliteSql);
  expect(String(stmt)).toBe(genericSql);
  if (params !== undefined) expect(got.params).toEqual(params);
}

/** The Core tutorial's schema: user_account and address. */
export function tutorialSchema(metadata = new MetaData()) {
  const userTable = Table("user_account", metadata, {
    id: column(Integer, { primaryKey: true }),
    name: column(Varchar(30)),
    fullname: column(Varchar),
  });
  const addressTable = Table("address", metadata, {
    id: column(Integer, { primaryKey: true }),
    user_id: column(Integer, ForeignKey("user_account.id"), { nullable: false }),
    email_address: column(Varchar, { nullable: false }),
  });
  return { metadata, userTable, addressTable };
}

export type TutorialDb = ReturnType<typeof tutorialSchema> & { engine: Engine };

/** An in-memory SQLite engine with the tutorial's rows: spongebob, sandy, patrick and their addresses. */
export async function tutorialDb(): Promise<TutorialDb> {
  const schema = tutorialSchema();
  const engine = createEngine("sqlite://");
  await schema.metadata.createAll(engine);
  await engine.begin(async (conn) => {
    await conn.execute(
      insert(schema.userTable).values([
        { name: "spongebob", fullname: "Spongebob Squarepants" },
        { name: "sandy", fullname: "Sandy Cheeks" },
        { name: "patrick", fullname: "Patrick Star" },
      ]),
    );
    await conn.execute(
      insert(schema.addressTable).values([
        { user_id: 1, email_address: "spongebob@sqlalchemy.org" },
        { user_id: 2, email_address: "sandy@sqlalchemy.org" },
        { user_id: 2, email_address: "sandy@squirrelpower.org" },
      ]),
    );
  });
  return { ...schema, engine };
}

/** Rows as plain arrays (Row objects are tuples with named getters). */
export function tuples(rows: Iterable<Iterable<unknown>>): unknown[][] {
  return [...rows].map((r) => [...r]);
}
