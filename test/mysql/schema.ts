/**
 * Schemas shared by the MySQL tests: the quickstart's two tables and a table with every type, under a name prefix
 * so execution tests get their own tables in the shared `test` database.
 */
import {
  BigInteger,
  Bool,
  CheckConstraint,
  column,
  DateOnly,
  DateTime,
  Double,
  Enum,
  Float,
  ForeignKey,
  func,
  Index,
  Integer,
  Json,
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

/** The quickstart's `user_account` and `address` (DESIGN §1), as Core tables. */
export function quickstartTables(prefix = "", metadata = new MetaData()) {
  const users = Table(`${prefix}user_account`, metadata, {
    id: column(Integer, { primaryKey: true }),
    name: column(Varchar(30)),
    fullname: column(Varchar),
  });
  const addresses = Table(`${prefix}address`, metadata, {
    id: column(Integer, { primaryKey: true }),
    email_address: column(Varchar, { nullable: false }),
    user_id: column(Integer, ForeignKey(`${prefix}user_account.id`), { nullable: false }),
  });
  return { metadata, users, addresses };
}

/** One column of every type, with keys, checks, comments and server defaults. */
export function everyTypeTable(prefix = "", metadata = new MetaData()) {
  return Table(
    `${prefix}every_type`,
    metadata,
    {
      id: column(BigInteger, { primaryKey: true, comment: "the key's comment" }),
      small: column(SmallInteger),
      f: column(Float),
      d: column(Double),
      n: column(Numeric(30, 10), { serverDefault: "0" }),
      b: column(Bool, { nullable: false, serverDefault: "1" }),
      s: column(Varchar(20), { unique: true }),
      s2: column(Varchar, { index: true }),
      t: column(Text),
      day: column(DateOnly),
      ts: column(DateTime(), { serverDefault: func.now() }),
      tstz: column(DateTime({ timezone: true })),
      tm: column(Time),
      bin: column(LargeBinary),
      doc: column(Json()),
      u: column(Uuid),
      mood: column(Enum(["happy", "it's"] as const)),
      mood2: column(Enum(["a", "b"] as const, { native: false, name: `${prefix}ck_mood2` })),
    },
    UniqueConstraint("s2", "s", { name: `${prefix}uq_s2_s` }),
    CheckConstraint("n > 0", { name: `${prefix}ck_positive` }),
    Index(`${prefix}ix_small_s2`, "small", "s2"),
    { comment: "every type" },
  );
}
