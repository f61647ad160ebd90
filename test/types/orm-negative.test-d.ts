// Every line below must be a compile error (tsc reports an unused @ts-expect-error otherwise).
import { createEngine, Session, select, selectinload } from "crucible";
import { Address, User } from "./orm-models.js";

declare const user: User;
const session = new Session(createEngine("sqlite://"));
// @ts-expect-error unknown property
new User({ nam: "x" });
// @ts-expect-error wrong type
new User({ name: 1 });
// @ts-expect-error missing required emailAddress (nullable: false, no default)
new Address({});
// @ts-expect-error wrong element type in a relationship collection
new User({ addresses: [new User()] });
// @ts-expect-error many-to-one is a single object
new Address({ emailAddress: "a", user: [user] });
// @ts-expect-error in() with the wrong element type
User.c.name.in([1, 2]);
// @ts-expect-error eq() with the wrong type
User.id.eq("3");
// @ts-expect-error comparing an integer column with a string column
Address.userId.eq(User.c.name);
// @ts-expect-error like() only on string columns
User.id.like("x");
// @ts-expect-error `User.name` is Function.name (a string) at run time, so it is not typed as a column
User.name.in(["a"]);
// @ts-expect-error not a model
session.add({});
// @ts-expect-error a nullable column is string | null
const n: string = user.name;
// @ts-expect-error a non-nullable relationship
new Address({ emailAddress: "a" }).user = null;
// @ts-expect-error a relationship is not a column expression
select(User.addresses);
// @ts-expect-error selectinload takes a relationship attribute
selectinload(User.c.name);
void n;
