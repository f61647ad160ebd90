// main.ts — create the tables, add three users in one transaction, query two of them back.
import { select } from "crucible";
import { engine, getSession, migrate } from "./db.js";
import { Address, User } from "./models.js";

await migrate();
{
  await using session = getSession(); // closed at block end, like Python's `with`
  session.addAll([
    new User({
      name: "spongebob",
      fullname: "Spongebob Squarepants",
      addresses: [new Address({ emailAddress: "spongebob@sqlalchemy.org" })],
    }),
    new User({
      name: "sandy",
      fullname: "Sandy Cheeks",
      addresses: [new Address({ emailAddress: "sandy@sqlalchemy.org" }), new Address({ emailAddress: "sandy@squirrelpower.org" })],
    }),
    new User({ name: "patrick", fullname: "Patrick Star" }),
  ]);
  await session.commit(); // one transaction: users first, then addresses, batched
}
{
  await using session = getSession();
  const stmt = select(User).where(User.c.name.in(["spongebob", "sandy"]));
  for (const user of await session.scalars(stmt)) console.log(`${user}`); // user: User
}
await engine.dispose();
