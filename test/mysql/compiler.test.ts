/**
 * Golden SQL of the MySQL compiler, per construct, for MariaDB 10.11 and (where they differ) MySQL 8.0.
 */
import {
  and_,
  CompileError,
  cast,
  column,
  insert as coreInsert,
  DateTime,
  delete_,
  exists,
  ForeignKey,
  func,
  Integer,
  Json,
  MetaData,
  Numeric,
  select,
  Table,
  update,
  Varchar,
} from "crucible";
import { insert, jsonPath, jsonPathText, MysqlDialect } from "crucible/mysql";
import { describe, expect, it } from "vitest";
import { mariadb, mysql8, mysqlSql } from "./golden.js";

const md = new MetaData();
const users = Table("user_account", md, {
  id: column(Integer, { primaryKey: true }),
  name: column(Varchar(30)),
  fullname: column(Varchar),
  doc: column(Json()),
  logins: column(Integer, { nullable: false, default: 0 }),
});
const addr = Table("address", md, {
  id: column(Integer, { primaryKey: true }),
  user_id: column(Integer, ForeignKey("user_account.id")),
  email: column(Varchar, { nullable: false }),
});
const counter = Table("counter", md, { id: column(Integer, { primaryKey: true }) });
const order = Table("order", md, { id: column(Integer, { primaryKey: true }), Total: column(Integer) });

/** Asserts the SQL (and parameters) a statement compiles to. */
function expectSql(stmt: { readonly node: unknown }, sql: string, params?: unknown[], dialect: MysqlDialect = mariadb): void {
  const got = mysqlSql(stmt, dialect);
  expect(got.sql).toBe(sql);
  if (params !== undefined) expect(got.params).toEqual(params);
}

describe("MySQL compiler: identifiers and placeholders", () => {
  it("quotes reserved words and mixed case with backticks; `?` placeholders", () => {
    expectSql(select(order.c.id, order.c.Total).where(order.c.id.eq(5)), "SELECT `order`.id, `order`.`Total` FROM `order` WHERE `order`.id = ?", [5]);
  });
  it("doubles backticks inside quoted names", () => {
    expect(mariadb.quoteIdentifier("we`ird")).toBe("`we``ird`");
  });
});

describe("MySQL compiler: operators", () => {
  it("CONCAT() for ||, flattened", () => {
    expectSql(select(users.c.name.concat(" ").concat(users.c.fullname)), "SELECT CONCAT(user_account.name, ?, user_account.fullname) FROM user_account", [" "]);
  });
  it("IS [NOT] DISTINCT FROM with <=>", () => {
    expectSql(
      select(users.c.id).where(users.c.name.isDistinctFrom(users.c.fullname)),
      "SELECT user_account.id FROM user_account WHERE NOT (user_account.name <=> user_account.fullname)",
    );
    expectSql(select(users.c.id).where(users.c.name.isNotDistinctFrom("x")), "SELECT user_account.id FROM user_account WHERE user_account.name <=> ?", ["x"]);
  });
  it("ILIKE as lower() LIKE lower()", () => {
    expectSql(select(users.c.id).where(users.c.name.ilike("%a%")), "SELECT user_account.id FROM user_account WHERE lower(user_account.name) LIKE lower(?)", [
      "%a%",
    ]);
    expectSql(
      select(users.c.id).where(users.c.name.notIlike("b")),
      "SELECT user_account.id FROM user_account WHERE lower(user_account.name) NOT LIKE lower(?)",
      ["b"],
    );
  });
  it("LIKE helpers escape with '/'", () => {
    expectSql(select(users.c.id).where(users.c.name.contains("a_b")), "SELECT user_account.id FROM user_account WHERE user_account.name LIKE ? ESCAPE '/'", [
      "%a/_b%",
    ]);
  });
  it("IN lists: placeholders, and a valid empty list", () => {
    expectSql(select(users.c.id).where(users.c.id.in([1, 2, 3])), "SELECT user_account.id FROM user_account WHERE user_account.id IN (?, ?, ?)", [1, 2, 3]);
    expectSql(
      select(users.c.id).where(users.c.id.in([])),
      "SELECT user_account.id FROM user_account WHERE user_account.id IN (SELECT NULL FROM DUAL WHERE 1 = 0)",
      [],
    );
    expectSql(
      select(users.c.id).where(users.c.id.notIn([])),
      "SELECT user_account.id FROM user_account WHERE user_account.id NOT IN (SELECT NULL FROM DUAL WHERE 1 = 0)",
      [],
    );
  });
  it("a long IN list is one JSON parameter read by JSON_TABLE", () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => i);
    const got = mysqlSql(select(users.c.id).where(users.c.id.in(ids)));
    expect(got.sql).toBe(
      "SELECT user_account.id FROM user_account WHERE user_account.id IN (SELECT jt.v FROM JSON_TABLE(?, '$[*]' COLUMNS (v BIGINT PATH '$')) AS jt)",
    );
    expect(got.params).toEqual([JSON.stringify(ids)]);
    const names = Array.from({ length: 20_000 }, (_, i) => `n${i}`);
    expect(mysqlSql(select(users.c.id).where(users.c.name.in(names))).sql).toContain("COLUMNS (v LONGTEXT PATH '$')");
    const prices = Table("price", new MetaData(), { id: column(Integer, { primaryKey: true }), amount: column(Numeric(10, 2)) });
    const amounts = Array.from({ length: 20_000 }, (_, i) => `${i}.05`);
    const decimals = mysqlSql(select(prices.c.id).where(prices.c.amount.in(amounts)));
    expect(decimals.sql).toContain("COLUMNS (v DECIMAL(65, 30) PATH '$')");
    expect(decimals.params).toEqual([JSON.stringify(amounts)]);
    // A value DECIMAL(65, 30) cannot hold exactly stays a placeholder, like the others.
    expect(mysqlSql(select(prices.c.id).where(prices.c.amount.in([...amounts, "1e5"]))).params).toHaveLength(20_001);
    // MySQL's JSON_TABLE text has its own collation: strings stay placeholders there.
    expect(mysqlSql(select(users.c.id).where(users.c.name.in(names)), mysql8).params).toHaveLength(20_000);
  });
  it("booleans as TRUE/FALSE literals", () => {
    expect(mariadb.renderLiteral(true, users.c.id.type)).toBe("true");
  });
  it("CAST to MySQL's cast types", () => {
    expectSql(
      select(cast(users.c.name, Integer), cast(users.c.id, Varchar), cast(users.c.id, Numeric(10, 2)), cast(users.c.id, DateTime())),
      "SELECT CAST(user_account.name AS SIGNED), CAST(user_account.id AS CHAR), CAST(user_account.id AS DECIMAL(10, 2)), CAST(user_account.id AS DATETIME(6)) FROM user_account",
    );
  });
});

describe("MySQL compiler: functions", () => {
  it("now() with microseconds; length counts characters; random() is rand()", () => {
    expectSql(
      select(func.now(), func.length(users.c.name), func.random()),
      "SELECT CURRENT_TIMESTAMP(6), char_length(user_account.name), rand() FROM user_account",
    );
  });
  it("aggregate FILTER emulated with CASE", () => {
    expectSql(select(func.count().filter(users.c.logins.gt(1))), "SELECT count(CASE WHEN user_account.logins > ? THEN 1 END) FROM user_account", [1]);
  });
  it("window functions", () => {
    expectSql(
      select(func.row_number().over({ partitionBy: users.c.name, orderBy: users.c.id })),
      "SELECT row_number() OVER (PARTITION BY user_account.name ORDER BY user_account.id) FROM user_account",
    );
  });
  it("JSON paths: JSON_EXTRACT, JSON_UNQUOTE for text", () => {
    expectSql(
      select(jsonPath(users.c.doc, ["a", 0, "b c"]), jsonPathText(users.c.doc, ["k"])),
      `SELECT JSON_EXTRACT(user_account.doc, '$.a[0]."b c"'), JSON_UNQUOTE(JSON_EXTRACT(user_account.doc, '$.k')) FROM user_account`,
    );
  });
});

describe("MySQL compiler: ORDER BY, LIMIT, locking", () => {
  it("NULLS FIRST/LAST: left out where MySQL's order agrees, else `x IS [NOT] NULL` first", () => {
    expectSql(
      select(users.c.id).orderBy(
        users.c.name.asc().nullsLast(),
        users.c.fullname.desc().nullsFirst(),
        users.c.id.asc().nullsFirst(),
        users.c.logins.desc().nullsLast(),
      ),
      "SELECT user_account.id FROM user_account ORDER BY user_account.name IS NULL, user_account.name ASC, user_account.fullname IS NOT NULL, user_account.fullname DESC, user_account.id ASC, user_account.logins DESC",
    );
  });
  it("LIMIT/OFFSET, and an OFFSET alone", () => {
    expectSql(select(users.c.id).limit(10).offset(5), "SELECT user_account.id FROM user_account LIMIT ? OFFSET ?", [10, 5]);
    expectSql(select(users.c.id).offset(5), "SELECT user_account.id FROM user_account LIMIT 18446744073709551615 OFFSET ?", [5]);
  });
  it("FOR UPDATE; FOR SHARE is LOCK IN SHARE MODE on MariaDB", () => {
    expectSql(select(users.c.id).forUpdate(), "SELECT user_account.id FROM user_account FOR UPDATE");
    expectSql(select(users.c.id).forUpdate({ nowait: true }), "SELECT user_account.id FROM user_account FOR UPDATE NOWAIT");
    expectSql(select(users.c.id).forUpdate({ read: true, skipLocked: true }), "SELECT user_account.id FROM user_account LOCK IN SHARE MODE SKIP LOCKED");
    expectSql(select(users.c.id).forUpdate({ read: true, nowait: true }), "SELECT user_account.id FROM user_account FOR SHARE NOWAIT", [], mysql8);
    expectSql(
      select(users.c.id).forUpdate({ of: [users], skipLocked: true }),
      "SELECT user_account.id FROM user_account FOR UPDATE OF user_account SKIP LOCKED",
      [],
      mysql8,
    );
    expect(() => mysqlSql(select(users.c.id).forUpdate({ of: [users] }))).toThrow(/FOR UPDATE OF is not supported by MariaDB 10\.11\.6/);
    expect(() => mysqlSql(select(users.c.id).forUpdate({ read: true }), new MysqlDialect({ serverVersion: "5.7.44" }))).not.toThrow();
    expect(mysqlSql(select(users.c.id).forUpdate({ read: true }), new MysqlDialect({ serverVersion: "5.7.44" })).sql).toBe(
      "SELECT user_account.id FROM user_account LOCK IN SHARE MODE",
    );
  });
});

describe("MySQL compiler: joins, subqueries, compounds, CTEs", () => {
  it("no FULL OUTER JOIN, with advice", () => {
    expect(() => mysqlSql(select(users.c.id).fullJoin(addr))).toThrow(CompileError);
    expect(() => mysqlSql(select(users.c.id).fullJoin(addr))).toThrow(/UNION of two LEFT JOINs/);
  });
  it("LATERAL on MySQL 8 only", () => {
    const lateral = select(addr.c.id).where(addr.c.user_id.eq(users.c.id)).lateral("a");
    expectSql(
      select(users.c.id).join(lateral, and_(users.c.id.gt(0))),
      "SELECT user_account.id FROM user_account JOIN LATERAL (SELECT address.id FROM address WHERE address.user_id = user_account.id) AS a ON user_account.id > ?",
      [0],
      mysql8,
    );
    expect(() => mysqlSql(select(users.c.id).join(lateral, and_(users.c.id.gt(0))))).toThrow(/LATERAL/);
  });
  it("correlated EXISTS", () => {
    expectSql(
      select(users.c.id).where(exists(select(addr.c.id).where(addr.c.user_id.eq(users.c.id)))),
      "SELECT user_account.id FROM user_account WHERE EXISTS (SELECT address.id FROM address WHERE address.user_id = user_account.id)",
    );
  });
  it("INTERSECT/EXCEPT where the server has them", () => {
    expectSql(select(users.c.id).intersect(select(addr.c.user_id)), "SELECT user_account.id FROM user_account INTERSECT SELECT address.user_id FROM address");
    expectSql(select(users.c.id).exceptAll(select(addr.c.user_id)), "SELECT user_account.id FROM user_account EXCEPT ALL SELECT address.user_id FROM address");
    expect(() => mysqlSql(select(users.c.id).except(select(addr.c.user_id)), new MysqlDialect({ serverVersion: "8.0.20" }))).toThrow(
      /EXCEPT is not supported by MySQL 8\.0\.20; use EXISTS/,
    );
  });
  it("WITH before SELECT; inside INSERT ... SELECT; before UPDATE on MySQL 8 only", () => {
    const busy = select(users.c.id).where(users.c.logins.gt(1)).cte("busy");
    expectSql(select(busy.c.id), "WITH busy AS (SELECT user_account.id FROM user_account WHERE user_account.logins > ?) SELECT busy.id FROM busy", [1]);
    expectSql(
      coreInsert(addr).fromSelect(["user_id", "email"], select(busy.c.id, users.c.name).where(busy.c.id.eq(users.c.id))),
      "INSERT INTO address (user_id, email) WITH busy AS (SELECT user_account.id FROM user_account WHERE user_account.logins > ?) SELECT busy.id, user_account.name FROM busy, user_account WHERE busy.id = user_account.id",
      [1],
    );
    const upd = update(users)
      .values({ logins: 0 })
      .where(users.c.id.in(select(busy.c.id)));
    expectSql(
      upd,
      "WITH busy AS (SELECT user_account.id FROM user_account WHERE user_account.logins > ?) UPDATE user_account SET logins = ? WHERE user_account.id IN (SELECT busy.id FROM busy)",
      [1, 0],
      mysql8,
    );
    expect(() => mysqlSql(upd)).toThrow(/WITH \.\.\. UPDATE is not supported by MariaDB 10\.11\.6; use a subquery/);
  });
});

describe("MySQL compiler: INSERT, UPDATE, DELETE", () => {
  it("INSERT with no columns", () => {
    expectSql(coreInsert(counter), "INSERT INTO counter () VALUES ()");
  });
  it("ON DUPLICATE KEY UPDATE with VALUES(col) and expressions", () => {
    const stmt = insert(users).values({ id: 1, name: "x" });
    expectSql(
      stmt.onDuplicateKeyUpdate({ name: stmt.inserted.name, logins: users.c.logins.add(1) }),
      "INSERT INTO user_account (id, name, logins) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE name = VALUES(name), logins = logins + ?",
      [1, "x", 0, 1],
    );
  });
  it("ON CONFLICT is refused with the MySQL way to write it", () => {
    const stmt = coreInsert(users).values({ id: 1 });
    const onConflict = Object.freeze({
      ...stmt.node,
      onConflict: { kind: "on-conflict", target: [], constraint: null, targetWhere: null, set: null, where: null, style: "on-conflict" },
    });
    expect(() => mysqlSql({ node: onConflict })).toThrow(/onDuplicateKeyUpdate/);
  });
  it("RETURNING: INSERT and DELETE on MariaDB ≥ 10.5, never UPDATE, none on MySQL", () => {
    expectSql(
      coreInsert(users).values({ name: "x" }).returning(users.c.id, users.c.name),
      "INSERT INTO user_account (name, logins) VALUES (?, ?) RETURNING id, name",
      ["x", 0],
    );
    expectSql(delete_(users).where(users.c.id.eq(1)).returning(users.c.id), "DELETE FROM user_account WHERE user_account.id = ? RETURNING id", [1]);
    expect(() => mysqlSql(update(users).values({ name: "x" }).returning(users.c.id))).toThrow(/UPDATE \.\.\. RETURNING is not supported by MariaDB 10\.11\.6/);
    expect(() => mysqlSql(coreInsert(users).values({ name: "x" }).returning(users.c.id), mysql8)).toThrow(
      /INSERT \.\.\. RETURNING is not supported by MySQL 8\.0\.36; MariaDB 10\.5 and later have it/,
    );
    expect(() => mysqlSql(coreInsert(users).values({ name: "x" }).returning(users.c.id), new MysqlDialect({ serverVersion: "10.4.32-MariaDB" }))).toThrow(
      /INSERT \.\.\. RETURNING/,
    );
  });
  it("UPDATE and DELETE", () => {
    expectSql(update(users).values({ name: "y" }).where(users.c.id.eq(2)), "UPDATE user_account SET name = ? WHERE user_account.id = ?", ["y", 2]);
    expectSql(delete_(addr).where(addr.c.email.like("%@x")), "DELETE FROM address WHERE address.email LIKE ?", ["%@x"]);
  });
});

describe("MySQL dialect: server detection", () => {
  it("capabilities follow the server", () => {
    expect(mariadb.capabilities.insertReturning).toBe(true);
    expect(mariadb.capabilities.updateReturning).toBe(false);
    expect(mysql8.capabilities.insertReturning).toBe(false);
    expect(new MysqlDialect().capabilities.insertReturning).toBe(false);
    expect(mariadb.server.flavor).toBe("mariadb");
    expect(mysql8.server.flavor).toBe("mysql");
  });
  it("a new server clears statements compiled for another", () => {
    const d = new MysqlDialect({ serverVersion: "8.0.36" });
    const stmt = coreInsert(users).values({ name: "x" }).returning(users.c.id);
    expect(() => d.statementCache.compile(stmt.node)).toThrow(CompileError);
    expect(d.statementCache.compile(select(users.c.id).node).cached).toBe(false);
    d.useServer({ ...mariadb.server });
    expect(d.statementCache.size).toBe(0);
    expect(d.statementCache.compile(stmt.node).compiled.sql).toBe("INSERT INTO user_account (name, logins) VALUES (?, ?) RETURNING id");
  });
  it("ids of a multi-row INSERT step by auto_increment_increment", () => {
    expect(mariadb.insertedIdRange(41, 3)).toEqual({ first: 41, step: 1 });
    expect(mariadb.insertedIdRange(9007199254740993n, 2)).toEqual({ first: 9007199254740993n, step: 1 });
    const d = new MysqlDialect();
    d.useServer({ ...d.server, version: "8.0.36-galera", autoIncrementIncrement: 3 });
    expect(d.insertedIdRange(1, 3)).toEqual({ first: 1, step: 3 });
  });
});
