// Compile-time proof of the ORM's inferred types (every line is an assertion), under TypeScript 5.9 and 7.
import { type Column, createEngine, type RelationshipAttribute, type Result, type ScalarResult, type Select, Session, select, selectinload } from "crucible";
import { Address, type Node, User } from "./orm-models.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

declare const user: User;
declare const address: Address;
declare const node: Node;
const session = new Session(createEngine("sqlite://"));
const s1 = select(User).where(User.c.name.in(["spongebob", "sandy"]));
const s2 = select(User.id, User.c.name);
const s3 = select(User, Address.emailAddress).join(User.addresses);
const r1 = session.scalars(s1);
const r2 = session.execute(s2);
const r3 = session.get(User, 1);
const opt = select(User).options(selectinload(User.addresses));

export type Tests = [
  // instance side
  Expect<Equal<typeof user.id, number>>,
  Expect<Equal<typeof user.name, string | null>>,
  Expect<Equal<typeof user.fullname, string | null>>,
  Expect<Equal<typeof user.addresses, Address[]>>,
  Expect<Equal<typeof address.emailAddress, string>>,
  Expect<Equal<typeof address.userId, number>>,
  Expect<Equal<typeof address.user, User>>,
  Expect<Equal<typeof node.parent, Node | null>>,
  Expect<Equal<typeof node.children, Node[]>>,
  Expect<Equal<ReturnType<typeof node.depth>, number>>,
  // constructor init
  Expect<Equal<ConstructorParameters<typeof User>, [init?: { id?: number; name?: string | null; fullname?: string | null; addresses?: Address[] }]>>,
  Expect<Equal<ConstructorParameters<typeof Address>, [init: { emailAddress: string; id?: number; userId?: number; user?: User }]>>,
  // class side
  Expect<Equal<typeof User.id, Column<number, "id">>>,
  Expect<Equal<typeof User.c.name, Column<string | null, "name">>>,
  Expect<Equal<typeof User.name, string>>, // Function.name: the static column is User.c.name
  Expect<Equal<typeof Address.userId, Column<number, "userId">>>,
  Expect<Equal<typeof User.addresses, RelationshipAttribute<Address, true>>>,
  Expect<Equal<typeof Address.user, RelationshipAttribute<User, false>>>,
  // statements and results
  Expect<Equal<typeof s1, Select<[User], {}>>>,
  Expect<Equal<typeof s2, Select<[number, string | null], { id: number; name: string | null }>>>,
  Expect<Equal<typeof s3, Select<[User, string], { emailAddress: string }>>>,
  Expect<Equal<typeof r1, Promise<ScalarResult<User>>>>,
  Expect<Equal<typeof r2, Promise<Result<[number, string | null], { id: number; name: string | null }>>>>,
  Expect<Equal<typeof r3, Promise<User | null>>>,
  Expect<Equal<typeof opt, Select<[User], {}>>>,
];
