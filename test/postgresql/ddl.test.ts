/**
 * Golden DDL of the PostgreSQL dialect: column types, SERIAL keys, native enums, comments, schemas, indexes.
 */
import {
  ArrayOf,
  BigInteger,
  Boolean,
  CheckConstraint,
  column,
  DateTime,
  Date as DateType,
  Double,
  Enum,
  Float,
  ForeignKey,
  func,
  Index,
  Integer,
  JSON,
  LargeBinary,
  MetaData,
  Numeric,
  SmallInteger,
  Table,
  Text,
  Time,
  UniqueConstraint,
  Uuid,
  Varchar,
} from "crucible";
import { describe, expect, it } from "vitest";
import { dialect } from "./golden.js";

const ddl = dialect.createDdlCompiler();

describe("PostgreSQL DDL", () => {
  it("spells every type", () => {
    const md = new MetaData();
    const t = Table("all_types", md, {
      id: column(Integer, { primaryKey: true, autoincrement: false }),
      i: column(Integer),
      big: column(BigInteger),
      small: column(SmallInteger),
      f: column(Float),
      d: column(Double),
      n: column(Numeric(30, 10)),
      nn: column(Numeric),
      b: column(Boolean),
      s: column(Varchar(20)),
      sv: column(Varchar),
      tx: column(Text),
      dt: column(DateType),
      ts: column(DateTime()),
      tstz: column(DateTime({ timezone: true })),
      tm: column(Time),
      bin: column(LargeBinary),
      j: column(JSON()),
      u: column(Uuid),
      arr: column(ArrayOf(Integer)),
      grid: column(ArrayOf(ArrayOf(Text))),
    });
    expect(ddl.createTable(t)).toEqual([
      `CREATE TABLE all_types (
\tid INTEGER NOT NULL,
\ti INTEGER,
\tbig BIGINT,
\tsmall SMALLINT,
\tf REAL,
\td DOUBLE PRECISION,
\tn NUMERIC(30, 10),
\tnn NUMERIC,
\tb BOOLEAN,
\ts VARCHAR(20),
\tsv VARCHAR,
\ttx TEXT,
\tdt DATE,
\tts TIMESTAMP WITHOUT TIME ZONE,
\ttstz TIMESTAMP WITH TIME ZONE,
\ttm TIME WITHOUT TIME ZONE,
\tbin BYTEA,
\tj JSONB,
\tu UUID,
\tarr INTEGER[],
\tgrid TEXT[][],
\tPRIMARY KEY (id)
)`,
    ]);
  });

  it("autoincrementing integer keys are SERIAL, BIGSERIAL, SMALLSERIAL", () => {
    const md = new MetaData();
    const a = Table("a", md, { id: column(Integer, { primaryKey: true }) });
    const b = Table("b", md, { id: column(BigInteger, { primaryKey: true }) });
    const c = Table("c", md, { id: column(SmallInteger, { primaryKey: true }) });
    const d = Table("d", md, { id: column(Integer, { primaryKey: true, serverDefault: "42" }) });
    expect(ddl.createTable(a)[0]).toBe("CREATE TABLE a (\n\tid SERIAL NOT NULL,\n\tPRIMARY KEY (id)\n)");
    expect(ddl.createTable(b)[0]).toBe("CREATE TABLE b (\n\tid BIGSERIAL NOT NULL,\n\tPRIMARY KEY (id)\n)");
    expect(ddl.createTable(c)[0]).toBe("CREATE TABLE c (\n\tid SMALLSERIAL NOT NULL,\n\tPRIMARY KEY (id)\n)");
    expect(ddl.createTable(d)[0]).toBe("CREATE TABLE d (\n\tid INTEGER DEFAULT 42 NOT NULL,\n\tPRIMARY KEY (id)\n)");
  });

  it("native enums: CREATE TYPE before the table (skipped when it exists), DROP TYPE after it", () => {
    const md = new MetaData();
    const t = Table("post", md, {
      id: column(Integer, { primaryKey: true }),
      status: column(Enum(["draft", "it's out"], { name: "post_status" }), { nullable: false }),
      mood: column(Enum(["happy", "sad"])),
      moods: column(ArrayOf(Enum(["happy", "sad"]))),
      flavour: column(Enum(["sweet", "sour"], { native: false })),
    });
    expect(ddl.createTable(t)).toEqual([
      "DO $crucible$ BEGIN CREATE TYPE post_status AS ENUM ('draft', 'it''s out'); EXCEPTION WHEN duplicate_object THEN NULL; END $crucible$",
      "DO $crucible$ BEGIN CREATE TYPE post_mood_enum AS ENUM ('happy', 'sad'); EXCEPTION WHEN duplicate_object THEN NULL; END $crucible$",
      "DO $crucible$ BEGIN CREATE TYPE post_moods_enum AS ENUM ('happy', 'sad'); EXCEPTION WHEN duplicate_object THEN NULL; END $crucible$",
      `CREATE TABLE post (
\tid SERIAL NOT NULL,
\tstatus post_status NOT NULL,
\tmood post_mood_enum,
\tmoods post_moods_enum[],
\tflavour VARCHAR(5),
\tPRIMARY KEY (id),
\tCHECK (flavour IN ('sweet', 'sour'))
)`,
    ]);
    expect(ddl.dropTable(t)).toEqual([
      "DROP TABLE post",
      "DO $crucible$ BEGIN DROP TYPE IF EXISTS post_status; EXCEPTION WHEN dependent_objects_still_exist THEN NULL; END $crucible$",
      "DO $crucible$ BEGIN DROP TYPE IF EXISTS post_mood_enum; EXCEPTION WHEN dependent_objects_still_exist THEN NULL; END $crucible$",
      "DO $crucible$ BEGIN DROP TYPE IF EXISTS post_moods_enum; EXCEPTION WHEN dependent_objects_still_exist THEN NULL; END $crucible$",
    ]);
  });

  it("comments are COMMENT ON statements; schemas qualify names", () => {
    const md = new MetaData();
    const t = Table(
      "account",
      md,
      {
        id: column(Integer, { primaryKey: true }),
        user: column(Varchar(30), { comment: "login name; it's unique" }),
      },
      { schema: "billing", comment: "Customer accounts" },
    );
    expect(ddl.createTable(t)).toEqual([
      'CREATE TABLE billing.account (\n\tid SERIAL NOT NULL,\n\t"user" VARCHAR(30),\n\tPRIMARY KEY (id)\n)',
      "COMMENT ON TABLE billing.account IS 'Customer accounts'",
      "COMMENT ON COLUMN billing.account.\"user\" IS 'login name; it''s unique'",
    ]);
    expect(ddl.dropTable(t, { ifExists: true })).toEqual(["DROP TABLE IF EXISTS billing.account"]);
  });

  it("constraints, defaults, foreign keys and indexes (partial, expression)", () => {
    const md = new MetaData({ namingConvention: { uq: "uq_%(table_name)s_%(column_0_name)s", ck: "ck_%(table_name)s_%(constraint_name)s" } });
    Table("parent", md, { id: column(Integer, { primaryKey: true }) });
    const child = Table(
      "child",
      md,
      {
        id: column(Integer, { primaryKey: true }),
        parentId: column(Integer, ForeignKey("parent.id", { onDelete: "CASCADE" }), { name: "parent_id", nullable: false }),
        email: column(Varchar(100), { index: true }),
        created: column(DateTime(), { serverDefault: func.now() }),
        state: column(Varchar(10), { serverDefault: "'new'" }),
        price: column(Numeric(10, 2)),
      },
      UniqueConstraint("email"),
      CheckConstraint("price > 0", { name: "positive" }),
    );
    Index("ix_child_lower_email", func.lower(child.c.email), { unique: true, where: child.c.state.ne("gone") });
    expect(ddl.createTable(child)).toEqual([
      `CREATE TABLE child (
\tid SERIAL NOT NULL,
\tparent_id INTEGER NOT NULL,
\temail VARCHAR(100),
\tcreated TIMESTAMP WITHOUT TIME ZONE DEFAULT now(),
\tstate VARCHAR(10) DEFAULT 'new',
\tprice NUMERIC(10, 2),
\tPRIMARY KEY (id),
\tCONSTRAINT uq_child_email UNIQUE (email),
\tFOREIGN KEY(parent_id) REFERENCES parent (id) ON DELETE CASCADE,
\tCONSTRAINT ck_child_positive CHECK (price > 0)
)`,
      "CREATE INDEX ix_child_email ON child (email)",
      "CREATE UNIQUE INDEX ix_child_lower_email ON child ((lower(email))) WHERE state <> 'gone'",
    ]);
  });

  it("renders literals PostgreSQL reads back: bytes as bytea, strings with doubled quotes", () => {
    expect(dialect.renderLiteral(new Uint8Array([1, 255]), LargeBinary)).toBe("'\\x01ff'::bytea");
    expect(dialect.renderLiteral("it's", Text)).toBe("'it''s'");
    expect(dialect.renderLiteral(true, Boolean)).toBe("true");
    expect(dialect.renderLiteral(12n, BigInteger)).toBe("'12'");
    expect(dialect.renderLiteral(new Date("2024-01-02T03:04:05Z"), DateTime())).toBe("'2024-01-02 03:04:05.000'");
    expect(dialect.renderLiteral([1, 2], ArrayOf(Integer))).toBe("'{1,2}'");
  });
});
