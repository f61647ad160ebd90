/**
 * Golden SQL of the PostgreSQL compiler, one construct per test: exact text and driver parameters.
 */
import {
  ArrayOf,
  BigInteger,
  CompileError,
  column,
  DateTime,
  Enum,
  ForeignKey,
  func,
  Integer,
  JSON,
  literal,
  MetaData,
  Numeric,
  select,
  Table,
  Text,
  text,
  tuple_,
  update,
  Varchar,
} from "crucible";
import { insert, jsonPath, jsonPathText } from "crucible/postgresql";
import { describe, expect, it } from "vitest";
import { DuplicateKeyInsert } from "../../src/dialects/base/upsert.js";
import { pgSql } from "./golden.js";

const md = new MetaData();
const users = Table("users", md, {
  id: column(Integer, { primaryKey: true }),
  name: column(Varchar(30), { nullable: false }),
  email: column(Varchar(100)),
  visits: column(Integer, { default: 0 }),
  status: column(Enum(["new", "active"])),
  kind: column(Enum(["a", "b"], { name: "user_kind" })),
  user: column(Text, { name: "user" }),
});
const orders = Table("orders", md, {
  id: column(BigInteger, { primaryKey: true }),
  userId: column(Integer, ForeignKey("users.id"), { name: "user_id" }),
  total: column(Numeric(10, 2)),
  placed: column(DateTime()),
});
const docs = Table("docs", md, { id: column(Integer, { primaryKey: true }), body: column(JSON()), tags: column(ArrayOf(Text)) });
const events = Table("events", md, { id: column(Integer, { primaryKey: true }), at: column(DateTime()) }, { schema: "audit" });

describe("PostgreSQL compiler", () => {
  it("numbers placeholders $1, $2, ... in textual order", () => {
    const stmt = select(users.c.id).where(users.c.name.eq("a"), users.c.visits.gt(3)).limit(10).offset(5);
    expect(pgSql(stmt)).toEqual({
      sql: "SELECT users.id FROM users WHERE users.name = $1 AND users.visits > $2 LIMIT $3 OFFSET $4",
      params: ["a", 3, 10, 5],
    });
  });

  it("quotes PostgreSQL's reserved words", () => {
    expect(pgSql(select(users.c.user)).sql).toBe('SELECT users."user" FROM users');
    expect(pgSql(select(events.c.at)).sql).toBe("SELECT audit.events.at FROM audit.events");
  });

  it("spells ILIKE natively", () => {
    expect(pgSql(select(users.c.id).where(users.c.name.ilike("%sp%"))).sql).toBe("SELECT users.id FROM users WHERE users.name ILIKE $1");
    expect(pgSql(select(users.c.id).where(users.c.name.notIlike("x%", "!"))).sql).toBe("SELECT users.id FROM users WHERE users.name NOT ILIKE $1 ESCAPE '!'");
  });

  it("LIKE helpers escape with /", () => {
    expect(pgSql(select(users.c.id).where(users.c.name.contains("50%")))).toEqual({
      sql: "SELECT users.id FROM users WHERE users.name LIKE $1 ESCAPE '/'",
      params: ["%50/%%"],
    });
  });

  it("DISTINCT ON", () => {
    const stmt = select(users.c.name, users.c.id).distinctOn(users.c.name).orderBy(users.c.name, users.c.id.desc());
    expect(pgSql(stmt).sql).toBe("SELECT DISTINCT ON (users.name) users.name, users.id FROM users ORDER BY users.name, users.id DESC");
  });

  it("IS DISTINCT FROM", () => {
    expect(pgSql(select(users.c.id).where(users.c.email.isDistinctFrom(null))).sql).toBe("SELECT users.id FROM users WHERE users.email IS DISTINCT FROM NULL");
    expect(pgSql(select(users.c.id).where(users.c.email.isNotDistinctFrom("x"))).sql).toBe(
      "SELECT users.id FROM users WHERE users.email IS NOT DISTINCT FROM $1",
    );
  });

  it("NULLS FIRST / LAST", () => {
    expect(pgSql(select(users.c.id).orderBy(users.c.email.desc().nullsLast())).sql).toBe("SELECT users.id FROM users ORDER BY users.email DESC NULLS LAST");
  });

  it("aggregate FILTER", () => {
    const stmt = select(func.count().filter(users.c.visits.gt(0)).label("n"));
    expect(pgSql(stmt).sql).toBe("SELECT count(*) FILTER (WHERE users.visits > $1) AS n FROM users");
  });

  it("now() and the niladic SQL functions", () => {
    expect(pgSql(select(func.now().label("t"))).sql).toBe("SELECT now() AS t");
    expect(pgSql(select(func.current_timestamp().label("t"))).sql).toBe("SELECT CURRENT_TIMESTAMP AS t");
    expect(pgSql(select(func.current_date().label("d"))).sql).toBe("SELECT CURRENT_DATE AS d");
  });

  it("integers passed straight to functions are cast (parameters are sent untyped)", () => {
    expect(pgSql(select(func.generate_series(1, 10).label("n")))).toEqual({
      sql: "SELECT generate_series(CAST($1 AS INTEGER), CAST($2 AS INTEGER)) AS n",
      params: [1, 10],
    });
    expect(pgSql(select(func.coalesce(users.c.email, "none").label("e"), func.round(orders.c.total, 2).label("r"))).sql).toBe(
      "SELECT coalesce(users.email, $1) AS e, round(orders.total, CAST($2 AS INTEGER)) AS r FROM users, orders",
    );
  });

  it("FOR UPDATE [OF t] NOWAIT / SKIP LOCKED, FOR SHARE", () => {
    expect(pgSql(select(users.c.id).forUpdate()).sql).toBe("SELECT users.id FROM users FOR UPDATE");
    expect(pgSql(select(users.c.id).forUpdate({ nowait: true })).sql).toBe("SELECT users.id FROM users FOR UPDATE NOWAIT");
    expect(pgSql(select(users.c.id).forUpdate({ skipLocked: true, of: [users] })).sql).toBe("SELECT users.id FROM users FOR UPDATE OF users SKIP LOCKED");
    expect(pgSql(select(events.c.id).forUpdate({ of: [events] })).sql).toBe("SELECT audit.events.id FROM audit.events FOR UPDATE OF events");
    expect(pgSql(select(users.c.id).forUpdate({ read: true })).sql).toBe("SELECT users.id FROM users FOR SHARE");
  });

  it("LATERAL subqueries", () => {
    const last = select(orders.c.total).where(orders.c.userId.eq(users.c.id)).orderBy(orders.c.placed.desc()).limit(1).lateral("last_order");
    const stmt = select(users.c.name, last.c.total).selectFrom(users).join(last, literal(true));
    expect(pgSql(stmt).sql).toBe(
      "SELECT users.name, last_order.total FROM users JOIN LATERAL (SELECT orders.total FROM orders WHERE orders.user_id = users.id ORDER BY orders.placed DESC LIMIT $1) AS last_order ON $2",
    );
  });

  it("JSONB paths: -> and ->> for one step, #> and #>> for several", () => {
    expect(pgSql(select(jsonPath(docs.c.body, ["a"]))).sql).toBe("SELECT docs.body -> 'a' FROM docs");
    expect(pgSql(select(jsonPathText(docs.c.body, [0]))).sql).toBe("SELECT docs.body ->> 0 FROM docs");
    expect(pgSql(select(jsonPath(docs.c.body, ["a", 0, "b c"]))).sql).toBe(`SELECT docs.body #> '{a,0,"b c"}' FROM docs`);
    expect(pgSql(select(docs.c.id).where(jsonPathText(docs.c.body, ["owner", "name"]).eq("it's")))).toEqual({
      sql: "SELECT docs.id FROM docs WHERE docs.body #>> '{owner,name}' = $1",
      params: ["it's"],
    });
    // Below arithmetic in precedence: parenthesized as an operand of ||.
    expect(pgSql(select(users.c.name.concat(jsonPathText(docs.c.body, ["a"])).label("x"))).sql).toBe(
      "SELECT users.name || (docs.body ->> 'a') AS x FROM users, docs",
    );
    expect(pgSql(select(jsonPathText(docs.c.body, ["it's"]))).sql).toBe("SELECT docs.body ->> 'it''s' FROM docs");
  });

  it("IN lists: one placeholder per value; empty lists typed like the column", () => {
    expect(pgSql(select(users.c.id).where(users.c.id.in([1, 2, 3])))).toEqual({
      sql: "SELECT users.id FROM users WHERE users.id IN ($1, $2, $3)",
      params: [1, 2, 3],
    });
    expect(pgSql(select(users.c.id).where(users.c.id.in([]))).sql).toBe(
      "SELECT users.id FROM users WHERE users.id IN (SELECT CAST(NULL AS INTEGER) WHERE 1 = 0)",
    );
    expect(pgSql(select(users.c.id).where(users.c.name.notIn([]))).sql).toBe(
      "SELECT users.id FROM users WHERE users.name NOT IN (SELECT CAST(NULL AS TEXT) WHERE 1 = 0)",
    );
    expect(pgSql(select(users.c.id).where(users.c.status.in([]))).sql).toBe(
      "SELECT users.id FROM users WHERE users.status IN (SELECT CAST(NULL AS users_status_enum) WHERE 1 = 0)",
    );
    expect(pgSql(select(users.c.id).where(users.c.kind.in([]))).sql).toBe(
      "SELECT users.id FROM users WHERE users.kind IN (SELECT CAST(NULL AS user_kind) WHERE 1 = 0)",
    );
  });

  it("IN lists beyond a quarter of the 65535-parameter limit become one array parameter", () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => i);
    const got = pgSql(select(users.c.id).where(users.c.id.in(ids), users.c.name.eq("x")));
    expect(got.sql).toBe("SELECT users.id FROM users WHERE users.id IN (SELECT unnest(CAST($1 AS INTEGER[]))) AND users.name = $2");
    expect(got.params).toHaveLength(2);
    expect((got.params[0] as string).slice(0, 12)).toBe("{0,1,2,3,4,5");
    const big = pgSql(select(orders.c.id).where(orders.c.id.in(ids.map(BigInt))));
    expect(big.sql).toBe("SELECT orders.id FROM orders WHERE orders.id IN (SELECT unnest(CAST($1 AS BIGINT[])))");
    expect((big.params[0] as string).slice(0, 10)).toBe('{"0","1","');
    const names = pgSql(select(users.c.id).where(users.c.status.in(ids.map((i) => (i % 2 ? "new" : "active")))));
    expect(names.sql).toBe("SELECT users.id FROM users WHERE users.status IN (SELECT unnest(CAST($1 AS users_status_enum[])))");
  });

  it("row-value IN lists of more than 1,000 rows become one typed array per position", () => {
    const rows = Array.from({ length: 1001 }, (_, i) => [i, `n${i}`] as [number, string]);
    const got = pgSql(select(users.c.id).where(tuple_(users.c.id, users.c.name).in(rows), users.c.visits.gt(1)));
    expect(got.sql).toBe(
      "SELECT users.id FROM users WHERE (users.id, users.name) IN (SELECT * FROM unnest(CAST($1 AS INTEGER[]), CAST($2 AS TEXT[]))) AND users.visits > $3",
    );
    expect(got.params).toHaveLength(3);
    expect((got.params[0] as string).slice(0, 8)).toBe("{0,1,2,3");
    expect((got.params[1] as string).slice(0, 14)).toBe('{"n0","n1","n2');
    // Up to 1,000 rows: placeholders.
    expect(pgSql(select(users.c.id).where(tuple_(users.c.id, users.c.name).in(rows.slice(0, 2)))).sql).toBe(
      "SELECT users.id FROM users WHERE (users.id, users.name) IN (($1, $2), ($3, $4))",
    );
  });

  it("INSERT of one row returns the new key (implicit RETURNING)", () => {
    expect(pgSql(insert(users).values({ name: "sandy" }))).toEqual({
      sql: "INSERT INTO users (name, visits) VALUES ($1, $2) RETURNING id",
      params: ["sandy", 0],
    });
    expect(pgSql(insert(users).values({ id: 5, name: "sandy" })).sql).toBe("INSERT INTO users (id, name, visits) VALUES ($1, $2, $3)");
    expect(pgSql(insert(users).values([{ name: "a" }, { name: "b" }])).sql).toBe("INSERT INTO users (name, visits) VALUES ($1, $2), ($3, $4)");
  });

  it("RETURNING on INSERT, UPDATE and DELETE", () => {
    expect(pgSql(insert(users).values({ name: "a" }).returning(users.c.id, users.c.name)).sql).toBe(
      "INSERT INTO users (name, visits) VALUES ($1, $2) RETURNING id, name",
    );
    expect(
      pgSql(
        update(users)
          .where(users.c.id.eq(1))
          .values({ visits: users.c.visits.add(1) })
          .returning(users.c.visits),
      ).sql,
    ).toBe("UPDATE users SET visits = users.visits + $1 WHERE users.id = $2 RETURNING visits");
  });

  it("ON CONFLICT DO NOTHING / DO UPDATE with excluded and the target table", () => {
    const stmt = insert(users).values({ id: 1, name: "a", visits: 1 });
    expect(pgSql(stmt.onConflictDoNothing()).sql).toBe("INSERT INTO users (id, name, visits) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING");
    expect(pgSql(stmt.onConflictDoNothing({ indexElements: ["id"] })).sql).toBe(
      "INSERT INTO users (id, name, visits) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
    );
    const upsert = stmt.onConflictDoUpdate({
      indexElements: ["id"],
      set: { name: stmt.excluded.name, visits: users.c.visits.add(stmt.excluded.visits) },
      where: users.c.name.ne("admin"),
    });
    expect(pgSql(upsert)).toEqual({
      sql: "INSERT INTO users (id, name, visits) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET name = excluded.name, visits = users.visits + excluded.visits WHERE users.name <> $4",
      params: [1, "a", 1, "admin"],
    });
    expect(pgSql(stmt.onConflictDoUpdate({ constraint: "users_pkey", set: { name: "z" } })).sql).toBe(
      "INSERT INTO users (id, name, visits) VALUES ($1, $2, $3) ON CONFLICT ON CONSTRAINT users_pkey DO UPDATE SET name = $4",
    );
    expect(pgSql(stmt.onConflictDoNothing({ indexElements: ["email"], indexWhere: users.c.email.isNotNull() })).sql).toBe(
      "INSERT INTO users (id, name, visits) VALUES ($1, $2, $3) ON CONFLICT (email) WHERE email IS NOT NULL DO NOTHING",
    );
  });

  it("casts use PostgreSQL type names", () => {
    expect(pgSql(select(users.c.id.cast(BigInteger).label("b"), users.c.name.cast(Text).label("t"))).sql).toBe(
      "SELECT CAST(users.id AS BIGINT) AS b, CAST(users.name AS TEXT) AS t FROM users",
    );
    expect(pgSql(select(orders.c.placed.cast(DateTime({ timezone: true })).label("t"))).sql).toBe(
      "SELECT CAST(orders.placed AS TIMESTAMP WITH TIME ZONE) AS t FROM orders",
    );
  });

  it("text() keeps :: casts and numbers its parameters", () => {
    expect(pgSql(text("SELECT x::int FROM t WHERE a = :a AND b = :b"), { a: 1, b: 2 })).toEqual({
      sql: "SELECT x::int FROM t WHERE a = $1 AND b = $2",
      params: [1, 2],
    });
  });

  it("converts values to what the server parses", () => {
    const at = new Date("2024-03-01T12:30:00.250Z");
    expect(pgSql(insert(orders).values({ id: 9007199254740993n, total: "12.50", placed: at })).params).toEqual([
      "9007199254740993",
      "12.50",
      "2024-03-01 12:30:00.250",
    ]);
    expect(pgSql(insert(docs).values({ id: 1, body: [1, 2], tags: ['a "q"', "b,c"] })).params).toEqual([1, "[1,2]", '{"a \\"q\\"","b,c"}']);
  });

  it("rejects MySQL's ON DUPLICATE KEY", () => {
    const stmt = new DuplicateKeyInsert(insert(users).node, users).values({ name: "a" }).onDuplicateKeyUpdate({ name: "b" });
    expect(() => pgSql(stmt)).toThrow(CompileError);
  });
});
