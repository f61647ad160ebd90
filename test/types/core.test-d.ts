import {
  BigInteger,
  Boolean,
  bindparam,
  type ColumnElement,
  case_,
  cast,
  column,
  createEngine,
  DateTime,
  delete_,
  Enum,
  ForeignKey,
  func,
  Integer,
  insert,
  JSON,
  MetaData,
  Numeric,
  type Result,
  type Row,
  type Select,
  select,
  Table,
  text,
  union,
  update,
  Varchar,
} from "crucible";
import { insert as upsert } from "crucible/sqlite";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;
type ValueOf<E> = E extends ColumnElement<infer T, infer _N> ? T : never;
type ResultOf<P> = P extends Promise<Result<infer T, infer N>> ? [T, N] : never;

const md = new MetaData();
const users = Table("user_account", md, {
  id: column(Integer, { primaryKey: true }),
  name: column(Varchar(30)),
  fullname: column(Varchar, { nullable: false }),
  big: column(BigInteger),
  price: column(Numeric(10, 2), { nullable: false, default: "0.00" }),
  active: column(Boolean, { nullable: false, serverDefault: "1" }),
  created: column(DateTime()),
  status: column(Enum(["draft", "published"] as const)),
  settings: column(JSON<{ theme: string }>()),
});
const addresses = Table("address", md, {
  id: column(Integer, { primaryKey: true }),
  user_id: column(Integer, ForeignKey("user_account.id"), { nullable: false }),
  email: column(Varchar, { nullable: false }),
});

// ---------------------------------------------------------------- column value types
export type ColumnTypes = [
  Expect<Equal<ValueOf<typeof users.c.id>, number>>,
  Expect<Equal<ValueOf<typeof users.c.name>, string | null>>,
  Expect<Equal<ValueOf<typeof users.c.fullname>, string>>,
  Expect<Equal<ValueOf<typeof users.c.big>, bigint | null>>,
  Expect<Equal<ValueOf<typeof users.c.price>, string>>,
  Expect<Equal<ValueOf<typeof users.c.active>, boolean>>,
  Expect<Equal<ValueOf<typeof users.c.created>, Date | null>>,
  Expect<Equal<ValueOf<typeof users.c.status>, "draft" | "published" | null>>,
  Expect<Equal<ValueOf<typeof users.c.settings>, { theme: string } | null>>,
];

// ---------------------------------------------------------------- typed rows
const s1 = select(users.c.id, users.c.name);
const s2 = select(users.c.id, func.count(addresses.c.id).label("n")).join(addresses).groupBy(users.c.id);
const s3 = select(users.c.name.label("who"), users.c.big);
export type SelectTypes = [
  Expect<Equal<typeof s1 extends Select<infer R, infer _N> ? R : never, [number, string | null]>>,
  Expect<Equal<typeof s1 extends Select<infer _R, infer N> ? N : never, { id: number; name: string | null }>>,
  Expect<Equal<typeof s2 extends Select<infer R, infer _N> ? R : never, [number, number]>>,
  Expect<Equal<typeof s2 extends Select<infer _R, infer N> ? N : never, { id: number; n: number }>>,
  Expect<Equal<typeof s3 extends Select<infer _R, infer N> ? N : never, { who: string | null; big: bigint | null }>>,
];

const engine = createEngine("sqlite://");
const executed = engine.execute(s1);
export type ExecuteTypes = [
  Expect<Equal<ResultOf<typeof executed>, [[number, string | null], { id: number; name: string | null }]>>,
  Expect<Equal<ReturnType<Awaited<typeof executed>["all"]>, Row<[number, string | null], { id: number; name: string | null }>[]>>,
  Expect<Equal<ReturnType<Awaited<typeof executed>["scalar"]>, number | null>>,
];
async function rows() {
  const result = await engine.execute(s1);
  for (const row of result) {
    const [id, name] = row;
    const n: number = id;
    const s: string | null = name;
    const byName: string | null = row.name;
    // @ts-expect-error rows have no field that was not selected
    row.fullname;
    // @ts-expect-error a nullable column's value may be null
    const notNull: string = row.name;
    return [n, s, byName, notNull];
  }
  const ids: number[] = result.scalars();
  const m: { id: number; name: string | null }[] = result.mappings();
  return [ids, m];
}
void rows;

// ---------------------------------------------------------------- operators
users.c.name.in(["a", "b"]);
users.c.id.in([1, 2]);
users.c.id.in(select(addresses.c.user_id));
// @ts-expect-error wrong operand type
users.c.name.in([1]);
// @ts-expect-error wrong operand type
users.c.id.eq("1");
// @ts-expect-error wrong operand type for a comparison with another column
users.c.id.eq(users.c.name);
users.c.id.eq(addresses.c.user_id);
// @ts-expect-error like() only on strings
users.c.id.like("x");
// @ts-expect-error contains() only on strings
users.c.big.contains("1");
users.c.name.like("x%");
users.c.fullname.startsWith("x");
// @ts-expect-error eq(null) only on nullable columns
users.c.fullname.eq(null);
users.c.name.eq(null);
users.c.name.ne(null);
// @ts-expect-error no null inside an IN list
users.c.name.in([null]);
// @ts-expect-error BigInteger compares with bigint, not number
users.c.big.eq(1);
users.c.big.eq(1n);
// @ts-expect-error an Enum column takes only its values
users.c.status.eq("deleted");
users.c.status.eq("draft");
users.c.created.lt(new Date());
// @ts-expect-error arithmetic operands match the column type
users.c.id.add("1");
export type OperatorTypes = [
  Expect<Equal<ValueOf<ReturnType<typeof users.c.id.eq>>, boolean>>,
  Expect<Equal<ValueOf<ReturnType<typeof users.c.id.add>>, number>>,
  Expect<Equal<ValueOf<ReturnType<typeof users.c.name.concat>>, string | null>>,
];

// ---------------------------------------------------------------- functions, CASE, CAST
const lowered = func.lower(users.c.fullname);
const counted = func.count();
const maxed = func.max(users.c.id);
const cased = case_([users.c.id.eq(1), "one"], { else: "many" });
const casedNoElse = case_([users.c.id.eq(1), users.c.id], [users.c.id.eq(2), 0]);
const casted = cast(users.c.id, Varchar);
export type ExpressionTypes = [
  Expect<Equal<ValueOf<typeof lowered>, string>>,
  Expect<Equal<ValueOf<typeof counted>, number>>,
  Expect<Equal<ValueOf<typeof maxed>, number | null>>,
  Expect<Equal<ValueOf<typeof cased>, string>>,
  Expect<Equal<ValueOf<typeof casedNoElse>, number | null>>,
  Expect<Equal<ValueOf<typeof casted>, string>>,
];

// ---------------------------------------------------------------- subqueries keep their column types
const sub = select(addresses.c.user_id, func.count(addresses.c.id).label("n")).groupBy(addresses.c.user_id).subquery("counts");
export type SubqueryTypes = [Expect<Equal<ValueOf<typeof sub.c.n>, number>>, Expect<Equal<ValueOf<typeof sub.c.user_id>, number>>];
// @ts-expect-error a subquery has only its selected columns
sub.c.email;
union(select(users.c.id), select(addresses.c.id));
select(users.c.id).union(select(users.c.status.cast(Integer)));
union(select(users.c.id), select(addresses.c.user_id));
// @ts-expect-error UNION members must select as many columns
union(select(users.c.id), select(users.c.id, users.c.name));

// ---------------------------------------------------------------- insert / update / delete values are typed
insert(users).values({ fullname: "Sandy Cheeks" });
insert(users).values({ fullname: "x", name: null, big: 5n, status: "draft", settings: { theme: "dark" } });
insert(users).values([{ fullname: "a" }, { fullname: "b", price: "1.50" }]);
// @ts-expect-error required columns must be given (fullname is NOT NULL without a default)
insert(users).values({ name: "sandy" });
// @ts-expect-error wrong value type
insert(users).values({ fullname: 5 });
// @ts-expect-error unknown column
insert(users).values({ fullname: "x", nope: 1 });
// @ts-expect-error NOT NULL columns do not take null
insert(users).values({ fullname: null });
// @ts-expect-error JSON documents are typed
insert(users).values({ fullname: "x", settings: { theme: 1 } });
insert(addresses).values({
  email: "x",
  user_id: select(users.c.id)
    .where(users.c.name.eq(bindparam("n")))
    .scalarSubquery(),
});
update(users).values({ name: "x" });
update(users).values({ fullname: users.c.fullname.concat("!") });
// @ts-expect-error update values are typed
update(users).values({ id: "x" });
const ret = insert(users).values({ fullname: "x" }).returning(users.c.id, users.c.name);
const updRet = update(users).values({ name: "x" }).returning(users.c.fullname);
const delRet = delete_(users).where(users.c.id.eq(1)).returning(users.c.id);
export type DmlTypes = [
  Expect<Equal<ResultOf<ReturnType<typeof engine.execute<[number, string | null], { id: number; name: string | null }>>>[0], [number, string | null]>>,
  Expect<Equal<typeof ret extends { __row?: infer R } ? R : never, [number, string | null]>>,
  Expect<Equal<typeof updRet extends { __row?: infer R } ? R : never, [string]>>,
  Expect<Equal<typeof delRet extends { __row?: infer R } ? R : never, [number]>>,
];
const up = upsert(users).values({ fullname: "x" });
up.onConflictDoUpdate({ indexElements: ["id"], set: { fullname: up.excluded.fullname } });
// @ts-expect-error conflict targets are column keys
up.onConflictDoNothing({ indexElements: ["nope"] });

// ---------------------------------------------------------------- text()
async function textRows() {
  const r = await engine.execute(text("SELECT x, y FROM some_table WHERE y > :y"), { y: 2 });
  const x: unknown = r.all()[0].x;
  const typed = await engine.execute(text("SELECT id, name FROM t").columns({ id: Integer, name: Varchar }));
  const id: number = typed.all()[0].id;
  // @ts-expect-error declared text columns are typed
  const wrong: string = typed.all()[0].id;
  return [x, id, wrong];
}
void textRows;
