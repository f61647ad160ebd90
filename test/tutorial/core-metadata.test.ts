/**
 * The Core tutorial's "Working with Database Metadata": MetaData, Table, Column, constraints, emitting DDL and
 * reflecting a table.
 */
import { column, createEngine, ForeignKey, Integer, MetaData, String, Table, text } from "crucible";
import { afterAll, describe, expect, it } from "vitest";

const engine = createEngine("sqlite://", { echo: true, logger: (l) => log.push(l) });
const log: string[] = [];
afterAll(() => engine.dispose());

const metadataObj = new MetaData();
const userTable = Table("user_account", metadataObj, {
  id: column(Integer, { primaryKey: true }),
  name: column(String(30)),
  fullname: column(String),
});
const addressTable = Table("address", metadataObj, {
  id: column(Integer, { primaryKey: true }),
  user_id: column(Integer, ForeignKey("user_account.id"), { nullable: false }),
  email_address: column(String, { nullable: false }),
});

describe("Working with Database Metadata", () => {
  it("components of Table: .c, keys, primary key", () => {
    expect(`${userTable.c.name}`).toBe("user_account.name");
    expect(Object.keys(userTable.c)).toEqual(["id", "name", "fullname"]);
    expect(userTable.primaryKeyColumns.map((c) => c.name)).toEqual(["id"]);
    expect(userTable.c.name.type.toString()).toBe("VARCHAR(30)");
  });

  it("declaring simple constraints: the foreign key of address", () => {
    expect(addressTable.foreignKeys.map((fk) => [fk.columns, fk.refColumns])).toEqual([[["user_id"], ["user_account.id"]]]);
    expect(addressTable.c.user_id.nullable).toBe(false);
  });

  it("emitting DDL: create_all emits the tutorial's CREATE TABLE statements in one transaction", async () => {
    await metadataObj.createAll(engine);
    const statements = log.filter((l) => /^(BEGIN|CREATE|COMMIT)/.test(l));
    expect(statements).toEqual([
      "BEGIN (implicit)",
      "CREATE TABLE user_account (\n\tid INTEGER NOT NULL,\n\tname VARCHAR(30),\n\tfullname VARCHAR,\n\tPRIMARY KEY (id)\n)",
      "CREATE TABLE address (\n\tid INTEGER NOT NULL,\n\tuser_id INTEGER NOT NULL,\n\temail_address VARCHAR NOT NULL,\n\tPRIMARY KEY (id),\n\tFOREIGN KEY(user_id) REFERENCES user_account (id)\n)",
      "COMMIT",
    ]);
    expect(log.filter((l) => l.startsWith("SELECT 1 FROM sqlite_master"))).toHaveLength(2);
  });

  it("table reflection: some_table from the database", async () => {
    await engine.execute(text("CREATE TABLE some_table (x int, y int)"));
    const md = new MetaData();
    const [someTable] = await md.reflect(engine, { only: ["some_table"] });
    expect(someTable.name).toBe("some_table");
    expect(Object.keys(someTable.c)).toEqual(["x", "y"]);
    expect(someTable.columns.map((c) => [c.name, c.type.kind, c.nullable])).toEqual([
      ["x", "integer", true],
      ["y", "integer", true],
    ]);
  });

  it("drop_all removes them again", async () => {
    await metadataObj.dropAll(engine);
    expect(await engine.inspector().getTableNames()).toEqual(["some_table"]);
  });
});
