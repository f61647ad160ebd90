import { column, type ColumnElement, Integer, MetaData, type Select, select, Table, Varchar } from "crucible";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

const md = new MetaData();
const users = Table("user_account", md, {
  id: column(Integer, { primaryKey: true }),
  name: column(Varchar(30)),
  fullname: column(Varchar, { nullable: false }),
});
const s1 = select(users.c.id, users.c.name);

export type Tests = [
  Expect<Equal<typeof users.c.id extends ColumnElement<infer T, infer _N> ? T : never, number>>,
  Expect<Equal<typeof users.c.name extends ColumnElement<infer T, infer _N> ? T : never, string | null>>,
  Expect<Equal<typeof s1 extends Select<infer R, infer _N> ? R : never, [number, string | null]>>,
];

// @ts-expect-error wrong operand type
users.c.name.in([1]);
// @ts-expect-error like() only on strings
users.c.id.like("x");
// @ts-expect-error eq(null) only on nullable columns
users.c.fullname.eq(null);
users.c.name.eq(null);
