/**
 * Golden DDL of the MySQL DDL compiler, then the same DDL run on the server.
 */
import { CompileError, column, func, Index, Integer, insert, inspect, Json, MetaData, select, Table, Text, Varchar } from "crucible";
import { afterAll, describe, expect, it } from "vitest";
import { mariadb, mysql8 } from "./golden.js";
import { everyTypeTable, quickstartTables } from "./schema.js";
import { mysqlEngine, serverAvailable, tuples, uniqueName } from "./server.js";

const ddl = mariadb.createDdlCompiler();

describe("MySQL DDL: golden", () => {
  it("the quickstart's tables: a String without length is TEXT, AUTO_INCREMENT keys, InnoDB utf8mb4", () => {
    const { users, addresses } = quickstartTables();
    expect(ddl.createTable(users)).toEqual([
      "CREATE TABLE user_account (\n\tid INTEGER NOT NULL AUTO_INCREMENT,\n\tname VARCHAR(30),\n\tfullname TEXT,\n\tPRIMARY KEY (id)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
    ]);
    expect(ddl.createTable(addresses)).toEqual([
      "CREATE TABLE address (\n\tid INTEGER NOT NULL AUTO_INCREMENT,\n\temail_address TEXT NOT NULL,\n\tuser_id INTEGER NOT NULL,\n\tPRIMARY KEY (id),\n\tFOREIGN KEY(user_id) REFERENCES user_account (id)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
    ]);
  });

  it("every type, comments, defaults, native and CHECK enums, constraints and indexes", () => {
    expect(ddl.createTable(everyTypeTable())).toEqual([
      `CREATE TABLE every_type (
	id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'the key\\'s comment',
	small SMALLINT,
	f FLOAT,
	d DOUBLE,
	n DECIMAL(30, 10) DEFAULT 0,
	b BOOL DEFAULT 1 NOT NULL,
	s VARCHAR(20),
	s2 VARCHAR(255),
	t TEXT,
	day DATE,
	ts DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6),
	tstz DATETIME(6),
	tm TIME(6),
	bin LONGBLOB,
	doc JSON,
	u CHAR(36),
	mood ENUM('happy', 'it\\'s'),
	mood2 VARCHAR(1),
	PRIMARY KEY (id),
	UNIQUE (s),
	CONSTRAINT uq_s2_s UNIQUE (s2, s),
	CONSTRAINT ck_positive CHECK (n > 0),
	CONSTRAINT ck_mood2 CHECK (mood2 IN ('a', 'b'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='every type'`,
      "CREATE INDEX ix_every_type_s2 ON every_type (s2)",
      "CREATE INDEX ix_small_s2 ON every_type (small, s2)",
    ]);
  });

  it("a String without length in a key or index is VARCHAR(255)", () => {
    const md = new MetaData();
    const t = Table("keyed", md, { code: column(Varchar, { primaryKey: true }), other: column(Varchar, { unique: true }), free: column(Varchar) });
    expect(ddl.createTable(t)[0]).toBe(
      "CREATE TABLE keyed (\n\tcode VARCHAR(255) NOT NULL,\n\tother VARCHAR(255),\n\tfree TEXT,\n\tPRIMARY KEY (code),\n\tUNIQUE (other)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
    );
  });

  it("Text, JSON and bytes cannot be keys: the error names the column and the fix", () => {
    const md = new MetaData();
    const t = Table("bad_key", md, { id: column(Integer, { primaryKey: true }), body: column(Text, { index: true }), doc: column(Json()) });
    expect(() => ddl.createTable(t)).toThrow(CompileError);
    expect(() => ddl.createTable(t)).toThrow(/bad_key\.body is a Text column in a key or index.*String\(n\)/);
  });

  it("DROP TABLE, DROP INDEX ... ON", () => {
    const t = everyTypeTable();
    expect(ddl.dropTable(t)).toEqual(["DROP TABLE every_type"]);
    expect(ddl.dropIndex(t, "ix_small_s2")).toBe("DROP INDEX ix_small_s2 ON every_type");
  });

  it("IF [NOT] EXISTS for indexes on MariaDB only", () => {
    const t = everyTypeTable();
    expect(ddl.dropIndex(t, "ix_small_s2", { ifExists: true })).toBe("DROP INDEX IF EXISTS ix_small_s2 ON every_type");
    expect(ddl.createIndex(t, t.indexes[0], { ifNotExists: true })).toBe("CREATE INDEX IF NOT EXISTS ix_small_s2 ON every_type (small, s2)");
    expect(() => mysql8.createDdlCompiler().dropIndex(t, "ix_small_s2", { ifExists: true })).toThrow(/MySQL 8\.0\.36 has no DROP INDEX IF EXISTS/);
    expect(() => mysql8.createDdlCompiler().createIndex(t, t.indexes[0], { ifNotExists: true })).toThrow(/no CREATE INDEX IF NOT EXISTS/);
  });

  it("no partial indexes; expression indexes on MySQL 8 only", () => {
    const md = new MetaData();
    const t = Table("ix_t", md, { id: column(Integer, { primaryKey: true }), name: column(Varchar(20)) });
    expect(() => ddl.createIndex(t, Index("ix_p", "name", { where: "id > 0" }))).toThrow(/no partial indexes/);
    const lower = Index("ix_lower", func.lower(t.c.name));
    expect(() => ddl.createIndex(t, lower)).toThrow(/MariaDB 10\.11\.6 cannot index; add a generated column/);
    expect(mysql8.createDdlCompiler().createIndex(t, lower)).toBe("CREATE INDEX ix_lower ON ix_t ((lower(name)))");
  });
});

describe.skipIf(!serverAvailable)("MySQL DDL: on the server", () => {
  const prefix = `${uniqueName("ddl")}_`;
  const engine = mysqlEngine();
  const { metadata, users, addresses } = quickstartTables(prefix);
  everyTypeTable(prefix, metadata);
  afterAll(async () => {
    await metadata.dropAll(engine);
    await engine.dispose();
  });

  it("createAll runs the DDL (twice: checkFirst skips existing tables)", async () => {
    await metadata.createAll(engine);
    await metadata.createAll(engine);
    const names = await inspect(engine).getTableNames();
    expect(names).toEqual(expect.arrayContaining([`${prefix}user_account`, `${prefix}address`, `${prefix}every_type`]));
  });

  it("the quickstart's String columns take long text, and keys work", async () => {
    const long = "x".repeat(5000);
    await engine.begin(async (conn) => {
      const r = await conn.execute(insert(users).values({ name: "spongebob", fullname: long }));
      await conn.execute(insert(addresses).values({ email_address: "spongebob@sqlalchemy.org", user_id: r.insertedPrimaryKey?.[0] as number }));
    });
    await using conn = await engine.connect();
    const rows = (await conn.execute(select(users.c.name, addresses.c.email_address).join(addresses))).all();
    expect(tuples(rows)).toEqual([["spongebob", "spongebob@sqlalchemy.org"]]);
    expect((await conn.execute(select(users.c.fullname))).scalar()).toBe(long);
  });

  it("DROP INDEX ... ON runs", async () => {
    const md = new MetaData();
    const t = Table(`${prefix}ix_drop`, md, { id: column(Integer, { primaryKey: true }), v: column(Integer, { index: true }) });
    await md.createAll(engine);
    try {
      await engine.begin(async (conn) => {
        await conn.execDriverSql(ddl.dropIndex(t, `ix_${prefix}ix_drop_v`));
      });
      expect(await inspect(engine).getIndexes(t.name)).toEqual([]);
    } finally {
      await md.dropAll(engine);
    }
  });
});
