// models.ts — User and Address, one-to-many with cascade (SQLAlchemy's models.py).
import { column, ForeignKey, Integer, relationship, String } from "crucible";
import { Base } from "./db.js";

/** Python's `!r` for the values printed here: strings quoted, null as is. */
const repr = (v: string | null) => (v === null ? "null" : `'${v}'`);

export class User extends Base.model("user_account", {
  id: column(Integer, { primaryKey: true }),
  name: column(String(30)),
  fullname: column(String),
  addresses: relationship.many(() => Address, { backPopulates: "user", cascade: "all, delete-orphan" }),
}) {
  override toString() {
    return `User(id=${this.id}, name=${repr(this.name)}, fullname=${repr(this.fullname)})`;
  }
}

export class Address extends Base.model("address", {
  id: column(Integer, { primaryKey: true }),
  emailAddress: column(String, { nullable: false }), // column name: email_address
  userId: column(Integer, ForeignKey("user_account.id"), { nullable: false }),
  user: relationship.one(() => User, { backPopulates: "addresses" }),
}) {
  override toString() {
    return `Address(id=${this.id}, emailAddress=${repr(this.emailAddress)})`;
  }
}
