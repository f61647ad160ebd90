import { ArgumentError, createEngine, parseUrl, registerDialect, text } from "crucible";
import { SqliteDialect } from "crucible/sqlite";
import { describe, expect, it } from "vitest";

describe("URL parsing", () => {
  it.each([
    ["sqlite://", { dialect: "sqlite", database: null }],
    ["sqlite:///:memory:", { dialect: "sqlite", database: null }],
    ["sqlite:///app.db", { dialect: "sqlite", database: "app.db" }],
    ["sqlite:///dir/with%20space.db", { dialect: "sqlite", database: "dir/with space.db" }],
    ["sqlite:////abs/path.db", { dialect: "sqlite", database: "/abs/path.db" }],
    ["postgresql+pglite://", { dialect: "postgresql", driver: "pglite", database: null }],
    ["postgresql+pglite:///data/pg", { dialect: "postgresql", driver: "pglite", database: "data/pg" }],
  ])("%s", (url, expected) => {
    expect(parseUrl(url)).toMatchObject(expected);
  });

  it("server URLs: user, password, host, port, database, query; the password is hidden in display", () => {
    expect(parseUrl("postgresql://scott:ti%40ger@db.example.com:5433/app?sslmode=require")).toEqual({
      display: "postgresql://scott:***@db.example.com:5433/app?sslmode=require",
      dialect: "postgresql",
      driver: null,
      username: "scott",
      password: "ti@ger",
      host: "db.example.com",
      port: 5433,
      database: "app",
      query: { sslmode: "require" },
    });
    expect(parseUrl("postgres://u@h/d")).toMatchObject({ dialect: "postgresql", username: "u", password: null, host: "h", port: null, database: "d" });
    expect(parseUrl("mysql://root@127.0.0.1:3306/test")).toMatchObject({ dialect: "mysql", username: "root", host: "127.0.0.1", port: 3306, database: "test" });
    expect(parseUrl("mariadb://x")).toMatchObject({ dialect: "mysql", host: "x", database: null });
    expect(parseUrl("postgresql://u:p@[::1]:5432/d")).toMatchObject({ host: "::1", port: 5432 });
  });

  it("the seed's sqlite://DBName.sqlite is an ArgumentError that shows the valid forms", () => {
    let error: unknown;
    try {
      createEngine("sqlite://DBName.sqlite");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ArgumentError);
    const message = (error as Error).message;
    expect(message).toContain("sqlite:///DBName.sqlite");
    expect(message).toContain("Valid forms:");
    for (const form of ["sqlite://   ", "sqlite:///relative/path.db", "sqlite:////absolute/path.db", "postgresql://user:pass@host:5432/dbname", "mysql://"])
      expect(message).toContain(form.trim());
  });

  it.each([
    ["not a url", /Could not parse the database URL/],
    ["oracle://scott@h/x", /Unknown database "oracle"/],
    ["postgresql://u@h:99999/d", /Invalid port 99999/],
    ["postgresql+pglite://data", /three slashes/],
  ])("%s is an ArgumentError", (url, message) => {
    expect(() => parseUrl(url)).toThrow(ArgumentError);
    expect(() => parseUrl(url)).toThrow(message);
  });

  it("a password never appears in errors", () => {
    expect(() => parseUrl("postgresql://u:secret@h:99999/d")).toThrow(/u:\*\*\*@h/);
    expect(() => parseUrl("postgresql://u:secret@h:99999/d")).not.toThrow(/secret/);
  });

  it("a driver Crucible does not have (a Python one) is an ArgumentError at createEngine() naming the ones it has", () => {
    expect(() => createEngine("postgresql+psycopg2://u:secret@h/d")).toThrow(ArgumentError);
    expect(() => createEngine("postgresql+psycopg2://u:secret@h/d")).toThrow(
      /unknown postgresql driver "psycopg2" .*drivers are pg, pglite: write postgresql:\/\/ \(pg\) or postgresql\+pg:\/\/ \/ postgresql\+pglite:\/\//,
    );
    expect(() => createEngine("postgresql+psycopg2://u:secret@h/d")).not.toThrow(/secret/);
    expect(() => createEngine("mysql+pymysql://root@h/d")).toThrow(/unknown mysql driver "pymysql".*mysql2/);
    expect(() => createEngine("sqlite+pysqlite://")).toThrow(/unknown sqlite driver "pysqlite".*better_sqlite3/);
    // The drivers it has are accepted.
    for (const url of ["sqlite+better_sqlite3://", "mysql+mysql2://root@h/d", "mariadb+mysql2://root@h/d", "postgresql+pg://u@h/d"])
      expect(createEngine(url).dialect.drivers.length).toBeGreaterThan(0);
  });

  it("registerDialect() makes a new scheme reachable by URL", async () => {
    registerDialect("embedded", () => new SqliteDialect());
    const engine = createEngine("embedded://");
    expect(engine.dialect.name).toBe("sqlite");
    expect((await engine.execute(text("SELECT 41 + 1"))).scalar()).toBe(42);
    await engine.dispose();
    expect(() => createEngine("notregistered://x")).toThrow(/Unknown database "notregistered"/);
    // The error names every registered scheme, the ones added with registerDialect() too.
    expect(() => createEngine("notregistered://x")).toThrow(/registered ones are sqlite, postgresql, mysql, embedded, postgres, mariadb/);
  });

  // Last in this file on purpose: a registration cannot be undone (each test file has its own registry).
  it("a dialect registered under an alias's name wins over the alias", async () => {
    expect(parseUrl("mariadb://root@h/d").dialect).toBe("mysql");
    registerDialect("mariadb", () => new SqliteDialect());
    expect(parseUrl("mariadb://").dialect).toBe("mariadb");
    const engine = createEngine("mariadb://");
    expect(engine.dialect.name).toBe("sqlite");
    await engine.dispose();
  });
});
