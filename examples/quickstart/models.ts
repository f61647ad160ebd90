// models.ts — User and Address, one-to-many with cascade (SQLAlchemy's models.py).
import { column, ForeignKey, Integer, relationship, String } from "crucible";
import { Base } from "./db.js";

export class User extends Base.model("user_account", {
  id: column(Integer, { primaryKey: true }),
  name: column(String(30)),
  fullname: column(String),
  addresses: relationship.many(() => Address, { backPopulates: "user", cascade: "all, delete-orphan" }),
}) {
  override toString() {
    return `User(id=${this.id}, name=${this.name}, fullname=${this.fullname})`;
  }
}

export class Address extends Base.model("address", {
  id: column(Integer, { primaryKey: true }),
  emailAddress: column(String, { nullable: false }), // column name: email_address
  userId: column(Integer, ForeignKey("user_account.id"), { nullable: false }),
  user: relationship.one(() => User, { backPopulates: "addresses" }),
}) {
  override toString() {
    return `Address(id=${this.id}, emailAddress=${this.emailAddress})`;
  }
}
